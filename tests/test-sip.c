/* test-sip.c — calls between helixphone and SIPp scenarios, webhook asserted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside dbus-run-session.  The phone runs in direct mode on a port
 * picked at run time; SIPp plays the other side; a SoupServer receives the
 * webhooks, and each case asserts the exact status sequence with the
 * call's direction, caller, a stable call_id and the final duration.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "helix-test-peers.h"
#include "helix-test-phone.h"
#include "helix-test-receiver.h"

typedef struct {
  HelixTestReceiver *receiver;
  HelixTestPhone    *phone;
  HelixTestSipp     *sipp;
  guint16            phone_port;
  char              *phone_target;   /* 127.0.0.1:PORT for SIPp */
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autofree char *url = NULL;
  g_autofree char *settings = NULL;
  g_autoptr(GError) error = NULL;

  fixture->receiver = helix_test_receiver_new ();
  fixture->phone_port = helix_test_free_udp_port ();
  fixture->phone_target = g_strdup_printf ("127.0.0.1:%u", fixture->phone_port);
  url = helix_test_receiver_url (fixture->receiver, "/status");
  /* @data: extra sections, e.g. "\"General\": { ... }," */
  settings = g_strdup_printf ("{ %s \"Sip\": { \"Username\": \"1001\", \"Port\": %u },"
                              "  \"Webhook\": { \"EndpointUrl\": \"%s\" } }",
                              data != NULL ? (const char *) data : "", fixture->phone_port, url);

  fixture->phone = helix_test_phone_start (settings, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (helix_test_sip_ping (fixture->phone_port, 10000));
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->sipp, helix_test_sipp_free);
  /* A clean exit after every scenario: a crash here would lose the
   * offline webhook in real life. */
  if (fixture->phone != NULL)
    g_assert_cmpint (helix_test_phone_quit (fixture->phone, 8000), ==, 0);
  g_clear_pointer (&fixture->phone, helix_test_phone_free);
  g_clear_pointer (&fixture->receiver, helix_test_receiver_free);
  g_clear_pointer (&fixture->phone_target, g_free);
}

static void
wait_for_statuses (Fixture *fixture, const char *expected, guint timeout_ms)
{
  if (helix_test_receiver_wait_statuses (fixture->receiver, expected, timeout_ms))
    return;
  g_test_message ("phone stderr:\n%s", helix_test_phone_stderr (fixture->phone));
  g_test_fail ();
  g_assert_not_reached ();
}

/* The n-th status_change event, parsed. */
static JsonNode *
status_event (Fixture *fixture, guint n)
{
  g_autoptr(JsonObject) object = helix_test_receiver_status_event (fixture->receiver, n);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return node;
}

static void
assert_event (Fixture    *fixture,
              guint       n,
              const char *status,
              const char *direction,
              const char *remote_number,
              const char *remote_name)
{
  g_autoptr(JsonNode) node = status_event (fixture, n);
  JsonObject *object = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, status);
  if (direction == NULL)
    g_assert_true (json_object_get_null_member (object, "direction"));
  else
    g_assert_cmpstr (json_object_get_string_member (object, "direction"), ==, direction);
  g_assert_cmpstr (json_object_get_string_member (object, "remote_number"), ==, remote_number);
  if (remote_name != NULL)
    g_assert_cmpstr (json_object_get_string_member (object, "remote_name"), ==, remote_name);
  g_assert_cmpstr (json_object_get_string_member (object, "extension"), ==, "1001");
}

static char *
event_call_id (Fixture *fixture, guint n)
{
  g_autoptr(JsonNode) node = status_event (fixture, n);

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "call_id"));
}

static gint64
event_duration (Fixture *fixture, guint n)
{
  g_autoptr(JsonNode) node = status_event (fixture, n);

  return json_object_get_int_member (json_node_get_object (node), "duration");
}

/* Events first..last belong to one call: one UUID, not the SIP Call-ID. */
static void
assert_one_call_id (Fixture *fixture, guint first, guint last)
{
  g_autofree char *call_id = event_call_id (fixture, first);

  g_assert_true (g_uuid_string_is_valid (call_id));
  for (guint i = first + 1; i <= last; i++)
    {
      g_autofree char *other = event_call_id (fixture, i);
      g_assert_cmpstr (other, ==, call_id);
    }
}

static void
start_sipp (Fixture *fixture, const char *scenario, gboolean uac, const char * const *extra)
{
  g_autoptr(GError) error = NULL;

  fixture->sipp = helix_test_sipp_start (scenario, uac ? fixture->phone_target : NULL, 0, extra, &error);
  g_assert_no_error (error);
}

static void
assert_sipp_succeeds (Fixture *fixture, guint timeout_ms)
{
  helix_test_sipp_assert_success (fixture->sipp, timeout_ms, helix_test_phone_stderr (fixture->phone));
}

static char *
sipp_uri (Fixture *fixture, const char *user)
{
  g_autofree char *uri = g_strdup_printf ("sip:%s@127.0.0.1:%u", user, helix_test_sipp_port (fixture->sipp));

  return helix_test_action_string (uri);
}

static void
test_inbound_answered (Fixture *fixture, gconstpointer data)
{
  wait_for_statuses (fixture, "available", 10000);
  start_sipp (fixture, "uac-answered", TRUE, NULL);
  wait_for_statuses (fixture, "available ringing", 10000);

  helix_test_phone_action (fixture->phone, "answer", NULL);
  wait_for_statuses (fixture, "available ringing on_call", 10000);
  assert_sipp_succeeds (fixture, 20000);
  wait_for_statuses (fixture, "available ringing on_call available", 5000);

  assert_event (fixture, 1, "ringing", "inbound", "sipp", "SIPp Caller");
  assert_event (fixture, 2, "on_call", "inbound", "sipp", "SIPp Caller");
  assert_event (fixture, 3, "available", NULL, "sipp", "SIPp Caller");
  assert_one_call_id (fixture, 1, 3);
  /* SIPp talks for 2 s before its BYE. */
  g_assert_cmpint (event_duration (fixture, 3), >=, 1);
  g_assert_cmpint (event_duration (fixture, 3), <=, 3);
  g_assert_cmpint (event_duration (fixture, 2), ==, 0);
}

/* Nobody touches the phone: it rings once (the 180) and answers itself. */
static void
test_auto_answer (Fixture *fixture, gconstpointer data)
{
  g_autofree char *messages = NULL;

  wait_for_statuses (fixture, "available", 10000);
  start_sipp (fixture, "uac-answered", TRUE, NULL);
  assert_sipp_succeeds (fixture, 20000);
  wait_for_statuses (fixture, "available ringing on_call available", 5000);
  assert_one_call_id (fixture, 1, 3);

  messages = helix_test_sipp_messages (fixture->sipp);
  g_assert_nonnull (strstr (messages, "SIP/2.0 180 Ringing"));
  g_assert_nonnull (strstr (messages, "SIP/2.0 200 OK"));
}

static void
test_inbound_cancelled (Fixture *fixture, gconstpointer data)
{
  wait_for_statuses (fixture, "available", 10000);
  start_sipp (fixture, "uac-cancel", TRUE, NULL);
  assert_sipp_succeeds (fixture, 20000);
  wait_for_statuses (fixture, "available ringing available", 5000);

  assert_event (fixture, 2, "available", NULL, "sipp", NULL);
  assert_one_call_id (fixture, 1, 2);
  g_assert_cmpint (event_duration (fixture, 2), ==, 0);
}

static void
test_inbound_rejected (Fixture *fixture, gconstpointer data)
{
  wait_for_statuses (fixture, "available", 10000);
  start_sipp (fixture, "uac-rejected", TRUE, NULL);
  wait_for_statuses (fixture, "available ringing", 10000);
  helix_test_phone_action (fixture->phone, "reject", NULL);
  assert_sipp_succeeds (fixture, 20000);
  wait_for_statuses (fixture, "available ringing available", 5000);
}

static void
test_dnd_refuses_without_ringing (Fixture *fixture, gconstpointer data)
{
  g_autofree char *messages = NULL;

  wait_for_statuses (fixture, "available", 10000);
  helix_test_phone_action (fixture->phone, "set-status", "'busy'");
  helix_test_phone_action (fixture->phone, "dnd", NULL);
  wait_for_statuses (fixture, "available busy do_not_disturb", 5000);

  start_sipp (fixture, "uac-busy-expected", TRUE, NULL);
  assert_sipp_succeeds (fixture, 20000);
  messages = helix_test_sipp_messages (fixture->sipp);
  g_assert_null (strstr (messages, "SIP/2.0 180"));
  g_assert_nonnull (strstr (messages, "SIP/2.0 486"));

  /* DND off restores the status chosen before it, and nothing rang. */
  helix_test_phone_action (fixture->phone, "dnd", NULL);
  wait_for_statuses (fixture, "available busy do_not_disturb busy", 5000);
  g_assert_nonnull (strstr (helix_test_phone_stderr (fixture->phone), "Missed call from sipp"));
}

static void
test_outbound_answered (Fixture *fixture, gconstpointer data)
{
  g_autofree char *target = NULL;
  g_autofree char *messages = NULL;

  wait_for_statuses (fixture, "available", 10000);
  helix_test_phone_action (fixture->phone, "set-status", "'away'");
  start_sipp (fixture, "uas-answer", FALSE, NULL);
  target = sipp_uri (fixture, "1002");

  helix_test_phone_action (fixture->phone, "dial", target);
  wait_for_statuses (fixture, "available away ringing on_call", 10000);
  helix_test_spin (1100);
  helix_test_phone_action (fixture->phone, "hangup", NULL);
  assert_sipp_succeeds (fixture, 20000);

  /* The custom status comes back after the call's "available". */
  wait_for_statuses (fixture, "available away ringing on_call available away", 5000);
  assert_event (fixture, 2, "ringing", "outbound", "1002", "");
  assert_event (fixture, 3, "on_call", "outbound", "1002", "");
  assert_event (fixture, 4, "available", NULL, "1002", "");
  assert_event (fixture, 5, "away", NULL, "", "");
  assert_one_call_id (fixture, 2, 4);
  g_assert_cmpint (event_duration (fixture, 4), >=, 1);
  g_assert_cmpint (event_duration (fixture, 4), <=, 2);

  /* The offer: PCMU, PCMA, G.722 and Opus when present, telephone-event,
   * on an even port. */
  messages = helix_test_sipp_messages (fixture->sipp);
  g_assert_true (g_regex_match_simple ("m=audio [0-9]*[02468] RTP/AVP 0 8( 9)?( 96)? 101( 102)?\r",
                                       messages, 0, 0));
  g_assert_nonnull (strstr (messages, "a=rtpmap:101 telephone-event/8000"));
  g_assert_nonnull (strstr (messages, "User-Agent: HelixPhone/"));
}

static void
test_outbound_busy (Fixture *fixture, gconstpointer data)
{
  g_autofree char *target = NULL;

  wait_for_statuses (fixture, "available", 10000);
  start_sipp (fixture, "uas-busy", FALSE, NULL);
  target = sipp_uri (fixture, "1002");
  helix_test_phone_action (fixture->phone, "dial", target);
  assert_sipp_succeeds (fixture, 20000);
  wait_for_statuses (fixture, "available ringing available", 5000);
  g_assert_nonnull (strstr (helix_test_phone_stderr (fixture->phone), "ended: Busy"));
}

static void
test_local_hold_resume (Fixture *fixture, gconstpointer data)
{
  g_autofree char *target = NULL;

  wait_for_statuses (fixture, "available", 10000);
  start_sipp (fixture, "uas-hold", FALSE, NULL);
  target = sipp_uri (fixture, "1002");
  helix_test_phone_action (fixture->phone, "dial", target);
  wait_for_statuses (fixture, "available ringing on_call", 10000);

  helix_test_phone_action (fixture->phone, "hold", NULL);
  wait_for_statuses (fixture, "available ringing on_call hold", 10000);
  helix_test_phone_action (fixture->phone, "resume", NULL);
  wait_for_statuses (fixture, "available ringing on_call hold on_call", 10000);
  helix_test_phone_action (fixture->phone, "hangup", NULL);
  assert_sipp_succeeds (fixture, 20000);
  wait_for_statuses (fixture, "available ringing on_call hold on_call available", 5000);

  assert_event (fixture, 3, "hold", "outbound", "1002", NULL);
  assert_one_call_id (fixture, 1, 5);
}

static void
test_remote_hold (Fixture *fixture, gconstpointer data)
{
  wait_for_statuses (fixture, "available", 10000);
  start_sipp (fixture, "uac-remote-hold", TRUE, NULL);
  wait_for_statuses (fixture, "available ringing", 10000);
  helix_test_phone_action (fixture->phone, "answer", NULL);

  /* Being held by the far end is not our "hold": the agent is on a call. */
  assert_sipp_succeeds (fixture, 30000);
  wait_for_statuses (fixture, "available ringing on_call available", 5000);
}

static void
test_dtmf_info (Fixture *fixture, gconstpointer data)
{
  g_autofree char *target = NULL;
  g_autofree char *messages = NULL;

  wait_for_statuses (fixture, "available", 10000);
  start_sipp (fixture, "uas-info-dtmf", FALSE, NULL);
  target = sipp_uri (fixture, "1002");
  helix_test_phone_action (fixture->phone, "dial", target);
  wait_for_statuses (fixture, "available ringing on_call", 10000);

  helix_test_phone_action (fixture->phone, "dtmf", "'5#'");
  helix_test_spin (1000);
  helix_test_phone_action (fixture->phone, "hangup", NULL);
  assert_sipp_succeeds (fixture, 20000);

  messages = helix_test_sipp_messages (fixture->sipp);
  g_assert_nonnull (strstr (messages, "Content-Type: application/dtmf-relay"));
  g_assert_nonnull (strstr (messages, "Signal=5"));
  g_assert_nonnull (strstr (messages, "Signal=#"));
}

static void
test_blind_transfer (Fixture *fixture, gconstpointer data)
{
  g_autofree char *target = NULL;
  g_autofree char *messages = NULL;

  wait_for_statuses (fixture, "available", 10000);
  start_sipp (fixture, "uas-refer", FALSE, NULL);
  target = sipp_uri (fixture, "1002");
  helix_test_phone_action (fixture->phone, "dial", target);
  wait_for_statuses (fixture, "available ringing on_call", 10000);

  helix_test_phone_action (fixture->phone, "transfer", "'sip:1003@127.0.0.1'");
  assert_sipp_succeeds (fixture, 20000);
  wait_for_statuses (fixture, "available ringing on_call available", 5000);

  messages = helix_test_sipp_messages (fixture->sipp);
  g_assert_true (g_regex_match_simple ("REFER sip:[^ ]+ SIP/2.0", messages, 0, 0));
  g_assert_true (g_regex_match_simple ("Refer-To: <sip:1003@127.0.0.1>", messages, 0, 0));
  g_assert_nonnull (strstr (helix_test_phone_stderr (fixture->phone), "ended: Transferred"));
}

static void
test_dial_rejects_bad_target (Fixture *fixture, gconstpointer data)
{
  /* Direct mode has no server for a bare number; junk is refused. */
  g_autofree char *evil = helix_test_action_string ("sip:x@host>\r\nVia: evil");

  wait_for_statuses (fixture, "available", 10000);
  helix_test_phone_action (fixture->phone, "dial", "'1002'");
  helix_test_phone_action (fixture->phone, "dial", evil);
  helix_test_spin (500);
  g_assert_nonnull (strstr (helix_test_phone_stderr (fixture->phone), "without a SIP server"));
  g_assert_nonnull (strstr (helix_test_phone_stderr (fixture->phone), "is not a valid SIP address"));
  wait_for_statuses (fixture, "available", 1000);
}

static void
test_hostile_caller_id (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  const char *name;

  wait_for_statuses (fixture, "available", 10000);
  start_sipp (fixture, "uac-hostile", TRUE, NULL);
  assert_sipp_succeeds (fixture, 20000);
  wait_for_statuses (fixture, "available ringing available", 5000);

  /* Taken from P-Asserted-Identity, unescaped, bounded, inert. */
  node = status_event (fixture, 1);
  object = json_node_get_object (node);
  name = json_object_get_string_member (object, "remote_name");
  g_assert_cmpstr (json_object_get_string_member (object, "remote_number"), ==, "../../x");
  g_assert_true (g_str_has_prefix (name, "<b>\"../../x\" javascript:alert(1)</b> AAAA"));
  g_assert_cmpuint (g_utf8_strlen (name, -1), ==, 128);
}

static void
send_datagram (guint16 port, const char *data, gsize len)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) target = g_inet_socket_address_new (loopback, port);
  g_autoptr(GError) error = NULL;

  g_socket_send_to (socket, target, data, len, NULL, &error);
  g_assert_no_error (error);
}

static char *
request (const char *method, const char *headers, const char *body, guint16 port)
{
  return g_strdup_printf ("%s sip:1001@127.0.0.1:%u SIP/2.0\r\n"
                          "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-%s-%u\r\n"
                          "Max-Forwards: 70\r\n"
                          "From: <sip:evil@127.0.0.1:9>;tag=x%u\r\n"
                          "To: <sip:1001@127.0.0.1>\r\n"
                          "%s"
                          "\r\n%s",
                          method, port, method, g_random_int (), g_random_int (), headers, body);
}

static void
test_malformed_sip (Fixture *fixture, gconstpointer data)
{
  guint16 port = fixture->phone_port;
  g_autofree char *long_value = g_strnfill (20000, 'x');
  g_autofree char *long_header = g_strdup_printf ("Call-ID: long1\r\nCSeq: 1 OPTIONS\r\n"
                                                  "X-Long: %s\r\nContent-Length: 0\r\n", long_value);
  const char *sdp_broken = "v=0\r\no=- x\r\nm=audio notaport RTP/AVP zz\r\nc=IN IP9\r\n";
  g_autofree char *broken_sdp_headers =
    g_strdup_printf ("Call-ID: sdp1\r\nCSeq: 1 INVITE\r\nContact: <sip:evil@127.0.0.1:9>\r\n"
                     "Content-Type: application/sdp\r\nContent-Length: %zu\r\n", strlen (sdp_broken));
  char *messages[] = {
    request ("INVITE", "Call-ID: len1\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n"
                       "Content-Length: 5000\r\n", "v=0\r\n", port),
    request ("INVITE", "CSeq: 1 INVITE\r\nContent-Length: 0\r\n", "", port),
    request ("INVITE", "Call-ID: nocseq\r\nContent-Length: 0\r\n", "", port),
    request ("INVITE", "Call-ID: neg\r\nCSeq: 1 INVITE\r\nContent-Length: -5\r\n", "", port),
    request ("OPTIONS", long_header, "", port),
    request ("INVITE", broken_sdp_headers, sdp_broken, port),
    request ("BYE", "Call-ID: nodialog\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n", "", port),
    g_strdup ("\r\n\r\n"),
    g_strdup ("SIP/2.0 200 OK\r\n\r\n"),
    g_strdup ("INVITE\r\n"),
  };
  guint8 garbage[1024];

  wait_for_statuses (fixture, "available", 10000);

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (guint8) g_random_int ();
  send_datagram (port, (const char *) garbage, sizeof garbage);
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      send_datagram (port, messages[i], strlen (messages[i]));
      g_free (messages[i]);
    }

  /* Still up, still answering, and the next real call works end to end. */
  helix_test_spin (1000);
  g_assert_true (helix_test_phone_is_running (fixture->phone));
  g_assert_true (helix_test_sip_ping (port, 5000));
  start_sipp (fixture, "uac-answered", TRUE, NULL);
  wait_for_statuses (fixture, "available ringing", 10000);
  helix_test_phone_action (fixture->phone, "answer", NULL);
  assert_sipp_succeeds (fixture, 20000);
  wait_for_statuses (fixture, "available ringing on_call available", 5000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/sip/inbound-answered", test_inbound_answered);
  g_test_add ("/sip/auto-answer", Fixture, "\"General\": { \"AutoAnswer\": true },",
              fixture_setup, test_auto_answer, fixture_teardown);
  ADD ("/sip/inbound-cancelled", test_inbound_cancelled);
  ADD ("/sip/inbound-rejected", test_inbound_rejected);
  ADD ("/sip/dnd-refuses-without-ringing", test_dnd_refuses_without_ringing);
  ADD ("/sip/outbound-answered", test_outbound_answered);
  ADD ("/sip/outbound-busy", test_outbound_busy);
  ADD ("/sip/local-hold-resume", test_local_hold_resume);
  ADD ("/sip/remote-hold", test_remote_hold);
  ADD ("/sip/dtmf-info", test_dtmf_info);
  ADD ("/sip/blind-transfer", test_blind_transfer);
  ADD ("/sip/dial-rejects-bad-target", test_dial_rejects_bad_target);
  ADD ("/sip/hostile-caller-id", test_hostile_caller_id);
  ADD ("/sip/malformed-sip", test_malformed_sip);

  return g_test_run ();
}

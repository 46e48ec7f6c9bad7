/* test-registration.c — helixphone against kamailio, baresip and itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside dbus-run-session.  kamailio is the registrar and proxy
 * (tests/kamailio/kamailio.cfg, digest users 1001..1003), baresip the
 * second softphone; a second helixphone on a private bus of its own is the
 * direct-mode peer.  Every case asserts the webhook sequence the phone
 * sent and what reached the registrar.
 */
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "helix-test-peers.h"
#include "helix-test-phone.h"
#include "helix-test-receiver.h"

#define CALL_TIMEOUT_MS 10000

typedef struct {
  HelixTestKamailio *kamailio;
  HelixTestReceiver *receiver;
  HelixTestPhone    *phone;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint max_expires = GPOINTER_TO_UINT (data);

  fixture->kamailio = helix_test_kamailio_start_full (max_expires, &error);
  g_assert_no_error (error);
  fixture->receiver = helix_test_receiver_new ();
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  if (fixture->phone != NULL && helix_test_phone_is_running (fixture->phone))
    g_assert_cmpint (helix_test_phone_quit (fixture->phone, 8000), ==, 0);
  g_clear_pointer (&fixture->phone, helix_test_phone_free);
  g_clear_pointer (&fixture->receiver, helix_test_receiver_free);
  g_clear_pointer (&fixture->kamailio, helix_test_kamailio_free);
}

/* A phone registered as 1001 to the fixture's kamailio. */
static void
start_phone (Fixture *fixture, const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = helix_test_receiver_url (fixture->receiver, "/status");
  g_autofree char *settings =
    g_strdup_printf ("{ \"Sip\": { \"Server\": \"127.0.0.1\", \"Port\": %u, \"Transport\": \"UDP\","
                     "             \"Username\": \"1001\", \"Password\": \"%s\" },"
                     "  \"Webhook\": { \"EndpointUrl\": \"%s\" } }",
                     fixture->kamailio->port, password, url);

  fixture->phone = helix_test_phone_start (settings, FALSE, &error);
  g_assert_no_error (error);
}

static void
expect_statuses (Fixture *fixture, const char *expected, guint timeout_ms)
{
  if (helix_test_receiver_wait_statuses (fixture->receiver, expected, timeout_ms))
    return;
  g_test_message ("phone stderr:\n%s", helix_test_phone_stderr (fixture->phone));
  g_test_message ("kamailio log: %s", fixture->kamailio->log_path);
  g_assert_not_reached ();
}

static void
expect_log (Fixture *fixture, const char *needle, guint count, guint timeout_ms)
{
  if (helix_test_kamailio_wait_log (fixture->kamailio, needle, count, timeout_ms))
    return;
  g_test_message ("phone stderr:\n%s", helix_test_phone_stderr (fixture->phone));
  g_test_message ("\"%s\" not %u times in %s", needle, count, fixture->kamailio->log_path);
  g_assert_not_reached ();
}

typedef struct {
  HelixTestPhone *phone;
  const char     *needle;
} StderrWait;

static gboolean
stderr_has (gpointer data)
{
  StderrWait *wait = data;

  return strstr (helix_test_phone_stderr (wait->phone), wait->needle) != NULL;
}

/* The phone's stderr reaches us through a pipe, a little after the
 * webhook that followed the same log line may have. */
static void
expect_stderr (Fixture *fixture, const char *needle)
{
  StderrWait wait = { fixture->phone, needle };

  if (helix_test_wait_until (stderr_has, &wait, 3000))
    return;
  g_test_message ("\"%s\" not in phone stderr:\n%s", needle, helix_test_phone_stderr (fixture->phone));
  g_assert_not_reached ();
}

static void
test_register_and_unregister (Fixture *fixture, gconstpointer data)
{
  start_phone (fixture, "secret1001");
  expect_statuses (fixture, "available", CALL_TIMEOUT_MS);
  /* Challenged once, answered once: the binding is saved for 300 s. */
  expect_log (fixture, "HELIX-SAVED user=1001 exp=300", 1, 2000);
  g_assert_cmpuint (helix_test_kamailio_log_count (fixture->kamailio,
                                                   "HELIX-REQ REGISTER from=1001 to=1001 exp=300 auth=yes"), ==, 1);
  expect_stderr (fixture, "Registered to 127.0.0.1 as 1001");

  g_assert_cmpint (helix_test_phone_quit (fixture->phone, 8000), ==, 0);
  /* Quitting removes the binding before the process goes. */
  expect_log (fixture, "HELIX-SAVED user=1001 exp=0", 1, 3000);
  g_assert_true (helix_test_receiver_wait_statuses (fixture->receiver, "available offline", 3000));
}

static void
test_wrong_password_backs_off (Fixture *fixture, gconstpointer data)
{
  guint attempts;

  start_phone (fixture, "not-the-password");
  /* Attempts at 0, 2 and 6 s: the third comes, the fourth (at 14 s) not yet. */
  expect_log (fixture, "HELIX-REQ REGISTER from=1001 to=1001 exp=300 auth=yes", 3, 9000);
  helix_test_spin (2000);
  attempts = helix_test_kamailio_log_count (fixture->kamailio,
                                            "HELIX-REQ REGISTER from=1001 to=1001 exp=300 auth=yes");
  g_assert_cmpuint (attempts, ==, 3);
  /* Each attempt answers the challenge once, never twice. */
  g_assert_cmpuint (helix_test_kamailio_log_count (fixture->kamailio, "HELIX-REQ REGISTER from=1001"),
                    ==, 2 * attempts);
  g_assert_cmpuint (helix_test_kamailio_log_count (fixture->kamailio, "HELIX-SAVED user=1001"), ==, 0);

  expect_stderr (fixture, "Wrong user name or password (401 Unauthorized); retrying in 2 s");
  expect_stderr (fixture, "retrying in 4 s");
  /* Never registered, so never "available"; the password is never logged. */
  g_assert_null (strstr (helix_test_phone_stderr (fixture->phone), "not-the-password"));
  {
    g_autofree char *statuses = helix_test_receiver_statuses (fixture->receiver);
    g_assert_null (strstr (statuses, "available"));
  }
}

static void
test_registrar_restart (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  start_phone (fixture, "secret1001");
  expect_statuses (fixture, "available", CALL_TIMEOUT_MS);

  /* The registrar grants 4 s: the phone's refresh finds it gone. */
  helix_test_kamailio_stop (fixture->kamailio);
  expect_statuses (fixture, "available offline", 15000);
  expect_stderr (fixture, "retrying in 2 s");

  g_assert_true (helix_test_kamailio_restart (fixture->kamailio, &error));
  g_assert_no_error (error);
  /* Back without anyone touching the phone, and reachable again. */
  expect_statuses (fixture, "available offline available", 20000);
  expect_log (fixture, "HELIX-SAVED user=1001", 2, 3000);
}

static HelixTestBaresip *
start_baresip (Fixture *fixture, const char *user, gboolean auto_answer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strconcat ("secret", user, NULL);
  HelixTestBaresip *baresip = helix_test_baresip_start (user, password, fixture->kamailio->port,
                                                        auto_answer, &error);

  g_assert_no_error (error);
  g_assert_true (helix_test_baresip_wait_registered (baresip, CALL_TIMEOUT_MS));
  return baresip;
}

static void
assert_call_events (Fixture    *fixture,
                    guint       first,
                    const char *direction,
                    const char *remote_number,
                    guint       min_duration)
{
  g_autoptr(GPtrArray) events = helix_test_receiver_status_events (fixture->receiver);
  JsonObject *ended = g_ptr_array_index (events, first + 2);
  const char *call_id = json_object_get_string_member (g_ptr_array_index (events, first), "call_id");

  g_assert_true (g_uuid_string_is_valid (call_id));
  for (guint i = first; i <= first + 2; i++)
    {
      JsonObject *event = g_ptr_array_index (events, i);

      g_assert_cmpstr (json_object_get_string_member (event, "call_id"), ==, call_id);
      g_assert_cmpstr (json_object_get_string_member (event, "remote_number"), ==, remote_number);
      g_assert_cmpstr (json_object_get_string_member (event, "extension"), ==, "1001");
      if (i < first + 2)
        g_assert_cmpstr (json_object_get_string_member (event, "direction"), ==, direction);
    }
  g_assert_true (json_object_get_null_member (ended, "direction"));
  g_assert_cmpint (json_object_get_int_member (ended, "duration"), >=, min_duration);
  g_assert_cmpint (json_object_get_int_member (ended, "duration"), <=, min_duration + 2);
}

static void
test_call_baresip_through_proxy (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixTestBaresip) baresip = start_baresip (fixture, "1002", TRUE);
  g_autofree char *closed = NULL;

  start_phone (fixture, "secret1001");
  expect_statuses (fixture, "available", CALL_TIMEOUT_MS);

  /* A bare number goes to the registrar's domain, via the proxy, which
   * challenges the INVITE first. */
  helix_test_phone_action (fixture->phone, "dial", "'1002'");
  expect_statuses (fixture, "available ringing on_call", CALL_TIMEOUT_MS);
  g_assert_nonnull (helix_test_baresip_wait_event (baresip, "CALL_ESTABLISHED", CALL_TIMEOUT_MS));
  expect_log (fixture, "HELIX-REQ INVITE from=1001 to=1002", 2, 2000);
  g_assert_true (helix_test_kamailio_log_contains (fixture->kamailio,
                                                   "HELIX-REQ INVITE from=1001 to=1002 ruri=sip:1002@127.0.0.1"));

  helix_test_spin (1100);
  helix_test_phone_action (fixture->phone, "hangup", NULL);
  closed = helix_test_baresip_wait_event (baresip, "CALL_CLOSED", CALL_TIMEOUT_MS);
  g_assert_nonnull (closed);
  expect_statuses (fixture, "available ringing on_call available", CALL_TIMEOUT_MS);
  expect_log (fixture, "HELIX-REQ BYE from=1001 to=1002", 1, 2000);
  assert_call_events (fixture, 1, "outbound", "1002", 1);
}

static void
test_call_from_baresip_through_proxy (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixTestBaresip) baresip = start_baresip (fixture, "1003", FALSE);
  g_autofree char *target = helix_test_kamailio_uri (fixture->kamailio, "1001");
  g_autofree char *reply = NULL;

  start_phone (fixture, "secret1001");
  expect_statuses (fixture, "available", CALL_TIMEOUT_MS);

  reply = helix_test_baresip_command (baresip, "dial", target, &error);
  g_assert_no_error (error);
  expect_statuses (fixture, "available ringing", CALL_TIMEOUT_MS);
  g_assert_nonnull (helix_test_baresip_wait_event (baresip, "CALL_RINGING", CALL_TIMEOUT_MS));

  helix_test_phone_action (fixture->phone, "answer", NULL);
  expect_statuses (fixture, "available ringing on_call", CALL_TIMEOUT_MS);
  g_assert_nonnull (helix_test_baresip_wait_event (baresip, "CALL_ESTABLISHED", CALL_TIMEOUT_MS));

  helix_test_spin (2100);
  g_clear_pointer (&reply, g_free);
  reply = helix_test_baresip_command (baresip, "hangup", NULL, &error);
  g_assert_no_error (error);
  expect_statuses (fixture, "available ringing on_call available", CALL_TIMEOUT_MS);
  expect_log (fixture, "HELIX-REQ BYE from=1003 to=1001", 1, 2000);
  assert_call_events (fixture, 1, "inbound", "1003", 2);
}

/* Two helixphones, no registrar: each on a private bus and a port of its own. */
static void
test_two_phones_direct (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixTestReceiver) receiver_a = helix_test_receiver_new ();
  g_autoptr(HelixTestReceiver) receiver_b = helix_test_receiver_new ();
  g_autoptr(HelixTestPhone) phone_a = NULL;
  g_autoptr(HelixTestPhone) phone_b = NULL;
  guint16 port_a = helix_test_free_udp_port ();
  guint16 port_b = helix_test_free_udp_port ();
  g_autofree char *url_a = helix_test_receiver_url (receiver_a, "/a");
  g_autofree char *url_b = helix_test_receiver_url (receiver_b, "/b");
  g_autofree char *settings_a = g_strdup_printf ("{ \"Sip\": { \"Username\": \"2001\", \"Port\": %u },"
                                                 "  \"Webhook\": { \"EndpointUrl\": \"%s\" } }", port_a, url_a);
  g_autofree char *settings_b = g_strdup_printf ("{ \"Sip\": { \"Username\": \"2002\", \"Port\": %u },"
                                                 "  \"Webhook\": { \"EndpointUrl\": \"%s\" } }", port_b, url_b);
  g_autofree char *uri_b = g_strdup_printf ("sip:2002@127.0.0.1:%u", port_b);
  g_autofree char *target = helix_test_action_string (uri_b);
  g_autoptr(JsonObject) ringing_a = NULL;
  g_autoptr(JsonObject) ringing_b = NULL;
  g_autoptr(JsonObject) ended_a = NULL;
  g_autoptr(JsonObject) ended_b = NULL;

  phone_a = helix_test_phone_start (settings_a, TRUE, &error);
  g_assert_no_error (error);
  phone_b = helix_test_phone_start (settings_b, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (helix_test_sip_ping (port_a, CALL_TIMEOUT_MS));
  g_assert_true (helix_test_sip_ping (port_b, CALL_TIMEOUT_MS));
  g_assert_true (helix_test_receiver_wait_statuses (receiver_a, "available", CALL_TIMEOUT_MS));
  g_assert_true (helix_test_receiver_wait_statuses (receiver_b, "available", CALL_TIMEOUT_MS));

  helix_test_phone_action (phone_a, "dial", target);
  g_assert_true (helix_test_receiver_wait_statuses (receiver_a, "available ringing", CALL_TIMEOUT_MS));
  g_assert_true (helix_test_receiver_wait_statuses (receiver_b, "available ringing", CALL_TIMEOUT_MS));

  helix_test_phone_action (phone_b, "answer", NULL);
  g_assert_true (helix_test_receiver_wait_statuses (receiver_a, "available ringing on_call", CALL_TIMEOUT_MS));
  g_assert_true (helix_test_receiver_wait_statuses (receiver_b, "available ringing on_call", CALL_TIMEOUT_MS));

  helix_test_spin (1100);
  helix_test_phone_action (phone_a, "hangup", NULL);
  g_assert_true (helix_test_receiver_wait_statuses (receiver_a, "available ringing on_call available",
                                                    CALL_TIMEOUT_MS));
  g_assert_true (helix_test_receiver_wait_statuses (receiver_b, "available ringing on_call available",
                                                    CALL_TIMEOUT_MS));

  /* Each side names the other, and each has a call_id of its own. */
  ringing_a = helix_test_receiver_status_event (receiver_a, 1);
  ringing_b = helix_test_receiver_status_event (receiver_b, 1);
  g_assert_cmpstr (json_object_get_string_member (ringing_a, "direction"), ==, "outbound");
  g_assert_cmpstr (json_object_get_string_member (ringing_a, "remote_number"), ==, "2002");
  g_assert_cmpstr (json_object_get_string_member (ringing_a, "extension"), ==, "2001");
  g_assert_cmpstr (json_object_get_string_member (ringing_b, "direction"), ==, "inbound");
  g_assert_cmpstr (json_object_get_string_member (ringing_b, "remote_number"), ==, "2001");
  g_assert_cmpstr (json_object_get_string_member (ringing_b, "extension"), ==, "2002");
  g_assert_cmpstr (json_object_get_string_member (ringing_a, "call_id"), !=,
                   json_object_get_string_member (ringing_b, "call_id"));
  ended_a = helix_test_receiver_status_event (receiver_a, 3);
  ended_b = helix_test_receiver_status_event (receiver_b, 3);
  g_assert_cmpint (json_object_get_int_member (ended_a, "duration"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (ended_a, "duration"), <=, 2);
  g_assert_cmpint (json_object_get_int_member (ended_b, "duration"), ==,
                   json_object_get_int_member (ended_a, "duration"));

  g_assert_cmpint (helix_test_phone_quit (phone_a, 8000), ==, 0);
  g_assert_cmpint (helix_test_phone_quit (phone_b, 8000), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

#define ADD(path, max_expires, func) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (max_expires), fixture_setup, func, fixture_teardown)

  ADD ("/registration/register-and-unregister", 0, test_register_and_unregister);
  ADD ("/registration/wrong-password-backs-off", 0, test_wrong_password_backs_off);
  ADD ("/registration/registrar-restart", 4, test_registrar_restart);
  ADD ("/registration/call-baresip-through-proxy", 0, test_call_baresip_through_proxy);
  ADD ("/registration/call-from-baresip-through-proxy", 0, test_call_from_baresip_through_proxy);
  g_test_add_func ("/registration/two-phones-direct", test_two_phones_direct);

  return g_test_run ();
}

/* test-transport.c — Sip.Transport TCP and TLS against kamailio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside dbus-run-session.  kamailio (tests/kamailio/kamailio.cfg)
 * logs the transport every request came in on (src=udp|tcp|tls:…), so
 * each case asserts what the phone really used, not what it was told to.
 * For TLS the test makes a CA of its own: trusted through
 * HELIXPHONE_SIP_CA_FILE the phone registers; left to the system's CAs it
 * must refuse the server and say why.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "helix-sip-agent.h"
#include "helix-test-peers.h"
#include "helix-test-phone.h"
#include "helix-test-receiver.h"

#define TIMEOUT_MS 10000
#define UNTRUSTED "The server's TLS certificate is not trusted: it is not signed by a trusted authority"

typedef struct {
  HelixTestCertificates *certificates;
  HelixTestKamailio     *kamailio;
  HelixTestReceiver     *receiver;
  HelixTestPhone        *phone;
  char                  *cache_dir;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gboolean tls = GPOINTER_TO_INT (data);

  if (tls)
    {
      fixture->certificates = helix_test_certificates_new (&error);
      g_assert_no_error (error);
      fixture->kamailio = helix_test_kamailio_start_tls (fixture->certificates, &error);
      g_assert_cmpuint (fixture->kamailio != NULL ? fixture->kamailio->tls_port : 1, !=, 0);
    }
  else
    fixture->kamailio = helix_test_kamailio_start (&error);
  g_assert_no_error (error);
  fixture->receiver = helix_test_receiver_new ();
  /* The phone's TLS trust directory goes here, not into ~/.cache. */
  fixture->cache_dir = g_dir_make_tmp ("helix-transport-cache-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  if (fixture->phone != NULL && helix_test_phone_is_running (fixture->phone))
    g_assert_cmpint (helix_test_phone_quit (fixture->phone, 8000), ==, 0);
  g_clear_pointer (&fixture->phone, helix_test_phone_free);
  g_clear_pointer (&fixture->receiver, helix_test_receiver_free);
  g_clear_pointer (&fixture->kamailio, helix_test_kamailio_free);
  g_clear_pointer (&fixture->certificates, helix_test_certificates_free);
  /* Certificates are public; the CA's key is gone with its dir. */
  if (fixture->cache_dir != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                                                    "rm", "-rf", fixture->cache_dir, NULL);

      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (rm, NULL, &error));
    }
  g_clear_pointer (&fixture->cache_dir, g_free);
}

/* A phone registering as 1001 over @transport; @ca_file, when set, is the
 * only CA it trusts for TLS. */
static void
start_phone (Fixture *fixture, const char *transport, const char *ca_file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = helix_test_receiver_url (fixture->receiver, "/status");
  guint port = g_str_equal (transport, "TLS") ? fixture->kamailio->tls_port : fixture->kamailio->port;
  g_autofree char *settings =
    g_strdup_printf ("{ \"Sip\": { \"Server\": \"127.0.0.1\", \"Port\": %u, \"Transport\": \"%s\","
                     "             \"Username\": \"1001\", \"Password\": \"secret1001\" },"
                     "  \"Webhook\": { \"EndpointUrl\": \"%s\" } }",
                     port, transport, url);
  g_autofree char *cache = g_strconcat ("XDG_CACHE_HOME=", fixture->cache_dir, NULL);
  g_autofree char *trust = ca_file != NULL ? g_strconcat ("HELIXPHONE_SIP_CA_FILE=", ca_file, NULL) : NULL;
  /* Without a CA file of its own the phone must fall back to the system's
   * bundle, whatever the test's environment says. */
  const char *env[] = { cache, trust != NULL ? trust : "HELIXPHONE_SIP_CA_FILE=", "SSL_CERT_FILE=", NULL };

  fixture->phone = helix_test_phone_start_full (settings, FALSE, env, &error);
  g_assert_no_error (error);
}

static void
dump_and_fail (Fixture *fixture, const char *what)
{
  g_test_message ("%s", what);
  g_test_message ("phone stderr:\n%s", helix_test_phone_stderr (fixture->phone));
  g_test_message ("kamailio log: %s", fixture->kamailio->log_path);
  g_assert_not_reached ();
}

static void
expect_statuses (Fixture *fixture, const char *expected, guint timeout_ms)
{
  g_autofree char *what = g_strdup_printf ("webhook statuses are not \"%s\"", expected);

  if (!helix_test_receiver_wait_statuses (fixture->receiver, expected, timeout_ms))
    dump_and_fail (fixture, what);
}

/* Lines of kamailio's log that contain both @needle and @transport ("src=tcp:"). */
static guint
count_lines (Fixture *fixture, const char *needle, const char *transport)
{
  g_autofree char *log = helix_test_kamailio_log (fixture->kamailio);
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  guint count = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    count += strstr (lines[i], needle) != NULL && (transport == NULL || strstr (lines[i], transport) != NULL);
  return count;
}

/* Every @needle request so far came over @transport, and at least @count did. */
static void
expect_requests_over (Fixture *fixture, const char *needle, guint count, const char *transport)
{
  g_autofree char *what = g_strdup_printf ("not %u \"%s\" requests, all over %s", count, needle, transport);

  if (!helix_test_kamailio_wait_log (fixture->kamailio, needle, count, 3000))
    dump_and_fail (fixture, what);
  if (count_lines (fixture, needle, transport) != count_lines (fixture, needle, NULL))
    dump_and_fail (fixture, what);
}

/* kamailio's workers log asynchronously: the saved binding may come a
 * little after the REGISTER lines and the phone's "Registered". */
static void
expect_one_binding (Fixture *fixture)
{
  if (!helix_test_kamailio_wait_log (fixture->kamailio, "HELIX-SAVED user=1001 exp=300", 1, 3000))
    dump_and_fail (fixture, "no binding saved for 1001");
  g_assert_cmpuint (count_lines (fixture, "HELIX-SAVED user=1001 exp=300", NULL), ==, 1);
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

static void
expect_stderr (Fixture *fixture, const char *needle, guint timeout_ms)
{
  StderrWait wait = { fixture->phone, needle };
  g_autofree char *what = g_strdup_printf ("\"%s\" not in the phone's stderr", needle);

  if (!helix_test_wait_until (stderr_has, &wait, timeout_ms))
    dump_and_fail (fixture, what);
}

static void
test_tcp_register_and_call (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixTestBaresip) baresip = helix_test_baresip_start ("1002", "secret1002", fixture->kamailio->port,
                                                                  TRUE, &error);
  g_autoptr(GPtrArray) events = NULL;

  g_assert_no_error (error);
  g_assert_true (helix_test_baresip_wait_registered (baresip, TIMEOUT_MS));

  start_phone (fixture, "TCP", NULL);
  expect_statuses (fixture, "available", TIMEOUT_MS);
  /* Challenged and answered, both over TCP. */
  expect_requests_over (fixture, "HELIX-REQ REGISTER from=1001", 2, "src=tcp:");
  expect_one_binding (fixture);

  /* Through the proxy to baresip, which answers at once. */
  helix_test_phone_action (fixture->phone, "dial", "'1002'");
  expect_statuses (fixture, "available ringing on_call", TIMEOUT_MS);
  g_assert_nonnull (helix_test_baresip_wait_event (baresip, "CALL_ESTABLISHED", TIMEOUT_MS));
  expect_requests_over (fixture, "HELIX-REQ INVITE from=1001 to=1002", 2, "src=tcp:");
  g_assert_cmpuint (count_lines (fixture, "HELIX-REQ INVITE from=1001 to=1002 ruri=sip:1002@127.0.0.1", NULL),
                    >=, 1);

  helix_test_spin (1100);
  helix_test_phone_action (fixture->phone, "hangup", NULL);
  g_assert_nonnull (helix_test_baresip_wait_event (baresip, "CALL_CLOSED", TIMEOUT_MS));
  expect_statuses (fixture, "available ringing on_call available", TIMEOUT_MS);
  expect_requests_over (fixture, "HELIX-REQ BYE from=1001 to=1002", 1, "src=tcp:");

  events = helix_test_receiver_status_events (fixture->receiver);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (events, 1), "direction"), ==, "outbound");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (events, 1), "remote_number"), ==, "1002");
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (events, 3), "duration"), >=, 1);

  /* The un-REGISTER on quit takes the same connection's transport. */
  g_assert_cmpint (helix_test_phone_quit (fixture->phone, 8000), ==, 0);
  expect_requests_over (fixture, "HELIX-REQ REGISTER from=1001 to=1001 exp=0", 1, "src=tcp:");
}

static void
test_tls_trusted_ca (Fixture *fixture, gconstpointer data)
{
  start_phone (fixture, "TLS", fixture->certificates->ca_file);
  expect_statuses (fixture, "available", TIMEOUT_MS);
  expect_stderr (fixture, "Registered to 127.0.0.1 as 1001", 3000);
  expect_requests_over (fixture, "HELIX-REQ REGISTER from=1001", 2, "src=tls:");
  expect_one_binding (fixture);
  g_assert_null (strstr (helix_test_phone_stderr (fixture->phone), "not trusted"));

  g_assert_cmpint (helix_test_phone_quit (fixture->phone, 8000), ==, 0);
  expect_requests_over (fixture, "HELIX-REQ REGISTER from=1001 to=1001 exp=0", 1, "src=tls:");
  expect_statuses (fixture, "available offline", 3000);
}

static void
test_tls_untrusted_ca (Fixture *fixture, gconstpointer data)
{
  g_autofree char *statuses = NULL;

  /* The system's CAs know nothing of the test CA. */
  start_phone (fixture, "TLS", NULL);
  expect_stderr (fixture, "Registration to 127.0.0.1 failed: " UNTRUSTED, TIMEOUT_MS);
  expect_stderr (fixture, "(to trust a private CA, set HELIXPHONE_SIP_CA_FILE); retrying in 2 s", 1000);
  /* Backing off: the second attempt 2 s later, the third 4 s after that. */
  expect_stderr (fixture, UNTRUSTED " (to trust a private CA, set HELIXPHONE_SIP_CA_FILE); retrying in 4 s", 4000);
  g_assert_null (strstr (helix_test_phone_stderr (fixture->phone), "retrying in 8 s"));

  /* Nothing was sent over a connection to a server that was not trusted. */
  g_assert_cmpuint (count_lines (fixture, "HELIX-REQ REGISTER", NULL), ==, 0);
  statuses = helix_test_receiver_statuses (fixture->receiver);
  g_assert_null (strstr (statuses, "available"));
  g_assert_true (helix_test_phone_is_running (fixture->phone));
}

static gboolean
agent_registered (gpointer data)
{
  return helix_sip_agent_get_registration_state (data) == HELIX_REGISTRATION_REGISTERED;
}

/* The agent in this process: UDP first, then Sip.Transport changed to TLS
 * while it runs, which needs a user agent with a TLS transport. */
static void
test_switch_to_tls_live (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixSipAgent) agent = helix_sip_agent_new ();
  g_autoptr(GError) error = NULL;

  /* Read by the agent when it sets TLS up, not before. */
  g_setenv ("HELIXPHONE_SIP_CA_FILE", fixture->certificates->ca_file, TRUE);

  helix_sip_agent_configure (agent, "127.0.0.1", fixture->kamailio->port, "UDP", "1001", "secret1001", TRUE);
  g_assert_true (helix_sip_agent_start (agent, &error));
  g_assert_no_error (error);
  g_assert_true (helix_test_wait_until (agent_registered, agent, TIMEOUT_MS));
  expect_one_binding (fixture);
  g_assert_cmpuint (count_lines (fixture, "HELIX-REQ REGISTER from=1001", "src=udp:"), ==, 2);

  helix_sip_agent_configure (agent, "127.0.0.1", fixture->kamailio->tls_port, "TLS", "1001", "secret1001", TRUE);
  g_assert_true (helix_test_wait_until (agent_registered, agent, TIMEOUT_MS));
  g_assert_true (helix_test_kamailio_wait_log (fixture->kamailio, "HELIX-SAVED user=1001 exp=300", 2, 3000));
  g_assert_cmpuint (count_lines (fixture, "HELIX-REQ REGISTER from=1001 to=1001 exp=300", "src=tls:"), ==, 2);

  helix_sip_agent_shutdown (agent, 3000);
  g_assert_true (helix_test_kamailio_wait_log (fixture->kamailio, "HELIX-SAVED user=1001 exp=0", 1, 3000));
  g_unsetenv ("HELIXPHONE_SIP_CA_FILE");
}

int
main (int argc, char **argv)
{
  g_autofree char *cache_dir = g_dir_make_tmp ("helix-transport-agent-cache-XXXXXX", NULL);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", cache_dir);
  int status;

  /* The agent in this process keeps its TLS directory here: GLib reads
   * XDG_CACHE_HOME once, so it is set before anything can. */
  g_assert_nonnull (cache_dir);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

#define ADD(path, tls, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (tls), fixture_setup, func, fixture_teardown)

  ADD ("/transport/tcp-register-and-call", FALSE, test_tcp_register_and_call);
  ADD ("/transport/tls-trusted-ca", TRUE, test_tls_trusted_ca);
  ADD ("/transport/tls-untrusted-ca", TRUE, test_tls_untrusted_ca);
  ADD ("/transport/switch-to-tls-live", TRUE, test_switch_to_tls_live);

  status = g_test_run ();
  g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
  return status;
}

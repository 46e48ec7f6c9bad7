/* test-peers.c — the SIP peer harness works on its own, without HelixPhone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * If these fail, a failing phone test says nothing about the phone: the
 * registrar, the SIPp scenarios or baresip are broken on this machine.
 */
#include <string.h>

#include "helix-test-peers.h"

#define SIPP_WAIT_MS 30000

typedef struct {
  HelixTestKamailio *kamailio;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->kamailio = helix_test_kamailio_start (&error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->kamailio);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->kamailio, helix_test_kamailio_free);
}

static char *
registrar (Fixture *fixture)
{
  return g_strdup_printf ("127.0.0.1:%u", fixture->kamailio->port);
}

/* Runs one SIPp scenario to the end and returns its exit status; what
 * SIPp saw is printed when that is not @expected. */
static int
run_sipp (const char *scenario, const char *remote, const char * const *args, int expected,
          HelixTestSipp **out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixTestSipp) sipp = helix_test_sipp_start (scenario, remote, 0, args, &error);
  int status = -1;

  g_assert_no_error (error);
  g_assert_true (helix_test_sipp_wait (sipp, SIPP_WAIT_MS, &status));
  if (status != expected)
    {
      g_autofree char *errors = helix_test_sipp_errors (sipp);
      g_autofree char *messages = helix_test_sipp_messages (sipp);

      g_test_message ("%s: SIPp errors:\n%s\nmessages:\n%s", scenario, errors, messages);
    }
  if (out != NULL)
    *out = g_steal_pointer (&sipp);
  return status;
}

static void
test_free_ports (void)
{
  guint16 a = helix_test_free_udp_port ();
  guint16 b = helix_test_free_port_range (4);

  g_assert_cmpuint (a, >, 0);
  g_assert_cmpuint (b, >, 0);
  g_assert_cmpuint (b, <=, 65532);
}

static void
test_kamailio_options (Fixture *fixture, gconstpointer data)
{
  g_assert_true (helix_test_sip_ping (fixture->kamailio->port, 2000));
  g_assert_true (helix_test_kamailio_wait_log (fixture->kamailio, "HELIX-REQ OPTIONS", 1, 2000));
  /* Nothing listens on a port kamailio was not given. */
  g_assert_false (helix_test_sip_ping (helix_test_free_udp_port (), 300));
}

static void
test_sipp_register (Fixture *fixture, gconstpointer data)
{
  g_autofree char *remote = registrar (fixture);
  const char *args[] = { "-s", "1002", "-ap", "secret1002", NULL };

  g_assert_cmpint (run_sipp ("uac-register", remote, args, 0, NULL), ==, 0);
  g_assert_true (helix_test_kamailio_wait_log (fixture->kamailio, "HELIX-SAVED user=1002 exp=300", 1, 2000));
  g_assert_cmpuint (helix_test_kamailio_log_count (fixture->kamailio,
                                                   "HELIX-REQ REGISTER from=1002 to=1002 exp=300 auth=no"), ==, 1);
}

/* The phone may register over TCP: kamailio listens on the same port. */
static void
test_sipp_register_tcp (Fixture *fixture, gconstpointer data)
{
  g_autofree char *remote = registrar (fixture);
  const char *args[] = { "-t", "t1", "-s", "1001", "-ap", "secret1001", NULL };

  g_assert_cmpint (run_sipp ("uac-register", remote, args, 0, NULL), ==, 0);
  g_assert_true (helix_test_kamailio_wait_log (fixture->kamailio, "src=tcp:127.0.0.1:", 1, 2000));
  g_assert_true (helix_test_kamailio_wait_log (fixture->kamailio, "HELIX-SAVED user=1001", 1, 2000));
}

static void
test_sipp_unregister (Fixture *fixture, gconstpointer data)
{
  g_autofree char *remote = registrar (fixture);
  const char *args[] = { "-s", "1003", "-ap", "secret1003", NULL };

  g_assert_cmpint (run_sipp ("uac-register-unregister", remote, args, 0, NULL), ==, 0);
  g_assert_true (helix_test_kamailio_wait_log (fixture->kamailio, "HELIX-SAVED user=1003 exp=0", 1, 2000));
  g_assert_true (helix_test_kamailio_log_contains (fixture->kamailio,
                                                   "HELIX-REQ REGISTER from=1003 to=1003 exp=0 auth=yes"));
}

static void
test_sipp_wrong_password (Fixture *fixture, gconstpointer data)
{
  g_autofree char *remote = registrar (fixture);
  const char *args[] = { "-s", "1002", "-ap", "not-the-password", NULL };
  g_autoptr(HelixTestSipp) sipp = NULL;
  g_autofree char *messages = NULL;

  g_assert_cmpint (run_sipp ("uac-register", remote, args, 1, &sipp), ==, 1);
  messages = helix_test_sipp_messages (sipp);
  g_assert_nonnull (strstr (messages, "realm=\"" HELIX_TEST_REALM "\""));
  g_assert_false (helix_test_kamailio_log_contains (fixture->kamailio, "HELIX-SAVED"));
}

/* A call to a provisioned user with no binding is refused with 480. */
static void
test_sipp_unregistered_user (Fixture *fixture, gconstpointer data)
{
  g_autofree char *remote = registrar (fixture);
  const char *args[] = { "-s", "1003", NULL };

  g_assert_cmpint (run_sipp ("uac-busy-expected", remote, args, 0, NULL), ==, 0);
  g_assert_true (helix_test_kamailio_log_contains (fixture->kamailio, "HELIX-REQ INVITE from=sipp to=1003"));
}

static void
test_kamailio_restart (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *remote = registrar (fixture);
  const char *args[] = { "-s", "1001", "-ap", "secret1001", NULL };
  guint16 port = fixture->kamailio->port;

  g_assert_cmpint (run_sipp ("uac-register", remote, args, 0, NULL), ==, 0);

  helix_test_kamailio_stop (fixture->kamailio);
  g_assert_false (helix_test_sip_ping (port, 300));

  g_assert_true (helix_test_kamailio_restart (fixture->kamailio, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->kamailio->port, ==, port);
  g_assert_true (helix_test_sip_ping (port, 2000));
  g_assert_cmpint (run_sipp ("uac-register", remote, args, 0, NULL), ==, 0);
  /* One log across both runs. */
  g_assert_true (helix_test_kamailio_wait_log (fixture->kamailio, "HELIX-SAVED user=1001", 2, 2000));
}

static HelixTestBaresip *
start_registered_baresip (Fixture *fixture, const char *user, gboolean auto_answer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strconcat ("secret", user, NULL);
  HelixTestBaresip *baresip = helix_test_baresip_start (user, password, fixture->kamailio->port,
                                                        auto_answer, &error);

  g_assert_no_error (error);
  g_assert_true (helix_test_baresip_wait_registered (baresip, 10000));
  return baresip;
}

static void
test_baresip_register (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixTestBaresip) baresip = start_registered_baresip (fixture, "1002", TRUE);
  g_autofree char *needle = g_strdup_printf ("127.0.0.1:%u", helix_test_baresip_sip_port (baresip));

  g_assert_true (helix_test_kamailio_wait_log (fixture->kamailio, "HELIX-SAVED user=1002 exp=600", 1, 2000));
  g_assert_true (helix_test_kamailio_log_contains (fixture->kamailio, needle));

  /* Leaving un-REGISTERs, which is what the phone tests look for. */
  g_clear_pointer (&baresip, helix_test_baresip_free);
  g_assert_true (helix_test_kamailio_wait_log (fixture->kamailio, "HELIX-SAVED user=1002 exp=0", 1, 3000));
}

static void
test_baresip_call (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixTestBaresip) caller = start_registered_baresip (fixture, "1002", FALSE);
  g_autoptr(HelixTestBaresip) callee = start_registered_baresip (fixture, "1003", TRUE);
  g_autofree char *target = helix_test_kamailio_uri (fixture->kamailio, "1003");
  g_autofree char *reply = NULL;
  g_autofree char *established = NULL;
  g_autofree char *incoming = NULL;
  g_autofree char *closed = NULL;
  g_autofree char *other_closed = NULL;

  reply = helix_test_baresip_command (caller, "dial", target, &error);
  g_assert_no_error (error);

  established = helix_test_baresip_wait_event (caller, "CALL_ESTABLISHED", 10000);
  g_assert_nonnull (established);
  g_assert_nonnull (strstr (established, "\"direction\":\"outgoing\""));
  incoming = helix_test_baresip_wait_event (callee, "CALL_ESTABLISHED", 10000);
  g_assert_nonnull (incoming);
  g_assert_nonnull (strstr (incoming, "\"direction\":\"incoming\""));
  g_assert_true (helix_test_kamailio_log_contains (fixture->kamailio, "HELIX-REQ INVITE from=1002 to=1003"));

  g_clear_pointer (&reply, g_free);
  reply = helix_test_baresip_command (caller, "hangup", NULL, &error);
  g_assert_no_error (error);
  closed = helix_test_baresip_wait_event (caller, "CALL_CLOSED", 10000);
  g_assert_nonnull (closed);
  other_closed = helix_test_baresip_wait_event (callee, "CALL_CLOSED", 10000);
  g_assert_nonnull (other_closed);
  /* The BYE went through the proxy: record_route worked. */
  g_assert_true (helix_test_kamailio_wait_log (fixture->kamailio, "HELIX-REQ BYE from=1002 to=1003", 1, 2000));
}

/* CANCEL, the 487 and its ACK all cross the proxy to a ringing baresip. */
static void
test_cancel_through_proxy (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixTestBaresip) callee = start_registered_baresip (fixture, "1003", FALSE);
  g_autofree char *remote = registrar (fixture);
  const char *args[] = { "-s", "1003", NULL };
  g_autofree char *incoming = NULL;
  g_autofree char *closed = NULL;

  g_assert_cmpint (run_sipp ("uac-cancel", remote, args, 0, NULL), ==, 0);
  incoming = helix_test_baresip_wait_event (callee, "CALL_INCOMING", 2000);
  g_assert_nonnull (incoming);
  closed = helix_test_baresip_wait_event (callee, "CALL_CLOSED", 5000);
  g_assert_nonnull (closed);
  g_assert_cmpuint (helix_test_baresip_event_count (callee, "CALL_ESTABLISHED"), ==, 0);
  g_assert_true (helix_test_kamailio_log_contains (fixture->kamailio, "HELIX-REQ CANCEL from=sipp to=1003"));
  g_assert_true (helix_test_kamailio_wait_log (fixture->kamailio, "HELIX-REPLY 487", 1, 2000));
}

/* Direct mode: no registrar, baresip called at its own address. */
static void
test_baresip_direct (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixTestBaresip) caller = helix_test_baresip_start ("1002", NULL, 0, FALSE, &error);
  g_autoptr(HelixTestBaresip) callee = NULL;
  g_autofree char *target = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *ringing = NULL;
  g_autofree char *established = NULL;
  g_autofree char *closed = NULL;

  g_assert_no_error (error);
  callee = helix_test_baresip_start ("1003", NULL, 0, FALSE, &error);
  g_assert_no_error (error);
  target = helix_test_baresip_uri (callee);

  reply = helix_test_baresip_command (caller, "dial", target, &error);
  g_assert_no_error (error);
  ringing = helix_test_baresip_wait_event (caller, "CALL_RINGING", 5000);
  g_assert_nonnull (ringing);
  g_clear_pointer (&reply, g_free);
  /* Manual answer mode: the callee rings until told to accept. */
  g_assert_nonnull (helix_test_baresip_wait_event (callee, "CALL_INCOMING", 5000));
  reply = helix_test_baresip_command (callee, "accept", NULL, &error);
  g_assert_no_error (error);
  established = helix_test_baresip_wait_event (caller, "CALL_ESTABLISHED", 5000);
  g_assert_nonnull (established);

  g_clear_pointer (&reply, g_free);
  reply = helix_test_baresip_command (callee, "hangup", NULL, &error);
  g_assert_no_error (error);
  closed = helix_test_baresip_wait_event (caller, "CALL_CLOSED", 5000);
  g_assert_nonnull (closed);
}

typedef struct {
  const char *uas;
  const char *uac;
  const char *expect_in_uac_trace;
} Pair;

/* The UAS and UAC scenarios used against the phone also fit each other. */
static void
test_sipp_pair (gconstpointer data)
{
  const Pair *pair = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixTestSipp) uas = helix_test_sipp_start (pair->uas, NULL, 0, NULL, &error);
  g_autoptr(HelixTestSipp) uac = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *messages = NULL;
  int status = -1;

  g_assert_no_error (error);
  remote = g_strdup_printf ("127.0.0.1:%u", helix_test_sipp_port (uas));
  /* The UAS binds quickly; a lost first INVITE is retransmitted anyway. */
  uac = helix_test_sipp_start (pair->uac, remote, 0, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (helix_test_sipp_wait (uac, SIPP_WAIT_MS, &status));
  g_assert_cmpint (status, ==, 0);
  g_assert_true (helix_test_sipp_wait (uas, SIPP_WAIT_MS, &status));
  g_assert_cmpint (status, ==, 0);

  messages = helix_test_sipp_messages (uac);
  g_assert_nonnull (strstr (messages, pair->expect_in_uac_trace));
}

int
main (int argc, char *argv[])
{
  static const Pair pairs[] = {
    { "uas-answer", "uac-answered", "telephone-event/8000" },
    { "uas-busy", "uac-busy-expected", "SIP/2.0 486 Busy Here" },
    { "uas-hold", "uac-remote-hold", "a=recvonly" },
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/peers/free-ports", test_free_ports);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/peers/kamailio/options", test_kamailio_options);
  ADD ("/peers/kamailio/restart", test_kamailio_restart);
  ADD ("/peers/sipp/register", test_sipp_register);
  ADD ("/peers/sipp/register-tcp", test_sipp_register_tcp);
  ADD ("/peers/sipp/unregister", test_sipp_unregister);
  ADD ("/peers/sipp/wrong-password", test_sipp_wrong_password);
  ADD ("/peers/sipp/unregistered-user", test_sipp_unregistered_user);
  ADD ("/peers/baresip/register", test_baresip_register);
  ADD ("/peers/baresip/call", test_baresip_call);
  ADD ("/peers/baresip/cancel-through-proxy", test_cancel_through_proxy);
#undef ADD
  g_test_add_func ("/peers/baresip/direct", test_baresip_direct);
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/peers/sipp/pair/%s", pairs[i].uas);

      g_test_add_data_func (path, &pairs[i], test_sipp_pair);
    }

  return g_test_run ();
}

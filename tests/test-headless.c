/* test-headless.c — the real helixphone binary, driven over a private D-Bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside dbus-run-session (see meson.build).  Each case starts
 * `helixphone --headless --config <tmp>`, drives it the way an integrator or
 * the tray would (gapplication action, org.gtk.Actions.SetState) and checks
 * what a real SoupServer receiver saw.
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <json-glib/json-glib.h>

#include "helix-test-receiver.h"

#define APP_ID "com.helixphone.HelixPhone"

typedef struct {
  HelixTestReceiver *receiver;
  char              *dir;
  char              *config;
  GSubprocess       *phone;
  char              *phone_stderr;
  gboolean           exited;
} Fixture;

static const char *
helixphone_bin (void)
{
  const char *bin = g_getenv ("HELIXPHONE_BIN");

  g_assert_nonnull (bin);
  return bin;
}

static void
write_config (Fixture *fixture, const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (fixture->config, contents, -1, &error);
  g_assert_no_error (error);
}

static void
write_default_config (Fixture *fixture, guint heartbeat)
{
  g_autofree char *url = helix_test_receiver_url (fixture->receiver, "/status");
  g_autofree char *json = g_strdup_printf (
      "{\n"
      "  \"Sip\": { \"Username\": \"1001\", \"Password\": \"secret\" },\n"
      "  \"Webhook\": { \"EndpointUrl\": \"%s\", \"ApiKey\": \"hook-key\",\n"
      "               \"HeartbeatIntervalSeconds\": %u },\n"
      "  \"Custom\": { \"KeepMe\": true }\n"
      "}\n", url, heartbeat);

  write_config (fixture, json);
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->receiver = helix_test_receiver_new ();
  fixture->dir = g_dir_make_tmp ("helix-headless-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->config = g_build_filename (fixture->dir, "settings.json", NULL);
}

static void
on_phone_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *fixture = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL,
                                        &fixture->phone_stderr, NULL);
  fixture->exited = TRUE;
}

static void
start_phone (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->exited = FALSE;
  g_clear_pointer (&fixture->phone_stderr, g_free);
  fixture->phone = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                     &error, helixphone_bin (), "--headless",
                                     "--config", fixture->config, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (fixture->phone, NULL, NULL, on_phone_exited, fixture);
}

static gboolean
wait_for_exit (Fixture *fixture, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (!fixture->exited && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }

  return fixture->exited;
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  if (fixture->phone != NULL && !fixture->exited)
    {
      g_subprocess_force_exit (fixture->phone);
      wait_for_exit (fixture, 5000);
    }
  g_clear_object (&fixture->phone);
  g_clear_pointer (&fixture->receiver, helix_test_receiver_free);
  g_clear_pointer (&fixture->phone_stderr, g_free);

  if (fixture->dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
          g_unlink (path);
        }
      g_rmdir (fixture->dir);
    }
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->config, g_free);
}

typedef struct {
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} CommandResult;

static void
on_command_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CommandResult *r = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &r->out, &r->err, &r->error);
  r->done = TRUE;
}

/* Runs a command to completion while the receiver keeps serving. */
static char *
run_command (const char * const *argv, int expected_status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  CommandResult r = { 0 };
  char *output;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_command_done, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  if (g_subprocess_get_exit_status (process) != expected_status)
    g_error ("%s exited with %d: %s%s", argv[0], g_subprocess_get_exit_status (process), r.out, r.err);

  output = g_strconcat (r.out, r.err, NULL);
  g_free (r.out);
  g_free (r.err);
  return output;
}

static void
app_action (const char *name, const char *parameter)
{
  const char *argv[] = { "gapplication", "action", APP_ID, name, parameter, NULL };
  g_autofree char *output = run_command (argv, 0);
}

static void
set_dnd_state (gboolean value)
{
  const char *argv[] = { "gdbus", "call", "--session", "--dest", APP_ID,
                         "--object-path", "/com/helixphone/HelixPhone",
                         "--method", "org.gtk.Actions.SetState", "dnd",
                         value ? "<true>" : "<false>", "{}", NULL };
  g_autofree char *output = run_command (argv, 0);
}

/* Status changes received so far, in order, as "status" words. */
static gboolean
wait_for_statuses (Fixture *fixture, const char *expected, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  g_autofree char *got = NULL;

  for (;;)
    {
      g_free (got);
      got = helix_test_receiver_statuses (fixture->receiver);
      if (g_str_equal (got, expected) || g_get_monotonic_time () >= deadline)
        break;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }

  g_assert_cmpstr (got, ==, expected);
  return TRUE;
}

static JsonObject *
request_json (Fixture *fixture, guint i, JsonNode **out_node)
{
  HelixTestRequest *request = helix_test_receiver_get (fixture->receiver, i);

  *out_node = json_from_string (g_bytes_get_data (request->body, NULL), NULL);
  g_assert_nonnull (*out_node);
  return json_node_get_object (*out_node);
}

static void
test_status_flow (Fixture *fixture, gconstpointer data)
{
  g_autofree char *saved = NULL;
  guint count;

  write_default_config (fixture, 60);
  start_phone (fixture);

  wait_for_statuses (fixture, "available", 10000);
  app_action ("set-status", "'busy'");
  wait_for_statuses (fixture, "available busy", 5000);
  app_action ("dnd", NULL);
  wait_for_statuses (fixture, "available busy do_not_disturb", 5000);
  /* Picked while DND hides it: applies when DND goes off. */
  app_action ("set-status", "'lunch'");
  app_action ("dnd", NULL);
  wait_for_statuses (fixture, "available busy do_not_disturb lunch", 5000);
  set_dnd_state (TRUE);
  wait_for_statuses (fixture, "available busy do_not_disturb lunch do_not_disturb", 5000);
  set_dnd_state (FALSE);
  app_action ("set-status", "'available'");
  app_action ("set-status", "'away'");
  wait_for_statuses (fixture, "available busy do_not_disturb lunch do_not_disturb lunch available away",
                     5000);

  app_action ("quit", NULL);
  wait_for_statuses (fixture,
                     "available busy do_not_disturb lunch do_not_disturb lunch available away offline",
                     5000);
  g_assert_true (wait_for_exit (fixture, 5000));
  g_assert_true (g_subprocess_get_if_exited (fixture->phone));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->phone), ==, 0);

  /* Every request: POST, JSON, bearer token, the extension, null direction. */
  count = helix_test_receiver_count (fixture->receiver);
  for (guint i = 0; i < count; i++)
    {
      HelixTestRequest *request = helix_test_receiver_get (fixture->receiver, i);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object = request_json (fixture, i, &node);

      g_assert_cmpstr (request->method, ==, "POST");
      g_assert_cmpstr (request->path, ==, "/status");
      g_assert_cmpstr (request->content_type, ==, "application/json");
      g_assert_cmpstr (request->authorization, ==, "Bearer hook-key");
      g_assert_cmpstr (json_object_get_string_member (object, "extension"), ==, "1001");
      g_assert_true (json_object_get_null_member (object, "direction") ||
                     !g_str_equal (json_object_get_string_member (object, "event"), "status_change"));
      g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z$",
                                           json_object_get_string_member (object, "timestamp"), 0, 0));
      g_assert_cmpint (json_object_get_int_member (object, "duration"), ==, 0);
    }

  /* DND was persisted for the next start; unknown keys survived the save. */
  g_assert_true (g_file_get_contents (fixture->config, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "\"KeepMe\""));
  g_assert_true (g_regex_match_simple ("\"DoNotDisturb\"\\s*:\\s*false", saved, 0, 0));
}

static void
test_heartbeat (Fixture *fixture, gconstpointer data)
{
  guint heartbeats = 0;
  guint count;

  write_default_config (fixture, 1);
  start_phone (fixture);
  wait_for_statuses (fixture, "available", 10000);
  app_action ("set-status", "'away'");
  /* available + away + at least two heartbeats, however the second ticks fall. */
  g_assert_true (helix_test_receiver_wait_for (fixture->receiver, 4, 5000));
  app_action ("quit", NULL);
  g_assert_true (wait_for_exit (fixture, 5000));

  count = helix_test_receiver_count (fixture->receiver);
  for (guint i = 0; i < count; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object = request_json (fixture, i, &node);

      if (!g_str_equal (json_object_get_string_member (object, "event"), "heartbeat"))
        continue;
      heartbeats++;
      g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "away");
      g_assert_false (json_object_has_member (object, "direction"));
      g_assert_cmpint (json_object_get_size (object), ==, 5);
    }
  g_assert_cmpuint (heartbeats, >=, 2);
  g_assert_cmpuint (heartbeats, <=, 3);
  wait_for_statuses (fixture, "available away offline", 1000);
}

static void
test_dnd_persisted_at_start (Fixture *fixture, gconstpointer data)
{
  g_autofree char *url = helix_test_receiver_url (fixture->receiver, "/status");
  g_autofree char *json = g_strdup_printf ("{ \"Webhook\": { \"EndpointUrl\": \"%s\" },"
                                           "  \"General\": { \"DoNotDisturb\": true } }", url);

  write_config (fixture, json);
  start_phone (fixture);
  wait_for_statuses (fixture, "do_not_disturb", 10000);
  app_action ("dnd", NULL);
  wait_for_statuses (fixture, "do_not_disturb available", 5000);
  app_action ("quit", NULL);
  g_assert_true (wait_for_exit (fixture, 5000));
}

static void
test_quit_with_dead_endpoint_is_bounded (Fixture *fixture, gconstpointer data)
{
  gint64 start, elapsed;

  write_default_config (fixture, 60);
  start_phone (fixture);
  wait_for_statuses (fixture, "available", 10000);

  /* The receiver now takes the "offline" and never answers in time. */
  helix_test_receiver_push_response (fixture->receiver, 200, 15000);
  start = g_get_monotonic_time ();
  g_subprocess_send_signal (fixture->phone, SIGTERM);
  g_assert_true (wait_for_exit (fixture, 8000));
  elapsed = g_get_monotonic_time () - start;

  g_assert_cmpint (elapsed, <=, 3600 * G_TIME_SPAN_MILLISECOND);
  wait_for_statuses (fixture, "available offline", 1000);
  g_assert_nonnull (strstr (fixture->phone_stderr, "did not answer within 3000 ms"));
}

static void
test_malformed_settings (Fixture *fixture, gconstpointer data)
{
  g_autofree char *url = helix_test_receiver_url (fixture->receiver, "/status");
  g_autofree char *broken = g_strdup_printf ("{\n  \"Webhook\": { \"EndpointUrl\": \"%s\" }\n"
                                             "  \"Sip\": { \"Port\": 5060 }\n}\n", url);
  g_autofree char *after = NULL;

  /* A comma missing between lines 2 and 3: the phone starts on defaults and says where. */
  write_config (fixture, broken);
  start_phone (fixture);
  helix_test_spin (1500);
  app_action ("dnd", NULL);
  app_action ("quit", NULL);
  g_assert_true (wait_for_exit (fixture, 5000));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->phone), ==, 0);

  g_assert_nonnull (strstr (fixture->phone_stderr, fixture->config));
  /* json-glib places the error at the end of line 2 or the start of line 3. */
  g_assert_true (g_regex_match_simple ("settings\\.json:[23]:[0-9]+: Parse error",
                                       fixture->phone_stderr, 0, 0));
  g_assert_true (g_file_get_contents (fixture->config, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, broken);
  /* With defaults there is no endpoint, so nothing may have been sent. */
  g_assert_cmpuint (helix_test_receiver_count (fixture->receiver), ==, 0);
}

static void
test_wrong_type_keeps_rest (Fixture *fixture, gconstpointer data)
{
  g_autofree char *url = helix_test_receiver_url (fixture->receiver, "/status");
  g_autofree char *json = g_strdup_printf ("{ \"Sip\": { \"Port\": \"abc\", \"Username\": \"2002\" },"
                                           "  \"Webhook\": { \"EndpointUrl\": \"%s\" } }", url);
  g_autoptr(JsonNode) node = NULL;

  write_config (fixture, json);
  start_phone (fixture);
  wait_for_statuses (fixture, "available", 10000);
  g_assert_cmpstr (json_object_get_string_member (request_json (fixture, 0, &node), "extension"), ==, "2002");
  app_action ("quit", NULL);
  g_assert_true (wait_for_exit (fixture, 5000));
  g_assert_nonnull (strstr (fixture->phone_stderr, "Sip.Port"));
}

static void
test_single_instance_and_version (Fixture *fixture, gconstpointer data)
{
  g_autofree char *other = g_build_filename (fixture->dir, "other.json", NULL);
  const char *second[] = { helixphone_bin (), "--headless", "--config", other, NULL };
  const char *version[] = { helixphone_bin (), "--version", NULL };
  g_autofree char *output = NULL;
  g_autofree char *version_output = NULL;

  write_default_config (fixture, 60);
  start_phone (fixture);
  wait_for_statuses (fixture, "available", 10000);

  /* A second start hands over to the first and leaves. */
  output = run_command (second, 0);
  g_assert_nonnull (strstr (output, "already running"));
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));

  version_output = run_command (version, 0);
  g_assert_true (g_str_has_prefix (version_output, "HelixPhone "));

  app_action ("quit", NULL);
  g_assert_true (wait_for_exit (fixture, 5000));
  wait_for_statuses (fixture, "available offline", 1000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/headless/status-flow", test_status_flow);
  ADD ("/headless/heartbeat", test_heartbeat);
  ADD ("/headless/dnd-persisted-at-start", test_dnd_persisted_at_start);
  ADD ("/headless/quit-with-dead-endpoint-is-bounded", test_quit_with_dead_endpoint_is_bounded);
  ADD ("/headless/malformed-settings", test_malformed_settings);
  ADD ("/headless/wrong-type-keeps-rest", test_wrong_type_keeps_rest);
  ADD ("/headless/single-instance-and-version", test_single_instance_and_version);

  return g_test_run ();
}

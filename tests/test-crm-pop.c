/* test-crm-pop.c — the CRM screen-pop and the call history, end to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside dbus-run-session.  The real `helixphone --headless` runs in
 * direct mode; SIPp plays the other side.  The "browser" is a test-only
 * x-scheme-handler/https (and http) handler: a .desktop file in a temp
 * XDG_DATA_HOME whose Exec is a small script appending its %u argument to
 * a file, made the default in a temp XDG_CONFIG_HOME/mimeapps.list; the
 * system's own handlers are hidden by pointing XDG_DATA_DIRS and
 * XDG_CONFIG_DIRS at empty directories.  So each test sees exactly the
 * URLs GIO asked the desktop to open.
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "helix-test-peers.h"
#include "helix-test-phone.h"
#include "helix-test-receiver.h"

#define TEMPLATE "https://crm.example.com/search?phone={phone}"
/* "+1 (416) 998-7587" on the wire; the SIP layer drops the spaces from
 * numbers, so the CRM gets "+1(416)998-7587", every reserved character
 * percent-encoded. */
#define CALLER_USER "+1%20(416)%20998-7587"
#define CALLER_NUMBER "+1(416)998-7587"
#define CALLER_URL "https://crm.example.com/search?phone=%2B1%28416%29998-7587"

typedef struct {
  gboolean  with_handler;
  gboolean  crm_enabled;
} Options;

static const Options with_handler = { TRUE, TRUE };
static const Options crm_disabled = { TRUE, FALSE };
static const Options no_handler = { FALSE, TRUE };

typedef struct {
  char              *dir;
  char              *opened_path;    /* one line per URL the handler got */
  char              *history_path;
  HelixTestReceiver *receiver;
  HelixTestPhone    *phone;
  HelixTestSipp     *sipp;
  guint16            phone_port;
  char              *phone_target;
} Fixture;

static void
write_file (const char *path, const char *contents, int mode)
{
  g_autofree char *directory = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

/* The test browser: records what it was asked to open, nothing else */
static void
install_handler (Fixture *fixture, const char *data_home, const char *config_home)
{
  g_autofree char *script = g_build_filename (fixture->dir, "open-url", NULL);
  g_autofree char *script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" >> '%s'\n",
                                                  fixture->opened_path);
  g_autofree char *desktop = g_build_filename (data_home, "applications", "helix-test-browser.desktop", NULL);
  g_autofree char *desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\n"
                                                   "Name=HelixPhone test browser\nExec=%s %%u\n"
                                                   "MimeType=x-scheme-handler/https;x-scheme-handler/http;\n"
                                                   "NoDisplay=true\n", script);
  g_autofree char *mimeapps = g_build_filename (config_home, "mimeapps.list", NULL);

  write_file (script, script_text, 0700);
  write_file (desktop, desktop_text, 0600);
  write_file (mimeapps, "[Default Applications]\n"
                        "x-scheme-handler/https=helix-test-browser.desktop\n"
                        "x-scheme-handler/http=helix-test-browser.desktop\n", 0600);
}

/* Hiding the system's data dirs also hides the GSettings schemas that
 * GIO's proxy and network modules look up: point at them directly. */
static char *
schema_dir_setting (void)
{
  const char * const *dirs = g_get_system_data_dirs ();

  if (g_getenv ("GSETTINGS_SCHEMA_DIR") != NULL)
    return g_strconcat ("GSETTINGS_SCHEMA_DIR=", g_getenv ("GSETTINGS_SCHEMA_DIR"), NULL);

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *schemas = g_build_filename (dirs[i], "glib-2.0", "schemas", NULL);
      g_autofree char *compiled = g_build_filename (schemas, "gschemas.compiled", NULL);

      if (g_file_test (compiled, G_FILE_TEST_EXISTS))
        return g_strconcat ("GSETTINGS_SCHEMA_DIR=", schemas, NULL);
    }

  return NULL;
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  const Options *options = data;
  g_autofree char *data_home = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *url = NULL;
  g_autofree char *settings = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envv = NULL;

  fixture->dir = g_dir_make_tmp ("helix-crm-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->opened_path = g_build_filename (fixture->dir, "opened-urls.txt", NULL);
  data_home = g_build_filename (fixture->dir, "data", NULL);
  config_home = g_build_filename (fixture->dir, "config", NULL);
  empty = g_build_filename (fixture->dir, "empty", NULL);
  fixture->history_path = g_build_filename (data_home, "HelixPhone", "call-history.json", NULL);
  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (data_home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config_home, 0700), ==, 0);
  if (options->with_handler)
    install_handler (fixture, data_home, config_home);

  envv = g_new0 (char *, 7);
  envv[0] = g_strconcat ("XDG_DATA_HOME=", data_home, NULL);
  envv[1] = g_strconcat ("XDG_CONFIG_HOME=", config_home, NULL);
  envv[2] = g_strconcat ("XDG_DATA_DIRS=", empty, NULL);
  envv[3] = g_strconcat ("XDG_CONFIG_DIRS=", empty, NULL);
  envv[4] = g_strdup ("G_MESSAGES_DEBUG=helix-sip helix-call helix-phone helix-crm helix-call-history");
  envv[5] = schema_dir_setting ();

  fixture->receiver = helix_test_receiver_new ();
  fixture->phone_port = helix_test_free_udp_port ();
  fixture->phone_target = g_strdup_printf ("127.0.0.1:%u", fixture->phone_port);
  url = helix_test_receiver_url (fixture->receiver, "/status");
  settings = g_strdup_printf ("{ \"Sip\": { \"Username\": \"1001\", \"Port\": %u },"
                              "  \"Webhook\": { \"EndpointUrl\": \"%s\" },"
                              "  \"Crm\": { \"Enabled\": %s, \"LookupUrl\": \"%s\" } }",
                              fixture->phone_port, url, options->crm_enabled ? "true" : "false", TEMPLATE);

  fixture->phone = helix_test_phone_start_full (settings, FALSE, (const char * const *) envv, &error);
  g_assert_no_error (error);
  if (!helix_test_sip_ping (fixture->phone_port, 10000))
    g_error ("The phone does not answer SIP:\n%s", helix_test_phone_stderr (fixture->phone));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
quit_phone (Fixture *fixture)
{
  g_clear_pointer (&fixture->sipp, helix_test_sipp_free);
  if (fixture->phone != NULL)
    g_assert_cmpint (helix_test_phone_quit (fixture->phone, 8000), ==, 0);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  quit_phone (fixture);
  g_clear_pointer (&fixture->phone, helix_test_phone_free);
  g_clear_pointer (&fixture->receiver, helix_test_receiver_free);
  if (!g_test_failed ())
    remove_tree (fixture->dir);
  else
    g_test_message ("kept %s", fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->opened_path);
  g_free (fixture->history_path);
  g_free (fixture->phone_target);
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

static void
start_sipp (Fixture *fixture, const char *scenario, gboolean uac, const char * const *extra)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&fixture->sipp, helix_test_sipp_free);
  fixture->sipp = helix_test_sipp_start (scenario, uac ? fixture->phone_target : NULL, 0, extra, &error);
  g_assert_no_error (error);
}

static void
assert_sipp_succeeds (Fixture *fixture, guint timeout_ms)
{
  helix_test_sipp_assert_success (fixture->sipp, timeout_ms, helix_test_phone_stderr (fixture->phone));
}

/* The URLs the handler got so far, one per element */
static GStrv
opened_urls (Fixture *fixture)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (fixture->opened_path, &contents, NULL, NULL))
    return g_new0 (char *, 1);
  g_strchomp (contents);
  return g_strsplit (contents, "\n", -1);
}

static gboolean
has_opened (gpointer user_data)
{
  return g_file_test (((Fixture *) user_data)->opened_path, G_FILE_TEST_EXISTS);
}

/* An answered inbound call from SIPp with @caller as its SIP user */
static void
answered_call (Fixture *fixture, const char *caller, const char *statuses_before)
{
  const char *extra[] = { "-key", "caller", caller, NULL };
  g_autofree char *ringing = g_strconcat (statuses_before, " ringing", NULL);
  g_autofree char *on_call = g_strconcat (ringing, " on_call", NULL);
  g_autofree char *ended = g_strconcat (on_call, " available", NULL);

  start_sipp (fixture, "uac-answered-caller", TRUE, extra);
  wait_for_statuses (fixture, ringing, 10000);
  helix_test_phone_action (fixture->phone, "answer", NULL);
  wait_for_statuses (fixture, on_call, 10000);
  assert_sipp_succeeds (fixture, 20000);
  wait_for_statuses (fixture, ended, 5000);
}

static JsonArray *
history_calls (Fixture *fixture, JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, fixture->history_path, &error);
  g_assert_no_error (error);
  return json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "calls");
}

static void
assert_history_entry (JsonArray  *calls,
                      guint       index,
                      const char *direction,
                      const char *number,
                      const char *name,
                      const char *reason)
{
  JsonObject *entry = json_array_get_object_element (calls, index);
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (json_object_get_string_member (entry, "time"), NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_cmpstr (json_object_get_string_member (entry, "direction"), ==, direction);
  g_assert_cmpstr (json_object_get_string_member (entry, "number"), ==, number);
  g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, name);
  g_assert_cmpstr (json_object_get_string_member (entry, "reason"), ==, reason);
  g_assert_nonnull (time);
  g_assert_cmpint (g_date_time_difference (now, time), <, 120 * G_TIME_SPAN_SECOND);
}

static void
test_answered_inbound_opens_crm (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) urls = NULL;
  JsonArray *calls;
  gint64 duration;

  wait_for_statuses (fixture, "available", 10000);
  answered_call (fixture, CALLER_USER, "available");

  g_assert_true (helix_test_wait_until (has_opened, fixture, 10000));
  /* Late duplicates would show up here */
  helix_test_spin (1000);
  urls = opened_urls (fixture);
  g_assert_cmpuint (g_strv_length (urls), ==, 1);
  g_assert_cmpstr (urls[0], ==, CALLER_URL);

  /* The history after quitting lists the call */
  quit_phone (fixture);
  calls = history_calls (fixture, parser);
  g_assert_cmpuint (json_array_get_length (calls), ==, 1);
  assert_history_entry (calls, 0, "inbound", CALLER_NUMBER, "CRM Caller", "The other party hung up");
  duration = json_object_get_int_member (json_array_get_object_element (calls, 0), "duration");
  g_assert_cmpint (duration, >=, 1);
  g_assert_cmpint (duration, <=, 3);
}

/* A declined call, a call refused by DND and an outbound call open
 * nothing; the answered call after them opens its page, and only it. */
static void
test_only_answered_inbound_opens (Fixture *fixture, gconstpointer data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *target = NULL;
  g_autofree char *uri = NULL;
  g_auto(GStrv) urls = NULL;
  JsonArray *calls;

  wait_for_statuses (fixture, "available", 10000);

  start_sipp (fixture, "uac-rejected", TRUE, NULL);
  wait_for_statuses (fixture, "available ringing", 10000);
  helix_test_phone_action (fixture->phone, "reject", NULL);
  assert_sipp_succeeds (fixture, 20000);
  wait_for_statuses (fixture, "available ringing available", 5000);

  helix_test_phone_action (fixture->phone, "dnd", NULL);
  wait_for_statuses (fixture, "available ringing available do_not_disturb", 5000);
  start_sipp (fixture, "uac-busy-expected", TRUE, NULL);
  assert_sipp_succeeds (fixture, 20000);
  helix_test_phone_action (fixture->phone, "dnd", NULL);
  wait_for_statuses (fixture, "available ringing available do_not_disturb available", 5000);

  start_sipp (fixture, "uas-answer", FALSE, NULL);
  uri = g_strdup_printf ("'sip:1002@127.0.0.1:%u'", helix_test_sipp_port (fixture->sipp));
  helix_test_phone_action (fixture->phone, "dial", uri);
  wait_for_statuses (fixture, "available ringing available do_not_disturb available ringing on_call", 10000);
  helix_test_spin (1100);
  helix_test_phone_action (fixture->phone, "hangup", NULL);
  assert_sipp_succeeds (fixture, 20000);
  wait_for_statuses (fixture, "available ringing available do_not_disturb available ringing on_call available", 5000);
  g_assert_false (has_opened (fixture));

  answered_call (fixture, CALLER_USER,
                 "available ringing available do_not_disturb available ringing on_call available");
  g_assert_true (helix_test_wait_until (has_opened, fixture, 10000));
  helix_test_spin (1000);
  urls = opened_urls (fixture);
  g_assert_cmpuint (g_strv_length (urls), ==, 1);
  g_assert_cmpstr (urls[0], ==, CALLER_URL);

  quit_phone (fixture);
  calls = history_calls (fixture, parser);
  g_assert_cmpuint (json_array_get_length (calls), ==, 4);
  assert_history_entry (calls, 0, "inbound", CALLER_NUMBER, "CRM Caller", "The other party hung up");
  assert_history_entry (calls, 1, "outbound", "1002", "", "Hung up");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (calls, 1), "duration"), >=, 1);
  assert_history_entry (calls, 2, "missed", "sipp", "SIPp Caller", "Do Not Disturb");
  assert_history_entry (calls, 3, "missed", "sipp", "SIPp Caller", "Declined");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (calls, 3), "duration"), ==, 0);
}

/* Everything the caller controls is escaped into the {phone} slot */
static void
test_hostile_number_stays_in_slot (Fixture *fixture, gconstpointer data)
{
  /* ../../x@evil.com#frag?a=b&javascript:alert(1)<newline>, escaped for SIP */
  const char *user = "..%2F..%2Fx%40evil.com%23frag%3Fa%3Db%26javascript%3Aalert(1)%0A";
  const char *expected = "https://crm.example.com/search?phone="
                         "..%2F..%2Fx%40evil.com%23frag%3Fa%3Db%26javascript%3Aalert%281%29";
  g_auto(GStrv) urls = NULL;
  g_autoptr(GUri) uri = NULL;

  wait_for_statuses (fixture, "available", 10000);
  answered_call (fixture, user, "available");
  g_assert_true (helix_test_wait_until (has_opened, fixture, 10000));
  helix_test_spin (500);

  urls = opened_urls (fixture);
  g_assert_cmpuint (g_strv_length (urls), ==, 1);
  g_assert_cmpstr (urls[0], ==, expected);
  uri = g_uri_parse (urls[0], G_URI_FLAGS_ENCODED, NULL);
  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
  g_assert_null (g_uri_get_userinfo (uri));
  g_assert_cmpstr (g_uri_get_host (uri), ==, "crm.example.com");
  g_assert_cmpint (g_uri_get_port (uri), ==, -1);
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/search");
  g_assert_null (g_uri_get_fragment (uri));
}

static void
test_disabled_opens_nothing (Fixture *fixture, gconstpointer data)
{
  wait_for_statuses (fixture, "available", 10000);
  answered_call (fixture, CALLER_USER, "available");
  helix_test_spin (1500);
  g_assert_false (has_opened (fixture));
  g_assert_null (strstr (helix_test_phone_stderr (fixture->phone), "CRM page"));
}

static gboolean
logged_failure (gpointer user_data)
{
  Fixture *fixture = user_data;

  return strstr (helix_test_phone_stderr (fixture->phone), "Cannot open the CRM page: ") != NULL;
}

/* No browser at all: the call goes on and the log says why nothing opened */
static void
test_no_handler_logged (Fixture *fixture, gconstpointer data)
{
  wait_for_statuses (fixture, "available", 10000);
  answered_call (fixture, CALLER_USER, "available");
  g_assert_true (helix_test_wait_until (logged_failure, fixture, 10000));
  g_assert_nonnull (strstr (helix_test_phone_stderr (fixture->phone), "Opening the CRM page " CALLER_URL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

#define ADD(path, options, func) g_test_add (path, Fixture, options, fixture_setup, func, fixture_teardown)
  ADD ("/crm-pop/answered-inbound-opens-crm", &with_handler, test_answered_inbound_opens_crm);
  ADD ("/crm-pop/only-answered-inbound-opens", &with_handler, test_only_answered_inbound_opens);
  ADD ("/crm-pop/hostile-number-stays-in-slot", &with_handler, test_hostile_number_stays_in_slot);
  ADD ("/crm-pop/disabled-opens-nothing", &crm_disabled, test_disabled_opens_nothing);
  ADD ("/crm-pop/no-handler-logged", &no_handler, test_no_handler_logged);

  return g_test_run ();
}

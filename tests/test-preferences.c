/* test-preferences.c — the preferences window, in process on a real display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under xvfb-run: the window is built on a HelixSettings for a file in
 * a temporary folder, its fields are typed into, and what the user would
 * see (inline messages, the Save button, a probe's answer) and what lands
 * in settings.json and at a real SoupServer receiver are checked.
 */
#define G_LOG_DOMAIN "test-preferences"

#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "helix-http-probe.h"
#include "helix-settings.h"
#include "helix-test-receiver.h"
#include "ui/helix-preferences-account-page.h"
#include "ui/helix-preferences-general-page.h"
#include "ui/helix-preferences-integrations-page.h"
#include "ui/helix-preferences-recording-page.h"
#include "ui/helix-preferences-window.h"
#include "ui/helix-probe-row.h"

#define WAIT_MS 15000

typedef struct {
  char                   *dir;
  char                   *path;
  HelixSettings          *settings;
  HelixPreferencesWindow *window;
} Fixture;

/* Destroyed windows leave the toplevel list; we still hold a reference,
 * so "destroy" itself only comes with the last unref */
static gboolean
is_closed (Fixture *fixture)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (window == G_OBJECT (fixture->window))
        return FALSE;
    }

  return TRUE;
}

static void
open_window (Fixture    *fixture,
             const char *contents)
{
  g_autoptr(GError) error = NULL;

  if (contents != NULL)
    {
      g_file_set_contents (fixture->path, contents, -1, &error);
      g_assert_no_error (error);
    }

  fixture->settings = helix_settings_new (fixture->path);
  helix_settings_load (fixture->settings, &error);
  g_assert_no_error (error);

  fixture->window = helix_preferences_window_new (NULL, fixture->settings, NULL);
  g_object_ref (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("helix-preferences-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "settings.json", NULL);
  open_window (fixture, data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  if (!is_closed (fixture))
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->settings);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);

      g_remove (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* A field by its name in the page's template */
static GtkWidget *
find (Fixture    *fixture,
      const char *name)
{
  static const struct { const char *page; GType (*type) (void); } pages[] = {
    { "account_page", helix_preferences_account_page_get_type },
    { "integrations_page", helix_preferences_integrations_page_get_type },
    { "recording_page", helix_preferences_recording_page_get_type },
    { "general_page", helix_preferences_general_page_get_type },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GObject *page = gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                     HELIX_TYPE_PREFERENCES_WINDOW, pages[i].page);
      GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page), pages[i].type (), name);

      if (child != NULL)
        return GTK_WIDGET (child);
    }

  g_error ("No field named %s", name);
}

static GtkWidget *
save_button (Fixture *fixture)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                    HELIX_TYPE_PREFERENCES_WINDOW, "save_button"));
}

static void
type_text (Fixture    *fixture,
           const char *name,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find (fixture, name)), text);
}

/* The message under the field, or NULL when none is shown */
static const char *
shown_error (Fixture    *fixture,
             const char *name)
{
  GtkWidget *label = find (fixture, name);

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static void
select_row (Fixture    *fixture,
            const char *name,
            const char *row)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (find (fixture, name));
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), row))
        {
          gtk_drop_down_set_selected (dropdown, i);
          return;
        }
    }

  g_error ("%s has no row %s", name, row);
}

static const char *
selected_row (Fixture    *fixture,
              const char *name)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (find (fixture, name));

  return gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (dropdown)),
                                     gtk_drop_down_get_selected (dropdown));
}

static void
test_loads_values (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (fixture, "sip_server_entry"))), ==,
                   "pbx.example.com");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (fixture, "sip_port_entry"))), ==, "5070");
  g_assert_cmpstr (selected_row (fixture, "sip_transport_dropdown"), ==, "TLS");
  g_assert_true (GTK_IS_PASSWORD_ENTRY (find (fixture, "sip_password_entry")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (fixture, "sip_password_entry"))), ==, "hunter2");
  g_assert_true (GTK_IS_PASSWORD_ENTRY (find (fixture, "webhook_key_entry")));
  g_assert_true (GTK_IS_PASSWORD_ENTRY (find (fixture, "recording_key_entry")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (fixture, "webhook_interval_entry"))), ==, "60");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find (fixture, "crm_enabled_switch"))));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (find (fixture, "auto_register_switch"))));
  /* A device that is not plugged in is kept, and says so */
  g_assert_cmpstr (selected_row (fixture, "input_device_dropdown"), ==, "Gone Headset (not connected)");
  g_assert_cmpstr (selected_row (fixture, "output_device_dropdown"), ==, "System default");
  g_assert_true (gtk_widget_get_sensitive (save_button (fixture)));
}

static void
test_inline_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *save = save_button (fixture);

  g_assert_null (shown_error (fixture, "sip_port_error"));
  g_assert_true (gtk_widget_get_sensitive (save));

  type_text (fixture, "sip_port_entry", "abc");
  g_assert_cmpstr (shown_error (fixture, "sip_port_error"), ==, "Enter a port number from 1 to 65535.");
  g_assert_false (gtk_widget_get_sensitive (save));
  type_text (fixture, "sip_port_entry", "65536");
  g_assert_nonnull (shown_error (fixture, "sip_port_error"));
  type_text (fixture, "sip_port_entry", "0");
  g_assert_nonnull (shown_error (fixture, "sip_port_error"));
  type_text (fixture, "sip_port_entry", " 5080 ");
  g_assert_null (shown_error (fixture, "sip_port_error"));
  g_assert_true (gtk_widget_get_sensitive (save));

  type_text (fixture, "webhook_url_entry", "ftp://hooks.example.com/");
  g_assert_cmpstr (shown_error (fixture, "webhook_url_error"), ==,
                   "Enter an address that starts with http:// or https://, or leave the field empty.");
  g_assert_false (gtk_widget_get_sensitive (save));

  /* Two fields wrong: Save waits for both */
  type_text (fixture, "webhook_interval_entry", "0");
  g_assert_nonnull (shown_error (fixture, "webhook_interval_error"));
  type_text (fixture, "webhook_url_entry", "");
  g_assert_null (shown_error (fixture, "webhook_url_error"));
  g_assert_false (gtk_widget_get_sensitive (save));
  type_text (fixture, "webhook_interval_entry", "86400");
  g_assert_true (gtk_widget_get_sensitive (save));

  type_text (fixture, "recording_url_entry", "https://");
  g_assert_nonnull (shown_error (fixture, "recording_url_error"));
  type_text (fixture, "recording_url_entry", "https://rec.example.com/up");
  g_assert_null (shown_error (fixture, "recording_url_error"));

  type_text (fixture, "crm_url_entry", "crm.example.com/?q={phone}");
  g_assert_nonnull (shown_error (fixture, "crm_url_error"));
  type_text (fixture, "crm_url_entry", "https://crm.example.com/?q={phone}");
  g_assert_null (shown_error (fixture, "crm_url_error"));
  g_assert_true (gtk_widget_get_sensitive (save));

  /* Clicking a disabled Save cannot write anything either */
  type_text (fixture, "sip_port_entry", "port");
  g_signal_emit_by_name (save, "clicked");
  helix_test_spin (200);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_assert_false (is_closed (fixture));
}

static guint notified;

static void
on_notify (HelixSettings *settings,
           GParamSpec    *pspec)
{
  notified++;
}

static JsonNode *
parse_length (const char *text,
              gssize      length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, length, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
parse (const char *text)
{
  return parse_length (text, -1);
}

static void
test_save_writes_json (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char expected[] =
    "{ \"Extra\": { \"Kept\": [1, 2] },"
    "  \"Sip\": { \"Server\": \"sip.example.com\", \"Port\": 5080, \"Transport\": \"TCP\","
    "             \"Username\": \"1001\", \"Password\": \"pa55 word\" },"
    "  \"Webhook\": { \"EndpointUrl\": \"https://hooks.example.com/helix\", \"ApiKey\": \"k3y\","
    "                 \"HeartbeatIntervalSeconds\": 30 },"
    "  \"Recording\": { \"Enabled\": true, \"UploadUrl\": \"https://rec.example.com/up\", \"ApiKey\": \"\","
    "                   \"Folder\": \"/srv/recordings\", \"KeepAfterUpload\": false },"
    "  \"Crm\": { \"Enabled\": true, \"LookupUrl\": \"https://crm.example.com/?q={phone}\" },"
    "  \"General\": { \"CloseToTray\": true, \"AutoRegister\": false, \"DoNotDisturb\": true,"
    "                 \"AutoAnswer\": true },"
    "  \"Audio\": { \"InputDevice\": \"\", \"OutputDevice\": \"\", \"RingDevice\": \"\" },"
    "  \"SpeedDial\": [ { \"Name\": \"Support\", \"Number\": \"1001\" } ] }";
  g_autoptr(JsonNode) want = parse (expected);
  g_autoptr(JsonNode) got = NULL;
  g_autofree char *written = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  type_text (fixture, "sip_server_entry", "sip.example.com");
  type_text (fixture, "sip_port_entry", "5080");
  select_row (fixture, "sip_transport_dropdown", "TCP");
  type_text (fixture, "sip_username_entry", "1001");
  type_text (fixture, "sip_password_entry", "pa55 word");
  type_text (fixture, "webhook_url_entry", "https://hooks.example.com/helix");
  type_text (fixture, "webhook_key_entry", "k3y");
  type_text (fixture, "webhook_interval_entry", "30");
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "recording_enabled_switch")), TRUE);
  type_text (fixture, "recording_url_entry", "https://rec.example.com/up");
  type_text (fixture, "recording_folder_entry", "/srv/recordings");
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "recording_keep_switch")), FALSE);
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "crm_enabled_switch")), TRUE);
  type_text (fixture, "crm_url_entry", "https://crm.example.com/?q={phone}");
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "auto_register_switch")), FALSE);
  gtk_switch_set_active (GTK_SWITCH (find (fixture, "auto_answer_switch")), TRUE);

  /* Nothing reaches the running phone before Save */
  g_assert_cmpstr (helix_settings_get_sip_server (fixture->settings), ==, "");
  g_signal_connect (fixture->settings, "notify::sip-server", G_CALLBACK (on_notify), NULL);
  notified = 0;

  g_signal_emit_by_name (save_button (fixture), "clicked");

  /* Applied at once, each key notified once */
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (helix_settings_get_sip_server (fixture->settings), ==, "sip.example.com");
  g_assert_cmpuint (helix_settings_get_sip_port (fixture->settings), ==, 5080);
  g_assert_cmpstr (helix_settings_get_sip_transport (fixture->settings), ==, "TCP");
  g_assert_cmpuint (helix_settings_get_heartbeat_interval (fixture->settings), ==, 30);

  /* Written, then the window closes */
  while (!is_closed (fixture) && g_get_monotonic_time () < deadline)
    helix_test_spin (20);
  g_assert_true (is_closed (fixture));

  g_file_get_contents (fixture->path, &written, NULL, &error);
  g_assert_no_error (error);
  got = parse (written);
  if (!json_node_equal (got, want))
    g_error ("settings.json is\n%s\nexpected\n%s", written, expected);
}

static void
test_cancel_keeps_settings (Fixture       *fixture,
                            gconstpointer  data)
{
  type_text (fixture, "sip_server_entry", "elsewhere.example.com");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.close", NULL);
  helix_test_spin (100);

  g_assert_true (is_closed (fixture));
  g_assert_cmpstr (helix_settings_get_sip_server (fixture->settings), ==, "");
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

static const char *
run_probe (Fixture    *fixture,
           const char *name)
{
  HelixProbeRow *row = HELIX_PROBE_ROW (find (fixture, name));
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), HELIX_TYPE_PROBE_ROW,
                                                                 "button"));

  g_signal_emit_by_name (button, "clicked");
  while (helix_probe_row_get_busy (row) && g_get_monotonic_time () < deadline)
    helix_test_spin (10);
  g_assert_false (helix_probe_row_get_busy (row));

  return helix_probe_row_get_result (row);
}

static void
assert_result (const char *result,
               const char *pattern)
{
  if (!g_regex_match_simple (pattern, result, 0, 0))
    g_error ("Probe shows “%s”, expected /%s/", result, pattern);
}

static void
test_send_test_event (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(HelixTestReceiver) receiver = helix_test_receiver_new ();
  g_autofree char *url = helix_test_receiver_url (receiver, "/hook");
  g_autofree char *dead = g_strdup_printf ("http://127.0.0.1:%u/hook", helix_test_dead_port ());
  g_autoptr(JsonNode) body = NULL;
  HelixTestRequest *request;
  JsonObject *event;

  /* Nothing to send to yet */
  assert_result (run_probe (fixture, "webhook_probe"), "^Enter an endpoint URL first\\.$");
  g_assert_cmpuint (helix_test_receiver_count (receiver), ==, 0);

  /* What is in the form, not what is saved */
  type_text (fixture, "webhook_url_entry", url);
  type_text (fixture, "webhook_key_entry", "t0ken");
  type_text (fixture, "sip_username_entry", "1002");
  assert_result (run_probe (fixture, "webhook_probe"), "^200 OK in [0-9]+ ms$");
  g_assert_cmpstr (helix_settings_get_webhook_url (fixture->settings), ==, "");

  g_assert_cmpuint (helix_test_receiver_count (receiver), ==, 1);
  request = helix_test_receiver_get (receiver, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/hook");
  g_assert_cmpstr (request->authorization, ==, "Bearer t0ken");
  g_assert_cmpstr (request->content_type, ==, "application/json");
  body = parse_length (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));
  event = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (event, "event"), ==, "test");
  g_assert_cmpstr (json_object_get_string_member (event, "status"), ==, "available");
  g_assert_cmpstr (json_object_get_string_member (event, "extension"), ==, "1002");
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z$",
                                       json_object_get_string_member (event, "timestamp"), 0, 0));

  /* A refusal by the receiver is shown as it came, with a hint */
  helix_test_receiver_push_response (receiver, 401, 0);
  assert_result (run_probe (fixture, "webhook_probe"), "^401 Unauthorized in [0-9]+ ms — check the API key$");
  helix_test_receiver_push_response (receiver, 503, 0);
  assert_result (run_probe (fixture, "webhook_probe"), "^503 Service Unavailable in [0-9]+ ms$");
  /* Exactly one attempt each: a probe never retries */
  g_assert_cmpuint (helix_test_receiver_count (receiver), ==, 3);

  /* No receiver at all */
  type_text (fixture, "webhook_url_entry", dead);
  assert_result (run_probe (fixture, "webhook_probe"), "^Connection refused$");

  /* No key, no header */
  type_text (fixture, "webhook_url_entry", url);
  type_text (fixture, "webhook_key_entry", "");
  assert_result (run_probe (fixture, "webhook_probe"), "^200 OK in [0-9]+ ms$");
  g_assert_null (helix_test_receiver_get (receiver, 3)->authorization);
}

/* Binary-safe: the WAV is full of zero bytes */
static gboolean
contains (const char *data,
          gsize       size,
          const char *needle)
{
  gsize length = strlen (needle);

  for (gsize i = 0; i + length <= size; i++)
    {
      if (memcmp (data + i, needle, length) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
test_upload (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(HelixTestReceiver) receiver = helix_test_receiver_new ();
  g_autofree char *url = helix_test_receiver_url (receiver, "/recordings");
  HelixTestRequest *request;
  const char *body;
  gsize size;

  assert_result (run_probe (fixture, "upload_probe"), "^Enter an upload URL first\\.$");

  type_text (fixture, "recording_url_entry", url);
  type_text (fixture, "recording_key_entry", "up-key");
  assert_result (run_probe (fixture, "upload_probe"), "^200 OK in [0-9]+ ms$");

  g_assert_cmpuint (helix_test_receiver_count (receiver), ==, 1);
  request = helix_test_receiver_get (receiver, 0);
  g_assert_cmpstr (request->authorization, ==, "Bearer up-key");
  g_assert_true (g_str_has_prefix (request->content_type, "multipart/form-data; boundary="));
  body = g_bytes_get_data (request->body, &size);
  g_assert_true (contains (body, size, "Content-Disposition: form-data; name=\"file\"; filename=\"test_test_"));
  g_assert_true (contains (body, size, "Content-Type: audio/wav"));
  g_assert_true (contains (body, size, "RIFF"));
  g_assert_true (contains (body, size, "WAVEfmt "));

  helix_test_receiver_push_response (receiver, 413, 0);
  assert_result (run_probe (fixture, "upload_probe"), "^413 [A-Za-z ]+ in [0-9]+ ms$");
}

static void
test_make_wav (void)
{
  g_autoptr(GBytes) wav = helix_http_probe_make_wav (250);
  const guint8 *data;
  gsize size;

  data = g_bytes_get_data (wav, &size);
  /* 8000 Hz × 0.25 s × 2 bytes + the 44-byte header */
  g_assert_cmpuint (size, ==, 44 + 4000);
  g_assert_cmpmem (data, 4, "RIFF", 4);
  g_assert_cmpuint (data[4] | data[5] << 8 | data[6] << 16 | (guint) data[7] << 24, ==, size - 8);
  g_assert_cmpmem (data + 8, 8, "WAVEfmt ", 8);
  g_assert_cmpuint (data[22], ==, 1);                          /* mono */
  g_assert_cmpuint (data[24] | data[25] << 8, ==, 8000);       /* rate */
  g_assert_cmpuint (data[34], ==, 16);                         /* bits */
  g_assert_cmpmem (data + 36, 4, "data", 4);
  g_assert_cmpuint (data[40] | data[41] << 8, ==, 4000);
}

#define LOADED "{ \"Sip\": { \"Server\": \"pbx.example.com\", \"Port\": 5070, \"Transport\": \"tls\"," \
               "           \"Password\": \"hunter2\" }," \
               "  \"Crm\": { \"Enabled\": true }, \"General\": { \"AutoRegister\": false }," \
               "  \"Audio\": { \"InputDevice\": \"Gone Headset\" } }"

#define SAVED_FROM "{ \"Extra\": { \"Kept\": [1, 2] }, \"General\": { \"DoNotDisturb\": true }," \
                   "  \"SpeedDial\": [ { \"Name\": \"Support\", \"Number\": \"1001\" } ] }"

int
main (int    argc,
      char **argv)
{
  /* English messages, whatever the machine's language */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/preferences/loads-values", Fixture, LOADED, fixture_set_up, test_loads_values, fixture_tear_down);
  g_test_add ("/preferences/inline-errors", Fixture, NULL, fixture_set_up, test_inline_errors, fixture_tear_down);
  g_test_add ("/preferences/save-writes-json", Fixture, SAVED_FROM, fixture_set_up, test_save_writes_json,
              fixture_tear_down);
  g_test_add ("/preferences/cancel-keeps-settings", Fixture, NULL, fixture_set_up, test_cancel_keeps_settings,
              fixture_tear_down);
  g_test_add ("/preferences/send-test-event", Fixture, NULL, fixture_set_up, test_send_test_event,
              fixture_tear_down);
  g_test_add ("/preferences/test-upload", Fixture, NULL, fixture_set_up, test_upload, fixture_tear_down);
  g_test_add_func ("/preferences/wav", test_make_wav);

  return g_test_run ();
}

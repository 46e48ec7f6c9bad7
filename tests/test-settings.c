/* test-settings.c — settings.json load, validation, save and notify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-settings"

#include "helix-settings.h"
#include "helix-speed-dial.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define SECRET "hunter2"

/* Everything logged, so that tests can check no secret was */
static GString *logged;
static GLogFunc test_log_handler;

typedef struct
{
  char *dir;
  char *path;   /* <dir>/HelixPhone/settings.json, the directory not created */
} Fixture;

static void
capture_log (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        user_data)
{
  g_string_append_printf (logged, "%s\n", message);
  test_log_handler (domain, level, message, user_data);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("helix-settings-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "HelixPhone", "settings.json", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }

  g_remove (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autofree char *directory = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static guint
file_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);

  return buf.st_mode & 0777;
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
save_and_wait (HelixSettings  *settings,
               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  helix_settings_save_async (settings, NULL, on_saved, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return helix_settings_save_finish (settings, result, error);
}

/* Loads @contents from the fixture's file; returns the load error, if any */
static HelixSettings *
load_contents (Fixture     *fixture,
               const char  *contents,
               GError     **error)
{
  HelixSettings *settings = helix_settings_new (fixture->path);

  write_file (fixture->path, contents);
  helix_settings_load (settings, error);

  return settings;
}

static JsonObject *
parse_saved (Fixture *fixture)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static guint
count_broken_copies (Fixture  *fixture,
                     char    **out_path)
{
  g_autofree char *directory = g_path_get_dirname (fixture->path);
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (!g_str_has_prefix (name, "settings.json.broken-"))
        continue;
      count++;
      if (out_path != NULL)
        {
          g_free (*out_path);
          *out_path = g_build_filename (directory, name, NULL);
        }
    }

  return count;
}

static void
assert_all_defaults (HelixSettings *settings)
{
  g_assert_cmpstr (helix_settings_get_sip_server (settings), ==, "");
  g_assert_cmpuint (helix_settings_get_sip_port (settings), ==, 5060);
  g_assert_cmpstr (helix_settings_get_sip_transport (settings), ==, "UDP");
  g_assert_cmpstr (helix_settings_get_sip_username (settings), ==, "");
  g_assert_cmpstr (helix_settings_get_sip_password (settings), ==, "");
  g_assert_cmpstr (helix_settings_get_webhook_url (settings), ==, "");
  g_assert_cmpstr (helix_settings_get_webhook_key (settings), ==, "");
  g_assert_cmpuint (helix_settings_get_heartbeat_interval (settings), ==, 60);
  g_assert_false (helix_settings_get_recording_enabled (settings));
  g_assert_cmpstr (helix_settings_get_recording_upload_url (settings), ==, "");
  g_assert_cmpstr (helix_settings_get_recording_api_key (settings), ==, "");
  g_assert_false (helix_settings_get_crm_enabled (settings));
  g_assert_cmpstr (helix_settings_get_crm_lookup_url (settings), ==, "");
  g_assert_true (helix_settings_get_close_to_tray (settings));
  g_assert_true (helix_settings_get_auto_register (settings));
  g_assert_false (helix_settings_get_do_not_disturb (settings));
  g_assert_cmpstr (helix_settings_get_audio_input_device (settings), ==, "");
  g_assert_cmpstr (helix_settings_get_audio_output_device (settings), ==, "");
  g_assert_cmpstr (helix_settings_get_audio_ring_device (settings), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (helix_settings_get_speed_dial (settings)), ==, 0);
}

static void
test_default_path (void)
{
  g_autofree char *path = helix_settings_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (), "HelixPhone",
                                                "settings.json", NULL);
  g_autoptr(HelixSettings) settings = helix_settings_new (NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpstr (helix_settings_get_path (settings), ==, expected);
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(HelixSettings) settings = helix_settings_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_path_get_dirname (fixture->path);

  g_assert_true (helix_settings_load (settings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((GStrv) helix_settings_get_problems (settings)), ==, 0);
  assert_all_defaults (settings);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  /* The first save creates the directory and a private file */
  g_assert_true (save_and_wait (settings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (directory), ==, 0700);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  g_assert_cmpuint (count_broken_copies (fixture, NULL), ==, 0);

  g_clear_object (&settings);
  settings = helix_settings_new (fixture->path);
  g_assert_true (helix_settings_load (settings, &error));
  assert_all_defaults (settings);
}

static void
test_save_makes_existing_file_private (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixSettings) settings = load_contents (fixture, "{ \"Sip\": { \"Password\": \"" SECRET "\" } }", &error);

  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0644);

  g_assert_true (save_and_wait (settings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
}

/* A value different from the default for any key, so that the round trip
 * also covers keys added to the table later. */
static void
set_non_default (GParamSpec *pspec,
                 GValue     *value)
{
  g_value_init (value, pspec->value_type);

  if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    g_value_set_boolean (value, !G_PARAM_SPEC_BOOLEAN (pspec)->default_value);
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    g_value_set_uint (value, G_PARAM_SPEC_UINT (pspec)->default_value + 1);
  else if (g_str_equal (pspec->name, "sip-transport"))
    g_value_set_string (value, "TLS");
  else if (g_str_equal (pspec->name, "crm-lookup-url"))
    g_value_set_string (value, "https://crm.example.com/search?phone={phone}");
  else if (g_str_has_suffix (pspec->name, "-url"))
    g_value_take_string (value, g_strdup_printf ("https://example.com/%s", pspec->name));
  else
    g_value_take_string (value, g_strdup_printf ("value of %s", pspec->name));
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char * const names[][2] = {
    { "Sip", "Server" }, { "Sip", "Port" }, { "Sip", "Transport" }, { "Sip", "Username" },
    { "Sip", "Password" }, { "Webhook", "EndpointUrl" }, { "Webhook", "ApiKey" },
    { "Webhook", "HeartbeatIntervalSeconds" }, { "Recording", "Enabled" },
    { "Recording", "UploadUrl" }, { "Recording", "ApiKey" }, { "Recording", "Folder" },
    { "Recording", "KeepAfterUpload" }, { "Crm", "Enabled" },
    { "Crm", "LookupUrl" }, { "General", "CloseToTray" }, { "General", "AutoRegister" },
    { "General", "DoNotDisturb" }, { "General", "AutoAnswer" }, { "Audio", "InputDevice" }, { "Audio", "OutputDevice" },
    { "Audio", "RingDevice" },
  };
  g_autoptr(HelixSettings) settings = helix_settings_new (fixture->path);
  g_autoptr(HelixSettings) reloaded = helix_settings_new (fixture->path);
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree GParamSpec **pspecs = NULL;
  GListStore *store = G_LIST_STORE (helix_settings_get_speed_dial (settings));
  GListModel *entries;
  g_autoptr(HelixSpeedDial) first = NULL;
  g_autoptr(HelixSpeedDial) second = NULL;
  guint n_pspecs;
  guint n_keys = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (settings), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(pspecs[i]->flags & G_PARAM_WRITABLE))
        continue;
      set_non_default (pspecs[i], &value);
      g_object_set_property (G_OBJECT (settings), pspecs[i]->name, &value);
      n_keys++;
    }
  g_assert_cmpuint (n_keys, ==, G_N_ELEMENTS (names));

  first = helix_speed_dial_new ("Support", "1001");
  second = helix_speed_dial_new ("Sales", "+1 (416) 998-7587");
  g_list_store_append (store, first);
  g_list_store_append (store, second);
  g_clear_object (&first);
  g_clear_object (&second);

  g_assert_true (save_and_wait (settings, &error));
  g_assert_no_error (error);

  /* The file uses the names of the documented format */
  saved = parse_saved (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonObject *section = json_object_get_object_member (saved, names[i][0]);

      g_assert_nonnull (section);
      g_assert_true (json_object_has_member (section, names[i][1]));
    }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (saved, "SpeedDial")), ==, 2);

  g_assert_true (helix_settings_load (reloaded, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) expected = G_VALUE_INIT;
      g_auto(GValue) actual = G_VALUE_INIT;

      if (!(pspecs[i]->flags & G_PARAM_WRITABLE))
        continue;
      set_non_default (pspecs[i], &expected);
      g_value_init (&actual, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (reloaded), pspecs[i]->name, &actual);
      g_assert_cmpint (g_param_values_cmp (pspecs[i], &expected, &actual), ==, 0);
    }

  entries = helix_settings_get_speed_dial (reloaded);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
  first = g_list_model_get_item (entries, 0);
  second = g_list_model_get_item (entries, 1);
  g_assert_cmpstr (helix_speed_dial_get_name (first), ==, "Support");
  g_assert_cmpstr (helix_speed_dial_get_number (first), ==, "1001");
  g_assert_cmpstr (helix_speed_dial_get_name (second), ==, "Sales");
  g_assert_cmpstr (helix_speed_dial_get_number (second), ==, "+1 (416) 998-7587");
}

static void
test_missing_keys (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixSettings) settings =
    load_contents (fixture,
                   "{ \"Sip\": { \"Server\": \"sip.example.com\" },\n"
                   "  \"General\": { \"DoNotDisturb\": true } }\n", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (helix_settings_get_sip_server (settings), ==, "sip.example.com");
  g_assert_true (helix_settings_get_do_not_disturb (settings));
  g_assert_cmpuint (helix_settings_get_sip_port (settings), ==, 5060);
  g_assert_cmpstr (helix_settings_get_sip_transport (settings), ==, "UDP");
  g_assert_true (helix_settings_get_close_to_tray (settings));
  g_assert_cmpuint (helix_settings_get_heartbeat_interval (settings), ==, 60);
  g_assert_cmpuint (g_strv_length ((GStrv) helix_settings_get_problems (settings)), ==, 0);
}

static void
test_unknown_preserved (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixSettings) settings =
    load_contents (fixture,
                   "{\n"
                   "  \"Future\": { \"Flag\": true },\n"
                   "  \"Sip\": { \"Server\": \"sip.example.com\", \"Extra\": [1, 2] },\n"
                   "  \"Version\": 3,\n"
                   "  \"SpeedDial\": [ { \"Name\": \"Support\", \"Number\": \"1001\", \"Favorite\": true } ]\n"
                   "}\n", &error);
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(GList) sip_members = NULL;
  JsonObject *sip;
  JsonObject *entry;

  g_assert_no_error (error);
  g_object_set (settings, "sip-port", 5061, NULL);
  g_assert_true (save_and_wait (settings, &error));
  g_assert_no_error (error);

  saved = parse_saved (fixture);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (saved, "Future"), "Flag"));
  g_assert_cmpint (json_object_get_int_member (saved, "Version"), ==, 3);

  sip = json_object_get_object_member (saved, "Sip");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sip, "Extra")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (sip, "Port"), ==, 5061);

  entry = json_array_get_object_element (json_object_get_array_member (saved, "SpeedDial"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "Name"), ==, "Support");
  g_assert_true (json_object_get_boolean_member (entry, "Favorite"));

  /* Existing keys keep their places; new ones are added after them */
  members = json_object_get_members (saved);
  g_assert_cmpstr (members->data, ==, "Future");
  g_assert_cmpstr (members->next->data, ==, "Sip");
  sip_members = json_object_get_members (sip);
  g_assert_cmpstr (sip_members->data, ==, "Server");
  g_assert_cmpstr (sip_members->next->data, ==, "Extra");
}

static void
test_syntax_error (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  /* The comma after "sip.example.com" on line 3 is missing */
  g_autoptr(HelixSettings) settings =
    load_contents (fixture,
                   "{\n"
                   "  \"Sip\": {\n"
                   "    \"Server\": \"sip.example.com\"\n"
                   "    \"Port\": 5061\n"
                   "  }\n"
                   "}\n", &error);
  g_autofree char *position = g_strdup_printf ("%s:3:", fixture->path);
  const char * const *problems = helix_settings_get_problems (settings);

  g_assert_error (error, HELIX_SETTINGS_ERROR, HELIX_SETTINGS_ERROR_SYNTAX);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, position));
  g_assert_true (g_regex_match_simple ("^.*:3:[0-9]+: ", error->message, 0, 0));
  g_assert_cmpuint (g_strv_length ((GStrv) problems), ==, 1);
  g_assert_cmpstr (problems[0], ==, error->message);
  assert_all_defaults (settings);
}

static void
test_root_not_object (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *cases[] = { "[ 1, 2 ]", "\"settings\"", "", "  \n" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HelixSettings) settings = load_contents (fixture, cases[i], &error);

      g_assert_error (error, HELIX_SETTINGS_ERROR, HELIX_SETTINGS_ERROR_SYNTAX);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, fixture->path));
      g_assert_nonnull (strstr (error->message, "expected a JSON object"));
      assert_all_defaults (settings);
    }
}

typedef struct
{
  const char *json;
  const char *words[4];   /* all must appear in the problem */
} InvalidCase;

static void
test_invalid_values (Fixture       *fixture,
                     gconstpointer  data)
{
  static const InvalidCase cases[] = {
    { "{ \"Sip\": { \"Port\": \"abc\" } }",
      { "Sip.Port: expected a whole number from 1 to 65535", "found the string \"abc\"", "using 5060" } },
    { "{ \"Sip\": { \"Port\": 70000 } }",
      { "Sip.Port: expected a whole number from 1 to 65535", "found the number 70000", "using 5060" } },
    { "{ \"Sip\": { \"Port\": 0 } }", { "Sip.Port:", "found the number 0" } },
    { "{ \"Sip\": { \"Port\": 5060.5 } }", { "Sip.Port:", "found the number 5060.5" } },
    { "{ \"Sip\": { \"Transport\": \"SCTP\" } }",
      { "Sip.Transport: expected \"UDP\", \"TCP\" or \"TLS\"", "found the string \"SCTP\"", "using \"UDP\"" } },
    { "{ \"Webhook\": { \"EndpointUrl\": \"not a url\" } }",
      { "Webhook.EndpointUrl: expected an http:// or https:// URL", "found the string \"not a url\"",
        "leaving it empty" } },
    { "{ \"Webhook\": { \"EndpointUrl\": \"ftp://x\" } }", { "Webhook.EndpointUrl:", "\"ftp://x\"" } },
    { "{ \"Webhook\": { \"HeartbeatIntervalSeconds\": 86401 } }",
      { "Webhook.HeartbeatIntervalSeconds: expected a whole number from 1 to 86400", "using 60" } },
    { "{ \"Recording\": { \"UploadUrl\": \"http://\" } }", { "Recording.UploadUrl:", "\"http://\"" } },
    { "{ \"Recording\": { \"Enabled\": \"yes\" } }",
      { "Recording.Enabled: expected true or false", "found the string \"yes\"", "using false" } },
    { "{ \"Crm\": { \"LookupUrl\": \"crm?phone={phone}\" } }", { "Crm.LookupUrl:", "{phone}" } },
    { "{ \"General\": { \"CloseToTray\": null } }", { "General.CloseToTray:", "found null", "using true" } },
    { "{ \"Audio\": { \"RingDevice\": 3 } }", { "Audio.RingDevice: expected a string", "found the number 3" } },
    { "{ \"Sip\": 5 }", { "Sip: expected an object", "found a number", "defaults" } },
    { "{ \"SpeedDial\": {} }", { "SpeedDial: expected an array", "found an object" } },
    { "{ \"SpeedDial\": [ { \"Name\": \"A\", \"Number\": \"1\" }, {}, 3, { \"Name\": \"B\", \"Number\": 2 } ] }",
      { "SpeedDial[1]: expected an object with string \"Name\" and \"Number\"", "skipping it" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HelixSettings) settings = load_contents (fixture, cases[i].json, &error);
      const char * const *problems = helix_settings_get_problems (settings);
      g_autofree char *prefix = g_strdup_printf ("%s: ", fixture->path);

      g_assert_error (error, HELIX_SETTINGS_ERROR, HELIX_SETTINGS_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_nonnull (problems[0]);
      for (guint j = 0; problems[j] != NULL; j++)
        g_assert_true (g_str_has_prefix (problems[j], prefix));
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].words) && cases[i].words[j] != NULL; j++)
        {
          g_assert_nonnull (strstr (problems[0], cases[i].words[j]));
          g_assert_nonnull (strstr (error->message, cases[i].words[j]));
        }
    }
}

static void
test_bad_speed_dial_entries_skipped (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixSettings) settings =
    load_contents (fixture,
                   "{ \"SpeedDial\": [ { \"Name\": \"A\", \"Number\": \"1\" }, {}, 3,\n"
                   "                   { \"Name\": \"B\", \"Number\": 2 }, { \"Name\": \"C\", \"Number\": \"3\" } ] }",
                   &error);
  GListModel *entries = helix_settings_get_speed_dial (settings);
  const char * const *problems = helix_settings_get_problems (settings);
  g_autoptr(HelixSpeedDial) last = NULL;

  g_assert_error (error, HELIX_SETTINGS_ERROR, HELIX_SETTINGS_ERROR_INVALID);
  g_assert_cmpuint (g_strv_length ((GStrv) problems), ==, 3);
  g_assert_nonnull (strstr (problems[0], "SpeedDial[1]:"));
  g_assert_nonnull (strstr (problems[1], "SpeedDial[2]:"));
  g_assert_nonnull (strstr (problems[2], "SpeedDial[3]:"));

  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
  last = g_list_model_get_item (entries, 1);
  g_assert_cmpstr (helix_speed_dial_get_name (last), ==, "C");
}

static void
test_transport_normalised (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixSettings) settings =
    load_contents (fixture, "{ \"Sip\": { \"Transport\": \"tcp\" } }", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (helix_settings_get_sip_transport (settings), ==, "TCP");

  g_clear_object (&settings);
  settings = load_contents (fixture, "{ \"Sip\": { \"Transport\": \"Tls\" } }", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (helix_settings_get_sip_transport (settings), ==, "TLS");
}

static void
test_wrong_type_others_load (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixSettings) settings =
    load_contents (fixture,
                   "{ \"Sip\": { \"Server\": \"sip.example.com\", \"Port\": \"abc\", \"Transport\": \"TLS\" },\n"
                   "  \"Webhook\": { \"EndpointUrl\": \"https://hooks.example.com/x\",\n"
                   "                \"HeartbeatIntervalSeconds\": 30 },\n"
                   "  \"General\": { \"DoNotDisturb\": \"yes\", \"CloseToTray\": false } }", &error);
  const char * const *problems = helix_settings_get_problems (settings);

  g_assert_error (error, HELIX_SETTINGS_ERROR, HELIX_SETTINGS_ERROR_INVALID);
  g_assert_cmpuint (g_strv_length ((GStrv) problems), ==, 2);
  g_assert_nonnull (strstr (problems[0], "Sip.Port"));
  g_assert_nonnull (strstr (problems[1], "General.DoNotDisturb"));
  g_assert_nonnull (strstr (error->message, "Sip.Port"));
  g_assert_nonnull (strstr (error->message, "General.DoNotDisturb"));

  g_assert_cmpuint (helix_settings_get_sip_port (settings), ==, 5060);
  g_assert_false (helix_settings_get_do_not_disturb (settings));
  g_assert_cmpstr (helix_settings_get_sip_server (settings), ==, "sip.example.com");
  g_assert_cmpstr (helix_settings_get_sip_transport (settings), ==, "TLS");
  g_assert_cmpstr (helix_settings_get_webhook_url (settings), ==, "https://hooks.example.com/x");
  g_assert_cmpuint (helix_settings_get_heartbeat_interval (settings), ==, 30);
  g_assert_false (helix_settings_get_close_to_tray (settings));
}

static void
test_broken_file_copied_aside (Fixture       *fixture,
                               gconstpointer  data)
{
  /* One file that is not JSON, one with a bad value */
  const char *broken = GPOINTER_TO_INT (data) == 0
    ? "{\n  \"Sip\": {\n    \"Server\": \"x\"\n    \"Port\": 5060\n  }\n}\n"
    : "{ \"Sip\": { \"Server\": \"x\", \"Port\": 70000 }, \"Mine\": 1 }\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixSettings) settings = load_contents (fixture, broken, &error);
  g_autoptr(HelixSettings) reloaded = helix_settings_new (fixture->path);
  g_autofree char *after_load = NULL;
  g_autofree char *copy_path = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *copy_name = NULL;

  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Loading never touches the user's file */
  after_load = read_file (fixture->path);
  g_assert_cmpstr (after_load, ==, broken);
  g_assert_cmpuint (count_broken_copies (fixture, NULL), ==, 0);

  g_assert_true (save_and_wait (settings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_broken_copies (fixture, &copy_path), ==, 1);
  copy = read_file (copy_path);
  g_assert_cmpstr (copy, ==, broken);
  g_assert_cmpuint (file_mode (copy_path), ==, 0600);
  copy_name = g_path_get_basename (copy_path);
  g_assert_true (g_regex_match_simple ("^settings\\.json\\.broken-[0-9]{8}T[0-9]{6}$", copy_name, 0, 0));

  g_assert_true (helix_settings_load (reloaded, &error));
  g_assert_no_error (error);

  /* Only the first save after the load keeps a copy */
  g_assert_true (save_and_wait (settings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_broken_copies (fixture, NULL), ==, 1);
}

static void
test_broken_copy_name_taken (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *broken = "{ \"Sip\": 5 }";
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixSettings) settings = load_contents (fixture, broken, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *directory = g_path_get_dirname (fixture->path);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *copy_path = NULL;
  g_autofree char *copy = NULL;
  const char *name;

  g_assert_nonnull (error);

  /* Take the names for the next few seconds so the save must add "-1" */
  for (int seconds = -1; seconds < 5; seconds++)
    {
      g_autoptr(GDateTime) then = g_date_time_add_seconds (now, seconds);
      g_autofree char *stamp = g_date_time_format (then, "%Y%m%dT%H%M%S");
      g_autofree char *taken = g_strdup_printf ("%s.broken-%s", fixture->path, stamp);

      write_file (taken, "taken");
    }

  g_clear_error (&error);
  g_assert_true (save_and_wait (settings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_broken_copies (fixture, NULL), ==, 7);

  dir = g_dir_open (directory, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, "-1"))
        copy_path = g_build_filename (directory, name, NULL);
    }
  g_assert_nonnull (copy_path);
  copy = read_file (copy_path);
  g_assert_cmpstr (copy, ==, broken);
}

static void
test_unreadable_file_not_overwritten (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(HelixSettings) settings = helix_settings_new (fixture->path);
  g_autoptr(GError) error = NULL;

  /* A directory where the file should be cannot be read, nor copied */
  g_assert_cmpint (g_mkdir_with_parents (fixture->path, 0700), ==, 0);
  g_assert_false (helix_settings_load (settings, &error));
  g_assert_error (error, HELIX_SETTINGS_ERROR, HELIX_SETTINGS_ERROR_IO);
  g_test_message ("%s", error->message);
  assert_all_defaults (settings);

  g_clear_error (&error);
  g_assert_false (save_and_wait (settings, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_DIR));
}

static void
assert_no_secret (const char * const *problems,
                  const char         *message)
{
  for (guint i = 0; problems[i] != NULL; i++)
    {
      g_test_message ("%s", problems[i]);
      g_assert_null (strstr (problems[i], SECRET));
      g_assert_null (strstr (problems[i], "31337"));
    }
  g_assert_null (strstr (message, SECRET));
  g_assert_null (strstr (message, "31337"));
}

static void
test_secrets_never_echoed (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *cases[] = {
    /* a valid password next to bad values */
    "{ \"Sip\": { \"Password\": \"" SECRET "\", \"Port\": \"abc\" }, \"Webhook\": { \"ApiKey\": 31337 } }",
    /* secrets of the wrong type */
    "{ \"Sip\": { \"Password\": [ \"" SECRET "\" ] }, \"Recording\": { \"ApiKey\": { \"k\": \"" SECRET "\" } } }",
    "{ \"Sip\": { \"Password\": 31337 }, \"Webhook\": { \"ApiKey\": true } }",
    /* a section that is a secret itself */
    "{ \"Sip\": \"" SECRET "\" }",
    /* syntax errors right at the secret: json-glib quotes the token */
    "{ \"Sip\": { \"Password\": \"" SECRET "\"\n \"Port\": 5060 } }",
    "{ \"Sip\": { \"Password\": " SECRET " } }",
    "{ \"Sip\": { \"Password\": \"" SECRET "\" ] } }",
    "{ \"Sip\": { \"Password\": \"x, expected " SECRET "\" 1 } }",
    "[ \"" SECRET "\" ]",
  };

  g_string_truncate (logged, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HelixSettings) settings = load_contents (fixture, cases[i], &error);

      g_assert_nonnull (error);
      assert_no_secret (helix_settings_get_problems (settings), error->message);

      g_clear_error (&error);
      g_assert_true (save_and_wait (settings, &error));
      g_assert_no_error (error);
    }

  /* Validation errors do not carry the value either */
  {
    g_auto(GValue) value = G_VALUE_INIT;
    g_autoptr(GError) error = NULL;

    g_value_init (&value, G_TYPE_INT);
    g_value_set_int (&value, 31337);
    g_assert_false (helix_settings_validate ("sip-password", &value, &error));
    g_assert_null (strstr (error->message, "31337"));
  }

  g_assert_nonnull (strstr (logged->str, "Loaded settings"));
  g_assert_null (strstr (logged->str, SECRET));
  g_assert_null (strstr (logged->str, "31337"));
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_notify (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(HelixSettings) settings = helix_settings_new (fixture->path);
  g_autoptr(GError) error = NULL;
  guint port = 0, server = 0, dnd = 0, any = 0;

  g_signal_connect (settings, "notify::sip-port", G_CALLBACK (on_notify), &port);
  g_signal_connect (settings, "notify::sip-server", G_CALLBACK (on_notify), &server);
  g_signal_connect (settings, "notify::general-do-not-disturb", G_CALLBACK (on_notify), &dnd);
  g_signal_connect (settings, "notify", G_CALLBACK (on_notify), &any);

  g_object_set (settings, "sip-port", 5061, NULL);
  g_assert_cmpuint (port, ==, 1);
  g_object_set (settings, "sip-port", 5061, NULL);
  g_assert_cmpuint (port, ==, 1);

  g_object_set (settings, "sip-server", "sip.example.com", NULL);
  g_object_set (settings, "sip-server", "sip.example.com", NULL);
  g_assert_cmpuint (server, ==, 1);
  g_object_set (settings, "sip-server", NULL, NULL);
  g_assert_cmpuint (server, ==, 2);
  g_assert_cmpstr (helix_settings_get_sip_server (settings), ==, "");
  g_object_set (settings, "sip-server", "", NULL);
  g_assert_cmpuint (server, ==, 2);

  g_object_set (settings, "general-do-not-disturb", FALSE, NULL);
  g_assert_cmpuint (dnd, ==, 0);
  g_object_set (settings, "general-do-not-disturb", TRUE, NULL);
  g_assert_cmpuint (dnd, ==, 1);
  g_assert_cmpuint (any, ==, 4);

  /* Loading notifies what changed, and only that */
  write_file (fixture->path, "{ \"Sip\": { \"Port\": 5061, \"Server\": \"other\" } }");
  any = 0;
  g_assert_true (helix_settings_load (settings, &error));
  g_assert_cmpuint (port, ==, 1);
  g_assert_cmpuint (server, ==, 3);
  g_assert_cmpuint (dnd, ==, 2);
  g_assert_cmpuint (any, ==, 2);

  any = 0;
  g_assert_true (helix_settings_load (settings, &error));
  g_assert_cmpuint (any, ==, 0);
}

static void
test_speed_dial_notify (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(HelixSettings) settings = helix_settings_new (fixture->path);
  GListStore *store = G_LIST_STORE (helix_settings_get_speed_dial (settings));
  g_autoptr(HelixSpeedDial) entry = helix_speed_dial_new ("Support", "1001");
  g_autoptr(GListModel) property = NULL;
  guint count = 0;

  g_object_get (settings, "speed-dial", &property, NULL);
  g_assert_true (property == G_LIST_MODEL (store));
  g_signal_connect (settings, "notify::speed-dial", G_CALLBACK (on_notify), &count);

  g_list_store_append (store, entry);
  g_assert_cmpuint (count, ==, 1);
  helix_speed_dial_set_number (entry, "1002");
  g_assert_cmpuint (count, ==, 2);
  helix_speed_dial_set_number (entry, "1002");
  g_assert_cmpuint (count, ==, 2);
  g_list_store_remove (store, 0);
  g_assert_cmpuint (count, ==, 3);

  /* Once removed, the entry is none of the settings' business */
  helix_speed_dial_set_name (entry, "Sales");
  g_assert_cmpuint (count, ==, 3);

  /* Nor after the settings are gone */
  g_list_store_append (store, entry);
  g_clear_object (&settings);
  helix_speed_dial_set_name (entry, "Support");
}

static void
test_queued_saves (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(HelixSettings) settings = helix_settings_new (fixture->path);
  g_autoptr(HelixSettings) reloaded = helix_settings_new (fixture->path);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (settings, "sip-server", "first", NULL);
  helix_settings_save_async (settings, NULL, on_saved, &first);
  g_object_set (settings, "sip-server", "second", NULL);
  helix_settings_save_async (settings, NULL, on_saved, &second);

  while (first == NULL || second == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (helix_settings_save_finish (settings, first, &error));
  g_assert_true (helix_settings_save_finish (settings, second, &error));
  g_assert_no_error (error);

  g_assert_true (helix_settings_load (reloaded, &error));
  g_assert_cmpstr (helix_settings_get_sip_server (reloaded), ==, "second");
}

static gboolean
validate_string (const char  *property,
                 const char  *string,
                 GError     **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, string);

  return helix_settings_validate (property, &value, error);
}

static gboolean
validate_int (const char *property,
              gint64      number)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, number);

  return helix_settings_validate (property, &value, NULL);
}

static void
test_validate (void)
{
  g_auto(GValue) boolean = G_VALUE_INIT;
  g_auto(GValue) uint = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_true (validate_int ("sip-port", 5060));
  g_assert_true (validate_int ("sip-port", 1));
  g_assert_true (validate_int ("sip-port", 65535));
  g_assert_false (validate_int ("sip-port", 0));
  g_assert_false (validate_int ("sip-port", 70000));
  g_assert_false (validate_int ("sip-port", -1));
  g_assert_true (validate_int ("webhook-heartbeat-interval-seconds", 86400));
  g_assert_false (validate_int ("webhook-heartbeat-interval-seconds", 86401));

  g_value_init (&uint, G_TYPE_UINT);
  g_value_set_uint (&uint, 5061);
  g_assert_true (helix_settings_validate ("sip-port", &uint, NULL));
  g_assert_false (helix_settings_validate ("sip-server", &uint, NULL));

  g_assert_false (validate_string ("sip-port", "5060", &error));
  g_assert_error (error, HELIX_SETTINGS_ERROR, HELIX_SETTINGS_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Sip.Port: expected a whole number from 1 to 65535");
  g_clear_error (&error);

  g_assert_true (validate_string ("sip-transport", "tcp", NULL));
  g_assert_true (validate_string ("sip-transport", "TLS", NULL));
  g_assert_false (validate_string ("sip-transport", "SCTP", &error));
  g_assert_nonnull (strstr (error->message, "Sip.Transport"));
  g_clear_error (&error);

  g_assert_true (validate_string ("webhook-endpoint-url", "", NULL));
  g_assert_true (validate_string ("webhook-endpoint-url", "https://hooks.example.com/status", NULL));
  g_assert_true (validate_string ("webhook-endpoint-url", "http://10.0.0.5:8080/hook", NULL));
  g_assert_false (validate_string ("webhook-endpoint-url", "not a url", NULL));
  g_assert_false (validate_string ("webhook-endpoint-url", "ftp://x", NULL));
  g_assert_false (validate_string ("webhook-endpoint-url", "https://", NULL));
  g_assert_false (validate_string ("recording-upload-url", "mailto:a@example.com", NULL));
  g_assert_true (validate_string ("crm-lookup-url", "https://crm.company.com/search?phone={phone}", NULL));
  g_assert_true (validate_string ("crm-lookup-url", "", NULL));
  g_assert_false (validate_string ("crm-lookup-url", "crm.company.com/search?phone={phone}", NULL));
  g_assert_true (validate_string ("sip-server", "anything", NULL));
  g_assert_true (validate_string ("sip-password", NULL, NULL));

  g_value_init (&boolean, G_TYPE_BOOLEAN);
  g_value_set_boolean (&boolean, TRUE);
  g_assert_true (helix_settings_validate ("recording-enabled", &boolean, NULL));
  g_assert_false (validate_string ("recording-enabled", "true", NULL));
}

static void
test_setters_store_as_given (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(HelixSettings) settings = helix_settings_new (fixture->path);

  /* Validation is the caller's job; setters neither warn nor refuse */
  g_object_set (settings,
                "sip-transport", "carrier pigeon",
                "webhook-endpoint-url", "not a url",
                NULL);
  g_assert_cmpstr (helix_settings_get_sip_transport (settings), ==, "carrier pigeon");
  g_assert_cmpstr (helix_settings_get_webhook_url (settings), ==, "not a url");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  logged = g_string_new (NULL);
  test_log_handler = g_log_set_default_handler (capture_log, NULL);

#define ADD(name, func, data) \
  g_test_add ("/settings/" name, Fixture, data, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/settings/default-path", test_default_path);
  ADD ("missing-file", test_missing_file, NULL);
  ADD ("save/existing-file-made-private", test_save_makes_existing_file_private, NULL);
  ADD ("round-trip", test_round_trip, NULL);
  ADD ("missing-keys", test_missing_keys, NULL);
  ADD ("unknown-keys-preserved", test_unknown_preserved, NULL);
  ADD ("malformed/syntax", test_syntax_error, NULL);
  ADD ("malformed/root-not-object", test_root_not_object, NULL);
  ADD ("malformed/invalid-values", test_invalid_values, NULL);
  ADD ("malformed/speed-dial-entries-skipped", test_bad_speed_dial_entries_skipped, NULL);
  ADD ("malformed/wrong-type-others-load", test_wrong_type_others_load, NULL);
  ADD ("transport-normalised", test_transport_normalised, NULL);
  ADD ("broken-copy/syntax", test_broken_file_copied_aside, GINT_TO_POINTER (0));
  ADD ("broken-copy/invalid", test_broken_file_copied_aside, GINT_TO_POINTER (1));
  ADD ("broken-copy/name-taken", test_broken_copy_name_taken, NULL);
  ADD ("broken-copy/unreadable", test_unreadable_file_not_overwritten, NULL);
  ADD ("secrets-never-echoed", test_secrets_never_echoed, NULL);
  ADD ("notify", test_notify, NULL);
  ADD ("speed-dial-notify", test_speed_dial_notify, NULL);
  ADD ("save/queued", test_queued_saves, NULL);
  ADD ("setters-store-as-given", test_setters_store_as_given, NULL);
  g_test_add_func ("/settings/validate", test_validate);

#undef ADD

  return g_test_run ();
}

/* helix-settings.c — settings.json: load and notify; the key table and
 * its rules are in helix-settings-keys.c, saving in helix-settings-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helix-settings"

#include "helix-settings.h"
#include "helix-settings-file.h"
#include "helix-settings-keys.h"
#include "helix-speed-dial.h"

#include <string.h>
#include <json-glib/json-glib.h>

#define SPEED_DIAL_MEMBER "SpeedDial"
#define SPEED_DIAL_ENTRY_EXPECTED "an object with string \"Name\" and \"Number\""

/* Property ids 1..N_KEYS are helix_setting_keys[prop_id - 1] */
#define KEY_PROP(id) ((id) + 1)

enum {
  PROP_0,
  PROP_SPEED_DIAL = KEY_PROP (N_KEYS),
  N_PROPS
};

static GParamSpec *props[N_PROPS];

struct _HelixSettings
{
  GObject     parent_instance;

  char       *path;
  GValue      values[N_KEYS];
  GListStore *speed_dial;
  /* Mirrors speed_dial so that removed entries can be unwatched */
  GPtrArray  *watched_entries;

  /* The whole file as last loaded: saving writes the known keys into it,
   * so keys and sections this version does not know survive. */
  JsonObject *root;
  GStrv       problems;
  /* What saving keeps between saves; only helix-settings-file.c looks in */
  HelixSettingsFile *file;
};

G_DEFINE_FINAL_TYPE (HelixSettings, helix_settings, G_TYPE_OBJECT)

G_DEFINE_QUARK (helix-settings-error-quark, helix_settings_error)

static void
set_key_value (HelixSettings *self,
               HelixSettingKeyId          id,
               const GValue  *value)
{
  GParamSpec *pspec = props[KEY_PROP (id)];

  if (g_param_values_cmp (pspec, &self->values[id], value) == 0)
    return;

  g_value_copy (value, &self->values[id]);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static JsonObject *
lookup_section (HelixSettings *self,
                const char    *name,
                GHashTable    *reported,
                GPtrArray     *problems)
{
  JsonNode *node = json_object_get_member (self->root, name);
  g_autofree char *found = NULL;

  if (node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);

  if (g_hash_table_add (reported, (gpointer) name))
    {
      /* A section may hold secrets, so only say what kind of thing it is */
      found = helix_settings_describe_node (node, TRUE);
      g_ptr_array_add (problems,
                       g_strdup_printf ("%s: %s: expected an object, found %s; using defaults for its keys",
                                        self->path, name, found));
    }

  return NULL;
}

static void
load_speed_dial (HelixSettings *self,
                 GPtrArray     *problems)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  JsonNode *node = json_object_get_member (self->root, SPEED_DIAL_MEMBER);
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->speed_dial));
  JsonArray *array = NULL;
  g_autofree char *found = NULL;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    array = json_node_get_array (node);
  else if (node != NULL)
    {
      found = helix_settings_describe_node (node, FALSE);
      g_ptr_array_add (problems,
                       g_strdup_printf ("%s: %s: expected an array of objects with string \"Name\" and "
                                        "\"Number\", found %s; using an empty list",
                                        self->path, SPEED_DIAL_MEMBER, found));
    }

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      HelixSpeedDial *entry = helix_speed_dial_new_from_json (element);

      if (entry != NULL)
        {
          g_ptr_array_add (entries, entry);
          continue;
        }

      g_clear_pointer (&found, g_free);
      found = helix_settings_describe_node (element, FALSE);
      g_ptr_array_add (problems,
                       g_strdup_printf ("%s: %s[%u]: expected %s, found %s; skipping it",
                                        self->path, SPEED_DIAL_MEMBER, i, SPEED_DIAL_ENTRY_EXPECTED, found));
    }

  if (n_old > 0 || entries->len > 0)
    g_list_store_splice (self->speed_dial, 0, n_old, entries->pdata, entries->len);
}

/* Sets every key from self->root, falling back to defaults */
static void
apply_root (HelixSettings *self,
            GPtrArray     *problems)
{
  g_autoptr(GHashTable) reported = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < N_KEYS; i++)
    {
      const HelixSettingKey *key = &helix_setting_keys[i];
      JsonObject *section = lookup_section (self, key->section, reported, problems);
      JsonNode *node = section ? json_object_get_member (section, key->key) : NULL;
      g_auto(GValue) found = G_VALUE_INIT;
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, key->type);
      g_param_value_set_default (props[KEY_PROP (i)], &value);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
        json_node_get_value (node, &found);

      if (node != NULL && (!G_IS_VALUE (&found) || !helix_setting_key_convert (key, &found, &value)))
        {
          g_autofree char *expected = helix_setting_key_describe_expected (key);
          g_autofree char *what = helix_settings_describe_node (node, key->secret);
          g_autofree char *fallback = helix_settings_describe_fallback (&value);

          g_ptr_array_add (problems,
                           g_strdup_printf ("%s: %s.%s: expected %s, found %s; %s", self->path,
                                            key->section, key->key, expected, what, fallback));
        }

      set_key_value (self, i, &value);
    }

  load_speed_dial (self, problems);
}

static void
on_speed_dial_entry_notify (HelixSettings *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SPEED_DIAL]);
}

static void
on_speed_dial_items_changed (HelixSettings *self,
                             guint          position,
                             guint          removed,
                             guint          added,
                             GListModel    *model)
{
  for (guint i = 0; i < removed; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched_entries, position + i), self);
  g_ptr_array_remove_range (self->watched_entries, position, removed);

  for (guint i = 0; i < added; i++)
    {
      HelixSpeedDial *entry = g_list_model_get_item (model, position + i);

      g_signal_connect_swapped (entry, "notify", G_CALLBACK (on_speed_dial_entry_notify), self);
      g_ptr_array_insert (self->watched_entries, position + i, entry);
    }

  on_speed_dial_entry_notify (self);
}

static void
helix_settings_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HelixSettings *self = HELIX_SETTINGS (object);

  if (prop_id == PROP_SPEED_DIAL)
    g_value_set_object (value, self->speed_dial);
  else if (prop_id >= KEY_PROP (0) && prop_id < KEY_PROP (N_KEYS))
    g_value_copy (&self->values[prop_id - KEY_PROP (0)], value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

/* Values from code are stored as given, without the transport and URL
 * rules: a preferences page calls helix_settings_validate() first, and
 * code that sets a value on purpose should not be second-guessed. */
static void
helix_settings_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  g_auto(GValue) empty = G_VALUE_INIT;

  if (prop_id < KEY_PROP (0) || prop_id >= KEY_PROP (N_KEYS))
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  /* Getters promise "" rather than NULL */
  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) == NULL)
    {
      g_value_init (&empty, G_TYPE_STRING);
      g_value_set_static_string (&empty, "");
      value = &empty;
    }

  set_key_value (HELIX_SETTINGS (object), prop_id - KEY_PROP (0), value);
}

static void
helix_settings_dispose (GObject *object)
{
  HelixSettings *self = HELIX_SETTINGS (object);

  /* The store and its entries may be held elsewhere and outlive us */
  if (self->speed_dial != NULL)
    g_signal_handlers_disconnect_by_data (self->speed_dial, self);
  for (guint i = 0; i < self->watched_entries->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched_entries, i), self);

  g_ptr_array_set_size (self->watched_entries, 0);
  g_clear_object (&self->speed_dial);

  G_OBJECT_CLASS (helix_settings_parent_class)->dispose (object);
}

static void
helix_settings_finalize (GObject *object)
{
  HelixSettings *self = HELIX_SETTINGS (object);

  for (guint i = 0; i < N_KEYS; i++)
    g_value_unset (&self->values[i]);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->watched_entries, g_ptr_array_unref);
  g_clear_pointer (&self->root, json_object_unref);
  g_clear_pointer (&self->problems, g_strfreev);
  g_clear_pointer (&self->file, helix_settings_file_free);

  G_OBJECT_CLASS (helix_settings_parent_class)->finalize (object);
}

static GParamSpec *
key_param_spec (const HelixSettingKey *key)
{
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  if (key->type == G_TYPE_UINT)
    return g_param_spec_uint (key->property, NULL, NULL, key->min, key->max, key->default_uint, flags);

  if (key->type == G_TYPE_BOOLEAN)
    return g_param_spec_boolean (key->property, NULL, NULL, key->default_boolean, flags);

  return g_param_spec_string (key->property, NULL, NULL,
                              key->default_string ? key->default_string : "", flags);
}

static void
helix_settings_class_init (HelixSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = helix_settings_get_property;
  object_class->set_property = helix_settings_set_property;
  object_class->dispose = helix_settings_dispose;
  object_class->finalize = helix_settings_finalize;

  for (guint i = 0; i < N_KEYS; i++)
    props[KEY_PROP (i)] = key_param_spec (&helix_setting_keys[i]);

  /* Notified when entries are added, removed or edited */
  props[PROP_SPEED_DIAL] =
    g_param_spec_object ("speed-dial", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
helix_settings_init (HelixSettings *self)
{
  for (guint i = 0; i < N_KEYS; i++)
    {
      g_value_init (&self->values[i], helix_setting_keys[i].type);
      g_param_value_set_default (props[KEY_PROP (i)], &self->values[i]);
    }

  self->root = json_object_new ();
  self->problems = g_new0 (char *, 1);
  self->file = helix_settings_file_new ();
  self->watched_entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->speed_dial = g_list_store_new (HELIX_TYPE_SPEED_DIAL);
  g_signal_connect_swapped (self->speed_dial, "items-changed",
                            G_CALLBACK (on_speed_dial_items_changed), self);
}

char *
helix_settings_default_path (void)
{
  /* On Windows the user config dir is %LOCALAPPDATA%, where the docs say */
  return g_build_filename (g_get_user_config_dir (), "HelixPhone", "settings.json", NULL);
}

HelixSettings *
helix_settings_new (const char *path)
{
  HelixSettings *self = g_object_new (HELIX_TYPE_SETTINGS, NULL);

  self->path = path ? g_strdup (path) : helix_settings_default_path ();

  return self;
}

const char *
helix_settings_get_path (HelixSettings *self)
{
  g_return_val_if_fail (HELIX_IS_SETTINGS (self), NULL);

  return self->path;
}

/* Reads the file into self->root; returns the error code for problems */
static HelixSettingsError
read_root (HelixSettings *self,
           GPtrArray     *problems)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *found = NULL;
  gsize length = 0;
  JsonNode *root;

  if (!g_file_get_contents (self->path, &contents, &length, &error))
    {
      /* A missing file is a first start, not a problem */
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_ptr_array_add (problems, g_strdup (error->message));
      return HELIX_SETTINGS_ERROR_IO;
    }

  if (!json_parser_load_from_data (parser, contents, (gssize) length, &error))
    {
      g_ptr_array_add (problems, helix_settings_describe_syntax_error (self->path, error->message));
      return HELIX_SETTINGS_ERROR_SYNTAX;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      found = helix_settings_describe_node (root, TRUE);
      g_ptr_array_add (problems, g_strdup_printf ("%s: expected a JSON object at the top level, found %s",
                                                  self->path, found));
      return HELIX_SETTINGS_ERROR_SYNTAX;
    }

  g_clear_pointer (&self->root, json_object_unref);
  self->root = json_object_ref (json_node_get_object (root));

  return HELIX_SETTINGS_ERROR_INVALID;
}

gboolean
helix_settings_load (HelixSettings  *self,
                     GError        **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  HelixSettingsError code;

  g_return_val_if_fail (HELIX_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_clear_pointer (&self->root, json_object_unref);
  self->root = json_object_new ();
  code = read_root (self, problems);

  g_object_freeze_notify (G_OBJECT (self));
  apply_root (self, problems);
  g_object_thaw_notify (G_OBJECT (self));

  /* The user's file is left alone here; the first save copies it aside */
  helix_settings_file_set_backup_pending (self->file, problems->len > 0);

  g_ptr_array_add (problems, NULL);
  g_strfreev (self->problems);
  self->problems = (GStrv) g_ptr_array_free (g_steal_pointer (&problems), FALSE);

  if (self->problems[0] == NULL)
    {
      g_debug ("Loaded settings from %s", self->path);
      return TRUE;
    }

  g_debug ("Loaded settings from %s with problems", self->path);
  joined = g_strjoinv ("\n", self->problems);
  g_set_error_literal (error, HELIX_SETTINGS_ERROR, code, joined);

  return FALSE;
}

const char * const *
helix_settings_get_problems (HelixSettings *self)
{
  g_return_val_if_fail (HELIX_IS_SETTINGS (self), NULL);

  return (const char * const *) self->problems;
}

HelixSettingsFile *
helix_settings_get_file (HelixSettings *self)
{
  return self->file;
}

JsonObject *
helix_settings_update_root (HelixSettings *self)
{
  GListModel *model = G_LIST_MODEL (self->speed_dial);
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < N_KEYS; i++)
    {
      JsonNode *section = json_object_get_member (self->root, helix_setting_keys[i].section);
      JsonObject *object;
      const GValue *value = &self->values[i];

      /* Anything else here was reported by load and is in the copy */
      if (section == NULL || !JSON_NODE_HOLDS_OBJECT (section))
        json_object_set_object_member (self->root, helix_setting_keys[i].section, json_object_new ());
      object = json_object_get_object_member (self->root, helix_setting_keys[i].section);

      if (G_VALUE_HOLDS_STRING (value))
        json_object_set_string_member (object, helix_setting_keys[i].key, g_value_get_string (value));
      else if (G_VALUE_HOLDS_UINT (value))
        json_object_set_int_member (object, helix_setting_keys[i].key, g_value_get_uint (value));
      else
        json_object_set_boolean_member (object, helix_setting_keys[i].key, g_value_get_boolean (value));
    }

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HelixSpeedDial) entry = g_list_model_get_item (model, i);

      json_array_add_element (array, helix_speed_dial_to_json (entry));
    }
  json_object_set_array_member (self->root, SPEED_DIAL_MEMBER, array);

  return self->root;
}

/* The typed getters only differ in key and type */
#define DEFINE_GETTER(ReturnType, name, value_getter, id)                 \
  ReturnType                                                              \
  helix_settings_get_##name (HelixSettings *self)                         \
  {                                                                       \
    g_return_val_if_fail (HELIX_IS_SETTINGS (self), (ReturnType) 0);      \
    return value_getter (&self->values[id]);                              \
  }

DEFINE_GETTER (const char *, sip_server, g_value_get_string, KEY_SIP_SERVER)
DEFINE_GETTER (guint, sip_port, g_value_get_uint, KEY_SIP_PORT)
DEFINE_GETTER (const char *, sip_transport, g_value_get_string, KEY_SIP_TRANSPORT)
DEFINE_GETTER (const char *, sip_username, g_value_get_string, KEY_SIP_USERNAME)
DEFINE_GETTER (const char *, sip_password, g_value_get_string, KEY_SIP_PASSWORD)
DEFINE_GETTER (const char *, webhook_url, g_value_get_string, KEY_WEBHOOK_ENDPOINT_URL)
DEFINE_GETTER (const char *, webhook_key, g_value_get_string, KEY_WEBHOOK_API_KEY)
DEFINE_GETTER (guint, heartbeat_interval, g_value_get_uint, KEY_WEBHOOK_HEARTBEAT_INTERVAL)
DEFINE_GETTER (gboolean, recording_enabled, g_value_get_boolean, KEY_RECORDING_ENABLED)
DEFINE_GETTER (const char *, recording_upload_url, g_value_get_string, KEY_RECORDING_UPLOAD_URL)
DEFINE_GETTER (const char *, recording_api_key, g_value_get_string, KEY_RECORDING_API_KEY)
DEFINE_GETTER (const char *, recording_folder, g_value_get_string, KEY_RECORDING_FOLDER)
DEFINE_GETTER (gboolean, recording_keep_after_upload, g_value_get_boolean, KEY_RECORDING_KEEP_AFTER_UPLOAD)
DEFINE_GETTER (gboolean, auto_answer, g_value_get_boolean, KEY_GENERAL_AUTO_ANSWER)
DEFINE_GETTER (gboolean, crm_enabled, g_value_get_boolean, KEY_CRM_ENABLED)
DEFINE_GETTER (const char *, crm_lookup_url, g_value_get_string, KEY_CRM_LOOKUP_URL)
DEFINE_GETTER (gboolean, close_to_tray, g_value_get_boolean, KEY_GENERAL_CLOSE_TO_TRAY)
DEFINE_GETTER (gboolean, auto_register, g_value_get_boolean, KEY_GENERAL_AUTO_REGISTER)
DEFINE_GETTER (gboolean, do_not_disturb, g_value_get_boolean, KEY_GENERAL_DO_NOT_DISTURB)
DEFINE_GETTER (const char *, audio_input_device, g_value_get_string, KEY_AUDIO_INPUT_DEVICE)
DEFINE_GETTER (const char *, audio_output_device, g_value_get_string, KEY_AUDIO_OUTPUT_DEVICE)
DEFINE_GETTER (const char *, audio_ring_device, g_value_get_string, KEY_AUDIO_RING_DEVICE)

char *
helix_settings_dup_recordings_dir (HelixSettings *self)
{
  const char *folder;

  g_return_val_if_fail (HELIX_IS_SETTINGS (self), NULL);

  folder = helix_settings_get_recording_folder (self);
  if (folder[0] != '\0')
    return g_strdup (folder);
  return g_build_filename (g_get_user_data_dir (), "HelixPhone", "recordings", NULL);
}

GListModel *
helix_settings_get_speed_dial (HelixSettings *self)
{
  g_return_val_if_fail (HELIX_IS_SETTINGS (self), NULL);

  return G_LIST_MODEL (self->speed_dial);
}

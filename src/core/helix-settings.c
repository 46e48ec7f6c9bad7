/* helix-settings.c — settings.json: keys, load, validate, notify; saving
 * is in helix-settings-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helix-settings"

#include "helix-settings.h"
#include "helix-settings-file.h"
#include "helix-speed-dial.h"

#include <string.h>
#include <json-glib/json-glib.h>

/* Returns the value to store (possibly normalised), or NULL if unacceptable */
typedef char *(*HelixCheckFunc) (const char *value);

typedef struct
{
  const char     *section;
  const char     *key;
  const char     *property;
  GType           type;          /* G_TYPE_STRING, G_TYPE_UINT or G_TYPE_BOOLEAN */
  gboolean        secret;        /* never echoed in problems or logs */
  const char     *default_string;
  guint           default_uint;
  gboolean        default_boolean;
  guint           min;
  guint           max;
  HelixCheckFunc  check;
  const char     *expected;      /* what @check accepts, for messages */
} SettingKey;

/* Adding a key to settings.json takes a KeyId, a row in keys[] and, if
 * wanted, a typed getter; load, save, validation and the GObject property
 * all follow from the row. */
typedef enum
{
  KEY_SIP_SERVER,
  KEY_SIP_PORT,
  KEY_SIP_TRANSPORT,
  KEY_SIP_USERNAME,
  KEY_SIP_PASSWORD,
  KEY_WEBHOOK_ENDPOINT_URL,
  KEY_WEBHOOK_API_KEY,
  KEY_WEBHOOK_HEARTBEAT_INTERVAL,
  KEY_RECORDING_ENABLED,
  KEY_RECORDING_UPLOAD_URL,
  KEY_RECORDING_API_KEY,
  KEY_RECORDING_FOLDER,
  KEY_RECORDING_KEEP_AFTER_UPLOAD,
  KEY_CRM_ENABLED,
  KEY_CRM_LOOKUP_URL,
  KEY_GENERAL_CLOSE_TO_TRAY,
  KEY_GENERAL_AUTO_REGISTER,
  KEY_GENERAL_DO_NOT_DISTURB,
  KEY_GENERAL_AUTO_ANSWER,
  KEY_AUDIO_INPUT_DEVICE,
  KEY_AUDIO_OUTPUT_DEVICE,
  KEY_AUDIO_RING_DEVICE,
  N_KEYS
} KeyId;

static char *check_transport (const char *value);
static char *check_web_url   (const char *value);
static char *check_crm_url   (const char *value);

#define WEB_URL_EXPECTED "an http:// or https:// URL with a host name, or \"\""

static const SettingKey keys[N_KEYS] = {
  [KEY_SIP_SERVER] = { "Sip", "Server", "sip-server", G_TYPE_STRING },
  [KEY_SIP_PORT] = { "Sip", "Port", "sip-port", G_TYPE_UINT,
                     .default_uint = 5060, .min = 1, .max = 65535 },
  [KEY_SIP_TRANSPORT] = { "Sip", "Transport", "sip-transport", G_TYPE_STRING,
                          .default_string = "UDP", .check = check_transport,
                          .expected = "\"UDP\", \"TCP\" or \"TLS\"" },
  [KEY_SIP_USERNAME] = { "Sip", "Username", "sip-username", G_TYPE_STRING },
  [KEY_SIP_PASSWORD] = { "Sip", "Password", "sip-password", G_TYPE_STRING, .secret = TRUE },

  [KEY_WEBHOOK_ENDPOINT_URL] = { "Webhook", "EndpointUrl", "webhook-endpoint-url", G_TYPE_STRING,
                                 .check = check_web_url, .expected = WEB_URL_EXPECTED },
  [KEY_WEBHOOK_API_KEY] = { "Webhook", "ApiKey", "webhook-api-key", G_TYPE_STRING, .secret = TRUE },
  [KEY_WEBHOOK_HEARTBEAT_INTERVAL] = { "Webhook", "HeartbeatIntervalSeconds",
                                       "webhook-heartbeat-interval-seconds", G_TYPE_UINT,
                                       .default_uint = 60, .min = 1, .max = 86400 },

  [KEY_RECORDING_ENABLED] = { "Recording", "Enabled", "recording-enabled", G_TYPE_BOOLEAN },
  [KEY_RECORDING_UPLOAD_URL] = { "Recording", "UploadUrl", "recording-upload-url", G_TYPE_STRING,
                                 .check = check_web_url, .expected = WEB_URL_EXPECTED },
  [KEY_RECORDING_API_KEY] = { "Recording", "ApiKey", "recording-api-key", G_TYPE_STRING, .secret = TRUE },
  /* "" means g_get_user_data_dir()/HelixPhone/recordings */
  [KEY_RECORDING_FOLDER] = { "Recording", "Folder", "recording-folder", G_TYPE_STRING },
  [KEY_RECORDING_KEEP_AFTER_UPLOAD] = { "Recording", "KeepAfterUpload", "recording-keep-after-upload",
                                        G_TYPE_BOOLEAN, .default_boolean = TRUE },

  [KEY_CRM_ENABLED] = { "Crm", "Enabled", "crm-enabled", G_TYPE_BOOLEAN },
  [KEY_CRM_LOOKUP_URL] = { "Crm", "LookupUrl", "crm-lookup-url", G_TYPE_STRING,
                           .check = check_crm_url,
                           .expected = "an http:// or https:// URL with a host name "
                                       "(it may contain {phone}), or \"\"" },

  [KEY_GENERAL_CLOSE_TO_TRAY] = { "General", "CloseToTray", "general-close-to-tray", G_TYPE_BOOLEAN,
                                  .default_boolean = TRUE },
  [KEY_GENERAL_AUTO_REGISTER] = { "General", "AutoRegister", "general-auto-register", G_TYPE_BOOLEAN,
                                  .default_boolean = TRUE },
  [KEY_GENERAL_DO_NOT_DISTURB] = { "General", "DoNotDisturb", "general-do-not-disturb", G_TYPE_BOOLEAN },
  [KEY_GENERAL_AUTO_ANSWER] = { "General", "AutoAnswer", "general-auto-answer", G_TYPE_BOOLEAN },

  /* GStreamer device names; "" means the system default */
  [KEY_AUDIO_INPUT_DEVICE] = { "Audio", "InputDevice", "audio-input-device", G_TYPE_STRING },
  [KEY_AUDIO_OUTPUT_DEVICE] = { "Audio", "OutputDevice", "audio-output-device", G_TYPE_STRING },
  [KEY_AUDIO_RING_DEVICE] = { "Audio", "RingDevice", "audio-ring-device", G_TYPE_STRING },
};

#define SPEED_DIAL_MEMBER "SpeedDial"
#define SPEED_DIAL_ENTRY_EXPECTED "an object with string \"Name\" and \"Number\""

/* Property ids 1..N_KEYS are keys[prop_id - 1] */
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

static char *
check_transport (const char *value)
{
  static const char * const transports[] = { "UDP", "TCP", "TLS" };

  /* People write "tcp" by hand; the SIP stack wants one spelling */
  for (guint i = 0; i < G_N_ELEMENTS (transports); i++)
    {
      if (g_ascii_strcasecmp (value, transports[i]) == 0)
        return g_strdup (transports[i]);
    }

  return NULL;
}

static char *
check_web_url (const char *value)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (*value == '\0')
    return g_strdup (value);

  if ((uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL)) == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || host == NULL || *host == '\0')
    return NULL;

  return g_strdup (value);
}

static char *
check_crm_url (const char *value)
{
  g_autoptr(GString) probe = g_string_new (value);
  g_autofree char *checked = NULL;

  /* "{" is not allowed in a URI, so check what will actually be opened */
  g_string_replace (probe, "{phone}", "0", 0);
  checked = check_web_url (probe->str);

  return checked ? g_strdup (value) : NULL;
}

/* Converts @in (a JSON scalar, or a value from a preferences page) into
 * @out, initialised to the key's type; load and helix_settings_validate()
 * share it so that both apply the same rules. */
static gboolean
convert_value (const SettingKey *key,
               const GValue     *in,
               GValue           *out)
{
  g_autofree char *checked = NULL;
  const char *string;
  gint64 number;

  if (key->type == G_TYPE_BOOLEAN)
    {
      if (!G_VALUE_HOLDS_BOOLEAN (in))
        return FALSE;
      g_value_set_boolean (out, g_value_get_boolean (in));
      return TRUE;
    }

  if (key->type == G_TYPE_UINT)
    {
      if (G_VALUE_HOLDS_INT64 (in))
        number = g_value_get_int64 (in);
      else if (G_VALUE_HOLDS_INT (in))
        number = g_value_get_int (in);
      else if (G_VALUE_HOLDS_UINT (in))
        number = g_value_get_uint (in);
      else
        return FALSE;

      if (number < key->min || number > key->max)
        return FALSE;
      g_value_set_uint (out, (guint) number);
      return TRUE;
    }

  if (!G_VALUE_HOLDS_STRING (in))
    return FALSE;

  string = g_value_get_string (in) ? g_value_get_string (in) : "";
  if (key->check != NULL && (checked = key->check (string)) == NULL)
    return FALSE;

  g_value_set_string (out, checked ? checked : string);
  return TRUE;
}

static char *
describe_expected (const SettingKey *key)
{
  if (key->type == G_TYPE_BOOLEAN)
    return g_strdup ("true or false");

  if (key->type == G_TYPE_UINT)
    return g_strdup_printf ("a whole number from %u to %u", key->min, key->max);

  return g_strdup (key->expected ? key->expected : "a string");
}

/* What the file held, for a message. With @secret only its kind: these
 * messages end up in dialogs, logs and bug reports. */
static char *
describe_node (JsonNode *node,
               gboolean  secret)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  GType type;

  if (node == NULL)
    return g_strdup ("nothing");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("an array");
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");

  type = json_node_get_value_type (node);

  if (type == G_TYPE_STRING)
    return secret ? g_strdup ("a string")
                  : g_strdup_printf ("the string \"%s\"", json_node_get_string (node));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (secret ? "a boolean" : json_node_get_boolean (node) ? "true" : "false");
  if (secret)
    return g_strdup ("a number");
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("the number %" G_GINT64_FORMAT, json_node_get_int (node));

  return g_strdup_printf ("the number %s",
                          g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
}

static char *
describe_fallback (const GValue *fallback)
{
  if (G_VALUE_HOLDS_UINT (fallback))
    return g_strdup_printf ("using %u", g_value_get_uint (fallback));

  if (G_VALUE_HOLDS_BOOLEAN (fallback))
    return g_strdup (g_value_get_boolean (fallback) ? "using true" : "using false");

  if (*g_value_get_string (fallback) == '\0')
    return g_strdup ("leaving it empty");

  return g_strdup_printf ("using \"%s\"", g_value_get_string (fallback));
}

/* json-glib quotes the offending token ("unexpected string constant
 * "hunter2"") and that token may be a password, so keep the position, the
 * kind of token and what was expected, but never the token itself. */
static char *
describe_syntax_error (const char *path,
                       const char *message)
{
  g_autoptr(GRegex) token = NULL;
  g_autofree char *safe = NULL;
  const char *separator = ": ";

  /* "<data>:3:14: Parse error: …" becomes "/…/settings.json:3:14: Parse error: …" */
  if (g_str_has_prefix (message, "<data>:"))
    {
      message += strlen ("<data>:");
      separator = ":";
    }

  token = g_regex_new ("^(.*?) *[\"`].*?(, expected [a-z() ]+(?: `.')?)?$", G_REGEX_DOTALL, 0, NULL);
  safe = g_regex_replace (token, message, -1, 0, "\\1\\2", 0, NULL);

  return g_strdup_printf ("%s%s%s", path, separator, safe ? safe : "not valid JSON");
}

static void
set_key_value (HelixSettings *self,
               KeyId          id,
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
      found = describe_node (node, TRUE);
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
      found = describe_node (node, FALSE);
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
      found = describe_node (element, FALSE);
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
      const SettingKey *key = &keys[i];
      JsonObject *section = lookup_section (self, key->section, reported, problems);
      JsonNode *node = section ? json_object_get_member (section, key->key) : NULL;
      g_auto(GValue) found = G_VALUE_INIT;
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, key->type);
      g_param_value_set_default (props[KEY_PROP (i)], &value);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
        json_node_get_value (node, &found);

      if (node != NULL && (!G_IS_VALUE (&found) || !convert_value (key, &found, &value)))
        {
          g_autofree char *expected = describe_expected (key);
          g_autofree char *what = describe_node (node, key->secret);
          g_autofree char *fallback = describe_fallback (&value);

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
key_param_spec (const SettingKey *key)
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
    props[KEY_PROP (i)] = key_param_spec (&keys[i]);

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
      g_value_init (&self->values[i], keys[i].type);
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
      g_ptr_array_add (problems, describe_syntax_error (self->path, error->message));
      return HELIX_SETTINGS_ERROR_SYNTAX;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      found = describe_node (root, TRUE);
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
      JsonNode *section = json_object_get_member (self->root, keys[i].section);
      JsonObject *object;
      const GValue *value = &self->values[i];

      /* Anything else here was reported by load and is in the copy */
      if (section == NULL || !JSON_NODE_HOLDS_OBJECT (section))
        json_object_set_object_member (self->root, keys[i].section, json_object_new ());
      object = json_object_get_object_member (self->root, keys[i].section);

      if (G_VALUE_HOLDS_STRING (value))
        json_object_set_string_member (object, keys[i].key, g_value_get_string (value));
      else if (G_VALUE_HOLDS_UINT (value))
        json_object_set_int_member (object, keys[i].key, g_value_get_uint (value));
      else
        json_object_set_boolean_member (object, keys[i].key, g_value_get_boolean (value));
    }

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HelixSpeedDial) entry = g_list_model_get_item (model, i);

      json_array_add_element (array, helix_speed_dial_to_json (entry));
    }
  json_object_set_array_member (self->root, SPEED_DIAL_MEMBER, array);

  return self->root;
}

gboolean
helix_settings_validate (const char    *property_name,
                         const GValue  *value,
                         GError       **error)
{
  g_auto(GValue) converted = G_VALUE_INIT;
  g_autofree char *expected = NULL;
  const SettingKey *key = NULL;

  g_return_val_if_fail (property_name != NULL, FALSE);
  g_return_val_if_fail (G_IS_VALUE (value), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < N_KEYS && key == NULL; i++)
    {
      if (g_str_equal (keys[i].property, property_name))
        key = &keys[i];
    }
  g_return_val_if_fail (key != NULL, FALSE);

  g_value_init (&converted, key->type);
  if (convert_value (key, value, &converted))
    return TRUE;

  /* The page shows what was typed, so the value is not repeated */
  expected = describe_expected (key);
  g_set_error (error, HELIX_SETTINGS_ERROR, HELIX_SETTINGS_ERROR_INVALID,
               "%s.%s: expected %s", key->section, key->key, expected);

  return FALSE;
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

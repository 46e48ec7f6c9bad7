/* helix-settings-keys.c — the settings.json key table and the rules a
 * value must meet, shared by load and by helix_settings_validate()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helix-settings"

#include "helix-settings-keys.h"

#include <string.h>

static char *check_transport (const char *value);
static char *check_web_url   (const char *value);
static char *check_crm_url   (const char *value);

#define WEB_URL_EXPECTED "an http:// or https:// URL with a host name, or \"\""

const HelixSettingKey helix_setting_keys[N_KEYS] = {
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
gboolean
helix_setting_key_convert (const HelixSettingKey *key,
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

char *
helix_setting_key_describe_expected (const HelixSettingKey *key)
{
  if (key->type == G_TYPE_BOOLEAN)
    return g_strdup ("true or false");

  if (key->type == G_TYPE_UINT)
    return g_strdup_printf ("a whole number from %u to %u", key->min, key->max);

  return g_strdup (key->expected ? key->expected : "a string");
}

/* What the file held, for a message. With @secret only its kind: these
 * messages end up in dialogs, logs and bug reports. */
char *
helix_settings_describe_node (JsonNode *node,
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

char *
helix_settings_describe_fallback (const GValue *fallback)
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
char *
helix_settings_describe_syntax_error (const char *path,
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

gboolean
helix_settings_validate (const char    *property_name,
                         const GValue  *value,
                         GError       **error)
{
  g_auto(GValue) converted = G_VALUE_INIT;
  g_autofree char *expected = NULL;
  const HelixSettingKey *key = NULL;

  g_return_val_if_fail (property_name != NULL, FALSE);
  g_return_val_if_fail (G_IS_VALUE (value), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < N_KEYS && key == NULL; i++)
    {
      if (g_str_equal (helix_setting_keys[i].property, property_name))
        key = &helix_setting_keys[i];
    }
  g_return_val_if_fail (key != NULL, FALSE);

  g_value_init (&converted, key->type);
  if (helix_setting_key_convert (key, value, &converted))
    return TRUE;

  /* The page shows what was typed, so the value is not repeated */
  expected = helix_setting_key_describe_expected (key);
  g_set_error (error, HELIX_SETTINGS_ERROR, HELIX_SETTINGS_ERROR_INVALID,
               "%s.%s: expected %s", key->section, key->key, expected);

  return FALSE;
}

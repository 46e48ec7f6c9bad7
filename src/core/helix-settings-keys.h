/* helix-settings-keys.h — the settings.json key table; private to src/core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "helix-settings.h"

G_BEGIN_DECLS

/* Returns the value to store (possibly normalised), or NULL if unacceptable */
typedef char *(*HelixSettingCheckFunc) (const char *value);

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
  HelixSettingCheckFunc check;
  const char     *expected;      /* what @check accepts, for messages */
} HelixSettingKey;

/* Adding a key to settings.json takes a HelixSettingKeyId, a row in
 * helix_setting_keys[] and, if
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
} HelixSettingKeyId;

extern const HelixSettingKey helix_setting_keys[N_KEYS];

/* Converts @in (a JSON scalar, or a value from a preferences page) into
 * @out, initialised to the key's type; load and helix_settings_validate()
 * share it so that both apply the same rules. */
gboolean helix_setting_key_convert            (const HelixSettingKey *key,
                                               const GValue          *in,
                                               GValue                *out);
/* Words for messages: what a key accepts, what the file held (only its
 * kind for a secret), what is used instead, and a JSON syntax error
 * without the offending token. */
char    *helix_setting_key_describe_expected  (const HelixSettingKey *key);
char    *helix_settings_describe_node         (JsonNode              *node,
                                               gboolean               secret);
char    *helix_settings_describe_fallback     (const GValue          *fallback);
char    *helix_settings_describe_syntax_error (const char            *path,
                                               const char            *message);

G_END_DECLS

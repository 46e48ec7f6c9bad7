/* helix-settings.h — settings.json: load, validate, save, notify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HELIX_SETTINGS_ERROR (helix_settings_error_quark ())

typedef enum {
  HELIX_SETTINGS_ERROR_SYNTAX,   /* the file is not valid JSON */
  HELIX_SETTINGS_ERROR_INVALID,  /* one or more keys had a wrong type or value */
  HELIX_SETTINGS_ERROR_IO,       /* the file exists but cannot be read */
} HelixSettingsError;

#define HELIX_TYPE_SETTINGS (helix_settings_get_type ())

G_DECLARE_FINAL_TYPE (HelixSettings, helix_settings, HELIX, SETTINGS, GObject)

GQuark         helix_settings_error_quark       (void);
char          *helix_settings_default_path      (void);

HelixSettings *helix_settings_new               (const char           *path);
const char    *helix_settings_get_path          (HelixSettings        *self);
/* Synchronous; meant for start-up. Never writes the file. On FALSE every
 * setting still has a usable value (the default where the file had a
 * problem) and helix_settings_get_problems() lists each problem. */
gboolean       helix_settings_load              (HelixSettings        *self,
                                                 GError              **error);
const char * const *
               helix_settings_get_problems      (HelixSettings        *self);
/* Writes settings.json, mode 0600; an existing file is replaced through a
 * temporary file and rename. The first save after a load that found
 * problems first copies the file to <path>.broken-<time>. Saves queue. */
void           helix_settings_save_async        (HelixSettings        *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean       helix_settings_save_finish       (HelixSettings        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
/* Applies the rules load applies to @property_name (e.g. "sip-port") so a
 * preferences page can show them inline. Setting a property does not
 * validate: values from code are stored as given. */
gboolean       helix_settings_validate          (const char           *property_name,
                                                 const GValue         *value,
                                                 GError              **error);

/* Typed accessors; the same values are GObject properties (see the .c
 * file's key table) so that running parts can bind and follow them.
 * Strings are never NULL; an unset string is "". */
const char    *helix_settings_get_sip_server    (HelixSettings        *self);
guint          helix_settings_get_sip_port      (HelixSettings        *self);
const char    *helix_settings_get_sip_transport (HelixSettings        *self);
const char    *helix_settings_get_sip_username  (HelixSettings        *self);
const char    *helix_settings_get_sip_password  (HelixSettings        *self);
const char    *helix_settings_get_webhook_url   (HelixSettings        *self);
const char    *helix_settings_get_webhook_key   (HelixSettings        *self);
guint          helix_settings_get_heartbeat_interval (HelixSettings   *self);
gboolean       helix_settings_get_do_not_disturb (HelixSettings       *self);
gboolean       helix_settings_get_recording_enabled    (HelixSettings *self);
const char    *helix_settings_get_recording_upload_url (HelixSettings *self);
const char    *helix_settings_get_recording_api_key    (HelixSettings *self);
/* "" when unset; helix_settings_dup_recordings_dir() resolves the default */
const char    *helix_settings_get_recording_folder     (HelixSettings *self);
char          *helix_settings_dup_recordings_dir       (HelixSettings *self);
gboolean       helix_settings_get_recording_keep_after_upload (HelixSettings *self);
gboolean       helix_settings_get_auto_answer          (HelixSettings *self);
gboolean       helix_settings_get_crm_enabled          (HelixSettings *self);
const char    *helix_settings_get_crm_lookup_url       (HelixSettings *self);
gboolean       helix_settings_get_close_to_tray        (HelixSettings *self);
gboolean       helix_settings_get_auto_register        (HelixSettings *self);
const char    *helix_settings_get_audio_input_device   (HelixSettings *self);
const char    *helix_settings_get_audio_output_device  (HelixSettings *self);
const char    *helix_settings_get_audio_ring_device    (HelixSettings *self);

/* A GListStore of HelixSpeedDial owned by @self: a preferences page may
 * edit it (and its entries) directly; the next save writes it out. */
GListModel    *helix_settings_get_speed_dial    (HelixSettings        *self);

G_END_DECLS

/* helix-settings-file.h — between helix-settings.c and its save pipeline,
 * helix-settings-file.c; private to src/core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "helix-settings.h"

G_BEGIN_DECLS

/* The queued saves of one HelixSettings and whether its file still has to
 * be copied aside; owned by the settings, so it lives as long as they do */
typedef struct _HelixSettingsFile HelixSettingsFile;

HelixSettingsFile *helix_settings_file_new                (void);
void               helix_settings_file_free               (HelixSettingsFile *file);
/* Load leaves a file with problems alone; TRUE has the next save copy it
 * aside before replacing it */
void               helix_settings_file_set_backup_pending (HelixSettingsFile *file,
                                                           gboolean           pending);

/* Implemented in helix-settings.c, which owns the key table */
HelixSettingsFile *helix_settings_get_file                (HelixSettings     *self);
/* Writes the current values and speed dial into the document the last
 * load read, so members this version does not know survive, and returns
 * it (owned by @self) */
JsonObject        *helix_settings_update_root             (HelixSettings     *self);

G_END_DECLS

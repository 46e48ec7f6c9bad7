/* helix-preferences-recording-page.h — preferences: call recording and upload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HELIX_TYPE_PREFERENCES_RECORDING_PAGE (helix_preferences_recording_page_get_type ())

G_DECLARE_FINAL_TYPE (HelixPreferencesRecordingPage, helix_preferences_recording_page,
                      HELIX, PREFERENCES_RECORDING_PAGE, GtkWidget)

G_END_DECLS

/* helix-preferences-window.h — edits every section of settings.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "helix-settings.h"
#include "helix-status-engine.h"

G_BEGIN_DECLS

#define HELIX_TYPE_PREFERENCES_WINDOW (helix_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (HelixPreferencesWindow, helix_preferences_window,
                      HELIX, PREFERENCES_WINDOW, GtkWindow)

/* The form starts from @settings' current values; Save sets them on
 * @settings (the running phone follows the property notifications) and
 * writes the file. @engine (may be NULL) supplies the status a test event
 * reports. */
HelixPreferencesWindow *helix_preferences_window_new (GtkWindow         *parent,
                                                      HelixSettings     *settings,
                                                      HelixStatusEngine *engine);

G_END_DECLS

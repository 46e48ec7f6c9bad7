/* helix-preferences-general-page.h — preferences: start-up, tray, answering and audio devices
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HELIX_TYPE_PREFERENCES_GENERAL_PAGE (helix_preferences_general_page_get_type ())

G_DECLARE_FINAL_TYPE (HelixPreferencesGeneralPage, helix_preferences_general_page,
                      HELIX, PREFERENCES_GENERAL_PAGE, GtkWidget)

G_END_DECLS

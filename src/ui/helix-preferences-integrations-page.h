/* helix-preferences-integrations-page.h — preferences: the status webhook and the CRM lookup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HELIX_TYPE_PREFERENCES_INTEGRATIONS_PAGE (helix_preferences_integrations_page_get_type ())

G_DECLARE_FINAL_TYPE (HelixPreferencesIntegrationsPage, helix_preferences_integrations_page,
                      HELIX, PREFERENCES_INTEGRATIONS_PAGE, GtkWidget)

G_END_DECLS

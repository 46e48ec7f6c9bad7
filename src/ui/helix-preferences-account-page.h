/* helix-preferences-account-page.h — preferences: the SIP account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HELIX_TYPE_PREFERENCES_ACCOUNT_PAGE (helix_preferences_account_page_get_type ())

G_DECLARE_FINAL_TYPE (HelixPreferencesAccountPage, helix_preferences_account_page,
                      HELIX, PREFERENCES_ACCOUNT_PAGE, GtkWidget)

G_END_DECLS

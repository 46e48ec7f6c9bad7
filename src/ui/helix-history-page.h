/* helix-history-page.h — recent calls: who, when, how long; click to call back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "helix-phone.h"

G_BEGIN_DECLS

#define HELIX_TYPE_HISTORY_PAGE (helix_history_page_get_type ())

G_DECLARE_FINAL_TYPE (HelixHistoryPage, helix_history_page, HELIX, HISTORY_PAGE, GtkWidget)

G_END_DECLS

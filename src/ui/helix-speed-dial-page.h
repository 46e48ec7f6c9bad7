/* helix-speed-dial-page.h — one-click calls to saved numbers, and their upkeep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "helix-phone.h"

G_BEGIN_DECLS

#define HELIX_TYPE_SPEED_DIAL_PAGE (helix_speed_dial_page_get_type ())

G_DECLARE_FINAL_TYPE (HelixSpeedDialPage, helix_speed_dial_page, HELIX, SPEED_DIAL_PAGE, GtkWidget)

G_END_DECLS

/* helix-speed-dial-row.h — one speed dial entry in the list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "helix-speed-dial.h"

G_BEGIN_DECLS

#define HELIX_TYPE_SPEED_DIAL_ROW (helix_speed_dial_row_get_type ())

G_DECLARE_FINAL_TYPE (HelixSpeedDialRow, helix_speed_dial_row, HELIX, SPEED_DIAL_ROW, GtkListBoxRow)

GtkWidget      *helix_speed_dial_row_new       (HelixSpeedDial    *entry);
HelixSpeedDial *helix_speed_dial_row_get_entry (HelixSpeedDialRow *self);

G_END_DECLS

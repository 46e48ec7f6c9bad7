/* helix-history-row.h — one recent call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "helix-call-record.h"

G_BEGIN_DECLS

#define HELIX_TYPE_HISTORY_ROW (helix_history_row_get_type ())

G_DECLARE_FINAL_TYPE (HelixHistoryRow, helix_history_row, HELIX, HISTORY_ROW, GtkListBoxRow)

GtkWidget       *helix_history_row_new        (HelixCallRecord *record);
HelixCallRecord *helix_history_row_get_record (HelixHistoryRow *self);

G_END_DECLS

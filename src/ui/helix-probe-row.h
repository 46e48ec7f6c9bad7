/* helix-probe-row.h — a "test this receiver" button and what it answered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HELIX_TYPE_PROBE_ROW (helix_probe_row_get_type ())

G_DECLARE_FINAL_TYPE (HelixProbeRow, helix_probe_row, HELIX, PROBE_ROW, GtkWidget)

/* Disables the button and shows a spinner until a result arrives */
void        helix_probe_row_begin          (HelixProbeRow *self);
/* A GAsyncReadyCallback for helix_http_probe_*_async(); @user_data is a
 * reference to the row, which this releases */
void        helix_probe_row_finish         (GObject       *source,
                                            GAsyncResult  *result,
                                            gpointer       user_data);
/* Shows @text instead of a probe result (e.g. nothing to test yet) */
void        helix_probe_row_show_message   (HelixProbeRow *self,
                                            const char    *text,
                                            gboolean       is_error);
const char *helix_probe_row_get_result     (HelixProbeRow *self);
gboolean    helix_probe_row_get_busy       (HelixProbeRow *self);

G_END_DECLS

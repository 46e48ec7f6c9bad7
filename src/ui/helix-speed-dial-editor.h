/* helix-speed-dial-editor.h — the small dialog that adds or edits an entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HELIX_TYPE_SPEED_DIAL_EDITOR (helix_speed_dial_editor_get_type ())

G_DECLARE_FINAL_TYPE (HelixSpeedDialEditor, helix_speed_dial_editor, HELIX, SPEED_DIAL_EDITOR, GtkWindow)

/* @name and @number prefill the fields (NULL: a new entry). */
GtkWidget *helix_speed_dial_editor_new       (GtkWindow            *parent,
                                              const char           *name,
                                              const char           *number);
/* Shown inline under the fields; the dialog stays open. */
void       helix_speed_dial_editor_set_error (HelixSpeedDialEditor *self,
                                              const char           *message);

G_END_DECLS

/* helix-dial-pad.h — the twelve-key telephone keypad
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HELIX_TYPE_DIAL_PAD (helix_dial_pad_get_type ())

G_DECLARE_FINAL_TYPE (HelixDialPad, helix_dial_pad, HELIX, DIAL_PAD, GtkWidget)

GtkWidget *helix_dial_pad_new (void);

G_END_DECLS

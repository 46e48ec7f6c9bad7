/* helix-window.h — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "helix-phone.h"

G_BEGIN_DECLS

#define HELIX_TYPE_WINDOW (helix_window_get_type ())

G_DECLARE_FINAL_TYPE (HelixWindow, helix_window, HELIX, WINDOW, GtkApplicationWindow)

GtkWidget *helix_window_new (gpointer    application,
                             HelixPhone *phone);

G_END_DECLS

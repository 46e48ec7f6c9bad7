/* helix-application.h — the desktop application: window on top of HelixPhone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "helix-phone.h"

G_BEGIN_DECLS

#define HELIX_TYPE_APPLICATION (helix_application_get_type ())

G_DECLARE_FINAL_TYPE (HelixApplication, helix_application, HELIX, APPLICATION, GtkApplication)

HelixApplication *helix_application_new       (void);
HelixPhone       *helix_application_get_phone (HelixApplication *self);

G_END_DECLS

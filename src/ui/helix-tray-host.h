/* helix-tray-host.h — the app side of the tray: menu export, helper supervision
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HELIX_TYPE_TRAY_HOST (helix_tray_host_get_type ())

G_DECLARE_FINAL_TYPE (HelixTrayHost, helix_tray_host, HELIX, TRAY_HOST, GObject)

HelixTrayHost *helix_tray_host_new         (GApplication  *application);
gboolean       helix_tray_host_get_present (HelixTrayHost *self);
GMenuModel    *helix_tray_host_get_menu    (HelixTrayHost *self);
void           helix_tray_host_stop        (HelixTrayHost *self);

G_END_DECLS

/* helix-tray-win32.h — the tray on Windows: a notification-area icon in the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Compiled only for Windows (src/meson.build); the header itself is plain GIO.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HELIX_TYPE_TRAY_WIN32 (helix_tray_win32_get_type ())

G_DECLARE_FINAL_TYPE (HelixTrayWin32, helix_tray_win32, HELIX, TRAY_WIN32, GObject)

HelixTrayWin32 *helix_tray_win32_new (GApplication  *application,
                                      GMenuModel    *menu,
                                      GError       **error);

G_END_DECLS

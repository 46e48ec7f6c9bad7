/* helix-tray-icons.h — which icon and words the tray shows for a presence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *icon;          /* an icon name under data/icons */
  const char *description;   /* untranslated: pass it through _() */
} HelixTrayIcon;

/* @presence is the app's `presence` action state, its effective status
 * (see helix-status.c); anything else reads as offline. */
HelixTrayIcon helix_tray_icon_for_presence (const char *presence);

G_END_DECLS

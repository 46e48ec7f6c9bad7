/* helix-tray-icons.h — what the tray shows: the presence read from the
 * app's actions, and the icon and words for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  const char *icon;          /* an icon name under data/icons */
  const char *description;   /* untranslated: pass it through _() */
} HelixTrayIcon;

/* @presence is the app's `presence` action state, its effective status
 * (see helix-status.c); anything else reads as offline. */
HelixTrayIcon helix_tray_icon_for_presence (const char *presence);

/* The presence to show, read from the app's actions: `presence`, else
 * `dnd`, else `set-status`; NULL when the app offers none of them. */
char          *helix_tray_current_presence  (GActionGroup *actions);

G_END_DECLS

/* helix-test-notifications.h — an org.freedesktop.Notifications server for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns org.freedesktop.Notifications on the session bus (a private one
 * from dbus-run-session) on a connection of its own, records every Notify
 * and CloseNotification, and can press a notification's button the way a
 * desktop shell does (the ActionInvoked signal).  Call it before the
 * application sends its first notification: GLib picks the freedesktop
 * backend when no org.gtk.Notifications server is on the bus.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  guint32   id;
  char     *summary;
  char     *body;
  GStrv     actions;   /* key, label, key, label … as sent */
  gboolean  closed;    /* CloseNotification came for it */
} HelixTestNotification;

typedef struct _HelixTestNotifications HelixTestNotifications;

HelixTestNotifications      *helix_test_notifications_start       (GError                      **error);
void                         helix_test_notifications_free        (HelixTestNotifications       *server);
/* Later waits only see notifications that arrive after this. */
void                         helix_test_notifications_reset       (HelixTestNotifications       *server);
/* The first notification (since the last reset) with this summary, or
 * NULL after @timeout_ms.  It stays valid until _free. */
const HelixTestNotification *helix_test_notifications_wait        (HelixTestNotifications       *server,
                                                                   const char                   *summary,
                                                                   guint                         timeout_ms);
gboolean                     helix_test_notifications_wait_closed (HelixTestNotifications       *server,
                                                                   guint32                       id,
                                                                   guint                         timeout_ms);
/* The action key of the button labelled @label, or NULL. */
const char                  *helix_test_notification_action       (const HelixTestNotification  *notification,
                                                                   const char                   *label);
/* Emits ActionInvoked for the button labelled @label (asserted to exist). */
void                         helix_test_notifications_invoke      (HelixTestNotifications       *server,
                                                                   const HelixTestNotification  *notification,
                                                                   const char                   *label);

G_END_DECLS

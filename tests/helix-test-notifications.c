/* helix-test-notifications.c — an org.freedesktop.Notifications server for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "helix-test-notifications.h"

#include "helix-test-peers.h"

#define NAME "org.freedesktop.Notifications"
#define PATH "/org/freedesktop/Notifications"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

struct _HelixTestNotifications {
  GDBusConnection *connection;
  guint            registration_id;
  guint            owner_id;
  gboolean         owned;
  guint32          next_id;
  GPtrArray       *all;      /* HelixTestNotification, in arrival order */
  guint            first;    /* index of the first one since the last reset */
};

static void
notification_free (gpointer data)
{
  HelixTestNotification *notification = data;

  g_free (notification->summary);
  g_free (notification->body);
  g_strfreev (notification->actions);
  g_free (notification);
}

static HelixTestNotification *
find_id (HelixTestNotifications *server,
         guint32                 id)
{
  for (guint i = 0; i < server->all->len; i++)
    {
      HelixTestNotification *notification = g_ptr_array_index (server->all, i);

      if (notification->id == id)
        return notification;
    }

  return NULL;
}

static void
on_method_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  HelixTestNotifications *server = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      HelixTestNotification *notification = g_new0 (HelixTestNotification, 1);
      guint32 replaces;

      g_variant_get (parameters, "(&su&sss^as@a{sv}i)", NULL, &replaces, NULL,
                     &notification->summary, &notification->body, &notification->actions, NULL, NULL);
      /* A replacement is recorded as a new arrival with the same id. */
      notification->id = replaces != 0 && find_id (server, replaces) != NULL ? replaces : ++server->next_id;
      g_ptr_array_add (server->all, notification);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notification->id));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    {
      guint32 id;

      g_variant_get (parameters, "(u)", &id);
      for (guint i = 0; i < server->all->len; i++)
        {
          HelixTestNotification *notification = g_ptr_array_index (server->all, i);

          if (notification->id == id)
            notification->closed = TRUE;
        }
      g_dbus_connection_emit_signal (connection, NULL, PATH, NAME, "NotificationClosed",
                                     g_variant_new ("(uu)", id, 3), NULL);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "helix-test", "HelixPhone", "1", "1.2"));
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((HelixTestNotifications *) user_data)->owned = TRUE;
}

static gboolean
is_owned (gpointer data)
{
  return ((HelixTestNotifications *) data)->owned;
}

HelixTestNotifications *
helix_test_notifications_start (GError **error)
{
  static const GDBusInterfaceVTable vtable = { on_method_call, NULL, NULL };
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, error);
  g_autoptr(GDBusNodeInfo) info = NULL;
  HelixTestNotifications *server;

  if (address == NULL)
    return NULL;

  server = g_new0 (HelixTestNotifications, 1);
  server->all = g_ptr_array_new_with_free_func (notification_free);
  server->connection = g_dbus_connection_new_for_address_sync (address,
                                                               G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                               G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                               NULL, NULL, error);
  if (server->connection == NULL)
    {
      helix_test_notifications_free (server);
      return NULL;
    }

  info = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
  server->registration_id = g_dbus_connection_register_object (server->connection, PATH,
                                                               info->interfaces[0], &vtable,
                                                               server, NULL, error);
  if (server->registration_id == 0)
    {
      helix_test_notifications_free (server);
      return NULL;
    }

  server->owner_id = g_bus_own_name_on_connection (server->connection, NAME, G_BUS_NAME_OWNER_FLAGS_NONE,
                                                   on_name_acquired, NULL, server, NULL);
  if (!helix_test_wait_until (is_owned, server, 5000))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Could not own %s", NAME);
      helix_test_notifications_free (server);
      return NULL;
    }

  return server;
}

void
helix_test_notifications_free (HelixTestNotifications *server)
{
  if (server == NULL)
    return;

  if (server->owner_id != 0)
    g_bus_unown_name (server->owner_id);
  if (server->registration_id != 0)
    g_dbus_connection_unregister_object (server->connection, server->registration_id);
  if (server->connection != NULL)
    g_dbus_connection_close_sync (server->connection, NULL, NULL);
  g_clear_object (&server->connection);
  g_ptr_array_unref (server->all);
  g_free (server);
}

void
helix_test_notifications_reset (HelixTestNotifications *server)
{
  server->first = server->all->len;
}

typedef struct {
  HelixTestNotifications *server;
  const char             *summary;
  HelixTestNotification  *found;
} Wait;

static gboolean
has_summary (gpointer data)
{
  Wait *wait = data;

  for (guint i = wait->server->first; i < wait->server->all->len; i++)
    {
      HelixTestNotification *notification = g_ptr_array_index (wait->server->all, i);

      if (g_strcmp0 (notification->summary, wait->summary) == 0)
        {
          wait->found = notification;
          return TRUE;
        }
    }

  return FALSE;
}

const HelixTestNotification *
helix_test_notifications_wait (HelixTestNotifications *server,
                               const char             *summary,
                               guint                   timeout_ms)
{
  Wait wait = { server, summary, NULL };

  if (!helix_test_wait_until (has_summary, &wait, timeout_ms))
    {
      for (guint i = server->first; i < server->all->len; i++)
        g_test_message ("notification: %s", ((HelixTestNotification *) g_ptr_array_index (server->all, i))->summary);
      return NULL;
    }

  return wait.found;
}

typedef struct {
  HelixTestNotifications *server;
  guint32                 id;
} ClosedWait;

static gboolean
is_closed (gpointer data)
{
  ClosedWait *wait = data;
  HelixTestNotification *last = NULL;

  for (guint i = 0; i < wait->server->all->len; i++)
    {
      HelixTestNotification *notification = g_ptr_array_index (wait->server->all, i);

      if (notification->id == wait->id)
        last = notification;
    }

  return last != NULL && last->closed;
}

gboolean
helix_test_notifications_wait_closed (HelixTestNotifications *server,
                                      guint32                 id,
                                      guint                   timeout_ms)
{
  ClosedWait wait = { server, id };

  return helix_test_wait_until (is_closed, &wait, timeout_ms);
}

const char *
helix_test_notification_action (const HelixTestNotification *notification,
                                const char                  *label)
{
  for (guint i = 0; notification->actions != NULL && notification->actions[i] != NULL &&
                    notification->actions[i + 1] != NULL; i += 2)
    if (g_str_equal (notification->actions[i + 1], label))
      return notification->actions[i];

  return NULL;
}

void
helix_test_notifications_invoke (HelixTestNotifications      *server,
                                 const HelixTestNotification *notification,
                                 const char                  *label)
{
  const char *key = helix_test_notification_action (notification, label);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (key);
  g_dbus_connection_emit_signal (server->connection, NULL, PATH, NAME, "ActionInvoked",
                                 g_variant_new ("(us)", notification->id, key), &error);
  g_assert_no_error (error);

  /* Like a desktop shell: a notification whose button was used goes away. */
  for (guint i = 0; i < server->all->len; i++)
    {
      HelixTestNotification *other = g_ptr_array_index (server->all, i);

      if (other->id == notification->id)
        other->closed = TRUE;
    }
  g_dbus_connection_emit_signal (server->connection, NULL, PATH, NAME, "NotificationClosed",
                                 g_variant_new ("(uu)", notification->id, 2), &error);
  g_assert_no_error (error);
}

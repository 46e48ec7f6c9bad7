/* test-tray.c — the tray indicator end to end, as a panel sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside xvfb-run and dbus-run-session (see meson.build).  The test
 * plays the panel: it owns org.kde.StatusNotifierWatcher on the private
 * bus and accepts RegisterStatusNotifierItem.  It starts the real GUI app
 * (GTK 4, with a window on the Xvfb display), which starts the real
 * helixphone-tray (GTK 3 + ayatana).  It then reads the item's
 * com.canonical.dbusmenu layout and clicks items the way a panel does, and
 * checks the effects where an integrator sees them: at the webhook
 * receiver.  Closing the window is what a window manager does: a
 * WM_DELETE_WINDOW message to the app's X window.
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>

#include "helix-test-receiver.h"

#define APP_ID           "com.helixphone.HelixPhone"
#define WATCHER_NAME     "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH     "/StatusNotifierWatcher"
#define ITEM_IFACE       "org.kde.StatusNotifierItem"
#define DBUSMENU_IFACE   "com.canonical.dbusmenu"
#define TIMEOUT_MS       10000

static const char watcher_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierWatcher'>"
  "    <method name='RegisterStatusNotifierItem'><arg type='s' direction='in'/></method>"
  "    <method name='RegisterStatusNotifierHost'><arg type='s' direction='in'/></method>"
  "    <property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "    <property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "    <property name='ProtocolVersion' type='i' access='read'/>"
  "    <signal name='StatusNotifierItemRegistered'><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

typedef struct {
  char *bus_name;    /* the helper's unique name */
  char *path;
} Item;

typedef struct {
  GDBusConnection   *bus;
  HelixTestReceiver *receiver;
  GPtrArray         *items;   /* of Item, in registration order */
  char              *dir;
  GSubprocess       *app;
  gboolean           app_exited;
} Fixture;

static void
item_free (Item *item)
{
  g_free (item->bus_name);
  g_free (item->path);
  g_free (item);
}

/* ---- the panel's StatusNotifierWatcher ---------------------------------- */

static void
watcher_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  Fixture *fixture = user_data;
  const char *service;

  g_variant_get (parameters, "(&s)", &service);

  if (g_str_equal (method_name, "RegisterStatusNotifierItem"))
    {
      Item *item = g_new0 (Item, 1);
      g_autofree char *id = NULL;

      /* The spec allows a bus name or an object path on the sender. */
      item->bus_name = g_strdup (service[0] == '/' ? sender : service);
      item->path = g_strdup (service[0] == '/' ? service : "/StatusNotifierItem");
      g_ptr_array_add (fixture->items, item);
      g_test_message ("Item registered: %s %s", item->bus_name, item->path);

      id = g_strconcat (item->bus_name, item->path, NULL);
      g_dbus_connection_emit_signal (connection, NULL, WATCHER_PATH, WATCHER_NAME,
                                     "StatusNotifierItemRegistered", g_variant_new ("(s)", id), NULL);
    }

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
watcher_get_property (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *object_path,
                      const char       *interface_name,
                      const char       *property_name,
                      GError          **error,
                      gpointer          user_data)
{
  Fixture *fixture = user_data;

  if (g_str_equal (property_name, "IsStatusNotifierHostRegistered"))
    return g_variant_new_boolean (TRUE);
  if (g_str_equal (property_name, "ProtocolVersion"))
    return g_variant_new_int32 (0);

  {
    g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("as"));

    for (guint i = 0; i < fixture->items->len; i++)
      {
        Item *item = g_ptr_array_index (fixture->items, i);
        g_autofree char *id = g_strconcat (item->bus_name, item->path, NULL);

        g_variant_builder_add (builder, "s", id);
      }
    return g_variant_builder_end (builder);
  }
}

static const GDBusInterfaceVTable watcher_vtable = {
  .method_call = watcher_method_call,
  .get_property = watcher_get_property,
};

static void
own_watcher (Fixture *fixture)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (watcher_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 result = 0;

  g_assert_nonnull (info);
  g_dbus_connection_register_object (fixture->bus, WATCHER_PATH, info->interfaces[0],
                                     &watcher_vtable, fixture, NULL, &error);
  g_assert_no_error (error);

  reply = g_dbus_connection_call_sync (fixture->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", WATCHER_NAME, 4 /* DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1 /* PRIMARY_OWNER */);
}

static void
release_watcher (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (fixture->bus, "org.freedesktop.DBus",
                                                           "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                                           "ReleaseName", g_variant_new ("(s)", WATCHER_NAME),
                                                           G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                                           -1, NULL, &error);

  g_assert_no_error (error);
}

/* ---- D-Bus helpers that keep the receiver and the watcher serving -------- */

typedef struct {
  gboolean  done;
  GVariant *reply;
  GError   *error;
} CallResult;

static void
on_call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CallResult *r = user_data;

  r->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &r->error);
  r->done = TRUE;
}

static GVariant *
call (Fixture            *fixture,
      const char         *bus_name,
      const char         *path,
      const char         *iface,
      const char         *method,
      GVariant           *parameters,
      const GVariantType *reply_type,
      GError            **error)
{
  CallResult r = { 0 };

  g_dbus_connection_call (fixture->bus, bus_name, path, iface, method, parameters, reply_type,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, on_call_done, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);

  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.reply;
}

static char *
item_string_property (Fixture *fixture, Item *item, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call (fixture, item->bus_name, item->path,
                                    "org.freedesktop.DBus.Properties", "Get",
                                    g_variant_new ("(ss)", ITEM_IFACE, name),
                                    G_VARIANT_TYPE ("(v)"), &error);
  g_autoptr(GVariant) value = NULL;

  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
      g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH))
    return g_variant_dup_string (value, NULL);

  g_error ("%s is a %s, not a string", name, g_variant_get_type_string (value));
}

static gboolean
wait_until (gboolean (*done) (Fixture *, gconstpointer), Fixture *fixture, gconstpointer data,
            guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (!done (fixture, data))
    {
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      helix_test_spin (50);
    }

  return TRUE;
}

static gboolean
has_items (Fixture *fixture, gconstpointer count)
{
  return fixture->items->len >= GPOINTER_TO_UINT (count);
}

static Item *
wait_for_item (Fixture *fixture, guint n)
{
  if (!wait_until (has_items, fixture, GUINT_TO_POINTER (n), TIMEOUT_MS))
    g_error ("No tray item #%u registered with the watcher", n);

  return g_ptr_array_index (fixture->items, n - 1);
}

static Item *
latest_item (Fixture *fixture)
{
  g_assert_cmpuint (fixture->items->len, >, 0);
  return g_ptr_array_index (fixture->items, fixture->items->len - 1);
}

static gboolean
icon_is (Fixture *fixture, gconstpointer expected)
{
  g_autofree char *icon = item_string_property (fixture, latest_item (fixture), "IconName");

  return g_str_equal (icon, expected);
}

static void
assert_icon (Fixture *fixture, const char *expected)
{
  g_autofree char *theme_path = NULL;
  g_autofree char *file = NULL;
  g_autofree char *svg = g_strconcat (expected, ".svg", NULL);

  if (!wait_until (icon_is, fixture, expected, TIMEOUT_MS))
    {
      g_autofree char *icon = item_string_property (fixture, latest_item (fixture), "IconName");
      g_assert_cmpstr (icon, ==, expected);
    }

  /* The icon is one we ship, where the item tells the panel to look. */
  theme_path = item_string_property (fixture, latest_item (fixture), "IconThemePath");
  file = g_build_filename (theme_path, "hicolor", "scalable", "status", svg, NULL);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
}

/* ---- the dbusmenu layout ------------------------------------------------- */

typedef struct {
  int   id;
  char *label;
  char *toggle_type;   /* "", "radio" or "checkmark" */
  int   toggle_state;  /* -1 when absent */
} MenuEntry;

static void
menu_entry_free (MenuEntry *entry)
{
  g_free (entry->label);
  g_free (entry->toggle_type);
  g_free (entry);
}

static void
collect_entries (GVariant *node, GPtrArray *entries)
{
  g_autoptr(GVariant) properties = NULL;
  g_autoptr(GVariant) children = NULL;
  MenuEntry *entry = g_new0 (MenuEntry, 1);
  const char *label = "";
  const char *toggle_type = "";
  GVariantIter iter;
  GVariant *child;

  g_variant_get (node, "(i@a{sv}@av)", &entry->id, &properties, &children);
  g_variant_lookup (properties, "label", "&s", &label);
  g_variant_lookup (properties, "toggle-type", "&s", &toggle_type);
  if (!g_variant_lookup (properties, "toggle-state", "i", &entry->toggle_state))
    entry->toggle_state = -1;
  entry->label = g_strdup (label);
  entry->toggle_type = g_strdup (toggle_type);
  g_ptr_array_add (entries, entry);

  g_variant_iter_init (&iter, children);
  while (g_variant_iter_next (&iter, "v", &child))
    {
      collect_entries (child, entries);
      g_variant_unref (child);
    }
}

static GPtrArray *
get_layout (Fixture *fixture)
{
  Item *item = latest_item (fixture);
  g_autofree char *menu_path = item_string_property (fixture, item, "Menu");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) layout = NULL;
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) menu_entry_free);
  const char *no_properties[] = { NULL };

  reply = call (fixture, item->bus_name, menu_path, DBUSMENU_IFACE, "GetLayout",
                g_variant_new ("(ii^as)", 0, -1, no_properties),
                G_VARIANT_TYPE ("(u(ia{sv}av))"), &error);
  g_assert_no_error (error);
  layout = g_variant_get_child_value (reply, 1);
  collect_entries (layout, entries);

  return entries;
}

static MenuEntry *
find_entry (GPtrArray *entries, const char *label)
{
  for (guint i = 0; i < entries->len; i++)
    {
      MenuEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->label, label))
        return entry;
    }

  return NULL;
}

static gboolean
plain_entry (GPtrArray *entries, const char *label)
{
  MenuEntry *entry = find_entry (entries, label);

  return entry != NULL && entry->toggle_type[0] == '\0' && entry->toggle_state == -1;
}

typedef struct {
  const char *checked_status;
  gboolean    dnd;
} MenuExpectation;

static const char * const statuses[] = { "Available", "Busy", "Away", "Lunch" };

static char *
describe_layout (GPtrArray *entries)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      MenuEntry *entry = g_ptr_array_index (entries, i);

      g_string_append_printf (text, "[%d “%s” %s %d] ", entry->id, entry->label,
                              entry->toggle_type, entry->toggle_state);
    }

  return g_string_free (text, FALSE);
}

/* The statuses are radio items with exactly the expected one on, DND is a
 * check item in the expected state, and Show/Quit are there. */
static gboolean
layout_matches (Fixture *fixture, gconstpointer data)
{
  const MenuExpectation *expected = data;
  g_autoptr(GPtrArray) entries = get_layout (fixture);
  MenuEntry *dnd = find_entry (entries, "Do Not Disturb");

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      MenuEntry *entry = find_entry (entries, statuses[i]);

      if (entry == NULL || !g_str_equal (entry->toggle_type, "radio") ||
          entry->toggle_state != (g_str_equal (statuses[i], expected->checked_status) ? 1 : 0))
        return FALSE;
    }

  return dnd != NULL && g_str_equal (dnd->toggle_type, "checkmark") &&
         dnd->toggle_state == (expected->dnd ? 1 : 0) &&
         plain_entry (entries, "Show HelixPhone") && plain_entry (entries, "Quit");
}

static void
assert_layout (Fixture *fixture, const char *checked_status, gboolean dnd)
{
  MenuExpectation expected = { checked_status, dnd };

  if (!wait_until (layout_matches, fixture, &expected, TIMEOUT_MS))
    {
      g_autoptr(GPtrArray) entries = get_layout (fixture);
      g_autofree char *got = describe_layout (entries);

      g_error ("Tray menu does not show %s checked and DND %s: %s",
               checked_status, dnd ? "on" : "off", got);
    }
}

static void
click (Fixture *fixture, const char *label)
{
  Item *item = latest_item (fixture);
  g_autofree char *menu_path = item_string_property (fixture, item, "Menu");
  g_autoptr(GPtrArray) entries = get_layout (fixture);
  MenuEntry *entry = find_entry (entries, label);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  g_assert_nonnull (entry);
  reply = call (fixture, item->bus_name, menu_path, DBUSMENU_IFACE, "Event",
                g_variant_new ("(isvu)", entry->id, "clicked", g_variant_new_int32 (0), 0),
                NULL, &error);
  g_assert_no_error (error);
}

/* ---- the window, as the X server sees it --------------------------------- */

typedef struct {
  Display *display;
  Window   window;
} AppWindow;

static int
map_state (AppWindow *app_window)
{
  XWindowAttributes attributes;

  if (!XGetWindowAttributes (app_window->display, app_window->window, &attributes))
    return -1;
  return attributes.map_state;
}

/* The app's mapped top-level window (its client leader is never mapped). */
static gboolean
find_window (Fixture *fixture, gconstpointer data)
{
  AppWindow *app_window = (AppWindow *) data;
  Atom pid_atom = XInternAtom (app_window->display, "_NET_WM_PID", False);
  unsigned long app_pid = strtoul (g_subprocess_get_identifier (fixture->app), NULL, 10);
  Window root, parent, *children = NULL;
  unsigned int n_children = 0;

  if (!XQueryTree (app_window->display, DefaultRootWindow (app_window->display),
                   &root, &parent, &children, &n_children))
    return FALSE;

  for (unsigned int i = 0; i < n_children && app_window->window == None; i++)
    {
      unsigned char *value = NULL;
      unsigned long n_items = 0, remaining;
      Atom type;
      int format;

      if (XGetWindowProperty (app_window->display, children[i], pid_atom, 0, 1, False, XA_CARDINAL,
                              &type, &format, &n_items, &remaining, &value) == Success &&
          n_items == 1 && *(unsigned long *) value == app_pid)
        {
          app_window->window = children[i];
          if (map_state (app_window) != IsViewable)
            app_window->window = None;
        }
      if (value != NULL)
        XFree (value);
    }
  XFree (children);

  return app_window->window != None;
}

static gboolean
window_in_state (Fixture *fixture, gconstpointer data)
{
  const AppWindow *app_window = data;

  return map_state ((AppWindow *) app_window) == GPOINTER_TO_INT (g_object_get_data (G_OBJECT (fixture->app),
                                                                                     "expected-map-state"));
}

static void
assert_window_state (Fixture *fixture, AppWindow *app_window, int expected)
{
  g_object_set_data (G_OBJECT (fixture->app), "expected-map-state", GINT_TO_POINTER (expected));
  if (!wait_until (window_in_state, fixture, app_window, TIMEOUT_MS))
    g_assert_cmpint (map_state (app_window), ==, expected);
}

/* What a window manager sends when the user clicks the close button. */
static void
close_window (AppWindow *app_window)
{
  XEvent event = { 0 };

  event.xclient.type = ClientMessage;
  event.xclient.window = app_window->window;
  event.xclient.message_type = XInternAtom (app_window->display, "WM_PROTOCOLS", False);
  event.xclient.format = 32;
  event.xclient.data.l[0] = (long) XInternAtom (app_window->display, "WM_DELETE_WINDOW", False);
  event.xclient.data.l[1] = CurrentTime;
  XSendEvent (app_window->display, app_window->window, False, NoEventMask, &event);
  XFlush (app_window->display);
}

/* ---- processes ----------------------------------------------------------- */

static guint32
bus_pid (Fixture *fixture, const char *bus_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call (fixture, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                    "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                    g_variant_new ("(s)", bus_name), G_VARIANT_TYPE ("(u)"), &error);
  guint32 pid;

  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &pid);
  return pid;
}

static gboolean
name_gone (Fixture *fixture, gconstpointer bus_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call (fixture, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                    "org.freedesktop.DBus", "NameHasOwner",
                                    g_variant_new ("(s)", bus_name), G_VARIANT_TYPE ("(b)"), &error);
  gboolean has_owner = TRUE;

  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);
  return !has_owner;
}

static void
on_app_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *fixture = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  fixture->app_exited = TRUE;
}

static void
app_action (const char *name, const char *parameter)
{
  const char *argv[] = { "gapplication", "action", APP_ID, name, parameter, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);

  g_assert_no_error (error);
  while (g_subprocess_get_identifier (process) != NULL)
    helix_test_spin (20);
  g_assert_true (g_subprocess_get_successful (process));
}

static void
start_app (Fixture *fixture)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *config = g_build_filename (fixture->dir, "settings.json", NULL);
  g_autofree char *url = helix_test_receiver_url (fixture->receiver, "/status");
  g_autofree char *json = g_strdup_printf (
      "{\n"
      "  \"Sip\": { \"Username\": \"1001\", \"Password\": \"secret\" },\n"
      "  \"Webhook\": { \"EndpointUrl\": \"%s\", \"ApiKey\": \"hook-key\" },\n"
      "  \"General\": { \"CloseToTray\": true }\n"
      "}\n", url);
  const char *bin = g_getenv ("HELIXPHONE_BIN");
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (bin);
  g_assert_nonnull (g_getenv ("HELIXPHONE_TRAY"));
  g_assert_nonnull (g_getenv ("DISPLAY"));
  g_file_set_contents (config, json, -1, &error);
  g_assert_no_error (error);

  /* Nothing of the app's user data lands outside the temp dir. */
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "helix-tray-host helixphone-tray", TRUE);
  /* GLib logs debug output to stdout, which is our TAP stream. */
  g_subprocess_launcher_take_stdout_fd (launcher, dup (STDERR_FILENO));

  fixture->app = g_subprocess_launcher_spawn (launcher, &error, bin, "--config", config, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (fixture->app, NULL, on_app_exited, fixture);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  fixture->receiver = helix_test_receiver_new ();
  fixture->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  fixture->dir = g_dir_make_tmp ("helix-tray-XXXXXX", &error);
  g_assert_no_error (error);
  own_watcher (fixture);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  if (fixture->app != NULL && !fixture->app_exited)
    {
      g_subprocess_force_exit (fixture->app);
      while (!fixture->app_exited)
        g_main_context_iteration (NULL, TRUE);
    }
  g_clear_object (&fixture->app);
  g_clear_pointer (&fixture->receiver, helix_test_receiver_free);
  g_clear_pointer (&fixture->items, g_ptr_array_unref);
  g_clear_object (&fixture->bus);
  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

/* ---- the test ------------------------------------------------------------ */

static void
test_tray (Fixture *fixture, gconstpointer data)
{
  Item *first;
  Item *second;
  g_autofree char *first_name = NULL;
  AppWindow app_window = { NULL, None };

  start_app (fixture);
  g_assert_true (helix_test_receiver_wait_statuses (fixture->receiver, "available", TIMEOUT_MS));

  /* The app saw the watcher and started the helper, which registered. */
  first = wait_for_item (fixture, 1);
  first_name = g_strdup (first->bus_name);
  assert_layout (fixture, "Available", FALSE);
  assert_icon (fixture, "com.helixphone.HelixPhone-available");

  /* A panel click on Busy runs the app's own set-status action. */
  click (fixture, "Busy");
  g_assert_true (helix_test_receiver_wait_statuses (fixture->receiver, "available busy", TIMEOUT_MS));
  assert_layout (fixture, "Busy", FALSE);
  assert_icon (fixture, "com.helixphone.HelixPhone-away");

  /* Changes made elsewhere show in the tray too. */
  app_action ("dnd", NULL);
  g_assert_true (helix_test_receiver_wait_statuses (fixture->receiver, "available busy do_not_disturb",
                                                    TIMEOUT_MS));
  assert_icon (fixture, "com.helixphone.HelixPhone-dnd");
  assert_layout (fixture, "Busy", TRUE);

  /* And the DND check item works from the panel. */
  click (fixture, "Do Not Disturb");
  g_assert_true (helix_test_receiver_wait_statuses (fixture->receiver,
                                                    "available busy do_not_disturb busy", TIMEOUT_MS));
  assert_icon (fixture, "com.helixphone.HelixPhone-away");
  app_action ("set-status", "'available'");
  g_assert_true (helix_test_receiver_wait_statuses (fixture->receiver,
                                                    "available busy do_not_disturb busy available",
                                                    TIMEOUT_MS));
  assert_icon (fixture, "com.helixphone.HelixPhone-available");
  app_action ("dnd", NULL);
  g_assert_true (helix_test_receiver_wait_statuses (fixture->receiver,
                                                    "available busy do_not_disturb busy available "
                                                    "do_not_disturb", TIMEOUT_MS));

  /* A helper that dies is started again, and comes back showing the
   * current state. */
  g_assert_cmpint (kill ((pid_t) bus_pid (fixture, first_name), SIGKILL), ==, 0);
  g_assert_true (wait_until (name_gone, fixture, first_name, TIMEOUT_MS));
  second = wait_for_item (fixture, 2);
  g_assert_cmpstr (second->bus_name, !=, first_name);
  assert_icon (fixture, "com.helixphone.HelixPhone-dnd");
  assert_layout (fixture, "Available", TRUE);
  g_assert_false (fixture->app_exited);

  /* General.CloseToTray with a tray: closing hides the window, the phone
   * stays; the tray's Show HelixPhone brings it back. */
  app_window.display = XOpenDisplay (NULL);
  g_assert_nonnull (app_window.display);
  if (!wait_until (find_window, fixture, &app_window, TIMEOUT_MS))
    g_error ("The app's window never showed on %s", g_getenv ("DISPLAY"));
  close_window (&app_window);
  assert_window_state (fixture, &app_window, IsUnmapped);
  helix_test_spin (500);
  g_assert_false (fixture->app_exited);
  click (fixture, "Show HelixPhone");
  assert_window_state (fixture, &app_window, IsViewable);

  /* Without a tray, closing quits, offline webhook and all.  The helper
   * goes with the app. */
  release_watcher (fixture);
  helix_test_spin (1000);
  close_window (&app_window);
  g_assert_true (helix_test_receiver_wait_statuses (fixture->receiver,
                                                    "available busy do_not_disturb busy available "
                                                    "do_not_disturb offline", TIMEOUT_MS));
  while (!fixture->app_exited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_exited (fixture->app));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->app), ==, 0);
  g_assert_true (wait_until (name_gone, fixture, second->bus_name, TIMEOUT_MS));
  XCloseDisplay (app_window.display);
}

/* However the app went (here: SIGKILL, no chance to stop the helper), the
 * helper notices its bus name vanish and exits. */
static void
test_helper_follows_app (Fixture *fixture, gconstpointer data)
{
  g_autofree char *helper = NULL;

  start_app (fixture);
  helper = g_strdup (wait_for_item (fixture, 1)->bus_name);
  assert_icon (fixture, "com.helixphone.HelixPhone-available");

  g_subprocess_force_exit (fixture->app);
  while (!fixture->app_exited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wait_until (name_gone, fixture, helper, TIMEOUT_MS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tray/indicator", Fixture, NULL, fixture_setup, test_tray, fixture_teardown);
  g_test_add ("/tray/helper-follows-app", Fixture, NULL, fixture_setup, test_helper_follows_app,
              fixture_teardown);

  return g_test_run ();
}

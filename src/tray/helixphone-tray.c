/* helixphone-tray.c — the tray indicator: HelixPhone's status icon and menu
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 3 and GTK 4 cannot share a process, and libayatana-appindicator3
 * needs a GTK 3 GtkMenu, so the indicator lives in this small helper that
 * the app starts (see DESIGN.md, "Tray indicator: why a helper process").
 * It owns no state of its own: the menu model and the actions it triggers
 * (statuses, Do Not Disturb, Show HelixPhone, Quit) are the app's, imported
 * over D-Bus, and the icon follows the app's action states.  It exits when
 * the app's bus name goes away.
 *
 * libdbusmenu-gtk reads a check item's kind and state once, when the item
 * appears, and afterwards only on "activate".  Items from a menu model get
 * their kind and state later (from the action group, asynchronously over
 * D-Bus) and change them without "activate", so the panel would see every
 * item as an unticked check box.  sync_toggle() keeps the exported items
 * in step with the GTK ones.
 *
 * Exit status: 0 when the app went away, 2 when it cannot run in this
 * session at all (no display, no session bus) — the app does not restart it
 * after that, since trying again would fail the same way.
 */
#define G_LOG_DOMAIN "helixphone-tray"

#include "helix-config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <libayatana-appindicator/app-indicator.h>
#include <libdbusmenu-gtk/parser.h>
#include <locale.h>
#include <stdlib.h>

#include "helix-tray-icons.h"

#define EXIT_CANNOT_RUN 2

/* The first directory holding our icons wins: installed, else the source
 * tree (an uninstalled build run from the build directory). */
#define PROBE_ICON "hicolor/scalable/status/com.helixphone.HelixPhone-available.svg"

typedef struct {
  GDBusConnection *connection;
  GActionGroup    *actions;      /* the app's, over D-Bus */
  GMenuModel      *menu_model;   /* the app's tray menu, over D-Bus */
  GtkWidget       *menu;         /* owned by the indicator */
  AppIndicator    *indicator;
  guint            app_watch;
} Tray;

static void
update_icon (Tray *tray)
{
  g_autofree char *presence = helix_tray_current_presence (tray->actions);
  HelixTrayIcon icon = helix_tray_icon_for_presence (presence);

  g_debug ("Presence %s: icon %s", presence != NULL ? presence : "(unknown)", icon.icon);
  app_indicator_set_icon_full (tray->indicator, icon.icon, _(icon.description));
  app_indicator_set_title (tray->indicator, _(icon.description));
}

static void
on_action_changed (GActionGroup *actions,
                   const char   *name,
                   gpointer      user_data)
{
  if (g_str_equal (name, "presence") || g_str_equal (name, "dnd") ||
      g_str_equal (name, "set-status"))
    update_icon (user_data);
}

static void
on_action_state_changed (GActionGroup *actions,
                         const char   *name,
                         GVariant     *state,
                         gpointer      user_data)
{
  on_action_changed (actions, name, user_data);
}

/* GtkModelMenuItem shows its kind (plain, check, radio) in its accessible
 * role, the public face of its action role. */
static void
sync_toggle (GtkWidget *item)
{
  DbusmenuMenuitem *exported = dbusmenu_gtk_parse_get_cached_item (item);
  AtkRole role = atk_object_get_role (gtk_widget_get_accessible (item));
  gboolean active;

  if (exported == NULL || !GTK_IS_CHECK_MENU_ITEM (item))
    return;

  if (role != ATK_ROLE_CHECK_MENU_ITEM && role != ATK_ROLE_RADIO_MENU_ITEM)
    {
      dbusmenu_menuitem_property_remove (exported, DBUSMENU_MENUITEM_PROP_TOGGLE_TYPE);
      dbusmenu_menuitem_property_remove (exported, DBUSMENU_MENUITEM_PROP_TOGGLE_STATE);
      return;
    }

  active = gtk_check_menu_item_get_active (GTK_CHECK_MENU_ITEM (item));
  dbusmenu_menuitem_property_set (exported, DBUSMENU_MENUITEM_PROP_TOGGLE_TYPE,
                                  role == ATK_ROLE_RADIO_MENU_ITEM ? DBUSMENU_MENUITEM_TOGGLE_RADIO
                                                                   : DBUSMENU_MENUITEM_TOGGLE_CHECK);
  dbusmenu_menuitem_property_set_int (exported, DBUSMENU_MENUITEM_PROP_TOGGLE_STATE,
                                      active ? DBUSMENU_MENUITEM_TOGGLE_STATE_CHECKED
                                             : DBUSMENU_MENUITEM_TOGGLE_STATE_UNCHECKED);
}

static void
on_item_notify (GObject    *object,
                GParamSpec *pspec,
                gpointer    item)
{
  sync_toggle (item);
}

static void
watch_item (GtkWidget *item,
            gpointer   user_data)
{
  g_signal_connect (item, "notify", G_CALLBACK (on_item_notify), item);
  g_signal_connect_object (gtk_widget_get_accessible (item), "notify::accessible-role",
                           G_CALLBACK (on_item_notify), item, 0);
  sync_toggle (item);
}

/* Connected after libdbusmenu-gtk's own handler, which exports the item.
 * The tray menu is flat (sections become separators), so watching the
 * top-level menu is enough. */
static void
on_menu_insert (GtkMenuShell *menu,
                GtkWidget    *item,
                int           position,
                gpointer      user_data)
{
  watch_item (item, NULL);
}

static void
on_app_vanished (GDBusConnection *connection,
                 const char      *name,
                 gpointer         user_data)
{
  g_message ("%s left the bus; the tray goes with it", name);
  gtk_main_quit ();
}

static const char *
find_icon_theme_path (void)
{
  const char *candidates[] = { HELIX_TRAY_ICON_DIR, HELIX_TRAY_SOURCE_ICON_DIR };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *probe = g_build_filename (candidates[i], PROBE_ICON, NULL);

      if (g_file_test (probe, G_FILE_TEST_EXISTS))
        return candidates[i];
    }

  g_warning ("The tray icons are not installed in %s; the panel may show a generic icon",
             HELIX_TRAY_ICON_DIR);
  return NULL;
}

static void
tray_start (Tray       *tray,
            const char *app_id,
            const char *object_path,
            const char *menu_path)
{
  const char *theme_path = find_icon_theme_path ();

  tray->actions = G_ACTION_GROUP (g_dbus_action_group_get (tray->connection, app_id, object_path));
  tray->menu_model = G_MENU_MODEL (g_dbus_menu_model_get (tray->connection, app_id, menu_path));

  /* Radio items for set-status, a check item for dnd: GtkMenu derives them
   * from the action states, and libdbusmenu passes them on to the panel. */
  tray->menu = gtk_menu_new_from_model (tray->menu_model);
  gtk_widget_insert_action_group (tray->menu, "app", tray->actions);
  g_signal_connect_after (tray->menu, "insert", G_CALLBACK (on_menu_insert), NULL);

  tray->indicator = app_indicator_new (app_id, "com.helixphone.HelixPhone-offline",
                                       APP_INDICATOR_CATEGORY_COMMUNICATIONS);
  if (theme_path != NULL)
    app_indicator_set_icon_theme_path (tray->indicator, theme_path);
  app_indicator_set_menu (tray->indicator, GTK_MENU (tray->menu));
  gtk_container_foreach (GTK_CONTAINER (tray->menu), watch_item, NULL);
  app_indicator_set_status (tray->indicator, APP_INDICATOR_STATUS_ACTIVE);

  g_signal_connect (tray->actions, "action-added", G_CALLBACK (on_action_changed), tray);
  g_signal_connect (tray->actions, "action-state-changed",
                    G_CALLBACK (on_action_state_changed), tray);
  /* A GDBusActionGroup stays empty until it is first asked. */
  g_strfreev (g_action_group_list_actions (tray->actions));
  update_icon (tray);

  tray->app_watch = g_bus_watch_name_on_connection (tray->connection, app_id,
                                                    G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                    NULL, on_app_vanished, tray, NULL);
}

static void
tray_clear (Tray *tray)
{
  g_clear_handle_id (&tray->app_watch, g_bus_unwatch_name);
  g_clear_object (&tray->indicator);
  tray->menu = NULL;
  g_clear_object (&tray->menu_model);
  g_clear_object (&tray->actions);
  g_clear_object (&tray->connection);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *app_id = g_strdup (HELIX_APP_ID);
  g_autofree char *object_path = g_strdup (HELIX_APP_PATH);
  g_autofree char *menu_path = g_strdup (HELIX_TRAY_MENU_PATH);
  const GOptionEntry options[] = {
    { "app-id", 0, 0, G_OPTION_ARG_STRING, &app_id,
      N_("Bus name of the application"), N_("NAME") },
    { "object-path", 0, 0, G_OPTION_ARG_STRING, &object_path,
      N_("Object path of the application's actions"), N_("PATH") },
    { "menu-path", 0, 0, G_OPTION_ARG_STRING, &menu_path,
      N_("Object path of the application's tray menu"), N_("PATH") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  Tray tray = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!gtk_init_with_args (&argc, &argv, NULL, options, GETTEXT_PACKAGE, &error))
    {
      g_printerr ("helixphone-tray: %s\n",
                  error != NULL ? error->message : _("cannot open a display"));
      return EXIT_CANNOT_RUN;
    }

  if (!g_variant_is_object_path (object_path) || !g_variant_is_object_path (menu_path) ||
      !g_dbus_is_name (app_id))
    {
      g_printerr ("helixphone-tray: %s\n", _("invalid bus name or object path"));
      return EXIT_FAILURE;
    }

  tray.connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (tray.connection == NULL)
    {
      g_printerr ("helixphone-tray: %s\n", error->message);
      return EXIT_CANNOT_RUN;
    }

  tray_start (&tray, app_id, object_path, menu_path);
  gtk_main ();
  tray_clear (&tray);

  return EXIT_SUCCESS;
}

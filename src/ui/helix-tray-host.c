/* helix-tray-host.c — the app side of the tray: menu export, helper supervision
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tray indicator itself is helixphone-tray, a GTK 3 process (GTK 3 and
 * GTK 4 cannot share one).  This object is everything the app does for it:
 * it exports the tray menu model at HELIX_TRAY_MENU_PATH next to the
 * application's actions, starts the helper while a StatusNotifierWatcher
 * (the panel's tray) is on the session bus, and restarts it if it dies,
 * with a growing delay so that a helper that keeps crashing does not spin.
 * GIO only: the window side of close-to-tray is the application's.
 */
#define G_LOG_DOMAIN "helix-tray-host"

#include "helix-config.h"
#include "helix-tray-host.h"

#include <glib/gi18n.h>

#if HELIX_HAVE_TRAY_WIN32
#include "helix-tray-win32.h"
#endif

#define WATCHER_NAME        "org.kde.StatusNotifierWatcher"
#define HELPER_NAME         "helixphone-tray"
/* See helixphone-tray.c: it cannot work in this session, do not retry. */
#define HELPER_CANNOT_RUN   2
#define RESTART_DELAY_MS    500
#define RESTART_DELAY_MAX_MS (60 * 1000)
/* A helper that ran this long before dying gets a fresh, short delay. */
#define HELPER_STABLE_US    (30 * G_USEC_PER_SEC)

struct _HelixTrayHost {
  GObject          parent_instance;

  GApplication    *application;   /* weak: the application owns us */
  GDBusConnection *connection;
  GMenu           *menu;
  guint            menu_export_id;

  char            *helper_path;
  guint            watcher_watch;
  gboolean         watcher_present;
  GSubprocess     *helper;
  GCancellable    *cancellable;
  gint64           helper_started_us;
  guint            restart_source;
  guint            failures;
  gboolean         cannot_run;
  gboolean         stopped;

  gboolean         present;
#if HELIX_HAVE_TRAY_WIN32
  HelixTrayWin32  *win32;         /* Windows: the icon is ours, in this process */
#endif
};

G_DEFINE_FINAL_TYPE (HelixTrayHost, helix_tray_host, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_PRESENT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void spawn_helper (HelixTrayHost *self);

static GMenu *
build_menu (void)
{
  const struct {
    const char *status;
    const char *label;
  } statuses[] = {
    { "available", N_("Available") },
    { "busy",      N_("Busy") },
    { "away",      N_("Away") },
    { "lunch",     N_("Lunch") },
  };
  g_autoptr(GMenu) status_section = g_menu_new ();
  g_autoptr(GMenu) dnd_section = g_menu_new ();
  g_autoptr(GMenu) app_section = g_menu_new ();
  GMenu *menu = g_menu_new ();

  /* A target on the string-state `set-status` makes these radio items;
   * `dnd`, boolean state and no parameter, makes a check item. */
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(statuses[i].label), NULL);

      g_menu_item_set_action_and_target_value (item, "app.set-status",
                                               g_variant_new_string (statuses[i].status));
      g_menu_append_item (status_section, item);
    }
  g_menu_append (dnd_section, _("Do Not Disturb"), "app.dnd");
  g_menu_append (app_section, _("Show HelixPhone"), "app.show-window");
  g_menu_append (app_section, _("Quit"), "app.quit");

  g_menu_append_section (menu, NULL, G_MENU_MODEL (status_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (dnd_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (app_section));

  return menu;
}

/* HELIXPHONE_TRAY (tests, unusual installs; empty: no tray), then next to
 * our own executable (an uninstalled build keeps it in tray/), then the
 * installed libexecdir. */
static char *
find_helper (void)
{
  const char *env = g_getenv ("HELIXPHONE_TRAY");
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *installed = g_build_filename (HELIX_LIBEXECDIR, HELPER_NAME, NULL);

  if (env != NULL)
    return env[0] != '\0' ? g_strdup (env) : NULL;

  if (self_exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self_exe);
      const char *candidates[] = { "tray", "." };

      for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
        {
          g_autofree char *path = g_build_filename (dir, candidates[i], HELPER_NAME, NULL);

          if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
            return g_steal_pointer (&path);
        }
    }

  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&installed);

  return NULL;
}

static void
update_present (HelixTrayHost *self)
{
  gboolean present = !self->stopped && self->helper_path != NULL &&
                     self->watcher_present && !self->cannot_run;

  if (present == self->present)
    return;

  self->present = present;
  g_debug ("Tray %s", present ? "present" : "gone");
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PRESENT]);
}

static gboolean
on_restart_timeout (gpointer user_data)
{
  HelixTrayHost *self = user_data;

  self->restart_source = 0;
  if (self->watcher_present)
    spawn_helper (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_restart (HelixTrayHost *self)
{
  guint delay_ms;

  if (self->stopped || self->restart_source != 0)
    return;

  if (g_get_monotonic_time () - self->helper_started_us >= HELPER_STABLE_US)
    self->failures = 0;

  delay_ms = MIN ((guint) RESTART_DELAY_MS << MIN (self->failures, 8u), (guint) RESTART_DELAY_MAX_MS);
  self->failures++;

  g_message ("Restarting the tray helper in %u ms", delay_ms);
  self->restart_source = g_timeout_add (delay_ms, on_restart_timeout, self);
}

static void
on_helper_exited (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GSubprocess *helper = G_SUBPROCESS (source);
  g_autoptr(GError) error = NULL;
  HelixTrayHost *self;

  /* Cancelled only by stop/dispose: self may be gone already. */
  if (!g_subprocess_wait_finish (helper, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = HELIX_TRAY_HOST (user_data);
  if (helper != self->helper)
    return;
  g_clear_object (&self->helper);

  if (g_subprocess_get_if_signaled (helper))
    g_warning ("The tray helper was killed by signal %d", g_subprocess_get_term_sig (helper));
  else if (g_subprocess_get_exit_status (helper) == HELPER_CANNOT_RUN)
    {
      /* No display or no session bus: retrying would fail the same way.
       * A new StatusNotifierWatcher gets a fresh try. */
      g_message ("The tray helper cannot run in this session; no tray until the panel restarts");
      self->cannot_run = TRUE;
      update_present (self);
      return;
    }
  else
    g_warning ("The tray helper exited with status %d", g_subprocess_get_exit_status (helper));

  schedule_restart (self);
}

static void
spawn_helper (HelixTrayHost *self)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = {
    self->helper_path,
    "--app-id", g_application_get_application_id (self->application),
    "--object-path", g_application_get_dbus_object_path (self->application),
    "--menu-path", HELIX_TRAY_MENU_PATH,
    NULL
  };

  if (self->helper != NULL || self->stopped || self->cannot_run)
    return;

  g_debug ("Starting %s", self->helper_path);
  self->helper_started_us = g_get_monotonic_time ();
  /* Its messages go where ours go. */
  self->helper = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  if (self->helper == NULL)
    {
      g_warning ("Cannot start the tray helper %s: %s", self->helper_path, error->message);
      schedule_restart (self);
      return;
    }

  g_subprocess_wait_async (self->helper, self->cancellable, on_helper_exited, self);
}

static void
on_watcher_appeared (GDBusConnection *connection,
                     const char      *name,
                     const char      *owner,
                     gpointer         user_data)
{
  HelixTrayHost *self = user_data;

  g_debug ("%s appeared (%s)", name, owner);
  self->watcher_present = TRUE;
  self->cannot_run = FALSE;
  self->failures = 0;
  update_present (self);

  if (self->restart_source == 0)
    spawn_helper (self);
}

/* A running helper stays: the indicator registers again by itself when a
 * panel comes back. */
static void
on_watcher_vanished (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  HelixTrayHost *self = user_data;

  self->watcher_present = FALSE;
  update_present (self);
}

static void
helix_tray_host_constructed (GObject *object)
{
  HelixTrayHost *self = HELIX_TRAY_HOST (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (helix_tray_host_parent_class)->constructed (object);

  self->menu = build_menu ();

#if HELIX_HAVE_TRAY_WIN32
  /* Windows: a notification-area icon showing the same menu and driving
   * the same actions, with no helper and no session bus needed. */
  self->win32 = helix_tray_win32_new (self->application, G_MENU_MODEL (self->menu), &error);
  if (self->win32 == NULL)
    g_warning ("No tray: %s", error->message);
  self->present = self->win32 != NULL;
  return;
#endif

  self->connection = g_application_get_dbus_connection (self->application);
  if (self->connection == NULL)
    {
      g_message ("Not on a session bus: no tray");
      return;
    }
  g_object_ref (self->connection);

  self->menu_export_id = g_dbus_connection_export_menu_model (self->connection,
                                                              HELIX_TRAY_MENU_PATH,
                                                              G_MENU_MODEL (self->menu),
                                                              &error);
  if (self->menu_export_id == 0)
    {
      g_warning ("Cannot export the tray menu: %s", error->message);
      return;
    }

  if (!HELIX_HAVE_TRAY)
    return;

  self->helper_path = find_helper ();
  if (self->helper_path == NULL)
    {
      g_message ("No %s found: no tray", HELPER_NAME);
      return;
    }

  self->watcher_watch = g_bus_watch_name_on_connection (self->connection, WATCHER_NAME,
                                                        G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                        on_watcher_appeared, on_watcher_vanished,
                                                        self, NULL);
}

static void
helix_tray_host_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HelixTrayHost *self = HELIX_TRAY_HOST (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      self->application = g_value_get_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_tray_host_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HelixTrayHost *self = HELIX_TRAY_HOST (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;

    case PROP_PRESENT:
      g_value_set_boolean (value, self->present);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_tray_host_dispose (GObject *object)
{
  HelixTrayHost *self = HELIX_TRAY_HOST (object);

  helix_tray_host_stop (self);
  g_clear_object (&self->menu);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (helix_tray_host_parent_class)->dispose (object);
}

static void
helix_tray_host_finalize (GObject *object)
{
  HelixTrayHost *self = HELIX_TRAY_HOST (object);

  g_free (self->helper_path);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (helix_tray_host_parent_class)->finalize (object);
}

static void
helix_tray_host_class_init (HelixTrayHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = helix_tray_host_constructed;
  object_class->set_property = helix_tray_host_set_property;
  object_class->get_property = helix_tray_host_get_property;
  object_class->dispose = helix_tray_host_dispose;
  object_class->finalize = helix_tray_host_finalize;

  props[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, G_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* TRUE while a panel tray is on the bus and the helper can show in it. */
  props[PROP_PRESENT] =
    g_param_spec_boolean ("present", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
helix_tray_host_init (HelixTrayHost *self)
{
  self->cancellable = g_cancellable_new ();
}

/* Call once the application is registered (from startup). */
HelixTrayHost *
helix_tray_host_new (GApplication *application)
{
  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (g_application_get_is_registered (application), NULL);

  return g_object_new (HELIX_TYPE_TRAY_HOST, "application", application, NULL);
}

gboolean
helix_tray_host_get_present (HelixTrayHost *self)
{
  g_return_val_if_fail (HELIX_IS_TRAY_HOST (self), FALSE);

  return self->present;
}

GMenuModel *
helix_tray_host_get_menu (HelixTrayHost *self)
{
  g_return_val_if_fail (HELIX_IS_TRAY_HOST (self), NULL);

  return G_MENU_MODEL (self->menu);
}

/* At shutdown: the helper goes now (it would follow the bus name anyway,
 * but only once the process exits), and nothing restarts it. */
void
helix_tray_host_stop (HelixTrayHost *self)
{
  g_return_if_fail (HELIX_IS_TRAY_HOST (self));

  if (self->stopped)
    return;

  self->stopped = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->restart_source, g_source_remove);
  g_clear_handle_id (&self->watcher_watch, g_bus_unwatch_name);
  if (self->helper != NULL)
    g_subprocess_force_exit (self->helper);
  g_clear_object (&self->helper);
#if HELIX_HAVE_TRAY_WIN32
  g_clear_object (&self->win32);
#endif
  if (self->menu_export_id != 0)
    g_dbus_connection_unexport_menu_model (self->connection, self->menu_export_id);
  self->menu_export_id = 0;
  update_present (self);
}

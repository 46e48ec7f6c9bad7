/* helix-application.c — the desktop application: window on top of HelixPhone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helix-application"

#include "helix-config.h"
#include "helix-application.h"

#include <glib/gi18n.h>

#include "ui/helix-tray-host.h"
#include "ui/helix-preferences-window.h"
#include "ui/helix-call-notifier.h"
#include "ui/helix-window.h"

struct _HelixApplication {
  GtkApplication  parent_instance;

  HelixPhone     *phone;
  HelixCallNotifier *notifier;
  HelixTrayHost  *tray;
};

G_DEFINE_FINAL_TYPE (HelixApplication, helix_application, GTK_TYPE_APPLICATION)

/* With General.CloseToTray and a tray to come back from, closing only hides
 * the window; it stays in the application, which keeps running for it.
 * Otherwise closing the main window quits, whatever else is open. */
static gboolean
on_close_request (GtkWindow        *window,
                  HelixApplication *self)
{
  if (self->tray != NULL && helix_tray_host_get_present (self->tray) &&
      helix_settings_get_close_to_tray (helix_phone_get_settings (self->phone)))
    {
      gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
      return TRUE;
    }

  g_application_quit (G_APPLICATION (self));
  return FALSE;
}

/* A window hidden to a tray that has gone would be out of reach. */
static void
on_tray_present_changed (HelixApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (!helix_tray_host_get_present (self->tray) && window != NULL &&
      !gtk_widget_get_visible (GTK_WIDGET (window)))
    gtk_window_present (window);
}

static void
on_show_window_activate (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

static void
helix_application_startup (GApplication *application)
{
  HelixApplication *self = HELIX_APPLICATION (application);
  const GActionEntry entries[] = {
    { "show-window", on_show_window_activate },
  };

  G_APPLICATION_CLASS (helix_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  self->tray = helix_tray_host_new (application);
  g_signal_connect_object (self->tray, "notify::present", G_CALLBACK (on_tray_present_changed),
                           self, G_CONNECT_SWAPPED);
}

static void
helix_application_shutdown (GApplication *application)
{
  HelixApplication *self = HELIX_APPLICATION (application);

  if (self->tray != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tray, self);
      helix_tray_host_stop (self->tray);
    }

  G_APPLICATION_CLASS (helix_application_parent_class)->shutdown (application);
}

static void
helix_application_activate (GApplication *application)
{
  HelixApplication *self = HELIX_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* The SIP agent exists once startup ran; notifications follow it. */
  if (self->notifier == NULL && helix_phone_get_sip_agent (self->phone) != NULL)
    self->notifier = helix_call_notifier_new (application, helix_phone_get_sip_agent (self->phone));

  if (window == NULL)
    {
      window = GTK_WINDOW (helix_window_new (self, self->phone));
      g_signal_connect_object (window, "close-request", G_CALLBACK (on_close_request), self, 0);
    }

  gtk_window_present (window);
}

static int
helix_application_command_line (GApplication            *application,
                                GApplicationCommandLine *command_line)
{
  HelixApplication *self = HELIX_APPLICATION (application);
  int status = helix_phone_command_line (self->phone, command_line);

  g_application_activate (application);

  return status;
}

static void
helix_application_dispose (GObject *object)
{
  HelixApplication *self = HELIX_APPLICATION (object);

  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);
  g_clear_object (&self->phone);

  G_OBJECT_CLASS (helix_application_parent_class)->dispose (object);
}

static void
helix_application_class_init (HelixApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = helix_application_dispose;
  app_class->startup = helix_application_startup;
  app_class->shutdown = helix_application_shutdown;
  app_class->activate = helix_application_activate;
  app_class->command_line = helix_application_command_line;
}

static void
on_preferences_destroy (GtkWidget        *window,
                        HelixApplication *self)
{
  g_object_set_data (G_OBJECT (self), "helix-preferences-window", NULL);
}

/* One preferences window at a time; asking again brings it to the front.
 * It is not one of the application's windows, so that "activate" keeps
 * presenting the main window and closing it never quits. */
static void
on_preferences_activate (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  HelixApplication *self = user_data;
  GtkWindow *preferences = g_object_get_data (G_OBJECT (self), "helix-preferences-window");
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (preferences == NULL)
    {
      if (parent != NULL && !gtk_widget_get_visible (GTK_WIDGET (parent)))
        parent = NULL;
      preferences = GTK_WINDOW (helix_preferences_window_new (parent,
                                                             helix_phone_get_settings (self->phone),
                                                             helix_phone_get_status_engine (self->phone)));
      g_object_set_data (G_OBJECT (self), "helix-preferences-window", preferences);
      g_signal_connect_object (preferences, "destroy", G_CALLBACK (on_preferences_destroy), self, 0);
    }

  gtk_window_present (preferences);
}

/* The version shown is the one meson.build sets, like --version's. */
static void
on_about_activate (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  HelixApplication *self = user_data;
  const char *developers[] = { _("The HelixPhone developers"), NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "program-name", "HelixPhone",
                         "logo-icon-name", HELIX_APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("A softphone that tells your systems everything that happens"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", developers,
                         /* Translators: your names, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
helix_application_init (HelixApplication *self)
{
  const GActionEntry entries[] = {
    { "preferences", on_preferences_activate },
    { "about", on_about_activate },
  };

  self->phone = helix_phone_new (G_APPLICATION (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
}

HelixApplication *
helix_application_new (void)
{
  return g_object_new (HELIX_TYPE_APPLICATION,
                       "application-id", HELIX_APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}

HelixPhone *
helix_application_get_phone (HelixApplication *self)
{
  g_return_val_if_fail (HELIX_IS_APPLICATION (self), NULL);

  return self->phone;
}

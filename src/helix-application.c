/* helix-application.c — the desktop application: window on top of HelixPhone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helix-application"

#include "helix-config.h"
#include "helix-application.h"

#include "ui/helix-window.h"

struct _HelixApplication {
  GtkApplication  parent_instance;

  HelixPhone     *phone;
};

G_DEFINE_FINAL_TYPE (HelixApplication, helix_application, GTK_TYPE_APPLICATION)

static void
helix_application_activate (GApplication *application)
{
  HelixApplication *self = HELIX_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (helix_window_new (self, self->phone));

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

  g_clear_object (&self->phone);

  G_OBJECT_CLASS (helix_application_parent_class)->dispose (object);
}

static void
helix_application_class_init (HelixApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = helix_application_dispose;
  app_class->activate = helix_application_activate;
  app_class->command_line = helix_application_command_line;
}

static void
helix_application_init (HelixApplication *self)
{
  self->phone = helix_phone_new (G_APPLICATION (self));
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

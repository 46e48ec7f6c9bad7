/* helix-window.c — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helix-window"

#include "helix-config.h"
#include "helix-window.h"

#include <glib/gi18n.h>

struct _HelixWindow {
  GtkApplicationWindow  parent_instance;

  HelixPhone           *phone;

  GtkMenuButton        *status_button;
  GtkLabel             *status_label;
  GtkLabel             *problems_label;
};

G_DEFINE_FINAL_TYPE (HelixWindow, helix_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PHONE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const char *
status_label (HelixStatus status)
{
  switch (status)
    {
    case HELIX_STATUS_OFFLINE:        return _("Offline");
    case HELIX_STATUS_AVAILABLE:      return _("Available");
    case HELIX_STATUS_BUSY:           return _("Busy");
    case HELIX_STATUS_AWAY:           return _("Away");
    case HELIX_STATUS_LUNCH:          return _("Lunch");
    case HELIX_STATUS_DO_NOT_DISTURB: return _("Do Not Disturb");
    case HELIX_STATUS_RINGING:        return _("Ringing");
    case HELIX_STATUS_ON_CALL:        return _("On a Call");
    case HELIX_STATUS_HOLD:           return _("On Hold");
    default:                          return "";
    }
}

static void
update_status (HelixWindow *self)
{
  HelixStatusEngine *engine = helix_phone_get_status_engine (self->phone);
  HelixStatus status = helix_status_engine_get_status (engine);

  gtk_label_set_text (self->status_label, status_label (status));
  gtk_menu_button_set_label (self->status_button,
                             status_label ((HelixStatus) (helix_status_engine_get_user_status (engine)
                                                          + HELIX_STATUS_AVAILABLE)));
}

static void
show_settings_problems (HelixWindow *self)
{
  const char * const *problems = helix_settings_get_problems (helix_phone_get_settings (self->phone));
  g_autofree char *joined = NULL;
  g_autofree char *text = NULL;

  if (problems == NULL || problems[0] == NULL)
    return;

  joined = g_strjoinv ("\n", (char **) problems);
  text = g_strdup_printf (_("Some settings could not be used and defaults apply instead. "
                            "Fix the file and restart HelixPhone:\n%s"), joined);
  gtk_label_set_text (self->problems_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), TRUE);
}

static void
helix_window_constructed (GObject *object)
{
  HelixWindow *self = HELIX_WINDOW (object);
  HelixStatusEngine *engine = helix_phone_get_status_engine (self->phone);

  G_OBJECT_CLASS (helix_window_parent_class)->constructed (object);

  g_signal_connect_object (engine, "notify::status", G_CALLBACK (update_status),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::user-status", G_CALLBACK (update_status),
                           self, G_CONNECT_SWAPPED);
  update_status (self);
  show_settings_problems (self);
}

static void
helix_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  HelixWindow *self = HELIX_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PHONE:
      self->phone = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HelixWindow *self = HELIX_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PHONE:
      g_value_set_object (value, self->phone);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_window_dispose (GObject *object)
{
  HelixWindow *self = HELIX_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HELIX_TYPE_WINDOW);
  g_clear_object (&self->phone);

  G_OBJECT_CLASS (helix_window_parent_class)->dispose (object);
}

static void
helix_window_class_init (HelixWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = helix_window_constructed;
  object_class->set_property = helix_window_set_property;
  object_class->get_property = helix_window_get_property;
  object_class->dispose = helix_window_dispose;

  props[PROP_PHONE] =
    g_param_spec_object ("phone", NULL, NULL, HELIX_TYPE_PHONE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, status_button);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, problems_label);
}

static void
helix_window_init (HelixWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
helix_window_new (gpointer    application,
                  HelixPhone *phone)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (HELIX_IS_PHONE (phone), NULL);

  return g_object_new (HELIX_TYPE_WINDOW, "application", application, "phone", phone, NULL);
}

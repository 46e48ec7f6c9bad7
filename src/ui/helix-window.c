/* helix-window.c — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header shows what an agent checks all day: am I reachable
 * (registration), what do callers see (status), am I shielded (Do Not
 * Disturb).  The status menu and the DND toggle are bound to the
 * app.set-status and app.dnd actions, never to private state, so the
 * window, the tray and D-Bus always agree.  Below, a dialer, the speed
 * dial list, recent calls and — whenever there is a call — the call view.
 */
#define G_LOG_DOMAIN "helix-window"

#include "helix-config.h"
#include "helix-window.h"

#include <glib/gi18n.h>

#include "helix-call-view.h"
#include "helix-dialer-page.h"
#include "helix-history-page.h"
#include "helix-sip-agent.h"
#include "helix-speed-dial-page.h"
#include "helix-ui-text.h"

/* How long "Call ended: Busy" stays up before the dialer comes back. */
#define ENDED_LINGER_MS 2000

struct _HelixWindow {
  GtkApplicationWindow  parent_instance;

  HelixPhone           *phone;
  guint                 linger_id;

  GtkMenuButton        *status_button;
  GtkLabel             *registration_label;
  GtkRevealer          *registration_revealer;
  GtkLabel             *registration_error_label;
  GtkLabel             *problems_label;
  GtkStack             *main_stack;
  GtkStack             *pages;
  HelixDialerPage      *dialer_page;
  GtkWidget            *speed_dial_page;
  GtkWidget            *history_page;
  HelixCallView        *call_view;
  GMenu                *preferences_section;
};

G_DEFINE_FINAL_TYPE (HelixWindow, helix_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PHONE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const struct {
  const char *action;
  const char *accels[3];
} accelerators[] = {
  { "app.answer",       { "<Primary><Shift>a", NULL } },
  { "app.reject",       { "<Primary><Shift>d", NULL } },
  { "app.hangup",       { "<Primary><Shift>h", NULL } },
  { "app.mute",         { "<Primary><Shift>m", NULL } },
  { "app.dnd",          { "<Primary><Shift>n", NULL } },
  { "app.preferences",  { "<Primary>comma", NULL } },
  { "app.quit",         { "<Primary>q", NULL } },
};

static const char *
user_status_label (HelixUserStatus status)
{
  switch (status)
    {
    case HELIX_USER_STATUS_AVAILABLE: return _("Available");
    case HELIX_USER_STATUS_BUSY:      return _("Busy");
    case HELIX_USER_STATUS_AWAY:      return _("Away");
    case HELIX_USER_STATUS_LUNCH:     return _("Lunch");
    default:                          return "";
    }
}

static void
update_status (HelixWindow *self)
{
  HelixStatusEngine *engine = helix_phone_get_status_engine (self->phone);

  gtk_menu_button_set_label (self->status_button,
                             user_status_label (helix_status_engine_get_user_status (engine)));
}

static void
update_registration (HelixWindow *self)
{
  HelixSipAgent *agent = helix_phone_get_sip_agent (self->phone);
  HelixSettings *settings = helix_phone_get_settings (self->phone);
  g_autofree char *text = NULL;
  g_autofree char *error = NULL;
  HelixRegistrationState state = agent != NULL ? helix_sip_agent_get_registration_state (agent)
                                               : HELIX_REGISTRATION_STOPPED;

  switch (state)
    {
    case HELIX_REGISTRATION_DIRECT:
      text = g_strdup_printf (_("Direct mode · %s"), helix_sip_agent_get_local_uri (agent));
      break;
    case HELIX_REGISTRATION_DISABLED:
      text = g_strdup (_("Not registered"));
      break;
    case HELIX_REGISTRATION_REGISTERING:
      text = g_strdup (_("Registering…"));
      break;
    case HELIX_REGISTRATION_REGISTERED:
      text = g_strdup_printf (_("Registered as %s@%s"), helix_settings_get_sip_username (settings),
                              helix_settings_get_sip_server (settings));
      break;
    case HELIX_REGISTRATION_FAILED:
      text = g_strdup (_("Registration failed"));
      error = g_strdup_printf (_("Registration failed: %s. Retrying…"),
                               helix_sip_agent_get_registration_error (agent));
      break;
    case HELIX_REGISTRATION_STOPPED:
    default:
      text = g_strdup (_("Offline"));
      break;
    }

  gtk_label_set_text (self->registration_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->registration_label), text);
  /* The server's reason phrase is foreign text: plain, never markup. */
  gtk_label_set_text (self->registration_error_label, error != NULL ? error : "");
  gtk_revealer_set_reveal_child (self->registration_revealer, error != NULL);
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
show_idle (HelixWindow *self)
{
  g_clear_handle_id (&self->linger_id, g_source_remove);
  helix_call_view_set_call (self->call_view, NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "idle");
}

static void
show_call (HelixWindow *self,
           HelixCall   *call)
{
  g_clear_handle_id (&self->linger_id, g_source_remove);
  helix_call_view_set_call (self->call_view, call);
  gtk_stack_set_visible_child_name (self->main_stack, "call");
}

static gboolean
on_linger_done (gpointer user_data)
{
  HelixWindow *self = user_data;

  self->linger_id = 0;
  show_idle (self);

  return G_SOURCE_REMOVE;
}

static void
on_call_added (HelixWindow *self,
               HelixCall   *call)
{
  show_call (self, call);
}

static void
on_call_removed (HelixWindow *self,
                 HelixCall   *call)
{
  if (helix_call_view_get_call (self->call_view) != call)
    return;

  /* Leave the outcome readable for a moment, then back to dialling. */
  g_clear_handle_id (&self->linger_id, g_source_remove);
  self->linger_id = g_timeout_add (ENDED_LINGER_MS, on_linger_done, self);
}

/* Digits typed while no text field has the keyboard: into the number
 * entry when idle, as tones during a call. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        modifiers,
                HelixWindow           *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);
  char key[2] = { (char) c, '\0' };
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if ((modifiers & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0 ||
      !(g_ascii_isdigit (c) || c == '*' || c == '#') ||
      (focus != NULL && GTK_IS_EDITABLE (focus)))
    return GDK_EVENT_PROPAGATE;

  if (g_str_equal (gtk_stack_get_visible_child_name (self->main_stack), "call"))
    {
      helix_call_view_send_key (self->call_view, key);
      return GDK_EVENT_STOP;
    }

  gtk_stack_set_visible_child_name (self->pages, "dialer");
  helix_dialer_page_focus_entry (self->dialer_page);
  helix_dialer_page_insert_key (self->dialer_page, key);

  return GDK_EVENT_STOP;
}

static void
on_focus_dialer (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HelixWindow *self = HELIX_WINDOW (widget);

  if (!g_str_equal (gtk_stack_get_visible_child_name (self->main_stack), "idle"))
    return;

  gtk_stack_set_visible_child_name (self->pages, "dialer");
  helix_dialer_page_focus_entry (self->dialer_page);
}

static void
on_page (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  HelixWindow *self = HELIX_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (gtk_stack_get_child_by_name (self->pages, name) != NULL)
    gtk_stack_set_visible_child_name (self->pages, name);
}

/* Preferences is offered only when the application provides it. */
static void
update_preferences_item (HelixWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  gboolean has = application != NULL &&
                 g_action_group_has_action (G_ACTION_GROUP (application), "preferences");

  g_menu_remove_all (self->preferences_section);
  if (has)
    g_menu_append (self->preferences_section, _("_Preferences"), "app.preferences");
}

static void
load_style (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded || gdk_display_get_default () == NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/com/helixphone/HelixPhone/ui/helix-window.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  loaded = TRUE;
}

static void
helix_window_constructed (GObject *object)
{
  HelixWindow *self = HELIX_WINDOW (object);
  HelixStatusEngine *engine = helix_phone_get_status_engine (self->phone);
  HelixSipAgent *agent = helix_phone_get_sip_agent (self->phone);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  G_OBJECT_CLASS (helix_window_parent_class)->constructed (object);

  g_object_set (self->dialer_page, "phone", self->phone, NULL);
  g_object_set (self->speed_dial_page, "phone", self->phone, NULL);
  g_object_set (self->history_page, "phone", self->phone, NULL);

  g_signal_connect_object (engine, "notify::user-status", G_CALLBACK (update_status),
                           self, G_CONNECT_SWAPPED);
  update_status (self);

  if (agent != NULL)
    {
      g_signal_connect_object (agent, "notify::registration-state", G_CALLBACK (update_registration),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (agent, "notify::registration-error", G_CALLBACK (update_registration),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (agent, "notify::local-uri", G_CALLBACK (update_registration),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (agent, "call-added", G_CALLBACK (on_call_added), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (agent, "call-removed", G_CALLBACK (on_call_removed), self, G_CONNECT_SWAPPED);
      if (helix_sip_agent_get_call (agent) != NULL)
        show_call (self, helix_sip_agent_get_call (agent));
    }
  update_registration (self);
  show_settings_problems (self);

  if (application != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
        gtk_application_set_accels_for_action (application, accelerators[i].action,
                                               accelerators[i].accels);
      g_signal_connect_object (application, "action-added::preferences",
                               G_CALLBACK (update_preferences_item), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (application, "action-removed::preferences",
                               G_CALLBACK (update_preferences_item), self, G_CONNECT_SWAPPED);
    }
  update_preferences_item (self);
  load_style ();

  /* Keyboard-first: the window opens ready to type a number. */
  helix_dialer_page_focus_entry (self->dialer_page);
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

  g_clear_handle_id (&self->linger_id, g_source_remove);
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

  gtk_widget_class_install_action (widget_class, "main.focus-dialer", NULL, on_focus_dialer);
  gtk_widget_class_install_action (widget_class, "main.page", "s", on_page);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "main.focus-dialer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "main.page", "s", "dialer");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "main.page", "s", "speed-dial");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "main.page", "s", "history");

  g_type_ensure (HELIX_TYPE_CALL_VIEW);
  g_type_ensure (HELIX_TYPE_DIALER_PAGE);
  g_type_ensure (HELIX_TYPE_HISTORY_PAGE);
  g_type_ensure (HELIX_TYPE_SPEED_DIAL_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, status_button);
  gtk_widget_class_bind_template_child_full (widget_class, "dnd_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "primary_button", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, registration_label);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, registration_revealer);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, registration_error_label);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, problems_label);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, dialer_page);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, speed_dial_page);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, call_view);
  gtk_widget_class_bind_template_child (widget_class, HelixWindow, preferences_section);
}

static void
helix_window_init (HelixWindow *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

GtkWidget *
helix_window_new (gpointer    application,
                  HelixPhone *phone)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (HELIX_IS_PHONE (phone), NULL);

  return g_object_new (HELIX_TYPE_WINDOW, "application", application, "phone", phone, NULL);
}

/* helix-call-view.c — the call in progress: who, how long, what to do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The view follows one HelixCall and drives it only through the app.*
 * actions (answer, reject, hangup, hold, resume, dtmf, transfer, mute), so
 * the window, the tray, notifications and D-Bus all act the same way.  The
 * 1 s duration timer runs only while a call is up: an idle softphone
 * should not wake the CPU every second all day.
 */
#define G_LOG_DOMAIN "helix-window"

#include "helix-config.h"
#include "helix-call-view.h"

#include <glib/gi18n.h>

#include "helix-dial-pad.h"
#include "helix-ui-text.h"

/* Enough for any tone sequence an IVR asks for, without growing forever. */
#define MAX_SENT_TONES 32

struct _HelixCallView {
  GtkWidget        parent_instance;

  HelixCall       *call;
  guint            timer_id;
  GString         *sent_tones;

  GtkLabel        *name_label;
  GtkLabel        *number_label;
  GtkLabel        *state_label;
  GtkLabel        *duration_label;
  GtkWidget       *incoming_box;
  GtkWidget       *answer_button;
  GtkWidget       *decline_button;
  GtkWidget       *controls_box;
  GtkWidget       *mute_button;
  GtkWidget       *hold_button;
  GtkWidget       *resume_button;
  GtkToggleButton *keypad_button;
  GtkToggleButton *transfer_toggle;
  GtkRevealer     *keypad_revealer;
  GtkLabel        *tones_label;
  GtkRevealer     *transfer_revealer;
  GtkEntry        *transfer_entry;
  GtkWidget       *transfer_button;
  GtkWidget       *hangup_button;
};

G_DEFINE_FINAL_TYPE (HelixCallView, helix_call_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CALL,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static guint
live_duration (HelixCall *call)
{
  gint64 answered = helix_call_get_answer_time (call);

  if (!helix_call_was_answered (call) || answered <= 0)
    return 0;
  if (helix_call_get_state (call) == HELIX_CALL_STATE_ENDED)
    return helix_call_get_duration (call);

  return (guint) MAX (0, (g_get_real_time () - answered) / G_USEC_PER_SEC);
}

static void
update_duration (HelixCallView *self)
{
  g_autofree char *text = NULL;

  if (self->call == NULL || !helix_call_was_answered (self->call))
    {
      gtk_label_set_text (self->duration_label, "");
      return;
    }

  text = helix_ui_format_duration (live_duration (self->call));
  gtk_label_set_text (self->duration_label, text);
}

static gboolean
on_tick (gpointer user_data)
{
  update_duration (user_data);

  return G_SOURCE_CONTINUE;
}

static void
update_identity (HelixCallView *self)
{
  g_autofree char *name = helix_ui_clean_text (helix_call_get_remote_name (self->call),
                                               HELIX_UI_MAX_NAME_CHARS);
  g_autofree char *number = helix_ui_clean_text (helix_call_get_remote_number (self->call),
                                                 HELIX_UI_MAX_NUMBER_CHARS);

  /* Plain text only: a caller's name is never parsed as markup. */
  if (*name != '\0')
    {
      gtk_label_set_text (self->name_label, name);
      gtk_label_set_text (self->number_label, number);
      gtk_widget_set_visible (GTK_WIDGET (self->number_label), *number != '\0');
    }
  else
    {
      gtk_label_set_text (self->name_label, *number != '\0' ? number : _("Unknown caller"));
      gtk_widget_set_visible (GTK_WIDGET (self->number_label), FALSE);
    }
}

static char *
describe_state (HelixCall *call)
{
  gboolean inbound = helix_call_get_direction (call) == HELIX_CALL_DIRECTION_INBOUND;

  switch (helix_call_get_state (call))
    {
    case HELIX_CALL_STATE_INCOMING:
      return g_strdup (_("Incoming call"));
    case HELIX_CALL_STATE_DIALING:
      return g_strdup (_("Calling…"));
    case HELIX_CALL_STATE_ALERTING:
      return g_strdup (_("Ringing…"));
    case HELIX_CALL_STATE_ACTIVE:
      if (helix_call_get_remote_held (call))
        return g_strdup (_("The other party put you on hold"));
      return g_strdup (inbound ? _("Incoming call") : _("Outgoing call"));
    case HELIX_CALL_STATE_HELD:
      return g_strdup (_("On hold"));
    case HELIX_CALL_STATE_ENDED:
      {
        g_autofree char *reason = helix_ui_clean_text (helix_ui_describe_end (helix_call_get_end_reason (call)),
                                                       HELIX_UI_MAX_NAME_CHARS);
        return g_steal_pointer (&reason);
      }
    default:
      return g_strdup ("");
    }
}

static void
update_state (HelixCallView *self)
{
  HelixCallState state;
  g_autofree char *description = NULL;
  gboolean up;

  if (self->call == NULL)
    return;

  state = helix_call_get_state (self->call);
  up = state == HELIX_CALL_STATE_ACTIVE || state == HELIX_CALL_STATE_HELD;

  description = describe_state (self->call);
  gtk_label_set_text (self->state_label, description);

  gtk_widget_set_visible (self->incoming_box, state == HELIX_CALL_STATE_INCOMING);
  gtk_widget_set_visible (self->controls_box, up);
  gtk_widget_set_visible (self->hold_button, state == HELIX_CALL_STATE_ACTIVE);
  gtk_widget_set_visible (self->resume_button, state == HELIX_CALL_STATE_HELD);
  gtk_widget_set_visible (self->hangup_button,
                          state != HELIX_CALL_STATE_INCOMING && state != HELIX_CALL_STATE_ENDED);
  if (!up)
    {
      gtk_toggle_button_set_active (self->keypad_button, FALSE);
      gtk_toggle_button_set_active (self->transfer_toggle, FALSE);
    }

  if (up && self->timer_id == 0)
    self->timer_id = g_timeout_add_seconds (1, on_tick, self);
  else if (!up)
    g_clear_handle_id (&self->timer_id, g_source_remove);

  update_duration (self);

  /* The obvious next step gets the focus, so Enter/Space does it. */
  if (state == HELIX_CALL_STATE_INCOMING)
    gtk_widget_grab_focus (self->answer_button);
  else if (state != HELIX_CALL_STATE_ENDED && gtk_widget_get_visible (self->hangup_button) &&
           !gtk_toggle_button_get_active (self->transfer_toggle))
    gtk_widget_grab_focus (self->hangup_button);
}

/* app.mute is optional: bind the button only when the application has it.
 * Checked for every call, since the view is built before its window
 * belongs to the application. */
static void
bind_mute (HelixCallView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *application = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  gboolean has_mute = application != NULL &&
                      g_action_group_has_action (G_ACTION_GROUP (application), "mute");

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->mute_button), has_mute ? "app.mute" : NULL);
  gtk_widget_set_visible (self->mute_button, has_mute);
}

HelixCall *
helix_call_view_get_call (HelixCallView *self)
{
  g_return_val_if_fail (HELIX_IS_CALL_VIEW (self), NULL);

  return self->call;
}

void
helix_call_view_set_call (HelixCallView *self,
                          HelixCall     *call)
{
  g_return_if_fail (HELIX_IS_CALL_VIEW (self));
  g_return_if_fail (call == NULL || HELIX_IS_CALL (call));

  if (self->call == call)
    return;

  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_set_object (&self->call, call);

  g_string_truncate (self->sent_tones, 0);
  gtk_label_set_text (self->tones_label, "");
  gtk_editable_set_text (GTK_EDITABLE (self->transfer_entry), "");
  gtk_toggle_button_set_active (self->keypad_button, FALSE);
  gtk_toggle_button_set_active (self->transfer_toggle, FALSE);

  if (call != NULL)
    {
      bind_mute (self);
      g_signal_connect_swapped (call, "notify::state", G_CALLBACK (update_state), self);
      g_signal_connect_swapped (call, "notify::remote-held", G_CALLBACK (update_state), self);
      g_signal_connect_swapped (call, "notify::end-reason", G_CALLBACK (update_state), self);
      update_identity (self);
      update_state (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CALL]);
}

void
helix_call_view_send_key (HelixCallView *self,
                          const char    *key)
{
  g_return_if_fail (HELIX_IS_CALL_VIEW (self));

  if (self->call == NULL || helix_call_get_state (self->call) != HELIX_CALL_STATE_ACTIVE)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "app.dtmf", "s", key);

  if (self->sent_tones->len >= MAX_SENT_TONES)
    g_string_erase (self->sent_tones, 0, 1);
  g_string_append (self->sent_tones, key);
  gtk_label_set_text (self->tones_label, self->sent_tones->str);
}

static void
on_key_pressed (HelixCallView *self,
                const char    *key)
{
  helix_call_view_send_key (self, key);
}

static void
transfer (HelixCallView *self)
{
  g_autofree char *target = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->transfer_entry))));

  if (*target == '\0')
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "app.transfer", "s", target);
}

static void
on_transfer_entry_changed (HelixCallView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->transfer_entry));

  gtk_widget_set_sensitive (self->transfer_button, text[0] != '\0');
}

static void
on_transfer_toggled (HelixCallView *self)
{
  if (gtk_toggle_button_get_active (self->transfer_toggle))
    gtk_widget_grab_focus (GTK_WIDGET (self->transfer_entry));
}

static void
helix_call_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_CALL:
      helix_call_view_set_call (HELIX_CALL_VIEW (object), g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_call_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_CALL:
      g_value_set_object (value, HELIX_CALL_VIEW (object)->call);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_call_view_dispose (GObject *object)
{
  HelixCallView *self = HELIX_CALL_VIEW (object);

  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->call);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), HELIX_TYPE_CALL_VIEW);

  G_OBJECT_CLASS (helix_call_view_parent_class)->dispose (object);
}

static void
helix_call_view_finalize (GObject *object)
{
  HelixCallView *self = HELIX_CALL_VIEW (object);

  g_string_free (self->sent_tones, TRUE);

  G_OBJECT_CLASS (helix_call_view_parent_class)->finalize (object);
}

static void
helix_call_view_class_init (HelixCallViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = helix_call_view_set_property;
  object_class->get_property = helix_call_view_get_property;
  object_class->dispose = helix_call_view_dispose;
  object_class->finalize = helix_call_view_finalize;

  props[PROP_CALL] =
    g_param_spec_object ("call", NULL, NULL, HELIX_TYPE_CALL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (HELIX_TYPE_DIAL_PAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-call-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, name_label);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, number_label);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, state_label);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, duration_label);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, incoming_box);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, answer_button);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, decline_button);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, controls_box);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, mute_button);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, hold_button);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, resume_button);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, keypad_button);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, transfer_toggle);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, keypad_revealer);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, tones_label);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, transfer_revealer);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, transfer_entry);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, transfer_button);
  gtk_widget_class_bind_template_child (widget_class, HelixCallView, hangup_button);
  gtk_widget_class_bind_template_callback (widget_class, on_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, transfer);
  gtk_widget_class_bind_template_callback (widget_class, on_transfer_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_transfer_toggled);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "helix-call-view");
}

static void
helix_call_view_init (HelixCallView *self)
{
  self->sent_tones = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* helix-call-notifier.c — desktop notifications for incoming and missed calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ringing call raises one urgent notification whose Answer and Decline
 * buttons run app.answer and app.reject, so answering from the
 * notification is exactly answering from the window.  It is withdrawn as
 * soon as the call stops ringing, whoever ended it.  An inbound call that
 * was never answered, and was not declined here, leaves a "Missed call"
 * notification that stays until the user dismisses it.
 */
#define G_LOG_DOMAIN "helix-window"

#include "helix-config.h"
#include "helix-call-notifier.h"

#include <glib/gi18n.h>

#include "helix-ui-text.h"

#define INCOMING_ID "incoming-call"

struct _HelixCallNotifier {
  GObject        parent_instance;

  GApplication  *application;   /* weak: owns us */
  HelixSipAgent *agent;
  HelixCall     *ringing;       /* the call the incoming notification is about */
  guint          missed_count;
};

G_DEFINE_FINAL_TYPE (HelixCallNotifier, helix_call_notifier, G_TYPE_OBJECT)

/* Notification servers may read the body as markup; a caller's name must
 * stay text, so the three markup characters become look-alikes. */
static char *
notification_text (const char *raw,
                   guint       max_chars)
{
  g_autofree char *clean = helix_ui_clean_text (raw, max_chars);
  GString *out = g_string_new (NULL);

  for (const char *p = clean; *p != '\0'; p++)
    {
      if (*p == '<')
        g_string_append (out, "‹");
      else if (*p == '>')
        g_string_append (out, "›");
      else if (*p == '&')
        g_string_append (out, "＆");
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* "Name" (with the number as detail) or just the number. */
static void
describe_caller (const char  *raw_number,
                 const char  *raw_name,
                 char       **out_who,
                 char       **out_detail)
{
  g_autofree char *number = notification_text (raw_number, HELIX_UI_MAX_NUMBER_CHARS);
  g_autofree char *name = notification_text (raw_name, HELIX_UI_MAX_NAME_CHARS);

  if (*name != '\0')
    {
      *out_who = g_steal_pointer (&name);
      *out_detail = g_steal_pointer (&number);
    }
  else
    {
      *out_who = *number != '\0' ? g_steal_pointer (&number) : g_strdup (_("Unknown caller"));
      *out_detail = g_strdup ("");
    }
}

static void
notify_missed (HelixCallNotifier *self,
               const char        *number,
               const char        *name)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = g_themed_icon_new ("call-missed-symbolic");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *who = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *title = NULL;
  g_autofree char *time = g_date_time_format (now, "%X");
  g_autofree char *body = NULL;
  g_autofree char *id = g_strdup_printf ("missed-call-%u", ++self->missed_count);

  describe_caller (number, name, &who, &detail);
  title = g_strdup_printf (_("Missed call from %s"), who);
  body = *detail != '\0' ? g_strdup_printf (_("%s at %s"), detail, time)
                         : g_strdup_printf (_("At %s"), time);

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_notification_set_category (notification, "call.unanswered");
  g_application_send_notification (self->application, id, notification);
}

static void
notify_incoming (HelixCallNotifier *self,
                 HelixCall         *call)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = g_themed_icon_new ("call-incoming-symbolic");
  g_autofree char *who = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *title = NULL;

  describe_caller (helix_call_get_remote_number (call), helix_call_get_remote_name (call),
                   &who, &detail);
  title = g_strdup_printf (_("Incoming call from %s"), who);

  notification = g_notification_new (title);
  if (*detail != '\0')
    g_notification_set_body (notification, detail);
  g_notification_set_icon (notification, icon);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_category (notification, "call.incoming");
  g_notification_add_button (notification, _("Decline"), "app.reject");
  g_notification_add_button (notification, _("Answer"), "app.answer");
  g_application_send_notification (self->application, INCOMING_ID, notification);
}

static void
stop_ringing (HelixCallNotifier *self)
{
  if (self->ringing == NULL)
    return;

  g_clear_object (&self->ringing);
  g_application_withdraw_notification (self->application, INCOMING_ID);
}

static void
on_call_state (HelixCall         *call,
               GParamSpec        *pspec,
               HelixCallNotifier *self)
{
  HelixCallState state = helix_call_get_state (call);

  if (state == HELIX_CALL_STATE_INCOMING)
    return;

  if (call == self->ringing)
    stop_ringing (self);

  /* Declined is the user's own choice, not something they missed. */
  if (state == HELIX_CALL_STATE_ENDED &&
      helix_call_get_direction (call) == HELIX_CALL_DIRECTION_INBOUND &&
      !helix_call_was_answered (call) &&
      g_strcmp0 (helix_call_get_end_reason (call), "Declined") != 0)
    notify_missed (self, helix_call_get_remote_number (call), helix_call_get_remote_name (call));

  if (state == HELIX_CALL_STATE_ENDED)
    g_signal_handlers_disconnect_by_func (call, on_call_state, self);
}

static void
on_call_added (HelixSipAgent     *agent,
               HelixCall         *call,
               HelixCallNotifier *self)
{
  if (helix_call_get_direction (call) != HELIX_CALL_DIRECTION_INBOUND)
    return;

  g_signal_connect_object (call, "notify::state", G_CALLBACK (on_call_state), self, 0);
  if (helix_call_get_state (call) == HELIX_CALL_STATE_INCOMING)
    {
      g_set_object (&self->ringing, call);
      notify_incoming (self, call);
    }
}

static void
on_call_removed (HelixSipAgent     *agent,
                 HelixCall         *call,
                 HelixCallNotifier *self)
{
  if (call == self->ringing)
    stop_ringing (self);
}

/* Refused without ringing (Do Not Disturb, already on a call). */
static void
on_missed_call (HelixSipAgent     *agent,
                const char        *number,
                const char        *name,
                const char        *reason,
                HelixCallNotifier *self)
{
  notify_missed (self, number, name);
}

static void
helix_call_notifier_dispose (GObject *object)
{
  HelixCallNotifier *self = HELIX_CALL_NOTIFIER (object);

  if (self->application != NULL)
    stop_ringing (self);
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->ringing);
  g_clear_object (&self->agent);

  G_OBJECT_CLASS (helix_call_notifier_parent_class)->dispose (object);
}

static void
helix_call_notifier_class_init (HelixCallNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = helix_call_notifier_dispose;
}

static void
helix_call_notifier_init (HelixCallNotifier *self)
{
}

HelixCallNotifier *
helix_call_notifier_new (GApplication  *application,
                         HelixSipAgent *agent)
{
  HelixCallNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (HELIX_IS_SIP_AGENT (agent), NULL);

  self = g_object_new (HELIX_TYPE_CALL_NOTIFIER, NULL);
  g_set_weak_pointer (&self->application, application);
  self->agent = g_object_ref (agent);
  g_signal_connect_object (agent, "call-added", G_CALLBACK (on_call_added), self, 0);
  g_signal_connect_object (agent, "call-removed", G_CALLBACK (on_call_removed), self, 0);
  g_signal_connect_object (agent, "missed-call", G_CALLBACK (on_missed_call), self, 0);

  return self;
}

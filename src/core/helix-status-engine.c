/* helix-status-engine.c — derives the effective status and the spec's events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helix-status-engine"

#include "helix-status-engine.h"

#include "helix-core-enums.h"

/*
 * The spec's "Webhook Event Flow" leaves room for interpretation; these are
 * the decisions, and tests/test-status-engine.c checks every one of them.
 *
 * - Effective status: a tracked call gives ringing / on_call / hold (with its
 *   direction and call fields) and wins over everything, even lost
 *   registration: the agent is still on the phone.  Otherwise not registered
 *   gives offline, then DND gives do_not_disturb, then the user status.
 * - Initially: not registered, user status available, DND off, no call,
 *   status offline.  Construction emits nothing.
 * - An event is emitted whenever the effective status changes, and only
 *   then.  Setting a stored value to what it already is emits nothing.
 *   Changing the user status or DND while a call or DND hides it only updates
 *   the stored value (and notifies its property); it takes effect later.
 *   So "DND off" restores whatever user status is stored, even one picked
 *   while DND was on.
 * - Ringing is accepted only when no call is tracked; an inbound ringing
 *   while DND is on is ignored too.  The SIP layer asks
 *   helix_status_engine_accepts_inbound() first and answers 486 (recording
 *   the call as missed) when it says no.  Registration does not matter there:
 *   direct mode counts as registered.  Outbound ringing is allowed under DND
 *   because the user dials deliberately.  NULL number/name become "".
 * - answered only moves ringing → on_call, held only on_call → hold, resumed
 *   only hold → on_call; anything else, or an unknown call id, is ignored.
 * - Ended (and failed, which is ended with duration 0): one event "available"
 *   with direction null but carrying the call's call_id, remote_number,
 *   remote_name and duration so receivers can correlate it; then the call is
 *   forgotten and, if the status without the call is not available (custom
 *   user status, DND), that status is re-sent with empty call fields.  If
 *   registration was lost during the call, the first event is "offline" with
 *   the duration and nothing follows.
 * - shutdown() forgets the call, marks us unregistered and reports offline,
 *   unless the last reported status already was offline (which includes
 *   never having registered: nothing was reported, nothing to retract).
 * - The extension only labels events; changing it emits nothing.
 * - Every event is stamped by the injected clock, read once per event.
 *
 * self->status is the status receivers were last told, which is the effective
 * status except for the instant the "available" closing a call is emitted.
 * Events are emitted after the state is consistent so that handlers may feed
 * new input back in.
 */

typedef enum {
  CALL_STATE_NONE,
  CALL_STATE_RINGING,
  CALL_STATE_ACTIVE,
  CALL_STATE_HELD,
} CallState;

struct _HelixStatusEngine
{
  GObject             parent_instance;

  char               *extension;
  HelixUserStatus     user_status;
  gboolean            dnd;
  gboolean            registered;

  /* The tracked call; call_id is NULL when there is none. */
  char               *call_id;
  HelixCallDirection  direction;
  char               *remote_number;
  char               *remote_name;
  CallState           call_state;

  HelixStatus         status;

  HelixClockFunc      clock;
  gpointer            clock_data;
};

G_DEFINE_FINAL_TYPE (HelixStatusEngine, helix_status_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_USER_STATUS,
  PROP_DND,
  PROP_REGISTERED,
  PROP_EXTENSION,
  N_PROPS
};

enum {
  EVENT,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

static gint64
default_clock (gpointer user_data)
{
  return g_get_real_time ();
}

static const HelixStatus user_statuses[] = {
  [HELIX_USER_STATUS_AVAILABLE] = HELIX_STATUS_AVAILABLE,
  [HELIX_USER_STATUS_BUSY]      = HELIX_STATUS_BUSY,
  [HELIX_USER_STATUS_AWAY]      = HELIX_STATUS_AWAY,
  [HELIX_USER_STATUS_LUNCH]     = HELIX_STATUS_LUNCH,
};

static const HelixStatus call_statuses[] = {
  [CALL_STATE_RINGING] = HELIX_STATUS_RINGING,
  [CALL_STATE_ACTIVE]  = HELIX_STATUS_ON_CALL,
  [CALL_STATE_HELD]    = HELIX_STATUS_HOLD,
};

/* The status as if there were no call. */
static HelixStatus
idle_status (HelixStatusEngine *self)
{
  if (!self->registered)
    return HELIX_STATUS_OFFLINE;

  if (self->dnd)
    return HELIX_STATUS_DO_NOT_DISTURB;

  return user_statuses[self->user_status];
}

static HelixStatus
effective_status (HelixStatusEngine *self)
{
  if (self->call_state != CALL_STATE_NONE)
    return call_statuses[self->call_state];

  return idle_status (self);
}

static gboolean
is_tracked_call (HelixStatusEngine *self,
                 const char        *call_id)
{
  return self->call_id != NULL && g_strcmp0 (self->call_id, call_id) == 0;
}

static void
forget_call (HelixStatusEngine *self)
{
  g_clear_pointer (&self->call_id, g_free);
  g_clear_pointer (&self->remote_number, g_free);
  g_clear_pointer (&self->remote_name, g_free);
  self->direction = HELIX_CALL_DIRECTION_NONE;
  self->call_state = CALL_STATE_NONE;
}

static HelixStatusEvent *
new_event (HelixStatusEngine *self,
           HelixEventKind     kind,
           HelixStatus        status)
{
  HelixStatusEvent *event = helix_status_event_new (kind, status);

  g_free (event->extension);
  event->extension = g_strdup (self->extension);
  event->timestamp_us = self->clock (self->clock_data);

  return event;
}

/* Call fields ride along whenever a call is tracked, so the event that
 * closes a call can still be correlated with it. */
static HelixStatusEvent *
new_status_change (HelixStatusEngine *self,
                   HelixStatus        status)
{
  HelixStatusEvent *event = new_event (self, HELIX_EVENT_KIND_STATUS_CHANGE, status);

  if (self->call_id != NULL)
    {
      event->direction = self->direction;
      g_free (event->remote_number);
      event->remote_number = g_strdup (self->remote_number);
      g_free (event->remote_name);
      event->remote_name = g_strdup (self->remote_name);
      g_free (event->call_id);
      event->call_id = g_strdup (self->call_id);
    }

  return event;
}

static void
set_status (HelixStatusEngine *self,
            HelixStatus        status)
{
  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATUS]);
}

/* Reports the effective status if receivers were last told something else. */
static void
update_status (HelixStatusEngine *self)
{
  g_autoptr(HelixStatusEvent) event = NULL;
  HelixStatus status = effective_status (self);

  if (status == self->status)
    return;

  event = new_status_change (self, status);
  set_status (self, status);
  g_signal_emit (self, signals[EVENT], 0, event);
}

/* A stored input changed: notify it, then report what it changed, if anything. */
static void
stored_value_changed (HelixStatusEngine *self,
                      GParamSpec        *pspec)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
  update_status (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
helix_status_engine_finalize (GObject *object)
{
  HelixStatusEngine *self = HELIX_STATUS_ENGINE (object);

  forget_call (self);
  g_clear_pointer (&self->extension, g_free);

  G_OBJECT_CLASS (helix_status_engine_parent_class)->finalize (object);
}

/* Writable so that the SIP user name can be bound to it. */
static void
helix_status_engine_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HelixStatusEngine *self = HELIX_STATUS_ENGINE (object);

  switch (prop_id)
    {
    case PROP_EXTENSION:
      helix_status_engine_set_extension (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_status_engine_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HelixStatusEngine *self = HELIX_STATUS_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_USER_STATUS:
      g_value_set_enum (value, self->user_status);
      break;
    case PROP_DND:
      g_value_set_boolean (value, self->dnd);
      break;
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;
    case PROP_EXTENSION:
      g_value_set_string (value, self->extension);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_status_engine_class_init (HelixStatusEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = helix_status_engine_finalize;
  object_class->get_property = helix_status_engine_get_property;
  object_class->set_property = helix_status_engine_set_property;

  props[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       HELIX_TYPE_STATUS, HELIX_STATUS_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_USER_STATUS] =
    g_param_spec_enum ("user-status", NULL, NULL,
                       HELIX_TYPE_USER_STATUS, HELIX_USER_STATUS_AVAILABLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_DND] =
    g_param_spec_boolean ("dnd", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_EXTENSION] =
    g_param_spec_string ("extension", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * HelixStatusEngine::event:
   * @event: (transfer none): the status_change payload to deliver
   *
   * Emitted once per webhook status_change, in the order receivers must
   * see them.  Copy @event to keep it past the emission.
   */
  signals[EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1,
                  HELIX_TYPE_STATUS_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
helix_status_engine_init (HelixStatusEngine *self)
{
  self->extension = g_strdup ("");
  self->user_status = HELIX_USER_STATUS_AVAILABLE;
  self->status = HELIX_STATUS_OFFLINE;
  self->clock = default_clock;
}

HelixStatusEngine *
helix_status_engine_new (void)
{
  return g_object_new (HELIX_TYPE_STATUS_ENGINE, NULL);
}

/* A NULL @clock restores the wall clock. */
void
helix_status_engine_set_clock (HelixStatusEngine *self,
                               HelixClockFunc     clock,
                               gpointer           user_data)
{
  g_return_if_fail (HELIX_IS_STATUS_ENGINE (self));

  self->clock = clock != NULL ? clock : default_clock;
  self->clock_data = clock != NULL ? user_data : NULL;
}

void
helix_status_engine_set_extension (HelixStatusEngine *self,
                                   const char        *extension)
{
  g_return_if_fail (HELIX_IS_STATUS_ENGINE (self));

  /* Event strings are never NULL, so neither is the stored one. */
  if (extension == NULL)
    extension = "";

  if (g_strcmp0 (self->extension, extension) == 0)
    return;

  g_free (self->extension);
  self->extension = g_strdup (extension);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EXTENSION]);
}

void
helix_status_engine_set_registered (HelixStatusEngine *self,
                                    gboolean           registered)
{
  g_return_if_fail (HELIX_IS_STATUS_ENGINE (self));

  registered = !!registered;
  if (self->registered == registered)
    return;

  self->registered = registered;
  stored_value_changed (self, props[PROP_REGISTERED]);
}

void
helix_status_engine_set_user_status (HelixStatusEngine *self,
                                     HelixUserStatus    status)
{
  g_return_if_fail (HELIX_IS_STATUS_ENGINE (self));
  g_return_if_fail (status <= HELIX_USER_STATUS_LUNCH);

  if (self->user_status == status)
    return;

  self->user_status = status;
  stored_value_changed (self, props[PROP_USER_STATUS]);
}

void
helix_status_engine_set_dnd (HelixStatusEngine *self,
                             gboolean           dnd)
{
  g_return_if_fail (HELIX_IS_STATUS_ENGINE (self));

  dnd = !!dnd;
  if (self->dnd == dnd)
    return;

  self->dnd = dnd;
  stored_value_changed (self, props[PROP_DND]);
}

void
helix_status_engine_call_ringing (HelixStatusEngine  *self,
                                  const char         *call_id,
                                  HelixCallDirection  direction,
                                  const char         *remote_number,
                                  const char         *remote_name)
{
  g_return_if_fail (HELIX_IS_STATUS_ENGINE (self));
  g_return_if_fail (call_id != NULL);
  g_return_if_fail (direction == HELIX_CALL_DIRECTION_INBOUND ||
                    direction == HELIX_CALL_DIRECTION_OUTBOUND);

  /* The SIP layer already turned these away; they never reached the user. */
  if (self->call_id != NULL)
    {
      g_debug ("Ignoring call %s while %s is tracked", call_id, self->call_id);
      return;
    }

  if (direction == HELIX_CALL_DIRECTION_INBOUND && self->dnd)
    {
      g_debug ("Ignoring inbound call %s during do-not-disturb", call_id);
      return;
    }

  self->call_id = g_strdup (call_id);
  self->direction = direction;
  self->remote_number = g_strdup (remote_number != NULL ? remote_number : "");
  self->remote_name = g_strdup (remote_name != NULL ? remote_name : "");
  self->call_state = CALL_STATE_RINGING;

  update_status (self);
}

static void
move_call (HelixStatusEngine *self,
           const char        *what,
           const char        *call_id,
           CallState          from,
           CallState          to)
{
  if (!is_tracked_call (self, call_id) || self->call_state != from)
    {
      g_debug ("Ignoring %s of call %s: not the tracked call, or not %s",
               what, call_id, helix_status_to_string (call_statuses[from]));
      return;
    }

  self->call_state = to;
  update_status (self);
}

void
helix_status_engine_call_answered (HelixStatusEngine *self,
                                   const char        *call_id)
{
  g_return_if_fail (HELIX_IS_STATUS_ENGINE (self));
  g_return_if_fail (call_id != NULL);

  move_call (self, "answer", call_id, CALL_STATE_RINGING, CALL_STATE_ACTIVE);
}

void
helix_status_engine_call_held (HelixStatusEngine *self,
                               const char        *call_id)
{
  g_return_if_fail (HELIX_IS_STATUS_ENGINE (self));
  g_return_if_fail (call_id != NULL);

  move_call (self, "hold", call_id, CALL_STATE_ACTIVE, CALL_STATE_HELD);
}

void
helix_status_engine_call_resumed (HelixStatusEngine *self,
                                  const char        *call_id)
{
  g_return_if_fail (HELIX_IS_STATUS_ENGINE (self));
  g_return_if_fail (call_id != NULL);

  move_call (self, "resume", call_id, CALL_STATE_HELD, CALL_STATE_ACTIVE);
}

void
helix_status_engine_call_ended (HelixStatusEngine *self,
                                const char        *call_id,
                                guint              duration)
{
  g_autoptr(HelixStatusEvent) event = NULL;

  g_return_if_fail (HELIX_IS_STATUS_ENGINE (self));
  g_return_if_fail (call_id != NULL);

  if (!is_tracked_call (self, call_id))
    {
      g_debug ("Ignoring end of untracked call %s", call_id);
      return;
    }

  /* The spec's table gives "available" a null direction even here. */
  event = new_status_change (self, self->registered ? HELIX_STATUS_AVAILABLE
                                                    : HELIX_STATUS_OFFLINE);
  event->direction = HELIX_CALL_DIRECTION_NONE;
  event->duration = duration;
  forget_call (self);

  g_object_freeze_notify (G_OBJECT (self));
  set_status (self, event->status);
  g_signal_emit (self, signals[EVENT], 0, event);
  /* Re-sends a custom status or DND, as the spec's flow asks. */
  update_status (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Cancelled, rejected, busy or unanswered: it never had an answered part. */
void
helix_status_engine_call_failed (HelixStatusEngine *self,
                                 const char        *call_id)
{
  helix_status_engine_call_ended (self, call_id, 0);
}

void
helix_status_engine_shutdown (HelixStatusEngine *self)
{
  g_return_if_fail (HELIX_IS_STATUS_ENGINE (self));

  g_object_freeze_notify (G_OBJECT (self));
  forget_call (self);
  if (self->registered)
    {
      self->registered = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REGISTERED]);
    }
  update_status (self);
  g_object_thaw_notify (G_OBJECT (self));
}

HelixStatus
helix_status_engine_get_status (HelixStatusEngine *self)
{
  g_return_val_if_fail (HELIX_IS_STATUS_ENGINE (self), HELIX_STATUS_OFFLINE);

  return self->status;
}

HelixUserStatus
helix_status_engine_get_user_status (HelixStatusEngine *self)
{
  g_return_val_if_fail (HELIX_IS_STATUS_ENGINE (self), HELIX_USER_STATUS_AVAILABLE);

  return self->user_status;
}

gboolean
helix_status_engine_get_dnd (HelixStatusEngine *self)
{
  g_return_val_if_fail (HELIX_IS_STATUS_ENGINE (self), FALSE);

  return self->dnd;
}

gboolean
helix_status_engine_get_registered (HelixStatusEngine *self)
{
  g_return_val_if_fail (HELIX_IS_STATUS_ENGINE (self), FALSE);

  return self->registered;
}

const char *
helix_status_engine_get_extension (HelixStatusEngine *self)
{
  g_return_val_if_fail (HELIX_IS_STATUS_ENGINE (self), NULL);

  return self->extension;
}

gboolean
helix_status_engine_accepts_inbound (HelixStatusEngine *self)
{
  g_return_val_if_fail (HELIX_IS_STATUS_ENGINE (self), FALSE);

  return !self->dnd && self->call_id == NULL;
}

/* The spec's heartbeat carries the status receivers were last told. */
HelixStatusEvent *
helix_status_engine_new_heartbeat (HelixStatusEngine *self)
{
  g_return_val_if_fail (HELIX_IS_STATUS_ENGINE (self), NULL);

  return new_event (self, HELIX_EVENT_KIND_HEARTBEAT, self->status);
}

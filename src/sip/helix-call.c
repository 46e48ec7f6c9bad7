/* helix-call.c — one SIP call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A HelixCall wraps one nua handle.  Its state follows what Sofia reports
 * (the agent forwards nua_i_state), never what we merely asked for, so the
 * status the integrators see is what the far end agreed to.
 */
#define G_LOG_DOMAIN "helix-call"

#include "helix-call-private.h"

#include <gio/gio.h>
#include <sofia-sip/soa.h>
#include <sofia-sip/soa_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>
#include <string.h>

struct _HelixCall {
  GObject             parent_instance;

  nua_handle_t       *handle;
  HelixCallState      state;
  HelixCallDirection  direction;
  char               *remote_number;
  char               *remote_name;
  char               *call_id;
  char               *sip_call_id;
  char               *end_reason;
  char               *local_sdp;
  HelixMediaSession  *media;
  gboolean            local_hold;
  gboolean            remote_held;
  gboolean            hangup_after_refer;
  gboolean            answer_sent;
  gint64              start_time;
  gint64              answer_time;
  gint64              end_time;
};

G_DEFINE_FINAL_TYPE (HelixCall, helix_call, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_REMOTE_HELD,
  PROP_END_REASON,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
set_state (HelixCall      *self,
           HelixCallState  state)
{
  if (self->state == state)
    return;

  g_debug ("Call %s: state %d → %d", self->call_id, self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

static const char *
describe_failure (int         status,
                  const char *phrase)
{
  switch (status)
    {
    case 404: case 484: case 604:
      return "Number not found";
    case 408:
      return "No answer";
    case 480:
      return "Not available";
    case 486: case 600:
      return "Busy";
    case 487:
      return "Cancelled";
    case 488: case 606:
      return "No common audio codec";
    case 503:
      return "Service unavailable";
    case 603:
      return "Declined";
    default:
      return phrase != NULL && *phrase != '\0' ? phrase : "Call failed";
    }
}

void
helix_call_end (HelixCall  *self,
                const char *reason)
{
  g_return_if_fail (HELIX_IS_CALL (self));

  if (self->state == HELIX_CALL_STATE_ENDED)
    return;

  self->end_time = g_get_real_time ();
  if (self->end_reason == NULL)
    {
      self->end_reason = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_END_REASON]);
    }
  set_state (self, HELIX_CALL_STATE_ENDED);
}

void
helix_call_fail (HelixCall  *self,
                 const char *reason)
{
  g_return_if_fail (HELIX_IS_CALL (self));
  g_return_if_fail (reason != NULL);

  if (self->state == HELIX_CALL_STATE_ENDED)
    return;

  g_free (self->end_reason);
  self->end_reason = g_strdup (reason);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_END_REASON]);

  switch (self->state)
    {
    case HELIX_CALL_STATE_INCOMING:
      if (!self->answer_sent)
        {
          nua_respond (self->handle, SIP_500_INTERNAL_SERVER_ERROR, TAG_END ());
          helix_call_end (self, reason);
          break;
        }
      nua_bye (self->handle, TAG_END ());
      break;

    case HELIX_CALL_STATE_DIALING:
    case HELIX_CALL_STATE_ALERTING:
      nua_cancel (self->handle, TAG_END ());
      break;

    case HELIX_CALL_STATE_ACTIVE:
    case HELIX_CALL_STATE_HELD:
    case HELIX_CALL_STATE_ENDED:
    default:
      nua_bye (self->handle, TAG_END ());
      break;
    }
}

void
helix_call_set_media (HelixCall         *self,
                      HelixMediaSession *media)
{
  g_return_if_fail (HELIX_IS_CALL (self));

  g_set_object (&self->media, media);
}

void
helix_call_handle_state (HelixCall  *self,
                         int         callstate,
                         int         status,
                         const char *phrase,
                         int         audio_active)
{
  gboolean remote_held;

  g_return_if_fail (HELIX_IS_CALL (self));

  switch ((enum nua_callstate) callstate)
    {
    case nua_callstate_proceeding:
      if (self->direction == HELIX_CALL_DIRECTION_OUTBOUND && status >= 180 && status < 200)
        helix_call_set_alerting (self);
      break;

    case nua_callstate_ready:
      if (self->answer_time == 0)
        self->answer_time = g_get_real_time ();

      /* A hold the far end refused leaves the media flowing both ways. */
      if (self->local_hold && audio_active == SOA_ACTIVE_SENDRECV)
        self->local_hold = FALSE;

      remote_held = audio_active == SOA_ACTIVE_RECVONLY ||
                    (audio_active == SOA_ACTIVE_INACTIVE && !self->local_hold);
      if (remote_held != self->remote_held)
        {
          self->remote_held = remote_held;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_HELD]);
        }

      set_state (self, self->local_hold ? HELIX_CALL_STATE_HELD : HELIX_CALL_STATE_ACTIVE);
      break;

    case nua_callstate_terminated:
      if (self->answer_time != 0)
        helix_call_end (self, status >= 300 ? describe_failure (status, phrase) : "Call ended");
      else if (status >= 300)
        helix_call_end (self, describe_failure (status, phrase));
      else
        helix_call_end (self, "Call ended");
      break;

    case nua_callstate_init:
    case nua_callstate_authenticating:
    case nua_callstate_calling:
    case nua_callstate_completing:
    case nua_callstate_received:
    case nua_callstate_early:
    case nua_callstate_completed:
    case nua_callstate_terminating:
    default:
      break;
    }
}

void
helix_call_set_alerting (HelixCall *self)
{
  g_return_if_fail (HELIX_IS_CALL (self));

  if (self->state == HELIX_CALL_STATE_DIALING)
    set_state (self, HELIX_CALL_STATE_ALERTING);
}

void
helix_call_handle_refer_done (HelixCall *self,
                              int        final_status)
{
  g_return_if_fail (HELIX_IS_CALL (self));

  if (!self->hangup_after_refer)
    return;
  self->hangup_after_refer = FALSE;

  if (final_status >= 200 && final_status < 300)
    {
      g_free (self->end_reason);
      self->end_reason = g_strdup ("Transferred");
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_END_REASON]);
      nua_bye (self->handle, TAG_END ());
    }
  else
    g_message ("Transfer of call %s failed with SIP status %d; the call stays up",
               self->call_id, final_status);
}

static gboolean
check_state (HelixCall   *self,
             gboolean     allowed,
             const char  *what,
             GError     **error)
{
  if (allowed)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "Cannot %s this call in its current state", what);
  return FALSE;
}

void
helix_call_start_outgoing (HelixCall *self)
{
  g_return_if_fail (HELIX_IS_CALL (self));
  g_return_if_fail (self->direction == HELIX_CALL_DIRECTION_OUTBOUND);

  nua_invite (self->handle,
              SOATAG_USER_SDP_STR (self->local_sdp),
              SOATAG_RTP_SELECT (SOA_RTP_SELECT_COMMON),
              TAG_END ());
}

gboolean
helix_call_answer (HelixCall  *self,
                   GError    **error)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), FALSE);

  if (!check_state (self, self->state == HELIX_CALL_STATE_INCOMING, "answer", error))
    return FALSE;

  self->answer_sent = TRUE;
  nua_respond (self->handle, SIP_200_OK,
               SOATAG_USER_SDP_STR (self->local_sdp),
               SOATAG_RTP_SELECT (SOA_RTP_SELECT_COMMON),
               TAG_END ());
  return TRUE;
}

gboolean
helix_call_reject (HelixCall  *self,
                   GError    **error)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), FALSE);

  if (!check_state (self, self->state == HELIX_CALL_STATE_INCOMING, "decline", error))
    return FALSE;

  nua_respond (self->handle, SIP_603_DECLINE, TAG_END ());
  helix_call_end (self, "Declined");
  return TRUE;
}

gboolean
helix_call_hangup (HelixCall  *self,
                   GError    **error)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), FALSE);

  switch (self->state)
    {
    case HELIX_CALL_STATE_INCOMING:
      nua_respond (self->handle, SIP_486_BUSY_HERE, TAG_END ());
      helix_call_end (self, "Declined");
      return TRUE;

    case HELIX_CALL_STATE_DIALING:
    case HELIX_CALL_STATE_ALERTING:
      nua_cancel (self->handle, TAG_END ());
      return TRUE;

    case HELIX_CALL_STATE_ACTIVE:
    case HELIX_CALL_STATE_HELD:
      g_free (self->end_reason);
      self->end_reason = g_strdup ("Hung up");
      nua_bye (self->handle, TAG_END ());
      return TRUE;

    case HELIX_CALL_STATE_ENDED:
    default:
      return check_state (self, FALSE, "hang up", error);
    }
}

gboolean
helix_call_hold (HelixCall  *self,
                 GError    **error)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), FALSE);

  if (!check_state (self, self->state == HELIX_CALL_STATE_ACTIVE, "hold", error))
    return FALSE;

  self->local_hold = TRUE;
  nua_invite (self->handle, SOATAG_HOLD ("audio"), TAG_END ());
  return TRUE;
}

gboolean
helix_call_resume (HelixCall  *self,
                   GError    **error)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), FALSE);

  if (!check_state (self, self->state == HELIX_CALL_STATE_HELD, "resume", error))
    return FALSE;

  self->local_hold = FALSE;
  nua_invite (self->handle, SOATAG_HOLD (NULL), TAG_END ());
  return TRUE;
}

/* RFC 4733 events in the media stream when the far end offered
 * telephone-event; otherwise SIP INFO (application/dtmf-relay), which
 * every PBX we target understands. */
gboolean
helix_call_send_dtmf (HelixCall   *self,
                      const char  *digits,
                      GError     **error)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), FALSE);
  g_return_val_if_fail (digits != NULL, FALSE);

  if (!check_state (self, self->state == HELIX_CALL_STATE_ACTIVE, "send tones on", error))
    return FALSE;

  for (const char *p = digits; *p != '\0'; p++)
    if (strchr ("0123456789*#ABCDabcd", *p) == NULL)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "“%c” is not a keypad tone (use 0–9, *, # or A–D)", *p);
        return FALSE;
      }

  if (self->media != NULL && helix_media_session_can_send_dtmf (self->media))
    {
      g_message ("Sending tones %s as RFC 4733 events", digits);
      return helix_media_session_send_dtmf (self->media, digits, error);
    }

  g_message ("Sending tones %s as SIP INFO", digits);
  for (const char *p = digits; *p != '\0'; p++)
    {
      g_autofree char *body = g_strdup_printf ("Signal=%c\r\nDuration=160\r\n", g_ascii_toupper (*p));

      nua_info (self->handle,
                SIPTAG_CONTENT_TYPE_STR ("application/dtmf-relay"),
                SIPTAG_PAYLOAD_STR (body),
                TAG_END ());
    }

  return TRUE;
}

gboolean
helix_call_transfer (HelixCall   *self,
                     const char  *target_uri,
                     GError     **error)
{
  g_autofree char *refer_to = NULL;

  g_return_val_if_fail (HELIX_IS_CALL (self), FALSE);
  g_return_val_if_fail (target_uri != NULL, FALSE);

  if (!check_state (self, self->state == HELIX_CALL_STATE_ACTIVE ||
                          self->state == HELIX_CALL_STATE_HELD, "transfer", error))
    return FALSE;

  refer_to = g_strdup_printf ("<%s>", target_uri);
  self->hangup_after_refer = TRUE;
  nua_refer (self->handle, SIPTAG_REFER_TO_STR (refer_to), TAG_END ());
  return TRUE;
}

HelixCall *
helix_call_new (nua_handle_t       *handle,
                HelixCallDirection  direction,
                const char         *remote_number,
                const char         *remote_name,
                const char         *local_sdp)
{
  HelixCall *self = g_object_new (HELIX_TYPE_CALL, NULL);

  self->handle = nua_handle_ref (handle);
  self->direction = direction;
  self->state = direction == HELIX_CALL_DIRECTION_INBOUND ? HELIX_CALL_STATE_INCOMING
                                                          : HELIX_CALL_STATE_DIALING;
  self->remote_number = g_strdup (remote_number != NULL ? remote_number : "");
  self->remote_name = g_strdup (remote_name != NULL ? remote_name : "");
  self->local_sdp = g_strdup (local_sdp);

  return self;
}

nua_handle_t *
helix_call_get_handle (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), NULL);

  return self->handle;
}

void
helix_call_set_sip_call_id (HelixCall  *self,
                            const char *sip_call_id)
{
  g_return_if_fail (HELIX_IS_CALL (self));

  g_free (self->sip_call_id);
  self->sip_call_id = g_strdup (sip_call_id);
}

HelixCallState
helix_call_get_state (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), HELIX_CALL_STATE_ENDED);
  return self->state;
}

HelixCallDirection
helix_call_get_direction (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), HELIX_CALL_DIRECTION_NONE);
  return self->direction;
}

const char *
helix_call_get_remote_number (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), NULL);
  return self->remote_number;
}

const char *
helix_call_get_remote_name (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), NULL);
  return self->remote_name;
}

const char *
helix_call_get_call_id (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), NULL);
  return self->call_id;
}

const char *
helix_call_get_sip_call_id (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), NULL);
  return self->sip_call_id;
}

const char *
helix_call_get_end_reason (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), NULL);
  return self->end_reason;
}

gboolean
helix_call_get_remote_held (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), FALSE);
  return self->remote_held;
}

gboolean
helix_call_was_answered (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), FALSE);
  return self->answer_time != 0;
}

gint64
helix_call_get_start_time (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), 0);
  return self->start_time;
}

gint64
helix_call_get_answer_time (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), 0);
  return self->answer_time;
}

gint64
helix_call_get_end_time (HelixCall *self)
{
  g_return_val_if_fail (HELIX_IS_CALL (self), 0);
  return self->end_time;
}

/* Whole seconds of the answered part, as the webhook's "duration". */
guint
helix_call_get_duration (HelixCall *self)
{
  gint64 end;

  g_return_val_if_fail (HELIX_IS_CALL (self), 0);

  if (self->answer_time == 0)
    return 0;

  end = self->end_time != 0 ? self->end_time : g_get_real_time ();
  return (guint) ((end - self->answer_time) / G_USEC_PER_SEC);
}

static void
helix_call_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  HelixCall *self = HELIX_CALL (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    case PROP_REMOTE_HELD:
      g_value_set_boolean (value, self->remote_held);
      break;

    case PROP_END_REASON:
      g_value_set_string (value, self->end_reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_call_finalize (GObject *object)
{
  HelixCall *self = HELIX_CALL (object);

  if (self->handle != NULL)
    {
      nua_handle_bind (self->handle, NULL);
      nua_handle_unref (self->handle);
    }
  g_free (self->remote_number);
  g_free (self->remote_name);
  g_free (self->call_id);
  g_free (self->sip_call_id);
  g_free (self->end_reason);
  g_free (self->local_sdp);
  g_clear_object (&self->media);

  G_OBJECT_CLASS (helix_call_parent_class)->finalize (object);
}

static void
helix_call_class_init (HelixCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = helix_call_get_property;
  object_class->finalize = helix_call_finalize;

  props[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      HELIX_CALL_STATE_INCOMING, HELIX_CALL_STATE_ENDED, HELIX_CALL_STATE_INCOMING,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_REMOTE_HELD] =
    g_param_spec_boolean ("remote-held", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_END_REASON] =
    g_param_spec_string ("end-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
helix_call_init (HelixCall *self)
{
  self->call_id = g_uuid_string_random ();
  self->start_time = g_get_real_time ();
}

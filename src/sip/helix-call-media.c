/* helix-call-media.c — the audio side of the SIP agent's calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The glue between Sofia's view of a call and its HelixMediaSession: the
 * SDP of each nua_i_state is kept until offer and answer are both known,
 * then handed to the session; the call's own state drives hold, the
 * ringtone and the recording.  A media failure ends the call with its
 * reason instead of leaving it up without audio.
 */
#define G_LOG_DOMAIN "helix-call-media"

#include "helix-call-media.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sofia-sip/nua_tag.h>

#include "helix-call-private.h"
#include "helix-recording-name.h"
#include "helix-ringtone.h"

typedef struct {
  HelixCallMedia    *owner;
  HelixCall         *call;
  HelixMediaSession *session;
  char              *local_sdp;
  char              *remote_sdp;
  gboolean           pending;         /* SDP changed since applied */
  gboolean           recording;
} CallEntry;

struct _HelixCallMedia {
  GObject        parent_instance;

  GHashTable    *calls;               /* HelixCall* → CallEntry* */
  HelixRingtone *ringtone;
  guint          stopping;            /* sessions finishing a recording */

  char          *input_device;
  char          *output_device;
  char          *ring_device;
  char          *recordings_dir;
  char          *local_user;
  gboolean       recording_enabled;
  gboolean       mute;
};

G_DEFINE_FINAL_TYPE (HelixCallMedia, helix_call_media, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INPUT_DEVICE,
  PROP_OUTPUT_DEVICE,
  PROP_RING_DEVICE,
  PROP_RECORDING_ENABLED,
  PROP_RECORDINGS_DIR,
  PROP_LOCAL_USER,
  PROP_MUTE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  DTMF_RECEIVED,
  RECORDING_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
call_entry_free (CallEntry *entry)
{
  g_signal_handlers_disconnect_by_data (entry->call, entry);
  g_signal_handlers_disconnect_by_data (entry->session, entry);
  g_clear_object (&entry->call);
  g_clear_object (&entry->session);
  g_free (entry->local_sdp);
  g_free (entry->remote_sdp);
  g_free (entry);
}

static void
fail_call (CallEntry  *entry,
           const char *reason)
{
  g_warning ("Ending the call with %s: %s", helix_call_get_remote_number (entry->call), reason);
  helix_call_fail (entry->call, reason);
}

static void
on_session_error (HelixMediaSession *session,
                  const char        *reason,
                  CallEntry         *entry)
{
  fail_call (entry, reason);
}

static void
on_session_dtmf (HelixMediaSession *session,
                 const char        *digit,
                 CallEntry         *entry)
{
  g_signal_emit (entry->owner, signals[DTMF_RECEIVED], 0, entry->call, digit);
}

/* {TO}_{FROM}: the dialled number and us when we called, us and the
 * caller when they called; local wall-clock time of the answer. */
static char *
recording_path (HelixCallMedia *self,
                HelixCall      *call,
                GError        **error)
{
  gboolean inbound = helix_call_get_direction (call) == HELIX_CALL_DIRECTION_INBOUND;
  const char *remote = helix_call_get_remote_number (call);
  gint64 answered = helix_call_get_answer_time (call);
  g_autoptr(GDateTime) second = g_date_time_new_from_unix_local (answered / G_USEC_PER_SEC);
  g_autoptr(GDateTime) at = g_date_time_add (second, answered % G_USEC_PER_SEC);
  g_autofree char *name = helix_recording_file_name (inbound ? self->local_user : remote,
                                                     inbound ? remote : self->local_user, at);

  if (self->recordings_dir == NULL || *self->recordings_dir == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No recordings folder is set");
      return NULL;
    }
  if (g_mkdir_with_parents (self->recordings_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "Cannot create %s: %s",
                   self->recordings_dir, g_strerror (saved_errno));
      return NULL;
    }

  return g_build_filename (self->recordings_dir, name, NULL);
}

static void
start_recording (CallEntry *entry)
{
  HelixCallMedia *self = entry->owner;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  entry->recording = TRUE;
  path = recording_path (self, entry->call, &error);
  if (path == NULL || !helix_media_session_start_recording (entry->session, path, &error))
    {
      /* The call goes on; only the recording is lost, and loudly. */
      g_warning ("This call is not recorded: %s", error->message);
      return;
    }
  g_message ("Recording to %s", path);
}

static void
on_call_state (HelixCall  *call,
               GParamSpec *pspec,
               CallEntry  *entry)
{
  HelixCallMedia *self = entry->owner;
  HelixCallState state = helix_call_get_state (call);

  if (state != HELIX_CALL_STATE_INCOMING)
    helix_ringtone_stop (self->ringtone);

  helix_media_session_set_hold (entry->session, state == HELIX_CALL_STATE_HELD);

  if ((state == HELIX_CALL_STATE_ACTIVE || state == HELIX_CALL_STATE_HELD) &&
      !entry->recording && self->recording_enabled)
    start_recording (entry);
}

void
helix_call_media_add (HelixCallMedia    *self,
                      HelixCall         *call,
                      HelixMediaSession *session)
{
  CallEntry *entry;

  g_return_if_fail (HELIX_IS_CALL_MEDIA (self));
  g_return_if_fail (HELIX_IS_CALL (call));
  g_return_if_fail (HELIX_IS_MEDIA_SESSION (session));

  entry = g_new0 (CallEntry, 1);
  entry->owner = self;
  entry->call = g_object_ref (call);
  entry->session = g_object_ref (session);
  g_hash_table_replace (self->calls, call, entry);

  helix_call_set_media (call, session);
  helix_media_session_set_devices (session, self->input_device, self->output_device);
  helix_media_session_set_mute (session, self->mute);
  g_signal_connect (session, "error", G_CALLBACK (on_session_error), entry);
  g_signal_connect (session, "dtmf-received", G_CALLBACK (on_session_dtmf), entry);
  g_signal_connect (call, "notify::state", G_CALLBACK (on_call_state), entry);
}

static void
store_sdp (char       **slot,
           const char  *sdp,
           gboolean    *changed)
{
  if (sdp == NULL || g_strcmp0 (*slot, sdp) == 0)
    return;

  g_free (*slot);
  *slot = g_strdup (sdp);
  *changed = TRUE;
}

void
helix_call_media_handle_state (HelixCallMedia *self,
                               HelixCall      *call,
                               int             callstate,
                               const char     *local_sdp,
                               const char     *remote_sdp)
{
  CallEntry *entry;
  g_autoptr(GError) error = NULL;
  gboolean negotiated;

  g_return_if_fail (HELIX_IS_CALL_MEDIA (self));

  entry = g_hash_table_lookup (self->calls, call);
  if (entry == NULL)
    return;

  store_sdp (&entry->local_sdp, local_sdp, &entry->pending);
  store_sdp (&entry->remote_sdp, remote_sdp, &entry->pending);

  /* Ring once our 180 is out ("early"), not while the INVITE is being
   * taken: starting the ring's pipeline first would hold the 180 back. */
  if (callstate == nua_callstate_early && helix_call_get_state (call) == HELIX_CALL_STATE_INCOMING)
    helix_ringtone_start (self->ringtone, self->ring_device);

  /* Both halves of the offer/answer exist from these states on; an
   * inbound INVITE's offer alone ("received") is not yet an agreement.
   * An answered inbound call starts at the ACK ("ready"), not at our 200
   * ("completed"): building the pipeline takes the main loop a moment,
   * and the ACK must be taken first, as it is the call's answer time. */
  negotiated = callstate == nua_callstate_proceeding || callstate == nua_callstate_early ||
               callstate == nua_callstate_completing || callstate == nua_callstate_ready;
  if (!negotiated || !entry->pending || entry->local_sdp == NULL || entry->remote_sdp == NULL)
    return;

  /* The ring must not overlap the call's own audio device. */
  if (callstate != nua_callstate_early && callstate != nua_callstate_proceeding)
    helix_ringtone_stop (self->ringtone);

  entry->pending = FALSE;
  if (!helix_media_session_update (entry->session, entry->local_sdp, entry->remote_sdp, &error))
    fail_call (entry, error->message);
}

static void
on_session_stopped (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HelixCallMedia) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = helix_media_session_stop_finish (HELIX_MEDIA_SESSION (source), result, &error);

  self->stopping--;
  if (error != NULL)
    g_warning ("The call's recording is incomplete: %s", error->message);
  else if (path != NULL)
    {
      g_message ("Recording complete: %s", path);
      g_signal_emit (self, signals[RECORDING_FINISHED], 0, path);
    }
}

void
helix_call_media_remove (HelixCallMedia *self,
                         HelixCall      *call)
{
  CallEntry *entry;

  g_return_if_fail (HELIX_IS_CALL_MEDIA (self));

  entry = g_hash_table_lookup (self->calls, call);
  if (entry == NULL)
    return;

  helix_ringtone_stop (self->ringtone);
  helix_call_set_media (call, NULL);
  self->stopping++;
  helix_media_session_stop_async (entry->session, NULL, on_session_stopped, g_object_ref (self));
  g_hash_table_remove (self->calls, call);

  /* Mute belongs to a call: the next one starts with the microphone on. */
  if (self->mute && g_hash_table_size (self->calls) == 0)
    {
      self->mute = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MUTE]);
    }
}

void
helix_call_media_drain (HelixCallMedia *self,
                        guint           timeout_ms)
{
  gint64 deadline;

  g_return_if_fail (HELIX_IS_CALL_MEDIA (self));

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  while (self->stopping > 0 && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static void
set_mute (HelixCallMedia *self,
          gboolean        mute)
{
  GHashTableIter iter;
  CallEntry *entry;

  if (self->mute == mute)
    return;

  self->mute = mute;
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    helix_media_session_set_mute (entry->session, mute);
  g_message ("Microphone %s", mute ? "muted" : "on");
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MUTE]);
}

static char **
string_slot (HelixCallMedia *self,
             guint           prop_id)
{
  switch (prop_id)
    {
    case PROP_INPUT_DEVICE:   return &self->input_device;
    case PROP_OUTPUT_DEVICE:  return &self->output_device;
    case PROP_RING_DEVICE:    return &self->ring_device;
    case PROP_RECORDINGS_DIR: return &self->recordings_dir;
    case PROP_LOCAL_USER:     return &self->local_user;
    default:                  return NULL;
    }
}

static void
helix_call_media_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HelixCallMedia *self = HELIX_CALL_MEDIA (object);
  char **slot = string_slot (self, prop_id);

  if (slot != NULL)
    {
      const char *text = g_value_get_string (value);

      if (g_strcmp0 (*slot, text != NULL ? text : "") != 0)
        {
          g_free (*slot);
          *slot = g_strdup (text != NULL ? text : "");
          g_object_notify_by_pspec (object, pspec);
        }
      return;
    }

  switch (prop_id)
    {
    case PROP_RECORDING_ENABLED:
      if (self->recording_enabled != g_value_get_boolean (value))
        {
          self->recording_enabled = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_MUTE:
      set_mute (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_call_media_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HelixCallMedia *self = HELIX_CALL_MEDIA (object);
  char **slot = string_slot (self, prop_id);

  if (slot != NULL)
    {
      g_value_set_string (value, *slot);
      return;
    }

  switch (prop_id)
    {
    case PROP_RECORDING_ENABLED:
      g_value_set_boolean (value, self->recording_enabled);
      break;

    case PROP_MUTE:
      g_value_set_boolean (value, self->mute);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_call_media_dispose (GObject *object)
{
  HelixCallMedia *self = HELIX_CALL_MEDIA (object);

  g_clear_pointer (&self->calls, g_hash_table_unref);
  g_clear_object (&self->ringtone);

  G_OBJECT_CLASS (helix_call_media_parent_class)->dispose (object);
}

static void
helix_call_media_finalize (GObject *object)
{
  HelixCallMedia *self = HELIX_CALL_MEDIA (object);

  g_free (self->input_device);
  g_free (self->output_device);
  g_free (self->ring_device);
  g_free (self->recordings_dir);
  g_free (self->local_user);

  G_OBJECT_CLASS (helix_call_media_parent_class)->finalize (object);
}

static void
helix_call_media_class_init (HelixCallMediaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->set_property = helix_call_media_set_property;
  object_class->get_property = helix_call_media_get_property;
  object_class->dispose = helix_call_media_dispose;
  object_class->finalize = helix_call_media_finalize;

  props[PROP_INPUT_DEVICE] = g_param_spec_string ("input-device", NULL, NULL, "", flags);
  props[PROP_OUTPUT_DEVICE] = g_param_spec_string ("output-device", NULL, NULL, "", flags);
  props[PROP_RING_DEVICE] = g_param_spec_string ("ring-device", NULL, NULL, "", flags);
  props[PROP_RECORDING_ENABLED] = g_param_spec_boolean ("recording-enabled", NULL, NULL, FALSE, flags);
  props[PROP_RECORDINGS_DIR] = g_param_spec_string ("recordings-dir", NULL, NULL, "", flags);
  props[PROP_LOCAL_USER] = g_param_spec_string ("local-user", NULL, NULL, "", flags);
  props[PROP_MUTE] = g_param_spec_boolean ("mute", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, HELIX_TYPE_CALL, G_TYPE_STRING);
  signals[RECORDING_FINISHED] =
    g_signal_new ("recording-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
helix_call_media_init (HelixCallMedia *self)
{
  self->calls = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) call_entry_free);
  self->ringtone = helix_ringtone_new ();
  self->input_device = g_strdup ("");
  self->output_device = g_strdup ("");
  self->ring_device = g_strdup ("");
  self->recordings_dir = g_strdup ("");
  self->local_user = g_strdup ("");
}

HelixCallMedia *
helix_call_media_new (void)
{
  return g_object_new (HELIX_TYPE_CALL_MEDIA, NULL);
}

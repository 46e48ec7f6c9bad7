/* helix-media-session.c — the audio of one call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A session owns the call's RTP/RTCP port pair from the first offer, and
 * the pipeline (helix-media-pipeline.c) from the moment offer and answer
 * are known.  Hold and mute never rebuild anything: valves and a volume
 * element switch the flow, so resuming is immediate.  Everything
 * GStreamer reports reaches us through a bus watch on the main loop.
 */
#define G_LOG_DOMAIN "helix-media"

#include "helix-media-session.h"

#include <string.h>

#include "helix-media-pipeline.h"
#include "helix-media-recorder.h"
#include "helix-media-sdp.h"

#define PORT_ATTEMPTS      32
#define DEFAULT_PTIME_MS   20
#define DTMF_TONE_MS       160
#define DTMF_GAP_MS        80
#define DTMF_VOLUME        10     /* dBm0 below full scale */
#define STOP_TIMEOUT_MS    3000

struct _HelixMediaSession {
  GObject             parent_instance;

  GSocket            *rtp_socket;
  GSocket            *rtcp_socket;
  guint               local_port;
  char               *input_device;
  char               *output_device;

  HelixMediaPipeline *media;
  guint               bus_watch;
  gboolean            failed;

  int                 te_pt;
  HelixMediaDirection remote_direction;
  gboolean            remote_reachable;
  gboolean            held;
  gboolean            muted;

  GQueue              dtmf_digits;
  guint               dtmf_timer;
  gboolean            dtmf_tone_on;

  HelixMediaRecorder *recorder;
  GTask              *stop_task;
  guint               stop_timer;
};

G_DEFINE_FINAL_TYPE (HelixMediaSession, helix_media_session, G_TYPE_OBJECT)

enum {
  ERROR,
  DTMF_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void finish_stop (HelixMediaSession *self, gboolean recording_complete);

/* ---- sockets ------------------------------------------------------------ */

/* Dual-stack "::" so IPv6 and IPv4 peers reach the same socket. */
static GSocket *
bind_udp (guint    port,
          GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) any = g_inet_address_new_any (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, port);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  if (socket == NULL)
    {
      g_autoptr(GInetAddress) any4 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);

      g_clear_object (&address);
      address = g_inet_socket_address_new (any4, port);
      socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
      if (socket == NULL)
        return NULL;
    }

  if (!g_socket_bind (socket, address, FALSE, error))
    return NULL;

  return g_steal_pointer (&socket);
}

static guint
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);

  return local != NULL ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)) : 0;
}

static void
preload_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  /* gst_init() serialises its callers: a call that comes in meanwhile
   * waits for this one instead of loading the registry twice. */
  if (!gst_init_check (NULL, NULL, &error))
    g_warning ("GStreamer cannot start: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

void
helix_media_preload (void)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_run_in_thread (task, preload_thread);
}

HelixMediaSession *
helix_media_session_new (GError **error)
{
  g_autoptr(HelixMediaSession) self = g_object_new (HELIX_TYPE_MEDIA_SESSION, NULL);

  for (guint attempt = 0; attempt < PORT_ATTEMPTS; attempt++)
    {
      g_autoptr(GSocket) rtp = bind_udp (0, error);
      g_autoptr(GSocket) rtcp = NULL;
      guint port;

      if (rtp == NULL)
        return NULL;

      port = socket_port (rtp);
      if (port % 2 != 0 || port >= 65535)
        continue;

      rtcp = bind_udp (port + 1, NULL);
      if (rtcp == NULL)
        continue;

      self->rtp_socket = g_steal_pointer (&rtp);
      self->rtcp_socket = g_steal_pointer (&rtcp);
      self->local_port = port;
      return g_steal_pointer (&self);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
               "No free UDP port pair for call audio");
  return NULL;
}

guint
helix_media_session_get_local_port (HelixMediaSession *self)
{
  g_return_val_if_fail (HELIX_IS_MEDIA_SESSION (self), 0);

  return self->local_port;
}

char *
helix_media_session_build_offer (HelixMediaSession *self,
                                 const char        *address)
{
  g_autofree const HelixCodec **offered = NULL;

  g_return_val_if_fail (HELIX_IS_MEDIA_SESSION (self), NULL);

  offered = helix_codecs_offered (g_getenv ("HELIXPHONE_CODECS"));
  return helix_sdp_build_offer (address, self->local_port, offered);
}

void
helix_media_session_set_devices (HelixMediaSession *self,
                                 const char        *input_device,
                                 const char        *output_device)
{
  g_return_if_fail (HELIX_IS_MEDIA_SESSION (self));

  g_free (self->input_device);
  self->input_device = g_strdup (input_device);
  g_free (self->output_device);
  self->output_device = g_strdup (output_device);
}


/* ---- flow ---------------------------------------------------------------- */

/* The far end's SDP says what it wants (its sendonly: it will not listen;
 * its recvonly: it will not talk); our own hold stops both. */
static void
apply_flow (HelixMediaSession *self)
{
  gboolean send, play;

  if (self->media == NULL)
    return;

  send = !self->held && self->remote_reachable && (self->remote_direction & HELIX_MEDIA_DIRECTION_RECVONLY);
  play = !self->held && (self->remote_direction & HELIX_MEDIA_DIRECTION_SENDONLY);

  /* A silent microphone also keeps held time silent in the recording. */
  g_object_set (self->media->mic_gate, "mute", self->muted || !send, NULL);
  g_object_set (self->media->send_valve, "drop", !send, NULL);
  g_object_set (self->media->recv_valve, "drop", !play, NULL);
  g_debug ("Audio: %s, %s%s", send ? "sending" : "not sending", play ? "playing" : "not playing",
           self->muted ? ", muted" : "");
}

void
helix_media_session_set_hold (HelixMediaSession *self,
                              gboolean           held)
{
  g_return_if_fail (HELIX_IS_MEDIA_SESSION (self));

  if (self->held == held)
    return;

  self->held = held;
  g_message ("Call audio %s", held ? "on hold" : "resumed");
  apply_flow (self);
}

void
helix_media_session_set_mute (HelixMediaSession *self,
                              gboolean           muted)
{
  g_return_if_fail (HELIX_IS_MEDIA_SESSION (self));

  self->muted = muted;
  apply_flow (self);
}

/* ---- bus ----------------------------------------------------------------- */

static char
dtmf_digit (int number)
{
  static const char digits[] = "0123456789*#ABCD";

  return number >= 0 && number < 16 ? digits[number] : '\0';
}

static gboolean
is_device (GstObject *object,
           const char *name)
{
  for (GstObject *o = object; o != NULL; o = GST_OBJECT_PARENT (o))
    if (g_strcmp0 (GST_OBJECT_NAME (o), name) == 0)
      return TRUE;

  return FALSE;
}

static void
handle_error (HelixMediaSession *self,
              GstMessage        *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *debug = NULL;
  g_autofree char *reason = NULL;

  gst_message_parse_error (message, &error, &debug);
  g_warning ("Call audio error from %s: %s (%s)", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
             error->message, debug != NULL ? debug : "no details");

  if (self->stop_task != NULL)
    {
      finish_stop (self, FALSE);
      return;
    }
  if (self->failed)
    return;

  self->failed = TRUE;
  if (is_device (GST_MESSAGE_SRC (message), "microphone"))
    reason = g_strdup_printf ("Microphone failed: %s", error->message);
  else if (is_device (GST_MESSAGE_SRC (message), "speaker"))
    reason = g_strdup_printf ("Speaker failed: %s", error->message);
  else
    reason = g_strdup_printf ("Call audio failed: %s", error->message);
  g_signal_emit (self, signals[ERROR], 0, reason);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  HelixMediaSession *self = user_data;

  if (self->recorder != NULL && self->stop_task != NULL &&
      helix_media_recorder_handle_message (self->recorder, message))
    {
      finish_stop (self, TRUE);
      return G_SOURCE_CONTINUE;
    }

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      handle_error (self, message);
      break;

    case GST_MESSAGE_WARNING:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_warning (message, &error, NULL);
        g_message ("Call audio: %s", error->message);
      }
      break;

    case GST_MESSAGE_LATENCY:
      /* A new stream (its jitter buffer) changed the pipeline's latency. */
      if (self->media != NULL)
        gst_bin_recalculate_latency (GST_BIN (self->media->pipeline));
      break;

    case GST_MESSAGE_ELEMENT:
      {
        const GstStructure *structure = gst_message_get_structure (message);
        int number = -1;

        if (gst_structure_has_name (structure, "dtmf-event") &&
            g_str_has_prefix (GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), "dtmfdepay") &&
            gst_structure_get_int (structure, "number", &number) && dtmf_digit (number) != '\0')
          {
            char digit[2] = { dtmf_digit (number), '\0' };

            g_signal_emit (self, signals[DTMF_RECEIVED], 0, digit);
          }
      }
      break;

    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

/* ---- negotiation --------------------------------------------------------- */

static gboolean
start_pipeline (HelixMediaSession  *self,
                const HelixSdpMedia *remote,
                GError            **error)
{
  g_autoptr(GstBus) bus = NULL;
  guint ptime = remote->ptime != 0 ? remote->ptime : DEFAULT_PTIME_MS;

  self->media = helix_media_pipeline_new (self->rtp_socket, self->rtcp_socket,
                                          self->input_device, self->output_device,
                                          remote->codec, remote->pt, ptime, error);
  if (self->media == NULL)
    return FALSE;

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->media->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  return TRUE;
}

static gboolean
play (HelixMediaSession  *self,
      GError            **error)
{
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GError) cause = NULL;

  if (helix_media_pipeline_play (self->media) != GST_STATE_CHANGE_FAILURE)
    return TRUE;

  /* The bus holds the reason; take it now so it is reported once. */
  self->failed = TRUE;
  bus = gst_pipeline_get_bus (GST_PIPELINE (self->media->pipeline));
  message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  if (message != NULL)
    gst_message_parse_error (message, &cause, NULL);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Call audio cannot start: %s",
               cause != NULL ? cause->message : "the audio device did not open");
  return FALSE;
}

gboolean
helix_media_session_update (HelixMediaSession  *self,
                            const char         *local_sdp,
                            const char         *remote_sdp,
                            GError            **error)
{
  g_autoptr(HelixSdpMedia) local = NULL;
  g_autoptr(HelixSdpMedia) remote = NULL;
  gboolean starting;

  g_return_val_if_fail (HELIX_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (remote_sdp != NULL, FALSE);

  if (self->failed || self->stop_task != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "Call audio has stopped");
      return FALSE;
    }

  remote = helix_sdp_media_parse (remote_sdp, error);
  if (remote == NULL)
    return FALSE;
  if (local_sdp != NULL)
    local = helix_sdp_media_parse (local_sdp, NULL);
  if (remote->codec == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "No common audio codec");
      return FALSE;
    }

  starting = self->media == NULL;
  if (starting && !start_pipeline (self, remote, error))
    return FALSE;
  if (!starting && !helix_media_pipeline_set_send_codec (self->media, remote->codec, remote->pt,
                                                         remote->ptime != 0 ? remote->ptime : DEFAULT_PTIME_MS,
                                                         error))
    return FALSE;

  helix_media_pipeline_set_payloads (self->media, local, remote);
  self->te_pt = remote->te_pt;
  helix_media_pipeline_set_dtmf (self->media, remote->te_pt, remote->codec->clock_rate);

  self->remote_direction = remote->direction;
  self->remote_reachable = remote->address != NULL && remote->port != 0;
  if (self->remote_reachable)
    helix_media_pipeline_set_destination (self->media, remote->address, remote->port, remote->rtcp_port);
  apply_flow (self);

  if (starting)
    {
      g_message ("Call audio: %s/%u (payload type %d) with %s port %u%s",
                 remote->codec->name, remote->codec->clock_rate, remote->pt,
                 remote->address != NULL ? remote->address : "(no address)", remote->port,
                 remote->te_pt >= 0 ? ", RFC 4733 tones" : "");
      /* A branch linked to the tees before the pipeline starts gets the
       * streams from their first buffer; linking it to running live tees
       * raced with the microphone's first push and could leave that input
       * of the mixer empty. */
      if (self->recorder != NULL &&
          !helix_media_recorder_attach (self->recorder, GST_BIN (self->media->pipeline),
                                        self->media->mic_tee, self->media->speaker_tee, error))
        return FALSE;
      if (!play (self, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
helix_media_session_is_running (HelixMediaSession *self)
{
  g_return_val_if_fail (HELIX_IS_MEDIA_SESSION (self), FALSE);

  return self->media != NULL && !self->failed && self->stop_task == NULL;
}

/* ---- DTMF ---------------------------------------------------------------- */

static int
dtmf_number (char digit)
{
  const char *digits = "0123456789*#ABCD";
  const char *found = strchr (digits, g_ascii_toupper (digit));

  return digit != '\0' && found != NULL ? (int) (found - digits) : -1;
}

static void
send_dtmf_event (HelixMediaSession *self,
                 int                number,
                 gboolean           start)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (self->media->dtmf_src, "src");
  GstStructure *structure = gst_structure_new ("dtmf-event",
                                               "type", G_TYPE_INT, 1,  /* RFC 4733 */
                                               "start", G_TYPE_BOOLEAN, start,
                                               NULL);

  if (start)
    gst_structure_set (structure, "number", G_TYPE_INT, number, "volume", G_TYPE_INT, DTMF_VOLUME, NULL);

  /* rtpdtmfsrc takes events arriving from downstream, on its pad. */
  gst_pad_send_event (pad, gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM, structure));
}

/* Each digit: a tone of DTMF_TONE_MS, then a pause, from the main loop. */
static gboolean
on_dtmf_timer (gpointer user_data)
{
  HelixMediaSession *self = user_data;
  gpointer digit;

  self->dtmf_timer = 0;
  if (self->media == NULL)
    return G_SOURCE_REMOVE;

  if (self->dtmf_tone_on)
    {
      send_dtmf_event (self, 0, FALSE);
      self->dtmf_tone_on = FALSE;
      self->dtmf_timer = g_timeout_add (DTMF_GAP_MS, on_dtmf_timer, self);
      return G_SOURCE_REMOVE;
    }

  digit = g_queue_pop_head (&self->dtmf_digits);
  if (digit == NULL)
    return G_SOURCE_REMOVE;

  send_dtmf_event (self, dtmf_number ((char) GPOINTER_TO_INT (digit)), TRUE);
  self->dtmf_tone_on = TRUE;
  self->dtmf_timer = g_timeout_add (DTMF_TONE_MS, on_dtmf_timer, self);
  return G_SOURCE_REMOVE;
}

gboolean
helix_media_session_can_send_dtmf (HelixMediaSession *self)
{
  g_return_val_if_fail (HELIX_IS_MEDIA_SESSION (self), FALSE);

  return helix_media_session_is_running (self) && self->te_pt >= 0;
}

gboolean
helix_media_session_send_dtmf (HelixMediaSession  *self,
                               const char         *digits,
                               GError            **error)
{
  g_return_val_if_fail (HELIX_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (digits != NULL, FALSE);

  if (!helix_media_session_can_send_dtmf (self))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "The other party does not take RFC 4733 tones");
      return FALSE;
    }

  for (const char *p = digits; *p != '\0'; p++)
    if (dtmf_number (*p) < 0)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "“%c” is not a keypad tone (use 0–9, *, # or A–D)", *p);
        return FALSE;
      }

  for (const char *p = digits; *p != '\0'; p++)
    g_queue_push_tail (&self->dtmf_digits, GINT_TO_POINTER ((int) *p));
  if (self->dtmf_timer == 0 && !self->dtmf_tone_on)
    on_dtmf_timer (self);

  return TRUE;
}

/* ---- recording and stop --------------------------------------------------- */

gboolean
helix_media_session_start_recording (HelixMediaSession  *self,
                                     const char         *path,
                                     GError            **error)
{
  g_return_val_if_fail (HELIX_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->recorder != NULL || self->stop_task != NULL || self->failed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "This call is already recorded or has ended");
      return FALSE;
    }

  self->recorder = helix_media_recorder_new (path, error);
  if (self->recorder == NULL)
    return FALSE;

  if (self->media != NULL)
    return helix_media_recorder_attach (self->recorder, GST_BIN (self->media->pipeline),
                                        self->media->mic_tee, self->media->speaker_tee, error);
  return TRUE;
}

static void
close_sockets (HelixMediaSession *self)
{
  if (self->rtp_socket != NULL)
    g_socket_close (self->rtp_socket, NULL);
  if (self->rtcp_socket != NULL)
    g_socket_close (self->rtcp_socket, NULL);
}

static void
teardown (HelixMediaSession *self)
{
  g_clear_handle_id (&self->dtmf_timer, g_source_remove);
  g_queue_clear (&self->dtmf_digits);
  g_clear_handle_id (&self->stop_timer, g_source_remove);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  g_clear_pointer (&self->media, helix_media_pipeline_free);
  close_sockets (self);
}

static void
finish_stop (HelixMediaSession *self,
             gboolean           recording_complete)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);
  g_autoptr(GError) error = NULL;
  gboolean recorded = self->recorder != NULL && helix_media_recorder_is_attached (self->recorder);
  char *path = NULL;

  teardown (self);

  if (recorded)
    {
      if (helix_media_recorder_finish (self->recorder, recording_complete, &error))
        path = g_strdup (helix_media_recorder_get_path (self->recorder));
    }
  g_clear_object (&self->recorder);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, path, g_free);
}

static gboolean
on_stop_timeout (gpointer user_data)
{
  HelixMediaSession *self = user_data;

  self->stop_timer = 0;
  g_warning ("The recording did not finish within %u ms", STOP_TIMEOUT_MS);
  finish_stop (self, FALSE);

  return G_SOURCE_REMOVE;
}

void
helix_media_session_stop_async (HelixMediaSession   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HELIX_IS_MEDIA_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, helix_media_session_stop_async);
  if (self->stop_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "Call audio is already stopping");
      return;
    }

  self->stop_task = g_steal_pointer (&task);
  g_clear_handle_id (&self->dtmf_timer, g_source_remove);

  /* wavenc completes its header only at EOS: wait for it, on the loop. */
  if (self->media != NULL && !self->failed && self->recorder != NULL &&
      helix_media_recorder_is_attached (self->recorder))
    {
      helix_media_recorder_stop (self->recorder);
      self->stop_timer = g_timeout_add (STOP_TIMEOUT_MS, on_stop_timeout, self);
      return;
    }

  finish_stop (self, FALSE);
}

char *
helix_media_session_stop_finish (HelixMediaSession  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- object ---------------------------------------------------------------- */

static void
helix_media_session_dispose (GObject *object)
{
  HelixMediaSession *self = HELIX_MEDIA_SESSION (object);

  teardown (self);
  g_clear_object (&self->recorder);
  g_clear_object (&self->rtp_socket);
  g_clear_object (&self->rtcp_socket);

  G_OBJECT_CLASS (helix_media_session_parent_class)->dispose (object);
}

static void
helix_media_session_finalize (GObject *object)
{
  HelixMediaSession *self = HELIX_MEDIA_SESSION (object);

  g_free (self->input_device);
  g_free (self->output_device);

  G_OBJECT_CLASS (helix_media_session_parent_class)->finalize (object);
}

static void
helix_media_session_class_init (HelixMediaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = helix_media_session_dispose;
  object_class->finalize = helix_media_session_finalize;

  /* A sentence for the user: the call cannot go on. */
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* One of 0-9 * # A-D, received as an RFC 4733 event. */
  signals[DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
helix_media_session_init (HelixMediaSession *self)
{
  self->te_pt = -1;
  self->remote_direction = HELIX_MEDIA_DIRECTION_SENDRECV;
  g_queue_init (&self->dtmf_digits);

  /* Safe to call any number of times; the first session initialises. */
  gst_init (NULL, NULL);
}

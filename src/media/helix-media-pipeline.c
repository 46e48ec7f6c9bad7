/* helix-media-pipeline.c — the GStreamer elements of one call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   source ! convert ! resample ! [webrtcdsp] ! volume ! tee ─ queue ! encode ! pay ! valve ─ rtpdtmfmux ─ rtpbin ─ udpsink
 *                                                           rtpdtmfsrc ─────────────────────┘
 *   udpsrc ─ rtpbin ─ (per SSRC/PT) depay ! decode ! convert ─ funnel ! valve ! tee ─ queue ! [webrtcechoprobe] ! sink
 *
 * The two tees also feed the recording branch (helix-media-recorder.c).
 * RTP is symmetric: the socket we advertise is the one udpsrc reads and
 * udpsink sends from, which is what NATs and SBCs expect.  The udpsrcs
 * are locked in PLAYING so that no state change re-creates or closes
 * that socket.  Every stage runs on one raw format (internal_caps) at the
 * send codec's own rate, which webrtcdsp and the recording mixer accept
 * too: a G.711 call is then never resampled to and from 48 kHz, which
 * costs CPU and a few milliseconds of latency each way.
 */
#define G_LOG_DOMAIN "helix-media"

#include "helix-media-pipeline.h"

#include <stdio.h>
#include <string.h>

#include "helix-media-devices.h"

#define JITTER_LATENCY_MS  60

static GstElement *
add_element (HelixMediaPipeline *self,
             const char         *factory,
             GError            **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "GStreamer element %s is missing; check the GStreamer plugin packages", factory);
      return NULL;
    }

  gst_bin_add (GST_BIN (self->pipeline), element);
  return element;
}

static gboolean
link_many (GError      **error,
           GstElement   *first,
           ...)
{
  GstElement *previous = first;
  GstElement *next;
  va_list args;
  gboolean ok = TRUE;

  va_start (args, first);
  while (ok && (next = va_arg (args, GstElement *)) != NULL)
    {
      ok = gst_element_link (previous, next);
      if (!ok)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot link %s to %s",
                     GST_OBJECT_NAME (previous), GST_OBJECT_NAME (next));
      previous = next;
    }
  va_end (args);

  return ok;
}

static GstElement *
make_capsfilter (const char *caps_text)
{
  GstElement *filter = gst_element_factory_make ("capsfilter", NULL);
  g_autoptr(GstCaps) caps = gst_caps_from_string (caps_text);

  g_object_set (filter, "caps", caps, NULL);
  return filter;
}

/* A bin from a description; its ghost pads are its unlinked pads. */
static GstElement *
make_branch (const char  *description,
             GError     **error)
{
  return gst_parse_bin_from_description_full (description, TRUE, NULL, GST_PARSE_FLAG_NONE, error);
}

static GstElement *
make_send_bin (const HelixCodec  *codec,
               int                pt,
               guint              ptime,
               GError           **error)
{
  g_autofree char *description =
    g_strdup_printf ("audioconvert ! audioresample ! audio/x-raw,rate=%u,channels=1 ! %s ! %s name=pay pt=%d",
                     codec->sample_rate, codec->encoder, codec->payloader, pt);
  GstElement *bin = make_branch (description, error);
  g_autoptr(GstElement) payloader = NULL;

  if (bin == NULL)
    return NULL;

  /* Fixed packet time for the sample-based codecs; Opus frames are 20 ms. */
  payloader = gst_bin_get_by_name (GST_BIN (bin), "pay");
  if (codec->static_pt >= 0)
    g_object_set (payloader, "min-ptime", (gint64) ptime * GST_MSECOND,
                  "max-ptime", (gint64) ptime * GST_MSECOND, NULL);

  return bin;
}

static gboolean
build_capture (HelixMediaPipeline *self,
               const char         *device,
               gboolean            echo_cancel,
               GError            **error)
{
  gboolean overridden = FALSE;
  GstElement *source = helix_media_make_source (device, &overridden, error);
  GstElement *convert, *resample, *caps, *dsp = NULL;

  if (source == NULL)
    return FALSE;
  gst_element_set_name (source, "microphone");
  gst_bin_add (GST_BIN (self->pipeline), source);

  convert = add_element (self, "audioconvert", error);
  resample = add_element (self, "audioresample", error);
  caps = make_capsfilter (self->internal_caps);
  gst_bin_add (GST_BIN (self->pipeline), caps);
  self->mic_gate = add_element (self, "volume", error);
  self->mic_tee = add_element (self, "tee", error);
  if (convert == NULL || resample == NULL || self->mic_gate == NULL || self->mic_tee == NULL)
    return FALSE;
  g_object_set (self->mic_tee, "allow-not-linked", TRUE, NULL);

  if (echo_cancel && !overridden)
    {
      dsp = add_element (self, "webrtcdsp", error);
      if (dsp == NULL)
        return FALSE;
      g_object_set (dsp, "probe", self->echo_probe_name, NULL);
    }

  if (dsp != NULL)
    return link_many (error, source, convert, resample, caps, dsp, self->mic_gate, self->mic_tee, NULL);
  return link_many (error, source, convert, resample, caps, self->mic_gate, self->mic_tee, NULL);
}

static gboolean
build_playback (HelixMediaPipeline *self,
                const char         *device,
                gboolean            echo_cancel,
                GError            **error)
{
  gboolean overridden = FALSE;
  GstElement *sink = helix_media_make_sink (device, &overridden, error);
  GstElement *queue, *probe = NULL;

  if (sink == NULL)
    return FALSE;
  gst_element_set_name (sink, "speaker");
  gst_bin_add (GST_BIN (self->pipeline), sink);

  self->recv_funnel = add_element (self, "funnel", error);
  self->recv_valve = add_element (self, "valve", error);
  self->speaker_tee = add_element (self, "tee", error);
  queue = add_element (self, "queue", error);
  if (self->recv_funnel == NULL || self->recv_valve == NULL || self->speaker_tee == NULL || queue == NULL)
    return FALSE;

  /* Held audio becomes gaps, which the recording mixer turns into silence. */
  g_object_set (self->recv_valve, "drop-mode", 2 /* transform-to-gap */, NULL);
  g_object_set (self->speaker_tee, "allow-not-linked", TRUE, NULL);
  g_object_set (queue, "max-size-time", (guint64) 200 * GST_MSECOND, "max-size-buffers", 0,
                "max-size-bytes", 0, "leaky", 2, NULL);

  if (echo_cancel && !overridden)
    {
      probe = gst_element_factory_make ("webrtcechoprobe", self->echo_probe_name);
      if (probe == NULL)
        return FALSE;
      gst_bin_add (GST_BIN (self->pipeline), probe);
    }

  if (probe != NULL)
    return link_many (error, self->recv_funnel, self->recv_valve, self->speaker_tee, queue, probe, sink, NULL);
  return link_many (error, self->recv_funnel, self->recv_valve, self->speaker_tee, queue, sink, NULL);
}

static GstElement *
add_udp (HelixMediaPipeline *self,
         const char         *factory,
         GSocket            *socket,
         const char         *caps_text,
         GError            **error)
{
  GstElement *element = add_element (self, factory, error);

  if (element == NULL)
    return NULL;

  g_object_set (element, "socket", socket, "close-socket", FALSE, NULL);
  if (caps_text != NULL)
    {
      g_autoptr(GstCaps) caps = gst_caps_from_string (caps_text);

      g_object_set (element, "caps", caps, NULL);
    }
  else
    g_object_set (element, "sync", FALSE, "async", FALSE, NULL);

  return element;
}

static GstCaps *
on_request_pt_map (GstElement        *rtpbin,
                   guint              session,
                   guint              pt,
                   HelixMediaPipeline *self)
{
  GstCaps *caps = NULL;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->recv_payloads->len; i++)
    {
      HelixSdpPayload *payload = &g_array_index (self->recv_payloads, HelixSdpPayload, i);
      g_autofree char *name = NULL;

      if (payload->pt != (int) pt)
        continue;

      name = g_ascii_strup (payload->codec != NULL ? payload->codec->name : "telephone-event", -1);
      caps = gst_caps_new_simple ("application/x-rtp",
                                  "media", G_TYPE_STRING, "audio",
                                  "payload", G_TYPE_INT, (int) pt,
                                  "clock-rate", G_TYPE_INT, (int) payload->clock_rate,
                                  "encoding-name", G_TYPE_STRING, name,
                                  NULL);
      break;
    }
  g_mutex_unlock (&self->lock);

  return caps;
}

/* rtpbin's thread: a new SSRC/payload type arrived.  Telephone events get
 * a depayloader whose bus messages carry the digits; audio is decoded into
 * the funnel in front of the speaker. */
static void
on_rtpbin_pad_added (GstElement        *rtpbin,
                     GstPad            *pad,
                     HelixMediaPipeline *self)
{
  g_autofree char *name = gst_pad_get_name (pad);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstPad) sink = NULL;
  const HelixCodec *codec = NULL;
  gboolean known = FALSE;
  guint session, ssrc, pt;
  GstElement *branch;

  if (sscanf (name, "recv_rtp_src_%u_%u_%u", &session, &ssrc, &pt) != 3)
    return;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->recv_payloads->len && !known; i++)
    if (g_array_index (self->recv_payloads, HelixSdpPayload, i).pt == (int) pt)
      {
        codec = g_array_index (self->recv_payloads, HelixSdpPayload, i).codec;
        known = TRUE;
      }
  g_mutex_unlock (&self->lock);

  if (!known)
    return;

  if (codec == NULL)
    description = g_strdup ("rtpdtmfdepay name=dtmfdepay ! fakesink sync=false async=false");
  else
    description = g_strdup_printf ("%s ! %s ! audioconvert ! audioresample ! capsfilter caps=\"%s\"",
                                   codec->depayloader, codec->decoder, self->internal_caps);

  branch = make_branch (description, &error);
  if (branch == NULL)
    {
      /* Swallowed rather than unlinked, which would stop all reception. */
      g_warning ("Cannot play payload type %u: %s", pt, error->message);
      codec = NULL;
      branch = gst_parse_bin_from_description ("fakesink sync=false async=false", TRUE, NULL);
    }

  gst_bin_add (GST_BIN (self->pipeline), branch);
  sink = gst_element_get_static_pad (branch, "sink");
  if (codec != NULL)
    {
      g_autoptr(GstPad) src = gst_element_get_static_pad (branch, "src");
      g_autoptr(GstPad) funnel_pad = gst_element_request_pad_simple (self->recv_funnel, "sink_%u");

      gst_pad_link (src, funnel_pad);
    }
  gst_element_sync_state_with_parent (branch);
  if (gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    g_warning ("Cannot link the stream of payload type %u", pt);
  else
    g_debug ("Receiving payload type %u from SSRC %08x", pt, ssrc);
}

static gboolean
build_send (HelixMediaPipeline *self,
            GError            **error)
{
  GstElement *mux;

  self->send_queue = add_element (self, "queue", error);
  self->send_valve = add_element (self, "valve", error);
  self->dtmf_src = add_element (self, "rtpdtmfsrc", error);
  mux = add_element (self, "rtpdtmfmux", error);
  if (self->send_queue == NULL || self->send_valve == NULL || self->dtmf_src == NULL || mux == NULL)
    return FALSE;

  g_object_set (self->send_queue, "max-size-time", (guint64) 200 * GST_MSECOND, "max-size-buffers", 0,
                "max-size-bytes", 0, "leaky", 2, NULL);
  self->send_bin = make_send_bin (self->send_codec, self->send_pt, self->ptime, error);
  if (self->send_bin == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (self->pipeline), self->send_bin);

  return link_many (error, self->mic_tee, self->send_queue, self->send_bin, self->send_valve, mux, NULL) &&
         gst_element_link_pads (self->dtmf_src, "src", mux, "priority_sink_%u") &&
         gst_element_link_pads (mux, "src", self->rtpbin, "send_rtp_sink_0");
}

HelixMediaPipeline *
helix_media_pipeline_new (GSocket           *rtp_socket,
                          GSocket           *rtcp_socket,
                          const char        *input_device,
                          const char        *output_device,
                          const HelixCodec  *codec,
                          int                pt,
                          guint              ptime,
                          GError           **error)
{
  HelixMediaPipeline *self = g_new0 (HelixMediaPipeline, 1);
  g_autoptr(GstElementFactory) dsp = gst_element_factory_find ("webrtcdsp");
  g_autoptr(GstElementFactory) probe = gst_element_factory_find ("webrtcechoprobe");
  gboolean echo_cancel = dsp != NULL && probe != NULL;

  g_mutex_init (&self->lock);
  self->recv_payloads = g_array_new (FALSE, FALSE, sizeof (HelixSdpPayload));
  self->send_codec = codec;
  self->send_pt = pt;
  self->ptime = ptime;
  self->internal_caps = g_strdup_printf ("audio/x-raw,format=S16LE,layout=interleaved,channels=1,rate=%u",
                                         codec->sample_rate);
  /* webrtcdsp finds its probe by element name, process-wide. */
  self->echo_probe_name = g_strdup_printf ("helix-echo-probe-%p", (void *) self);
  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("call"));

  self->rtpbin = add_element (self, "rtpbin", error);
  if (self->rtpbin == NULL)
    goto fail;
  g_object_set (self->rtpbin, "latency", (guint) JITTER_LATENCY_MS, NULL);
  g_signal_connect (self->rtpbin, "request-pt-map", G_CALLBACK (on_request_pt_map), self);
  g_signal_connect (self->rtpbin, "pad-added", G_CALLBACK (on_rtpbin_pad_added), self);

  self->rtp_src = add_udp (self, "udpsrc", rtp_socket, "application/x-rtp", error);
  self->rtcp_src = add_udp (self, "udpsrc", rtcp_socket, "application/x-rtcp", error);
  self->rtp_sink = add_udp (self, "udpsink", rtp_socket, NULL, error);
  self->rtcp_sink = add_udp (self, "udpsink", rtcp_socket, NULL, error);
  if (self->rtp_src == NULL || self->rtcp_src == NULL || self->rtp_sink == NULL || self->rtcp_sink == NULL)
    goto fail;
  gst_element_set_locked_state (self->rtp_src, TRUE);
  gst_element_set_locked_state (self->rtcp_src, TRUE);

  if (!build_capture (self, input_device, echo_cancel, error) ||
      !build_playback (self, output_device, echo_cancel, error) ||
      !build_send (self, error))
    goto fail;

  if (!gst_element_link_pads (self->rtp_src, "src", self->rtpbin, "recv_rtp_sink_0") ||
      !gst_element_link_pads (self->rtcp_src, "src", self->rtpbin, "recv_rtcp_sink_0") ||
      !gst_element_link_pads (self->rtpbin, "send_rtp_src_0", self->rtp_sink, "sink") ||
      !gst_element_link_pads (self->rtpbin, "send_rtcp_src_0", self->rtcp_sink, "sink"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot link the RTP session");
      goto fail;
    }

  return self;

fail:
  helix_media_pipeline_free (self);
  return NULL;
}

static gboolean
same_payloads (GArray *a,
               GArray *b)
{
  return a->len == b->len &&
         (a->len == 0 || memcmp (a->data, b->data, a->len * sizeof (HelixSdpPayload)) == 0);
}

void
helix_media_pipeline_set_payloads (HelixMediaPipeline  *self,
                                   const HelixSdpMedia *local,
                                   const HelixSdpMedia *remote)
{
  GArray *payloads = g_array_new (FALSE, FALSE, sizeof (HelixSdpPayload));
  gboolean changed;

  /* RFC 3264 keeps the numbers equal both ways, but a peer that answers
   * with its own numbers still sends what its SDP says: take both. */
  if (local != NULL)
    g_array_append_vals (payloads, local->payloads->data, local->payloads->len);
  for (guint i = 0; i < remote->payloads->len; i++)
    {
      HelixSdpPayload *payload = &g_array_index (remote->payloads, HelixSdpPayload, i);

      if (local == NULL || helix_sdp_media_find_payload (local, payload->pt) == NULL)
        g_array_append_val (payloads, *payload);
    }

  g_mutex_lock (&self->lock);
  changed = !same_payloads (payloads, self->recv_payloads);
  g_array_unref (self->recv_payloads);
  self->recv_payloads = payloads;
  g_mutex_unlock (&self->lock);

  if (changed)
    g_signal_emit_by_name (self->rtpbin, "clear-pt-map");
}

void
helix_media_pipeline_set_destination (HelixMediaPipeline *self,
                                      const char         *address,
                                      guint               rtp_port,
                                      guint               rtcp_port)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autofree char *host = NULL;
  GSocket *socket = NULL;

  g_object_get (self->rtp_sink, "socket", &socket, NULL);

  /* Our dual-stack socket reaches IPv4 peers at their mapped address. */
  if (inet != NULL && g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV4 &&
      socket != NULL && g_socket_get_family (socket) == G_SOCKET_FAMILY_IPV6)
    host = g_strconcat ("::ffff:", address, NULL);
  else
    host = g_strdup (address);
  g_clear_object (&socket);

  g_object_set (self->rtp_sink, "host", host, "port", (int) rtp_port, NULL);
  g_object_set (self->rtcp_sink, "host", host, "port", (int) rtcp_port, NULL);
}

typedef struct {
  HelixMediaPipeline *self;
  GstElement         *next;
} SwapData;

/* In the queue's streaming thread, between two buffers. */
static GstPadProbeReturn
on_send_idle (GstPad          *pad,
              GstPadProbeInfo *info,
              gpointer         user_data)
{
  SwapData *swap = user_data;
  HelixMediaPipeline *self = swap->self;

  gst_element_unlink_many (self->send_queue, self->send_bin, self->send_valve, NULL);
  gst_element_set_state (self->send_bin, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self->pipeline), self->send_bin);
  self->send_bin = swap->next;
  gst_bin_add (GST_BIN (self->pipeline), self->send_bin);
  gst_element_link_many (self->send_queue, self->send_bin, self->send_valve, NULL);
  gst_element_sync_state_with_parent (self->send_bin);
  g_free (swap);

  return GST_PAD_PROBE_REMOVE;
}

gboolean
helix_media_pipeline_set_send_codec (HelixMediaPipeline  *self,
                                     const HelixCodec    *codec,
                                     int                  pt,
                                     guint                ptime,
                                     GError             **error)
{
  g_autoptr(GstPad) pad = NULL;
  SwapData *swap;
  GstElement *next;

  if (codec == self->send_codec && pt == self->send_pt && ptime == self->ptime)
    return TRUE;

  next = make_send_bin (codec, pt, ptime, error);
  if (next == NULL)
    return FALSE;

  g_message ("Sending %s/%u on payload type %d from now on", codec->name, codec->clock_rate, pt);
  self->send_codec = codec;
  self->send_pt = pt;
  self->ptime = ptime;
  swap = g_new0 (SwapData, 1);
  swap->self = self;
  swap->next = next;
  pad = gst_element_get_static_pad (self->send_queue, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_IDLE, on_send_idle, swap, NULL);

  return TRUE;
}

void
helix_media_pipeline_set_dtmf (HelixMediaPipeline *self,
                               int                 te_pt,
                               guint               clock_rate)
{
  if (te_pt >= 0)
    g_object_set (self->dtmf_src, "pt", (guint) te_pt, "clock-rate", clock_rate, NULL);
}

GstStateChangeReturn
helix_media_pipeline_play (HelixMediaPipeline *self)
{
  GstStateChangeReturn ret = gst_element_set_state (self->pipeline, GST_STATE_PLAYING);

  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  /* Locked out of the pipeline's state changes: started by hand. */
  if (gst_element_set_state (self->rtp_src, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE ||
      gst_element_set_state (self->rtcp_src, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    return GST_STATE_CHANGE_FAILURE;

  return ret;
}

void
helix_media_pipeline_free (HelixMediaPipeline *self)
{
  if (self == NULL)
    return;

  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      if (self->rtp_src != NULL)
        gst_element_set_state (self->rtp_src, GST_STATE_NULL);
      if (self->rtcp_src != NULL)
        gst_element_set_state (self->rtcp_src, GST_STATE_NULL);
      if (self->rtpbin != NULL)
        g_signal_handlers_disconnect_by_data (self->rtpbin, self);
      gst_clear_object (&self->pipeline);
    }

  g_mutex_clear (&self->lock);
  g_clear_pointer (&self->recv_payloads, g_array_unref);
  g_free (self->echo_probe_name);
  g_free (self->internal_caps);
  g_free (self);
}

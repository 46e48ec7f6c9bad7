/* helix-media-pipeline.h — the GStreamer elements of one call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "helix-media-sdp.h"

G_BEGIN_DECLS

/* Built and driven by HelixMediaSession on the main loop; only the
 * payload table is also read from rtpbin's threads (under @lock). */
typedef struct {
  GstElement       *pipeline;
  GstElement       *rtpbin;
  GstElement       *rtp_src;
  GstElement       *rtcp_src;
  GstElement       *rtp_sink;
  GstElement       *rtcp_sink;
  GstElement       *mic_gate;      /* volume: mute, and silence while held */
  GstElement       *mic_tee;
  GstElement       *send_queue;
  GstElement       *send_bin;
  GstElement       *send_valve;    /* closed while nothing may be sent */
  GstElement       *dtmf_src;
  GstElement       *recv_funnel;
  GstElement       *recv_valve;    /* closed while nothing may be played */
  GstElement       *speaker_tee;

  const HelixCodec *send_codec;
  int               send_pt;
  guint             ptime;
  char             *echo_probe_name;
  char             *internal_caps;  /* raw audio between the stages */

  GMutex            lock;
  GArray           *recv_payloads; /* HelixSdpPayload */
} HelixMediaPipeline;

HelixMediaPipeline *helix_media_pipeline_new      (GSocket            *rtp_socket,
                                                   GSocket            *rtcp_socket,
                                                   const char         *input_device,
                                                   const char         *output_device,
                                                   const HelixCodec   *codec,
                                                   int                 pt,
                                                   guint               ptime,
                                                   GError            **error);
/* What we may receive: our own answer's payload types first. */
void                helix_media_pipeline_set_payloads (HelixMediaPipeline *self,
                                                       const HelixSdpMedia *local,
                                                       const HelixSdpMedia *remote);
void                helix_media_pipeline_set_destination (HelixMediaPipeline *self,
                                                          const char         *address,
                                                          guint               rtp_port,
                                                          guint               rtcp_port);
/* Swaps the encoder in the running pipeline when the codec changed. */
gboolean            helix_media_pipeline_set_send_codec (HelixMediaPipeline *self,
                                                         const HelixCodec   *codec,
                                                         int                 pt,
                                                         guint               ptime,
                                                         GError            **error);
void                helix_media_pipeline_set_dtmf     (HelixMediaPipeline *self,
                                                       int                 te_pt,
                                                       guint               clock_rate);
GstStateChangeReturn helix_media_pipeline_play        (HelixMediaPipeline *self);
/* To NULL, sockets left open; frees everything. */
void                helix_media_pipeline_free         (HelixMediaPipeline *self);

G_END_DECLS

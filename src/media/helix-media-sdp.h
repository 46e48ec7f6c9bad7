/* helix-media-sdp.h — the codecs HelixPhone speaks and the SDP it offers and reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bits, from the point of view of whoever wrote the SDP. */
typedef enum {
  HELIX_MEDIA_DIRECTION_INACTIVE = 0,
  HELIX_MEDIA_DIRECTION_SENDONLY = 1 << 0,
  HELIX_MEDIA_DIRECTION_RECVONLY = 1 << 1,
  HELIX_MEDIA_DIRECTION_SENDRECV = HELIX_MEDIA_DIRECTION_SENDONLY | HELIX_MEDIA_DIRECTION_RECVONLY,
} HelixMediaDirection;

typedef struct {
  const char *name;          /* rtpmap encoding name */
  guint       clock_rate;    /* rtpmap clock rate */
  guint       channels;      /* rtpmap encoding parameter, 0 when absent */
  int         static_pt;     /* RFC 3551 payload type, -1 for a dynamic one */
  int         offer_pt;      /* the payload type we offer it with */
  guint       sample_rate;   /* raw audio rate the encoder takes */
  const char *encoder;       /* element factory names */
  const char *payloader;
  const char *depayloader;
  const char *decoder;
  const char *fmtp;          /* offered a=fmtp value, or NULL */
} HelixCodec;

typedef struct {
  int               pt;
  const HelixCodec *codec;            /* NULL for telephone-event */
  guint             clock_rate;
} HelixSdpPayload;

/* The audio stream of one SDP, reduced to what the pipeline needs. */
typedef struct {
  char                *address;       /* c= address; NULL when absent or 0.0.0.0 */
  guint                port;          /* 0: the stream is refused */
  guint                rtcp_port;     /* a=rtcp, else port + 1 */
  HelixMediaDirection  direction;     /* 0.0.0.0 reads as inactive (RFC 2543 hold) */
  guint                ptime;         /* ms, 0 when absent */
  const HelixCodec    *codec;         /* first listed codec we support, or NULL */
  int                  pt;            /* its payload type here */
  int                  te_pt;         /* telephone-event at the codec's clock, -1 if none */
  GArray              *payloads;      /* HelixSdpPayload, every format we understood */
} HelixSdpMedia;

const HelixCodec *helix_codec_lookup         (const char          *name,
                                              guint                clock_rate);
/* Whether every element the codec needs exists here (element factories,
 * not plugin files, so this holds on every platform). */
gboolean          helix_codec_is_available   (const HelixCodec    *codec);
/* The codecs offered, best first: all available ones, or those named in
 * @filter ("PCMA,opus", any case) in that order.  NULL-terminated; free
 * the array only. */
const HelixCodec **helix_codecs_offered      (const char          *filter);

/* A complete session description offering @codecs on @port.  With NULL
 * @address there is no c= line (Sofia's soa then fills it in). */
char             *helix_sdp_build_offer      (const char          *address,
                                              guint                port,
                                              const HelixCodec   **codecs);

HelixSdpMedia    *helix_sdp_media_parse      (const char          *sdp,
                                              GError             **error);
const HelixSdpPayload *
                  helix_sdp_media_find_payload (const HelixSdpMedia *media,
                                                int                  pt);
void              helix_sdp_media_free       (HelixSdpMedia       *media);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HelixSdpMedia, helix_sdp_media_free)

G_END_DECLS

/* helix-media-sdp.c — the codecs HelixPhone speaks and the SDP it offers and reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Codecs are matched by rtpmap name and clock rate, never by payload-type
 * number: only 0–34 are fixed by RFC 3551, and an Opus stream may arrive
 * on any dynamic number the far end chose.
 */
#define G_LOG_DOMAIN "helix-media"

#include "helix-media-sdp.h"

#include <gio/gio.h>
#include <gst/gst.h>
#include <gst/sdp/gstsdpmessage.h>
#include <stdlib.h>
#include <string.h>

#define TELEPHONE_EVENT_PT       101
#define TELEPHONE_EVENT_WIDE_PT  102

/* Preference order of the offer.  G.711 first: every PBX speaks it and
 * recordings are 8 kHz anyway; the wideband codecs follow when present. */
static const HelixCodec codecs[] = {
  { "PCMU", 8000, 0, 0, 0, 8000, "mulawenc", "rtppcmupay", "rtppcmudepay", "mulawdec", NULL },
  { "PCMA", 8000, 0, 8, 8, 8000, "alawenc", "rtppcmapay", "rtppcmadepay", "alawdec", NULL },
  /* G.722 says 8000 in SDP for historical reasons but samples at 16 kHz. */
  { "G722", 8000, 0, 9, 9, 16000, "avenc_g722", "rtpg722pay", "rtpg722depay", "avdec_g722", NULL },
  { "opus", 48000, 2, -1, 96, 48000, "opusenc", "rtpopuspay", "rtpopusdepay", "opusdec",
    "minptime=10;useinbandfec=1" },
};

const HelixCodec *
helix_codec_lookup (const char *name,
                    guint       clock_rate)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (g_ascii_strcasecmp (codecs[i].name, name) == 0 && codecs[i].clock_rate == clock_rate)
      return &codecs[i];

  return NULL;
}

static gboolean
factory_exists (const char *name)
{
  g_autoptr(GstElementFactory) factory = gst_element_factory_find (name);

  return factory != NULL;
}

gboolean
helix_codec_is_available (const HelixCodec *codec)
{
  g_return_val_if_fail (codec != NULL, FALSE);

  return factory_exists (codec->encoder) && factory_exists (codec->payloader) &&
         factory_exists (codec->depayloader) && factory_exists (codec->decoder);
}

const HelixCodec **
helix_codecs_offered (const char *filter)
{
  GPtrArray *offered = g_ptr_array_new ();

  if (filter != NULL && *filter != '\0')
    {
      g_auto(GStrv) names = g_strsplit_set (filter, ", ", -1);

      for (guint n = 0; names[n] != NULL; n++)
        for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
          if (g_ascii_strcasecmp (codecs[i].name, names[n]) == 0 && helix_codec_is_available (&codecs[i]) &&
              !g_ptr_array_find (offered, &codecs[i], NULL))
            g_ptr_array_add (offered, (gpointer) &codecs[i]);

      if (offered->len == 0)
        g_warning ("HELIXPHONE_CODECS=“%s” names no available codec; offering all", filter);
    }

  if (offered->len == 0)
    for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
      if (helix_codec_is_available (&codecs[i]))
        g_ptr_array_add (offered, (gpointer) &codecs[i]);

  g_ptr_array_add (offered, NULL);
  return (const HelixCodec **) g_ptr_array_free (offered, FALSE);
}

char *
helix_sdp_build_offer (const char        *address,
                       guint              port,
                       const HelixCodec **offered)
{
  GString *formats = g_string_new (NULL);
  GString *attributes = g_string_new (NULL);
  g_autofree char *connection = NULL;
  gboolean narrowband = FALSE;
  gboolean wideband = FALSE;
  char *sdp;

  g_return_val_if_fail (offered != NULL && offered[0] != NULL, NULL);

  for (guint i = 0; offered[i] != NULL; i++)
    {
      const HelixCodec *codec = offered[i];

      g_string_append_printf (formats, " %d", codec->offer_pt);
      if (codec->channels != 0)
        g_string_append_printf (attributes, "a=rtpmap:%d %s/%u/%u\r\n", codec->offer_pt,
                                codec->name, codec->clock_rate, codec->channels);
      else
        g_string_append_printf (attributes, "a=rtpmap:%d %s/%u\r\n", codec->offer_pt,
                                codec->name, codec->clock_rate);
      if (codec->fmtp != NULL)
        g_string_append_printf (attributes, "a=fmtp:%d %s\r\n", codec->offer_pt, codec->fmtp);
      narrowband |= codec->clock_rate == 8000;
      wideband |= codec->clock_rate == 48000;
    }

  /* RFC 4733 events run on the audio codec's clock: one per clock offered. */
  if (narrowband)
    {
      g_string_append_printf (formats, " %d", TELEPHONE_EVENT_PT);
      g_string_append_printf (attributes, "a=rtpmap:%d telephone-event/8000\r\na=fmtp:%d 0-16\r\n",
                              TELEPHONE_EVENT_PT, TELEPHONE_EVENT_PT);
    }
  if (wideband)
    {
      g_string_append_printf (formats, " %d", TELEPHONE_EVENT_WIDE_PT);
      g_string_append_printf (attributes, "a=rtpmap:%d telephone-event/48000\r\na=fmtp:%d 0-16\r\n",
                              TELEPHONE_EVENT_WIDE_PT, TELEPHONE_EVENT_WIDE_PT);
    }

  if (address != NULL)
    connection = g_strdup_printf ("c=IN %s %s\r\n", strchr (address, ':') != NULL ? "IP6" : "IP4", address);

  /* Sofia's soa fills o= and, without c=, the connection address. */
  sdp = g_strdup_printf ("v=0\r\n"
                         "s=HelixPhone\r\n"
                         "%s"
                         "t=0 0\r\n"
                         "m=audio %u RTP/AVP%s\r\n"
                         "%s"
                         "a=ptime:20\r\n",
                         connection != NULL ? connection : "", port, formats->str, attributes->str);
  g_string_free (formats, TRUE);
  g_string_free (attributes, TRUE);

  return sdp;
}

static gboolean
parse_rtpmap (const char  *value,
              int         *pt,
              char       **name,
              guint       *clock_rate)
{
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) parts = NULL;
  char *end = NULL;
  gint64 number;

  words = g_strsplit (value, " ", 2);
  if (words[0] == NULL || words[1] == NULL)
    return FALSE;

  number = g_ascii_strtoll (words[0], &end, 10);
  if (end == words[0] || *end != '\0' || number < 0 || number > 127)
    return FALSE;

  parts = g_strsplit (g_strstrip (words[1]), "/", 3);
  if (parts[0] == NULL || parts[1] == NULL)
    return FALSE;

  *pt = (int) number;
  *name = g_strdup (parts[0]);
  *clock_rate = (guint) g_ascii_strtoull (parts[1], NULL, 10);
  return *clock_rate > 0;
}

/* Meaning of payload type @pt from its rtpmap, or RFC 3551 for static ones. */
static gboolean
resolve_payload (const GstSDPMedia *media,
                 int                pt,
                 HelixSdpPayload   *payload)
{
  for (guint i = 0; ; i++)
    {
      const char *value = gst_sdp_media_get_attribute_val_n (media, "rtpmap", i);
      g_autofree char *name = NULL;
      guint clock_rate = 0;
      int mapped_pt = -1;

      if (value == NULL)
        break;
      if (!parse_rtpmap (value, &mapped_pt, &name, &clock_rate) || mapped_pt != pt)
        continue;

      payload->pt = pt;
      payload->clock_rate = clock_rate;
      if (g_ascii_strcasecmp (name, "telephone-event") == 0)
        {
          payload->codec = NULL;
          return TRUE;
        }
      payload->codec = helix_codec_lookup (name, clock_rate);
      return payload->codec != NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (codecs[i].static_pt == pt)
      {
        payload->pt = pt;
        payload->codec = &codecs[i];
        payload->clock_rate = codecs[i].clock_rate;
        return TRUE;
      }

  return FALSE;
}

static HelixMediaDirection
direction_of (const GstSDPMessage *message,
              const GstSDPMedia   *media)
{
  static const struct { const char *name; HelixMediaDirection direction; } names[] = {
    { "sendrecv", HELIX_MEDIA_DIRECTION_SENDRECV },
    { "sendonly", HELIX_MEDIA_DIRECTION_SENDONLY },
    { "recvonly", HELIX_MEDIA_DIRECTION_RECVONLY },
    { "inactive", HELIX_MEDIA_DIRECTION_INACTIVE },
  };

  /* A media-level attribute overrides the session-level one. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (gst_sdp_media_get_attribute_val (media, names[i].name) != NULL)
      return names[i].direction;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (gst_sdp_message_get_attribute_val (message, names[i].name) != NULL)
      return names[i].direction;

  return HELIX_MEDIA_DIRECTION_SENDRECV;
}

static const char *
connection_address (const GstSDPMessage *message,
                    const GstSDPMedia   *media)
{
  const GstSDPConnection *connection = NULL;

  if (gst_sdp_media_connections_len (media) > 0)
    connection = gst_sdp_media_get_connection (media, 0);
  if (connection == NULL || connection->address == NULL)
    connection = gst_sdp_message_get_connection (message);

  return connection != NULL ? connection->address : NULL;
}

HelixSdpMedia *
helix_sdp_media_parse (const char  *sdp,
                       GError     **error)
{
  g_autoptr(GstSDPMessage) message = NULL;
  g_autoptr(HelixSdpMedia) result = NULL;
  const GstSDPMedia *media = NULL;
  const char *address;
  const char *value;

  g_return_val_if_fail (sdp != NULL, NULL);

  if (gst_sdp_message_new_from_text (sdp, &message) != GST_SDP_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The session description cannot be parsed");
      return NULL;
    }

  for (guint i = 0; i < gst_sdp_message_medias_len (message) && media == NULL; i++)
    {
      const GstSDPMedia *candidate = gst_sdp_message_get_media (message, i);

      if (g_strcmp0 (gst_sdp_media_get_media (candidate), "audio") == 0)
        media = candidate;
    }
  if (media == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The session description has no audio stream");
      return NULL;
    }

  result = g_new0 (HelixSdpMedia, 1);
  result->payloads = g_array_new (FALSE, FALSE, sizeof (HelixSdpPayload));
  result->pt = -1;
  result->te_pt = -1;
  result->port = gst_sdp_media_get_port (media);
  result->rtcp_port = result->port != 0 ? result->port + 1 : 0;
  result->direction = direction_of (message, media);

  address = connection_address (message, media);
  if (address != NULL && g_strcmp0 (address, "0.0.0.0") != 0 && g_strcmp0 (address, "::") != 0)
    result->address = g_strdup (address);
  else
    result->direction = HELIX_MEDIA_DIRECTION_INACTIVE;

  value = gst_sdp_media_get_attribute_val (media, "rtcp");
  if (value != NULL)
    {
      guint64 rtcp = g_ascii_strtoull (value, NULL, 10);

      if (rtcp > 0 && rtcp < 65536)
        result->rtcp_port = (guint) rtcp;
    }

  value = gst_sdp_media_get_attribute_val (media, "ptime");
  if (value != NULL)
    result->ptime = (guint) MIN (g_ascii_strtoull (value, NULL, 10), 200);

  for (guint i = 0; i < gst_sdp_media_formats_len (media); i++)
    {
      const char *format = gst_sdp_media_get_format (media, i);
      HelixSdpPayload payload = { 0 };
      char *end = NULL;
      gint64 pt = g_ascii_strtoll (format, &end, 10);

      if (end == format || *end != '\0' || pt < 0 || pt > 127 ||
          !resolve_payload (media, (int) pt, &payload))
        continue;

      g_array_append_val (result->payloads, payload);
      if (payload.codec != NULL && result->codec == NULL && helix_codec_is_available (payload.codec))
        {
          result->codec = payload.codec;
          result->pt = payload.pt;
        }
    }

  /* The event stream must share the audio's clock (RFC 4733 §2.1). */
  for (guint i = 0; i < result->payloads->len && result->codec != NULL; i++)
    {
      HelixSdpPayload *payload = &g_array_index (result->payloads, HelixSdpPayload, i);

      if (payload->codec == NULL && payload->clock_rate == result->codec->clock_rate)
        {
          result->te_pt = payload->pt;
          break;
        }
    }

  return g_steal_pointer (&result);
}

const HelixSdpPayload *
helix_sdp_media_find_payload (const HelixSdpMedia *media,
                              int                  pt)
{
  g_return_val_if_fail (media != NULL, NULL);

  for (guint i = 0; i < media->payloads->len; i++)
    if (g_array_index (media->payloads, HelixSdpPayload, i).pt == pt)
      return &g_array_index (media->payloads, HelixSdpPayload, i);

  return NULL;
}

void
helix_sdp_media_free (HelixSdpMedia *media)
{
  if (media == NULL)
    return;

  g_free (media->address);
  g_clear_pointer (&media->payloads, g_array_unref);
  g_free (media);
}

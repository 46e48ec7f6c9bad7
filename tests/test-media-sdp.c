/* test-media-sdp.c — codecs, the SDP offer and answer reading, recording names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <gst/gst.h>
#include <string.h>

#include "helix-media-sdp.h"
#include "helix-recording-name.h"

static gboolean
have_opus (void)
{
  const HelixCodec *opus = helix_codec_lookup ("opus", 48000);

  return opus != NULL && helix_codec_is_available (opus);
}

static void
test_offer_default (void)
{
  g_autofree const HelixCodec **codecs = helix_codecs_offered (NULL);
  g_autofree char *sdp = helix_sdp_build_offer ("192.0.2.7", 40000, codecs);

  g_assert_cmpstr (codecs[0]->name, ==, "PCMU");
  g_assert_cmpstr (codecs[1]->name, ==, "PCMA");
  g_assert_nonnull (strstr (sdp, "c=IN IP4 192.0.2.7\r\n"));
  g_assert_nonnull (strstr (sdp, "a=rtpmap:0 PCMU/8000\r\n"));
  g_assert_nonnull (strstr (sdp, "a=rtpmap:8 PCMA/8000\r\n"));
  g_assert_nonnull (strstr (sdp, "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n"));
  g_assert_nonnull (strstr (sdp, "a=ptime:20\r\n"));
  if (!have_opus ())
    g_assert_true (g_regex_match_simple ("m=audio 40000 RTP/AVP 0 8( 9)? 101\r\n", sdp, 0, 0));
  else
    {
      g_assert_true (g_regex_match_simple ("m=audio 40000 RTP/AVP 0 8( 9)? 96 101 102\r\n", sdp, 0, 0));
      g_assert_nonnull (strstr (sdp, "a=rtpmap:96 opus/48000/2\r\n"));
      g_assert_nonnull (strstr (sdp, "a=rtpmap:102 telephone-event/48000\r\n"));
    }
}

static void
test_offer_filter (void)
{
  g_autofree const HelixCodec **codecs = helix_codecs_offered ("pcma, PCMU");
  g_autofree char *sdp = helix_sdp_build_offer ("2001:db8::7", 40002, codecs);

  g_assert_cmpstr (codecs[0]->name, ==, "PCMA");
  g_assert_cmpstr (codecs[1]->name, ==, "PCMU");
  g_assert_null (codecs[2]);
  g_assert_nonnull (strstr (sdp, "c=IN IP6 2001:db8::7\r\n"));
  g_assert_nonnull (strstr (sdp, "m=audio 40002 RTP/AVP 8 0 101\r\n"));
  g_assert_null (strstr (sdp, "opus"));
}

/* A far end that numbers Opus 111 and its events 110, lists a codec we do
 * not have first, and answers from another address for RTCP. */
static void
test_parse_dynamic (void)
{
  const char *sdp =
    "v=0\r\no=- 1 1 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\n"
    "m=audio 5004 RTP/AVP 18 111 8 110 101\r\n"
    "a=rtpmap:18 G729/8000\r\n"
    "a=rtpmap:111 OPUS/48000/2\r\n"
    "a=rtpmap:110 telephone-event/48000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=rtcp:5010\r\na=ptime:30\r\na=sendonly\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixSdpMedia) media = helix_sdp_media_parse (sdp, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (media->address, ==, "198.51.100.1");
  g_assert_cmpuint (media->port, ==, 5004);
  g_assert_cmpuint (media->rtcp_port, ==, 5010);
  g_assert_cmpuint (media->ptime, ==, 30);
  g_assert_cmpint (media->direction, ==, HELIX_MEDIA_DIRECTION_SENDONLY);
  if (have_opus ())
    {
      g_assert_cmpstr (media->codec->name, ==, "opus");
      g_assert_cmpint (media->pt, ==, 111);
      g_assert_cmpint (media->te_pt, ==, 110);
    }
  else
    {
      g_assert_cmpstr (media->codec->name, ==, "PCMA");
      g_assert_cmpint (media->pt, ==, 8);
      g_assert_cmpint (media->te_pt, ==, 101);
    }
  /* G.729 is not ours: not in the table at all. */
  g_assert_null (helix_sdp_media_find_payload (media, 18));
  g_assert_cmpuint (helix_sdp_media_find_payload (media, 8)->clock_rate, ==, 8000);
}

static void
test_parse_directions (void)
{
  const char *held_old_style =
    "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n";
  const char *session_level =
    "v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 2001:db8::1\r\nt=0 0\r\na=recvonly\r\n"
    "m=audio 5006 RTP/AVP 0 8\r\n";
  const char *no_telephone_event =
    "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 5008 RTP/AVP 8\r\n"
    "c=IN IP4 192.0.2.9\r\na=inactive\r\n";
  g_autoptr(HelixSdpMedia) held = helix_sdp_media_parse (held_old_style, NULL);
  g_autoptr(HelixSdpMedia) v6 = helix_sdp_media_parse (session_level, NULL);
  g_autoptr(HelixSdpMedia) plain = helix_sdp_media_parse (no_telephone_event, NULL);

  g_assert_null (held->address);
  g_assert_cmpint (held->direction, ==, HELIX_MEDIA_DIRECTION_INACTIVE);
  g_assert_cmpstr (held->codec->name, ==, "PCMU");

  g_assert_cmpstr (v6->address, ==, "2001:db8::1");
  g_assert_cmpint (v6->direction, ==, HELIX_MEDIA_DIRECTION_RECVONLY);
  g_assert_cmpuint (v6->rtcp_port, ==, 5007);

  g_assert_cmpstr (plain->address, ==, "192.0.2.9");
  g_assert_cmpint (plain->direction, ==, HELIX_MEDIA_DIRECTION_INACTIVE);
  g_assert_cmpstr (plain->codec->name, ==, "PCMA");
  g_assert_cmpint (plain->te_pt, ==, -1);
}

static void
test_parse_rejects (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixSdpMedia) video = helix_sdp_media_parse ("v=0\r\ns=-\r\nm=video 5000 RTP/AVP 96\r\n", &error);
  g_autoptr(HelixSdpMedia) g729 = NULL;

  g_assert_null (video);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);

  g729 = helix_sdp_media_parse ("v=0\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nm=audio 5000 RTP/AVP 18\r\n"
                                "a=rtpmap:18 G729/8000\r\n", NULL);
  g_assert_nonnull (g729);
  g_assert_null (g729->codec);
  g_assert_cmpint (g729->pt, ==, -1);
}

static void
test_clean_number (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "+1-416-998-7587", "+1-416-998-7587" },
    { "*72#", "*72#" },
    { "../../etc/passwd", "------etc-passwd" },
    { "..\\..\\x", "------x" },
    { "a b\tc\r\nd", "a-b-c--d" },
    { "1002@host;user=phone", "1002-host-user-phone" },
    { "José", "Jos--" },
    { "", "unknown" },
    { NULL, "unknown" },
    { "12345678901234567890123456789012345", "12345678901234567890123456789012" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *clean = helix_recording_clean_number (cases[i].in);

      g_assert_cmpstr (clean, ==, cases[i].out);
    }
}

static void
test_file_name (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (-5 * 3600);
  /* 2026-02-17 17:48:16.123 UTC is 12:48 at UTC-5. */
  g_autoptr(GDateTime) second = g_date_time_new_from_unix_utc (1771350496);
  g_autoptr(GDateTime) utc = g_date_time_add (second, 123000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
  g_autofree char *name = helix_recording_file_name ("1001", "+14169987587", local);
  g_autofree char *hostile = helix_recording_file_name ("1001", "../../../tmp/evil", local);
  g_autofree char *empty = helix_recording_file_name ("", NULL, local);

  g_assert_cmpstr (name, ==, "1001_+14169987587_2026_02_17_12_48_1771350496123.wav");
  g_assert_cmpstr (hostile, ==, "1001_---------tmp-evil_2026_02_17_12_48_1771350496123.wav");
  g_assert_null (strchr (hostile, '/'));
  g_assert_cmpstr (empty, ==, "unknown_unknown_2026_02_17_12_48_1771350496123.wav");
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/media-sdp/offer-default", test_offer_default);
  g_test_add_func ("/media-sdp/offer-filter", test_offer_filter);
  g_test_add_func ("/media-sdp/parse-dynamic", test_parse_dynamic);
  g_test_add_func ("/media-sdp/parse-directions", test_parse_directions);
  g_test_add_func ("/media-sdp/parse-rejects", test_parse_rejects);
  g_test_add_func ("/recording-name/clean-number", test_clean_number);
  g_test_add_func ("/recording-name/file-name", test_file_name);

  return g_test_run ();
}

/* test-media-peers.c — call audio between HelixPhone and baresip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An independent softphone catches what two HelixPhones would agree on by
 * mistake: RFC 4733 events either way, audio either way, the ring of an
 * inbound call, and a named output device that is not there.
 *
 * The phone (`helixphone --headless`, direct mode, user 1001) talks a
 * 1000 Hz tone and writes what it plays, and what it rings, as 8 kHz
 * S16LE to files; baresip (user 1002) talks 440 Hz and, with its sndfile
 * module, writes what it plays to a WAV.  Tones are told apart with the
 * Goertzel filter of helix-test-audio.c.
 */
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "helix-test-audio.h"
#include "helix-test-peers.h"
#include "helix-test-phone.h"

#define PHONE_TONE   1000.0
#define BARESIP_TONE 440.0   /* helix-test-baresip.c's aufile source */
#define RING_TONE    425.0   /* helix-ringtone.c: 1 s on, 3 s off */

#define RAW_SINK "audioconvert ! audioresample ! audio/x-raw,format=S16LE,channels=1,rate=8000 ! " \
                 "filesink buffer-mode=unbuffered location="

typedef struct {
  char             *dir;
  char             *heard_path;   /* what the phone played */
  char             *ring_path;    /* what the phone rang */
  guint16           port;
  HelixTestPhone   *phone;
  HelixTestBaresip *baresip;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("helix-media-peers-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->heard_path = g_build_filename (fixture->dir, "heard.raw", NULL);
  fixture->ring_path = g_build_filename (fixture->dir, "ring.raw", NULL);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  if (fixture->phone != NULL)
    g_assert_cmpint (helix_test_phone_quit (fixture->phone, 8000), ==, 0);
  g_clear_pointer (&fixture->phone, helix_test_phone_free);
  g_clear_pointer (&fixture->baresip, helix_test_baresip_free);
  g_unlink (fixture->heard_path);
  g_unlink (fixture->ring_path);
  g_rmdir (fixture->dir);
  g_free (fixture->heard_path);
  g_free (fixture->ring_path);
  g_free (fixture->dir);
}

/* The phone, with @extra_settings (JSON members) and @extra_env
 * ("NAME=VALUE", applied last, so they override the defaults here). */
static void
start_phone (Fixture            *fixture,
             const char         *extra_settings,
             const char * const *extra_env)
{
  g_autofree char *settings = NULL;
  g_autofree char *source = g_strdup_printf ("HELIXPHONE_AUDIO_SRC=audiotestsrc freq=%g volume=0.3 is-live=true",
                                             PHONE_TONE);
  g_autofree char *sink = g_strconcat ("HELIXPHONE_AUDIO_SINK=" RAW_SINK, fixture->heard_path, NULL);
  g_autofree char *ring = g_strconcat ("HELIXPHONE_RING_SINK=" RAW_SINK, fixture->ring_path, NULL);
  g_autoptr(GPtrArray) env = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  fixture->port = helix_test_free_udp_port ();
  settings = g_strdup_printf ("{ \"Sip\": { \"Username\": \"1001\", \"Port\": %u }%s%s }",
                              fixture->port, extra_settings != NULL ? ", " : "",
                              extra_settings != NULL ? extra_settings : "");

  g_ptr_array_add (env, source);
  g_ptr_array_add (env, sink);
  g_ptr_array_add (env, ring);
  /* The full offer, whatever the caller's environment says: baresip here
   * has G.711 only and must pick it out. */
  g_ptr_array_add (env, "HELIXPHONE_CODECS=");
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    g_ptr_array_add (env, (gpointer) extra_env[i]);
  g_ptr_array_add (env, NULL);

  fixture->phone = helix_test_phone_start_full (settings, TRUE, (const char * const *) env->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (helix_test_sip_ping (fixture->port, 10000));
}

static void
start_baresip (Fixture               *fixture,
               HelixTestBaresipFlags  flags)
{
  g_autoptr(GError) error = NULL;

  fixture->baresip = helix_test_baresip_start_full ("1002", NULL, 0, flags, &error);
  g_assert_no_error (error);
}

static void
wait_log (Fixture    *fixture,
          const char *needle,
          guint       count,
          guint       timeout_ms)
{
  if (!helix_test_phone_wait_log (fixture->phone, needle, count, timeout_ms))
    g_error ("“%s” ×%u not in the phone's log:\n%s", needle, count, helix_test_phone_stderr (fixture->phone));
}

static void
wait_event (Fixture    *fixture,
            const char *type)
{
  g_autofree char *event = helix_test_baresip_wait_event (fixture->baresip, type, 10000);

  if (event == NULL)
    {
      g_autofree char *log = helix_test_baresip_log (fixture->baresip);

      g_error ("baresip reported no %s; its log:\n%s\nthe phone's:\n%s",
               type, log, helix_test_phone_stderr (fixture->phone));
    }
}

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

/* Lets @ms of audio pass, the main context running. */
static void
spin (guint ms)
{
  helix_test_wait_until (never, NULL, ms);
}

/* The phone calls baresip, which answers by itself. */
static void
call_baresip (Fixture *fixture)
{
  g_autofree char *uri = helix_test_baresip_uri (fixture->baresip);
  g_autofree char *target = helix_test_action_string (uri);

  helix_test_phone_action (fixture->phone, "dial", target);
  wait_event (fixture, "CALL_ESTABLISHED");
  wait_log (fixture, "Call audio: ", 1, 10000);
}

/* The phone hangs up; baresip closes its call (and its recording). */
static void
hang_up (Fixture *fixture)
{
  helix_test_phone_action (fixture->phone, "hangup", NULL);
  wait_event (fixture, "CALL_CLOSED");
}

/* Over the next @ms the phone plays baresip's tone in ≥ 90 % of 50 ms
 * blocks, in real time, and never its own (no echo, no crossed wires). */
static void
assert_phone_hears_baresip (Fixture *fixture,
                            guint    ms)
{
  gsize from = helix_test_file_size (fixture->heard_path);
  g_autoptr(GBytes) heard = NULL;
  HelixTestTones tones;

  spin (ms);
  heard = helix_test_read_file (fixture->heard_path);
  tones = helix_test_count_tones (g_bytes_get_data (heard, NULL), from, g_bytes_get_size (heard),
                                  BARESIP_TONE, PHONE_TONE);
  g_test_message ("the phone heard baresip's tone in %u/%u blocks, its own in %u",
                  tones.with_a, tones.blocks, tones.with_b);
  g_assert_cmpuint (tones.blocks, >=, ms / 50 - 2);
  g_assert_cmpuint (tones.with_a * 10, >=, tones.blocks * 9);
  g_assert_cmpuint (tones.with_b, ==, 0);
}

/* What baresip played in the call that just closed carries the phone's
 * tone in ≥ 90 % of its blocks, over at least @min_ms, and never its own. */
static void
assert_baresip_heard_phone (Fixture *fixture,
                            guint    min_ms)
{
  g_autofree char *path = helix_test_baresip_played_path (fixture->baresip);
  g_autoptr(GBytes) played = NULL;
  gsize offset, size;
  HelixTestTones tones;

  g_assert_nonnull (path);
  played = helix_test_read_file (path);
  helix_test_wav_samples (played, &offset, &size);
  tones = helix_test_count_tones (g_bytes_get_data (played, NULL), offset, offset + size,
                                  PHONE_TONE, BARESIP_TONE);
  g_test_message ("baresip played the phone's tone in %u/%u blocks, its own in %u",
                  tones.with_a, tones.blocks, tones.with_b);
  g_assert_cmpuint (tones.blocks, >=, min_ms / 50);
  g_assert_cmpuint (tones.with_a * 10, >=, tones.blocks * 9);
  g_assert_cmpuint (tones.with_b, ==, 0);
}

/* The keys of baresip's CALL_DTMF_START events, in order, @count of them. */
static char *
baresip_digits (Fixture *fixture,
                guint    count)
{
  GString *digits = g_string_new (NULL);

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *event = helix_test_baresip_wait_event (fixture->baresip, "CALL_DTMF_START", 10000);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;

      if (event == NULL)
        break;
      g_assert_true (json_parser_load_from_data (parser, event, -1, NULL));
      object = json_node_get_object (json_parser_get_root (parser));
      g_string_append (digits, json_object_get_string_member_with_default (object, "param", "?"));
    }

  return g_string_free (digits, FALSE);
}

/* Digits in "DTMF d received from 1002" lines of the phone's log, in order. */
static char *
phone_digits (Fixture *fixture)
{
  GString *digits = g_string_new (NULL);
  const char *log = helix_test_phone_stderr (fixture->phone);

  for (const char *p = strstr (log, "DTMF "); p != NULL; p = strstr (p + 1, "DTMF "))
    if (g_str_has_prefix (p + 6, " received from 1002"))
      g_string_append_c (digits, p[5]);

  return g_string_free (digits, FALSE);
}

/* ---- cases ---------------------------------------------------------------- */

static void
test_outbound (Fixture *fixture, gconstpointer data)
{
  g_autofree char *to_baresip = NULL;
  g_autofree char *to_phone = NULL;
  g_autofree char *trace = NULL;
  g_autoptr(GError) error = NULL;
  const char *phone_log;

  start_baresip (fixture, HELIX_TEST_BARESIP_AUTO_ANSWER | HELIX_TEST_BARESIP_RECORD |
                          HELIX_TEST_BARESIP_SIP_TRACE);
  start_phone (fixture, NULL, NULL);
  call_baresip (fixture);

  /* baresip answered PCMU with telephone-event, and the phone took both. */
  phone_log = helix_test_phone_stderr (fixture->phone);
  if (!g_regex_match_simple ("Call audio: PCMU/8000 \\(payload type 0\\) with 127\\.0\\.0\\.1 port \\d+, RFC 4733 tones",
                             phone_log, 0, 0))
    g_error ("PCMU with RFC 4733 not negotiated:\n%s", phone_log);

  spin (500);
  assert_phone_hears_baresip (fixture, 1500);

  /* Phone → baresip: each digit exactly once, in order, in the RTP stream. */
  helix_test_phone_action (fixture->phone, "dtmf", "'159#'");
  to_baresip = baresip_digits (fixture, 4);
  g_assert_cmpstr (to_baresip, ==, "159#");
  g_assert_cmpuint (helix_test_phone_log_count (fixture->phone, "Sending tones 159# as RFC 4733 events"), ==, 1);

  /* baresip → phone, as RFC 4733 events too (baresip's sndcode). */
  g_free (helix_test_baresip_command (fixture->baresip, "sndcode", "4*70", &error));
  g_assert_no_error (error);
  wait_log (fixture, " received from 1002", 4, 10000);
  spin (300);  /* a fifth digit would show up by now */
  to_phone = phone_digits (fixture);
  g_assert_cmpstr (to_phone, ==, "4*70");
  g_assert_cmpuint (helix_test_baresip_event_count (fixture->baresip, "CALL_DTMF_START"), ==, 4);

  hang_up (fixture);
  assert_baresip_heard_phone (fixture, 2000);

  /* Both offer and answer carried telephone-event, and no digit went as
   * SIP INFO either way. */
  trace = helix_test_baresip_log (fixture->baresip);
  {
    g_auto(GStrv) parts = g_strsplit (trace, "telephone-event/8000", -1);

    g_assert_cmpuint (g_strv_length (parts) - 1, >=, 2);
  }
  if (strstr (trace, "INFO sip:") != NULL || strstr (trace, "CSeq: 2 INFO") != NULL)
    g_error ("A SIP INFO went between the phones:\n%s", trace);
  g_assert_null (strstr (helix_test_phone_stderr (fixture->phone), "as SIP INFO"));
}

static void
test_ring (Fixture *fixture, gconstpointer data)
{
  g_autofree char *phone_uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ring = NULL;
  HelixTestTones tones;
  gsize rang;

  start_baresip (fixture, 0);
  start_phone (fixture, NULL, NULL);
  phone_uri = g_strdup_printf ("sip:1001@127.0.0.1:%u", fixture->port);

  /* Rings while it rings: the first second is the 425 Hz burst, then the
   * cadence's silence, in real time. */
  g_free (helix_test_baresip_command (fixture->baresip, "dial", phone_uri, &error));
  g_assert_no_error (error);
  wait_log (fixture, "Incoming call from 1002", 1, 10000);
  wait_event (fixture, "CALL_RINGING");
  spin (1800);
  ring = helix_test_read_file (fixture->ring_path);
  tones = helix_test_count_tones (g_bytes_get_data (ring, NULL), 0, g_bytes_get_size (ring), RING_TONE, 0);
  g_test_message ("ringing: %u blocks, %u with the ring tone", tones.blocks, tones.with_a);
  g_assert_cmpuint (tones.blocks, >=, 28);
  g_assert_cmpuint (tones.with_a, >=, 14);
  g_assert_cmpuint (tones.with_a, <=, 23);
  tones = helix_test_count_tones (g_bytes_get_data (ring, NULL), g_bytes_get_size (ring) - 8000,
                                  g_bytes_get_size (ring), RING_TONE, 0);
  g_assert_cmpuint (tones.blocks, ==, 10);
  g_assert_cmpuint (tones.with_a, ==, 0);  /* the last 0.5 s: the cadence's pause */

  /* Answered: the ring stops at once and the call's audio plays instead. */
  helix_test_phone_action (fixture->phone, "answer", NULL);
  wait_event (fixture, "CALL_ESTABLISHED");
  wait_log (fixture, "Call audio: ", 1, 10000);
  rang = helix_test_file_size (fixture->ring_path);
  assert_phone_hears_baresip (fixture, 1000);
  g_assert_cmpuint (helix_test_file_size (fixture->ring_path), ==, rang);
  helix_test_phone_action (fixture->phone, "hangup", NULL);
  wait_event (fixture, "CALL_CLOSED");

  /* Cancelled while ringing: the ring stops too. */
  g_assert_cmpint (g_unlink (fixture->ring_path), ==, 0);
  g_free (helix_test_baresip_command (fixture->baresip, "dial", phone_uri, &error));
  g_assert_no_error (error);
  wait_log (fixture, "Incoming call from 1002", 2, 10000);
  wait_event (fixture, "CALL_RINGING");
  spin (600);
  g_clear_pointer (&ring, g_bytes_unref);
  ring = helix_test_read_file (fixture->ring_path);
  tones = helix_test_count_tones (g_bytes_get_data (ring, NULL), 0, g_bytes_get_size (ring), RING_TONE, 0);
  g_test_message ("ringing again: %u blocks, %u with the ring tone", tones.blocks, tones.with_a);
  g_assert_cmpuint (tones.with_a, >=, 6);
  g_free (helix_test_baresip_command (fixture->baresip, "hangup", NULL, &error));
  g_assert_no_error (error);
  wait_log (fixture, "Call with 1002 ended: The caller hung up", 1, 10000);
  rang = helix_test_file_size (fixture->ring_path);
  spin (1000);
  g_assert_cmpuint (helix_test_file_size (fixture->ring_path), ==, rang);
}

/* A named output device that is not there: the documented warning, then
 * the default device (here GStreamer's fakeaudiosink, ranked first so
 * that autoaudiosink picks it without a sound card), and the call goes
 * on with audio. */
static void
test_missing_output_device (Fixture *fixture, gconstpointer data)
{
  const char *env[] = {
    "HELIXPHONE_AUDIO_SINK=",
    "GST_PLUGIN_FEATURE_RANK=fakeaudiosink:MAX",
    NULL
  };

  start_baresip (fixture, HELIX_TEST_BARESIP_AUTO_ANSWER | HELIX_TEST_BARESIP_RECORD);
  start_phone (fixture, "\"Audio\": { \"OutputDevice\": \"No Such Speaker\" }", env);
  call_baresip (fixture);
  wait_log (fixture, "Audio device “No Such Speaker” is not present; using the system default", 1, 1000);

  spin (1500);
  g_assert_cmpuint (helix_test_phone_log_count (fixture->phone, "Call with 1002 ended"), ==, 0);
  g_assert_false (g_file_test (fixture->heard_path, G_FILE_TEST_EXISTS));
  hang_up (fixture);
  assert_baresip_heard_phone (fixture, 1000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/media-peers/baresip/dtmf-and-audio", test_outbound);
  ADD ("/media-peers/baresip/ring", test_ring);
  ADD ("/media-peers/baresip/missing-output-device", test_missing_output_device);

  return g_test_run ();
}

/* test-media.c — call audio between two real HelixPhones, recording included
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two `helixphone --headless` processes in direct mode on loopback, each
 * with HELIXPHONE_AUDIO_SRC a tone of its own (A: 440 Hz, B: 1000 Hz) and
 * HELIXPHONE_AUDIO_SINK writing what it plays, as 8 kHz S16LE, to a file.
 * A Goertzel filter over 50 ms blocks (helix-test-audio.c) says which tone
 * each block carries.
 */
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "helix-test-audio.h"
#include "helix-test-peers.h"
#include "helix-test-phone.h"
#include "helix-test-receiver.h"

#define TONE_A      440.0
#define TONE_B      1000.0

typedef struct {
  HelixTestPhone *phone;
  char           *sink_path;
  guint16         port;
} Side;

typedef struct {
  Side  a;
  Side  b;
  char *dir;
  char *recordings;
} Fixture;

/* ---- tone detection ------------------------------------------------------ */

/* Blocks carrying A's and B's tone. */
static HelixTestTones
count_tones (const guint8 *data,
             gsize         from,
             gsize         to)
{
  return helix_test_count_tones (data, from, to, TONE_A, TONE_B);
}

/* Tones in what @side played since byte @from. */
static HelixTestTones
tones_since (Side  *side,
             gsize  from)
{
  g_autoptr(GBytes) bytes = helix_test_read_file (side->sink_path);

  return count_tones (g_bytes_get_data (bytes, NULL), from, g_bytes_get_size (bytes));
}

/* ---- phones --------------------------------------------------------------- */

/* The launcher copies the environment when the phone starts: these
 * settings are for this phone only, the test's own come back after. */
static HelixTestPhone *
start_phone (const char  *settings,
             const char  *source,
             const char  *sink,
             const char  *codecs,
             GError     **error)
{
  const char *names[] = { "HELIXPHONE_AUDIO_SRC", "HELIXPHONE_AUDIO_SINK", "HELIXPHONE_CODECS" };
  const char *values[] = { source, sink, codecs };
  char *saved[G_N_ELEMENTS (names)];
  HelixTestPhone *phone;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      saved[i] = g_strdup (g_getenv (names[i]));
      if (values[i] != NULL)
        g_setenv (names[i], values[i], TRUE);
      else
        g_unsetenv (names[i]);
    }

  phone = helix_test_phone_start (settings, TRUE, error);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (saved[i] != NULL)
        g_setenv (names[i], saved[i], TRUE);
      else
        g_unsetenv (names[i]);
      g_free (saved[i]);
    }

  return phone;
}

static void
start_side (Fixture    *fixture,
            Side       *side,
            const char *name,
            const char *user,
            double      freq,
            const char *codecs,
            const char *extra_settings)
{
  g_autofree char *settings = NULL;
  g_autofree char *source = NULL;
  g_autofree char *sink = NULL;
  g_autoptr(GError) error = NULL;

  side->port = helix_test_free_udp_port ();
  side->sink_path = g_build_filename (fixture->dir, name, NULL);
  source = g_strdup_printf ("audiotestsrc freq=%g volume=0.3 is-live=true", freq);
  sink = g_strdup_printf ("audioconvert ! audioresample ! audio/x-raw,format=S16LE,channels=1,rate=8000 ! "
                          "filesink buffer-mode=unbuffered location=%s", side->sink_path);
  settings = g_strdup_printf ("{ \"Sip\": { \"Username\": \"%s\", \"Port\": %u }%s%s }",
                              user, side->port, extra_settings != NULL ? ", " : "",
                              extra_settings != NULL ? extra_settings : "");

  side->phone = start_phone (settings, source, sink, codecs, &error);
  g_assert_no_error (error);
  g_assert_true (helix_test_sip_ping (side->port, 10000));
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("helix-media-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->recordings = g_build_filename (fixture->dir, "recordings", NULL);
}

static void
stop_side (Side *side)
{
  if (side->phone != NULL)
    g_assert_cmpint (helix_test_phone_quit (side->phone, 8000), ==, 0);
  g_clear_pointer (&side->phone, helix_test_phone_free);
  if (side->sink_path != NULL)
    g_unlink (side->sink_path);
  g_clear_pointer (&side->sink_path, g_free);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  stop_side (&fixture->a);
  stop_side (&fixture->b);
  remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->recordings);
}

/* Waits for the @count-th occurrence of @needle in @side's log. */
static void
wait_log (Side       *side,
          const char *needle,
          guint       count,
          guint       timeout_ms)
{
  if (!helix_test_phone_wait_log (side->phone, needle, count, timeout_ms))
    g_error ("“%s” ×%u not in the phone's log:\n%s", needle, count, helix_test_phone_stderr (side->phone));
}

/* A calls B, B answers by itself; returns once both play audio. */
static void
call_b (Fixture *fixture)
{
  g_autofree char *uri = g_strdup_printf ("sip:1002@127.0.0.1:%u", fixture->b.port);
  g_autofree char *target = helix_test_action_string (uri);

  helix_test_phone_action (fixture->a.phone, "dial", target);
  wait_log (&fixture->b, "Call audio: ", 1, 10000);
  wait_log (&fixture->a, "Call audio: ", 1, 10000);
}

static void
spin (guint ms)
{
  helix_test_spin (ms);
}

/* Over @ms from now, what each side played carries the other's tone in at
 * least 90 % of the blocks and its own never (no echo, no crossed wires). */
static void
assert_two_way (Fixture *fixture,
                guint    ms)
{
  gsize from_a = helix_test_file_size (fixture->a.sink_path);
  gsize from_b = helix_test_file_size (fixture->b.sink_path);
  HelixTestTones heard_by_a, heard_by_b;

  spin (ms);
  heard_by_a = tones_since (&fixture->a, from_a);
  heard_by_b = tones_since (&fixture->b, from_b);
  g_test_message ("A heard %u/%u blocks of B's tone; B heard %u/%u of A's",
                  heard_by_a.with_b, heard_by_a.blocks, heard_by_b.with_a, heard_by_b.blocks);

  /* 8000 samples/s arrive in real time (±1 block of 50 ms). */
  g_assert_cmpuint (heard_by_a.blocks, >=, ms / 50 - 2);
  g_assert_cmpuint (heard_by_b.blocks, >=, ms / 50 - 2);
  g_assert_cmpuint (heard_by_a.with_b * 10, >=, heard_by_a.blocks * 9);
  g_assert_cmpuint (heard_by_b.with_a * 10, >=, heard_by_b.blocks * 9);
  g_assert_cmpuint (heard_by_a.with_a, ==, 0);
  g_assert_cmpuint (heard_by_b.with_b, ==, 0);
}

/* Over @ms from now neither side plays the other's tone at all. */
static void
assert_silent (Fixture *fixture,
               guint    ms)
{
  gsize from_a = helix_test_file_size (fixture->a.sink_path);
  gsize from_b = helix_test_file_size (fixture->b.sink_path);
  HelixTestTones heard_by_a, heard_by_b;

  spin (ms);
  heard_by_a = tones_since (&fixture->a, from_a);
  heard_by_b = tones_since (&fixture->b, from_b);
  g_test_message ("A heard %u/%u blocks of B's tone; B heard %u/%u of A's",
                  heard_by_a.with_b, heard_by_a.blocks, heard_by_b.with_a, heard_by_b.blocks);
  g_assert_cmpuint (heard_by_a.with_b, ==, 0);
  g_assert_cmpuint (heard_by_b.with_a, ==, 0);
}

static void
hang_up (Fixture *fixture)
{
  helix_test_phone_action (fixture->a.phone, "hangup", NULL);
  wait_log (&fixture->b, "ended: The other party hung up", 1, 10000);
}

/* ---- cases ---------------------------------------------------------------- */

static gboolean
codec_available (const char *encoder,
                 const char *decoder)
{
  g_autoptr(GstElementFactory) enc = gst_element_factory_find (encoder);
  g_autoptr(GstElementFactory) dec = gst_element_factory_find (decoder);

  return enc != NULL && dec != NULL;
}

static void
test_two_way (Fixture *fixture, gconstpointer data)
{
  const char *codec = data;
  g_autofree char *negotiated = NULL;

  if (g_str_equal (codec, "opus") && !codec_available ("opusenc", "opusdec"))
    {
      g_test_skip ("GStreamer's Opus elements are not installed");
      return;
    }
  /* install-deps always installs G.722 (gstreamer1.0-libav): a missing
   * element is a broken set-up, not a reason to skip. */
  if (g_str_equal (codec, "G722") && !codec_available ("avenc_g722", "avdec_g722"))
    g_error ("avenc_g722/avdec_g722 are missing: install gstreamer1.0-libav (build-aux/install-deps)");

  /* Only A restricts its offer: B must pick A's codec from it. */
  start_side (fixture, &fixture->b, "b.raw", "1002", TONE_B, NULL, "\"General\": { \"AutoAnswer\": true }");
  start_side (fixture, &fixture->a, "a.raw", "1001", TONE_A, codec, NULL);
  call_b (fixture);

  negotiated = g_strdup_printf ("Call audio: %s/%s", codec, g_str_equal (codec, "opus") ? "48000" : "8000");
  g_assert_nonnull (strstr (helix_test_phone_stderr (fixture->a.phone), negotiated));
  g_assert_nonnull (strstr (helix_test_phone_stderr (fixture->b.phone), negotiated));

  spin (500);
  assert_two_way (fixture, 1500);
  hang_up (fixture);
}

static void
test_hold_mute (Fixture *fixture, gconstpointer data)
{
  start_side (fixture, &fixture->b, "b.raw", "1002", TONE_B, NULL, "\"General\": { \"AutoAnswer\": true }");
  start_side (fixture, &fixture->a, "a.raw", "1001", TONE_A, NULL, NULL);
  call_b (fixture);
  spin (500);
  assert_two_way (fixture, 1000);

  /* Held: nothing either way, the call stays up. */
  helix_test_phone_action (fixture->a.phone, "hold", NULL);
  wait_log (&fixture->a, "Call audio on hold", 1, 5000);
  spin (300);
  assert_silent (fixture, 1000);

  helix_test_phone_action (fixture->a.phone, "resume", NULL);
  wait_log (&fixture->a, "Call audio resumed", 1, 5000);
  spin (300);
  assert_two_way (fixture, 1000);

  /* Mute silences A's microphone only. */
  helix_test_phone_action (fixture->a.phone, "mute", NULL);
  wait_log (&fixture->a, "Microphone muted", 1, 5000);
  spin (300);
  {
    gsize from_a = helix_test_file_size (fixture->a.sink_path);
    gsize from_b = helix_test_file_size (fixture->b.sink_path);
    HelixTestTones heard_by_a, heard_by_b;

    spin (1000);
    heard_by_a = tones_since (&fixture->a, from_a);
    heard_by_b = tones_since (&fixture->b, from_b);
    g_assert_cmpuint (heard_by_b.with_a, ==, 0);
    g_assert_cmpuint (heard_by_a.with_b * 10, >=, heard_by_a.blocks * 9);
    g_assert_cmpuint (heard_by_a.blocks, >=, 18);
  }
  helix_test_phone_action (fixture->a.phone, "mute", NULL);
  wait_log (&fixture->a, "Microphone on", 1, 5000);
  spin (300);
  assert_two_way (fixture, 1000);
  hang_up (fixture);
}

static char *
received_digits (Side *side)
{
  GString *digits = g_string_new (NULL);
  const char *log = helix_test_phone_stderr (side->phone);

  for (const char *p = strstr (log, "DTMF "); p != NULL; p = strstr (p + 1, "DTMF "))
    if (g_str_has_prefix (p + 6, " received from 1001"))
      g_string_append_c (digits, p[5]);

  return g_string_free (digits, FALSE);
}

static void
test_dtmf (Fixture *fixture, gconstpointer data)
{
  g_autofree char *digits = NULL;

  start_side (fixture, &fixture->b, "b.raw", "1002", TONE_B, NULL, "\"General\": { \"AutoAnswer\": true }");
  start_side (fixture, &fixture->a, "a.raw", "1001", TONE_A, NULL, NULL);
  call_b (fixture);

  helix_test_phone_action (fixture->a.phone, "dtmf", "'159#*0D'");
  wait_log (&fixture->b, " received from 1001", 7, 10000);
  digits = received_digits (&fixture->b);
  g_assert_cmpstr (digits, ==, "159#*0D");

  /* In the media stream, not as SIP INFO. */
  g_assert_nonnull (strstr (helix_test_phone_stderr (fixture->a.phone), "as RFC 4733 events"));
  hang_up (fixture);
}

static char *
only_file_in (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_assert_null (found);
      found = g_strdup (name);
    }

  return found;
}

static gboolean
wav_ready (gpointer user_data)
{
  g_autofree char *name = NULL;
  g_autoptr(GDir) listing = g_dir_open (user_data, 0, NULL);

  while (listing != NULL && (name = g_strdup (g_dir_read_name (listing))) != NULL)
    if (g_str_has_suffix (name, ".wav"))
      return TRUE;
    else
      g_clear_pointer (&name, g_free);

  return FALSE;
}

static void
test_recording (Fixture *fixture, gconstpointer data)
{
  g_autofree char *extra = g_strdup_printf ("\"General\": { \"AutoAnswer\": true },"
                                            " \"Recording\": { \"Enabled\": true, \"Folder\": \"%s\" }",
                                            fixture->recordings);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) wav = NULL;
  g_autoptr(GRegex) pattern = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GDateTime) answered = NULL;
  g_autofree char *epoch = NULL;
  gint64 hangup_ms, epoch_ms;
  guint32 data_size;
  double seconds;
  HelixTestTones tones;

  /* A's user name is hostile: it reaches B as the caller's number. */
  start_side (fixture, &fixture->b, "b.raw", "1002", TONE_B, NULL, extra);
  start_side (fixture, &fixture->a, "a.raw", "../../x", TONE_A, NULL, NULL);
  call_b (fixture);
  wait_log (&fixture->b, "Recording to ", 1, 5000);

  /* Talk, hold a while (recorded as silence), talk again. */
  spin (1500);
  helix_test_phone_action (fixture->a.phone, "hold", NULL);
  wait_log (&fixture->a, "Call audio on hold", 1, 5000);
  spin (1000);
  helix_test_phone_action (fixture->a.phone, "resume", NULL);
  wait_log (&fixture->a, "Call audio resumed", 1, 5000);
  spin (1000);
  hangup_ms = g_get_real_time () / 1000;
  hang_up (fixture);
  g_assert_true (helix_test_wait_until (wav_ready, fixture->recordings, 5000));

  /* Exactly one file, finished, inside the folder; nothing left beside. */
  name = only_file_in (fixture->recordings);
  pattern = g_regex_new ("^1002_(------x)_(\\d{4})_(\\d{2})_(\\d{2})_(\\d{2})_(\\d{2})_(\\d{13})\\.wav$", 0, 0, NULL);
  g_assert_true (g_regex_match (pattern, name, 0, &match));
  epoch = g_match_info_fetch (match, 7);
  epoch_ms = g_ascii_strtoll (epoch, NULL, 10);
  answered = g_date_time_new_from_unix_local (epoch_ms / 1000);
  {
    g_autofree char *stamp = g_date_time_format (answered, "%Y_%m_%d_%H_%M");
    g_autofree char *expected = g_strdup_printf ("1002_------x_%s_%s.wav", stamp, epoch);

    g_assert_cmpstr (name, ==, expected);
  }
  {
    g_autoptr(GDir) listing = g_dir_open (fixture->dir, 0, NULL);
    const char *entry;

    while ((entry = g_dir_read_name (listing)) != NULL)
      g_assert_true (g_str_equal (entry, "recordings") || g_str_equal (entry, "a.raw") ||
                     g_str_equal (entry, "b.raw"));
  }

  /* 16-bit mono 8 kHz PCM, as long as the call (answer to hang-up). */
  path = g_build_filename (fixture->recordings, name, NULL);
  wav = helix_test_read_file (path);
  data_size = helix_test_assert_wav_header (g_bytes_get_data (wav, NULL), g_bytes_get_size (wav));
  seconds = (hangup_ms - epoch_ms) / 1000.0;
  g_test_message ("call %.3f s, recording %.3f s", seconds, data_size / 16000.0);
  g_assert_cmpfloat (fabs (data_size / 16000.0 - seconds), <=, 0.5);

  /* Both parties in it, and the hold as silence. */
  tones = count_tones (g_bytes_get_data (wav, NULL), 44 + 8000, 44 + 16000 + 8000);
  g_test_message ("first second: %u blocks, %u with A, %u with B", tones.blocks, tones.with_a, tones.with_b);
  g_assert_cmpuint (tones.with_a, >=, tones.blocks * 9 / 10);
  g_assert_cmpuint (tones.with_b, >=, tones.blocks * 9 / 10);
  tones = count_tones (g_bytes_get_data (wav, NULL), 44, 44 + data_size);
  g_test_message ("whole file: %u blocks, %u with A, %u with B", tones.blocks, tones.with_a, tones.with_b);
  g_assert_cmpuint (tones.blocks - tones.with_a, >=, 14);  /* ≥ 0.7 s of the 1 s hold */
  g_assert_cmpuint (tones.blocks - tones.with_b, >=, 14);
}

static void
test_device_failure (Fixture *fixture, gconstpointer data)
{
  start_side (fixture, &fixture->b, "b.raw", "1002", TONE_B, NULL, "\"General\": { \"AutoAnswer\": true }");
  /* A's microphone cannot open (as when it is unplugged): the call must
   * end, with that reason, instead of staying up without audio. */
  {
    g_autofree char *settings = NULL;
    g_autoptr(GError) error = NULL;

    fixture->a.port = helix_test_free_udp_port ();
    settings = g_strdup_printf ("{ \"Sip\": { \"Username\": \"1001\", \"Port\": %u } }", fixture->a.port);
    fixture->a.phone = start_phone (settings, "filesrc location=/nonexistent/helix-microphone ! rawaudioparse",
                                    "fakesink", NULL, &error);
    g_assert_no_error (error);
    g_assert_true (helix_test_sip_ping (fixture->a.port, 10000));
  }

  {
    g_autofree char *uri = g_strdup_printf ("sip:1002@127.0.0.1:%u", fixture->b.port);
    g_autofree char *target = helix_test_action_string (uri);

    helix_test_phone_action (fixture->a.phone, "dial", target);
  }
  wait_log (&fixture->a, "Call with 1002 ended: ", 1, 10000);
  if (!g_regex_match_simple ("Call with 1002 ended: (Call audio cannot start|Microphone failed): .+",
                             helix_test_phone_stderr (fixture->a.phone), 0, 0))
    g_error ("No reason in the phone's log:\n%s", helix_test_phone_stderr (fixture->a.phone));
  wait_log (&fixture->b, "ended: The other party hung up", 1, 10000);
  g_assert_true (helix_test_phone_is_running (fixture->a.phone));
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("/media/two-way/pcmu", "PCMU", test_two_way);
  ADD ("/media/two-way/pcma", "PCMA", test_two_way);
  ADD ("/media/two-way/g722", "G722", test_two_way);
  ADD ("/media/two-way/opus", "opus", test_two_way);
  ADD ("/media/hold-resume-mute", NULL, test_hold_mute);
  ADD ("/media/dtmf-rfc4733", NULL, test_dtmf);
  ADD ("/media/recording", NULL, test_recording);
  ADD ("/media/device-failure", NULL, test_device_failure);

  return g_test_run ();
}

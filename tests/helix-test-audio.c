/* helix-test-audio.c — tone detection and WAV files for the audio tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Goertzel filter over 50 ms blocks says which tone each block carries:
 * it needs no FFT and is exact for the few frequencies a test plays.
 */
#include "helix-test-audio.h"

#include <math.h>
#include <string.h>

double
helix_test_goertzel (const gint16 *samples,
                     gsize         n,
                     double        freq)
{
  double coefficient = 2.0 * cos (2.0 * G_PI * freq / HELIX_TEST_AUDIO_RATE);
  double s1 = 0, s2 = 0;

  for (gsize i = 0; i < n; i++)
    {
      double s0 = samples[i] + coefficient * s1 - s2;

      s2 = s1;
      s1 = s0;
    }

  return 2.0 * sqrt (MAX (0.0, s1 * s1 + s2 * s2 - coefficient * s1 * s2)) / n;
}

HelixTestTones
helix_test_count_tones (const guint8 *data,
                        gsize         from,
                        gsize         to,
                        double        freq_a,
                        double        freq_b)
{
  HelixTestTones count = { 0 };

  /* Samples are 16-bit: a block must not start in the middle of one. */
  from = (from + 1) & ~(gsize) 1;
  for (gsize offset = from; offset + HELIX_TEST_AUDIO_BLOCK_BYTES <= to; offset += HELIX_TEST_AUDIO_BLOCK_BYTES)
    {
      gint16 samples[HELIX_TEST_AUDIO_BLOCK];

      /* A copy, as a WAV's data need not be 2-byte aligned in memory. */
      memcpy (samples, data + offset, sizeof samples);
      count.blocks++;
      if (helix_test_goertzel (samples, HELIX_TEST_AUDIO_BLOCK, freq_a) > 1000)
        count.with_a++;
      if (freq_b > 0 && helix_test_goertzel (samples, HELIX_TEST_AUDIO_BLOCK, freq_b) > 1000)
        count.with_b++;
    }

  return count;
}

GBytes *
helix_test_read_file (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_bytes_new (NULL, 0);

  return g_bytes_new_take (contents, length);
}

gsize
helix_test_file_size (const char *path)
{
  g_autoptr(GBytes) bytes = helix_test_read_file (path);

  return g_bytes_get_size (bytes);
}

static guint16
le16 (const guint8 *p)
{
  return p[0] | p[1] << 8;
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

/* The fmt chunk's body: PCM, mono, 8000 Hz, 16 000 bytes/s, 16 bits. */
static void
assert_fmt_8k_mono (const guint8 *fmt)
{
  g_assert_cmpuint (le16 (fmt + 0), ==, 1);       /* PCM */
  g_assert_cmpuint (le16 (fmt + 2), ==, 1);       /* mono */
  g_assert_cmpuint (le32 (fmt + 4), ==, 8000);    /* Hz */
  g_assert_cmpuint (le32 (fmt + 8), ==, 16000);   /* bytes/s */
  g_assert_cmpuint (le16 (fmt + 12), ==, 2);      /* block */
  g_assert_cmpuint (le16 (fmt + 14), ==, 16);     /* bits */
}

guint32
helix_test_assert_wav_header (const guint8 *data,
                              gsize         size)
{
  guint32 data_size;

  g_assert_cmpuint (size, >=, 44);
  g_assert_cmpmem (data, 4, "RIFF", 4);
  g_assert_cmpmem (data + 8, 8, "WAVEfmt ", 8);
  assert_fmt_8k_mono (data + 20);
  g_assert_cmpmem (data + 36, 4, "data", 4);
  data_size = le32 (data + 40);
  g_assert_cmpuint (le32 (data + 4), ==, data_size + 36);
  g_assert_cmpuint (data_size, ==, size - 44);

  return data_size;
}

void
helix_test_wav_samples (GBytes *wav,
                        gsize  *offset,
                        gsize  *size)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (wav, &length);
  gboolean fmt_seen = FALSE;
  gsize at = 12;

  g_assert_cmpuint (length, >=, 12);
  g_assert_cmpmem (data, 4, "RIFF", 4);
  g_assert_cmpmem (data + 8, 4, "WAVE", 4);
  while (at + 8 <= length)
    {
      guint32 chunk = le32 (data + at + 4);

      if (memcmp (data + at, "fmt ", 4) == 0)
        {
          g_assert_cmpuint (at + 8 + 16, <=, length);
          assert_fmt_8k_mono (data + at + 8);
          fmt_seen = TRUE;
        }
      else if (memcmp (data + at, "data", 4) == 0)
        {
          g_assert_true (fmt_seen);
          *offset = at + 8;
          *size = chunk == 0 || chunk > length - *offset ? length - *offset : chunk;
          return;
        }
      /* Chunks are padded to an even size. */
      at += 8 + chunk + (chunk & 1);
    }

  g_error ("No data chunk in a WAV file of %zu bytes", length);
}

/* helix-test-audio.h — what the audio tests hear: tone detection and WAV
 * files, on 8 kHz mono S16LE (what every test sink writes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HELIX_TEST_AUDIO_RATE        8000
#define HELIX_TEST_AUDIO_BLOCK       400                          /* 50 ms */
#define HELIX_TEST_AUDIO_BLOCK_BYTES (HELIX_TEST_AUDIO_BLOCK * 2)

/* Amplitude of @freq in @n samples at 8 kHz (a full-scale sine gives 32767). */
double    helix_test_goertzel          (const gint16 *samples,
                                        gsize         n,
                                        double        freq);

typedef struct {
  guint blocks;
  guint with_a;
  guint with_b;
} HelixTestTones;

/* Over the 50 ms blocks of @data[@from..@to), how many carry @freq_a and
 * @freq_b (amplitude > 1000, i.e. -30 dBFS; the test tones play at about
 * -10 dBFS).  @freq_b may be 0 for one tone only. */
HelixTestTones helix_test_count_tones  (const guint8 *data,
                                        gsize         from,
                                        gsize         to,
                                        double        freq_a,
                                        double        freq_b);

/* The file's bytes; empty when it does not exist (yet). */
GBytes   *helix_test_read_file         (const char   *path);
gsize     helix_test_file_size         (const char   *path);

/* Asserts a WAV header exactly as wavenc writes it for 16-bit PCM, mono,
 * 8000 Hz (RIFF, fmt, data, sizes matching the file) and returns the size
 * of its data. */
guint32   helix_test_assert_wav_header (const guint8 *data,
                                        gsize         size);

/* Where the samples of any RIFF/WAVE file start and how many bytes follow,
 * walking its chunks (other writers than wavenc add some).  A data size
 * still 0 or too big, as while the writer has not closed the file, is
 * read as "up to the end".  Asserts the file is 16-bit mono 8000 Hz. */
void      helix_test_wav_samples       (GBytes       *wav,
                                        gsize        *offset,
                                        gsize        *size);

G_END_DECLS

/* helix-recording-name.c — the file name of a call recording
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Numbers come from SIP headers the caller writes himself, so they are
 * reduced to characters that can neither name a directory ('/', '\\',
 * "..") nor confuse a shell or an upload receiver.
 */
#define G_LOG_DOMAIN "helix-media"

#include "helix-recording-name.h"

static gboolean
is_safe (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '*' || c == '#' || c == '-';
}

char *
helix_recording_clean_number (const char *number)
{
  GString *clean = g_string_new (NULL);

  /* Byte-wise on purpose: each byte of a multi-byte UTF-8 character is
   * outside the set and becomes one '-'. */
  for (const char *p = number != NULL ? number : ""; *p != '\0' && clean->len < HELIX_RECORDING_NUMBER_MAX; p++)
    g_string_append_c (clean, is_safe (*p) ? *p : '-');

  if (clean->len == 0)
    g_string_append (clean, "unknown");

  return g_string_free (clean, FALSE);
}

char *
helix_recording_file_name (const char *to,
                           const char *from,
                           GDateTime  *answer_time)
{
  g_autofree char *clean_to = helix_recording_clean_number (to);
  g_autofree char *clean_from = helix_recording_clean_number (from);
  gint64 epoch_ms;

  g_return_val_if_fail (answer_time != NULL, NULL);

  epoch_ms = g_date_time_to_unix (answer_time) * 1000 + g_date_time_get_microsecond (answer_time) / 1000;

  return g_strdup_printf ("%s_%s_%04d_%02d_%02d_%02d_%02d_%" G_GINT64_FORMAT ".wav",
                          clean_to, clean_from,
                          g_date_time_get_year (answer_time),
                          g_date_time_get_month (answer_time),
                          g_date_time_get_day_of_month (answer_time),
                          g_date_time_get_hour (answer_time),
                          g_date_time_get_minute (answer_time),
                          epoch_ms);
}

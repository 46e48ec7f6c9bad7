/* helix-ui-text.c — text the window shows: untrusted strings, durations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Names, numbers and reason phrases come from whoever is on the other end
 * of a call.  The SIP layer already bounds and cleans them; the window
 * still treats them as plain text (never markup) and cuts them to what a
 * label can show, so one hostile INVITE cannot stretch or garble the UI.
 */
#define G_LOG_DOMAIN "helix-window"

#include "helix-config.h"
#include "helix-ui-text.h"

#include <glib/gi18n.h>

char *
helix_ui_clean_text (const char *text,
                     guint       max_chars)
{
  g_autofree char *valid = NULL;
  GString *out;
  guint n = 0;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Line breaks, tabs, bidi overrides and other invisible controls
       * would let a caller make a label lie about who is calling. */
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT ||
          g_unichar_type (c) == G_UNICODE_LINE_SEPARATOR ||
          g_unichar_type (c) == G_UNICODE_PARAGRAPH_SEPARATOR)
        c = ' ';

      if (n == max_chars)
        {
          g_string_append (out, "…");
          break;
        }

      g_string_append_unichar (out, c);
      n++;
    }

  return g_strstrip (g_string_free (out, FALSE));
}

char *
helix_ui_format_duration (guint seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", seconds / 3600, (seconds / 60) % 60, seconds % 60);

  return g_strdup_printf ("%u:%02u", seconds / 60, seconds % 60);
}

/* The SIP layer's reasons are fixed English phrases, except a far end's
 * own reason phrase, which is shown cleaned but as it came. */
const char *
helix_ui_describe_end (const char *reason)
{
  static const struct {
    const char *sip;
    const char *text;
  } reasons[] = {
    { "Hung up",                 N_("Call ended") },
    { "Call ended",              N_("Call ended") },
    { "The other party hung up", N_("The other party hung up") },
    { "The caller hung up",      N_("The caller hung up") },
    { "Declined",                N_("Declined") },
    { "Cancelled",               N_("Cancelled") },
    { "Busy",                    N_("Busy") },
    { "No answer",               N_("No answer") },
    { "Not available",           N_("Not available") },
    { "Number not found",        N_("Number not found") },
    { "No common audio codec",   N_("No common audio codec") },
    { "Service unavailable",     N_("Service unavailable") },
    { "Transferred",             N_("Transferred") },
    { "Call failed",             N_("Call failed") },
  };

  if (reason == NULL || *reason == '\0')
    return _("Call ended");

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (g_str_equal (reasons[i].sip, reason))
      return _(reasons[i].text);

  return reason;
}

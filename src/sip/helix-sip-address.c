/* helix-sip-address.c — dial targets in, caller identities out, both untrusted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whatever a caller puts in From or P-Asserted-Identity ends up in webhooks,
 * file names, URLs and the UI, so it is cleaned here once: valid UTF-8, no
 * control characters, bounded length.  Users paste numbers in every shape
 * ("+1 (416) 998-7587", "tel:+14169987587"), so those are normalised too.
 */
#define G_LOG_DOMAIN "helix-sip"

#include "helix-sip-address.h"

#include <gio/gio.h>
#include <string.h>

/* Keeps the characters a dial string may hold; drops the visual separators
 * people paste along with numbers. */
char *
helix_sip_normalize_number (const char *input)
{
  GString *out;

  g_return_val_if_fail (input != NULL, NULL);

  out = g_string_new (NULL);
  for (const char *p = input; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p) || *p == '*' || *p == '#' || (*p == '+' && out->len == 0))
        g_string_append_c (out, *p);
      else if (*p == ' ' || *p == '-' || *p == '(' || *p == ')' || *p == '.' || *p == '/')
        continue;
      else
        {
          g_string_free (out, TRUE);
          return NULL;
        }
    }

  if (out->len == 0 || (out->len == 1 && out->str[0] == '+'))
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_user_part_safe (const char *user)
{
  for (const char *p = user; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_.!~*'()&=+$,;?/%", *p) == NULL)
      return FALSE;

  return *user != '\0';
}

static char *
host_port (const char *server,
           guint       port)
{
  gboolean ipv6 = strchr (server, ':') != NULL && server[0] != '[';

  if (port == 0 || port == 5060)
    return ipv6 ? g_strdup_printf ("[%s]", server) : g_strdup (server);

  return ipv6 ? g_strdup_printf ("[%s]:%u", server, port) : g_strdup_printf ("%s:%u", server, port);
}

/* A number, tel: URI or sip:/sips: URI → the Request-URI to INVITE. */
char *
helix_sip_target_uri (const char  *target,
                      const char  *server,
                      guint        port,
                      const char  *transport,
                      GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *number = NULL;
  g_autofree char *hostport = NULL;
  const char *suffix;

  g_return_val_if_fail (target != NULL, NULL);

  trimmed = g_strstrip (g_strdup (target));

  if (g_ascii_strncasecmp (trimmed, "sip:", 4) == 0 || g_ascii_strncasecmp (trimmed, "sips:", 5) == 0)
    {
      const char *rest = strchr (trimmed, ':') + 1;
      const char *at = strchr (rest, '@');

      /* A bare host is fine ("sip:host"); what we refuse is anything that
       * could smuggle header parameters or spaces into the request line. */
      if (*rest == '\0' || strpbrk (trimmed, " \t\r\n<>\"") != NULL ||
          (at != NULL && at == rest))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "“%s” is not a valid SIP address", target);
          return NULL;
        }
      return g_steal_pointer (&trimmed);
    }

  if (g_ascii_strncasecmp (trimmed, "tel:", 4) == 0)
    {
      char *semicolon = strchr (trimmed + 4, ';');

      if (semicolon != NULL)
        *semicolon = '\0';
      number = helix_sip_normalize_number (trimmed + 4);
    }
  else if (strchr (trimmed, '@') != NULL)
    {
      g_autofree char *uri = g_strconcat ("sip:", trimmed, NULL);

      return helix_sip_target_uri (uri, server, port, transport, error);
    }
  else
    number = helix_sip_normalize_number (trimmed);

  if (number == NULL)
    {
      if (is_user_part_safe (trimmed) && g_ascii_isalpha (trimmed[0]))
        number = g_strdup (trimmed);  /* a user name such as "alice" */
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "“%s” is not a phone number or SIP address", target);
          return NULL;
        }
    }

  if (server == NULL || *server == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   "Cannot call “%s” without a SIP server; in direct mode dial a full "
                   "address such as sip:%s@192.0.2.10:5060", target, number);
      return NULL;
    }

  hostport = host_port (server, port);
  suffix = g_ascii_strcasecmp (transport, "TCP") == 0 ? ";transport=tcp" : "";
  if (g_ascii_strcasecmp (transport, "TLS") == 0)
    return g_strdup_printf ("sips:%s@%s", number, hostport);

  return g_strdup_printf ("sip:%s@%s%s", number, hostport, suffix);
}

static char *
clean_text (const char *raw,
            gsize       max_chars,
            gboolean    number)
{
  g_autofree char *valid = NULL;
  GString *out;
  gsize chars = 0;

  if (raw == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (raw, -1);
  out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0' && chars < max_chars; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029 ||
          g_unichar_type (c) == G_UNICODE_FORMAT)
        c = ' ';
      if (number && c == ' ')
        continue;
      g_string_append_unichar (out, c);
      chars++;
    }

  return g_strstrip (g_string_free (out, FALSE));
}

/* The user part of a caller's URI, kept as sent but made harmless. */
char *
helix_sip_clean_number (const char *raw)
{
  g_autofree char *unescaped = raw != NULL ? g_uri_unescape_string (raw, NULL) : NULL;

  return clean_text (unescaped != NULL ? unescaped : raw, HELIX_MAX_NUMBER_LENGTH, TRUE);
}

char *
helix_sip_clean_name (const char *raw)
{
  g_autofree char *unquoted = NULL;

  if (raw != NULL && raw[0] == '"')
    {
      gsize len = strlen (raw);

      unquoted = g_strndup (raw + 1, len >= 2 && raw[len - 1] == '"' ? len - 2 : len - 1);
      /* Display names escape quotes and backslashes with a backslash. */
      {
        char *w = unquoted;

        for (const char *r = unquoted; *r != '\0'; r++)
          {
            if (*r == '\\' && r[1] != '\0')
              r++;
            *w++ = *r;
          }
        *w = '\0';
      }
    }

  return clean_text (unquoted != NULL ? unquoted : raw, HELIX_MAX_NAME_LENGTH, FALSE);
}

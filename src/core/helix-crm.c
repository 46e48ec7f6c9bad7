/* helix-crm.c — the CRM screen-pop: Crm.LookupUrl with the caller's number
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The caller's number comes from the network, so it is treated as hostile:
 * it is percent-encoded as a URI component (only unreserved characters
 * survive), and the finished URL is parsed again and compared, part by
 * part, with the template.  Encoding alone already keeps every URI
 * delimiter out; the comparison makes that a checked property rather than
 * an assumption, should the encoding ever change.
 */
#define G_LOG_DOMAIN "helix-crm"

#include "helix-config.h"
#include "helix-crm.h"

#include <string.h>

/* Stands in for {phone} while the template's shape is parsed: unreserved
 * characters only, so it parses wherever the number may go. */
#define SLOT_TOKEN "HelixPhoneSlot7f3a"

G_DEFINE_QUARK (helix-crm-error-quark, helix_crm_error)

char *
helix_crm_encode_number (const char *number)
{
  g_return_val_if_fail (number != NULL, NULL);

  /* No reserved characters allowed through, and UTF-8 escaped too: a
   * number is a value inside a component, never a piece of syntax. */
  return g_uri_escape_string (number, NULL, FALSE);
}

static char *
replace_all (const char *text,
             const char *from,
             const char *to)
{
  GString *out;

  if (text == NULL)
    return NULL;

  out = g_string_new (text);
  g_string_replace (out, from, to, 0);

  return g_string_free (out, FALSE);
}

static gboolean
contains (const char *text,
          const char *needle)
{
  return text != NULL && strstr (text, needle) != NULL;
}

/* Parses the template with the slot filled by SLOT_TOKEN; what comes back
 * is the shape every finished URL must have. */
static GUri *
parse_template (const char  *template,
                GError     **error)
{
  g_autofree char *probe = NULL;
  g_autoptr(GUri) shape = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;
  const char *host;

  if (contains (template, SLOT_TOKEN))
    {
      g_set_error (error, HELIX_CRM_ERROR, HELIX_CRM_ERROR_INVALID_TEMPLATE,
                   "Crm.LookupUrl must not contain “%s”", SLOT_TOKEN);
      return NULL;
    }

  probe = replace_all (template, HELIX_CRM_PLACEHOLDER, SLOT_TOKEN);
  shape = g_uri_parse (probe, G_URI_FLAGS_ENCODED, &local_error);
  /* GUri lets spaces through; a browser would guess what they mean */
  if (shape == NULL || strpbrk (probe, " \t\r\n\v\f") != NULL)
    {
      g_set_error (error, HELIX_CRM_ERROR, HELIX_CRM_ERROR_INVALID_TEMPLATE,
                   "Crm.LookupUrl “%s” is not a valid URL%s%s", template,
                   local_error != NULL ? ": " : " (it has spaces)",
                   local_error != NULL ? local_error->message : "");
      return NULL;
    }

  scheme = g_uri_get_scheme (shape);
  host = g_uri_get_host (shape);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || host == NULL || *host == '\0')
    {
      g_set_error (error, HELIX_CRM_ERROR, HELIX_CRM_ERROR_INVALID_TEMPLATE,
                   "Crm.LookupUrl “%s” is not an http:// or https:// URL", template);
      return NULL;
    }

  /* The number must never choose where the request goes */
  if (contains (host, SLOT_TOKEN) || contains (g_uri_get_userinfo (shape), SLOT_TOKEN))
    {
      g_set_error (error, HELIX_CRM_ERROR, HELIX_CRM_ERROR_INVALID_TEMPLATE,
                   "In Crm.LookupUrl, %s may only appear in the path, query or fragment",
                   HELIX_CRM_PLACEHOLDER);
      return NULL;
    }

  return g_steal_pointer (&shape);
}

static gboolean
same_part (const char *shape_part,
           const char *encoded,
           const char *actual_part)
{
  g_autofree char *expected = replace_all (shape_part, SLOT_TOKEN, encoded);

  return g_strcmp0 (expected, actual_part) == 0;
}

char *
helix_crm_build_url (const char  *template,
                     const char  *number,
                     GError     **error)
{
  g_autoptr(GUri) shape = NULL;
  g_autoptr(GUri) actual = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *url = NULL;

  g_return_val_if_fail (template != NULL, NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  shape = parse_template (template, error);
  if (shape == NULL)
    return NULL;

  /* An anonymous caller would open a search for nothing */
  if (*number == '\0')
    {
      g_set_error_literal (error, HELIX_CRM_ERROR, HELIX_CRM_ERROR_NO_NUMBER,
                           "The caller's number is unknown");
      return NULL;
    }

  encoded = helix_crm_encode_number (number);
  url = replace_all (template, HELIX_CRM_PLACEHOLDER, encoded);
  actual = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  if (actual == NULL
      || g_strcmp0 (g_uri_get_scheme (actual), g_uri_get_scheme (shape)) != 0
      || g_strcmp0 (g_uri_get_userinfo (actual), g_uri_get_userinfo (shape)) != 0
      || g_strcmp0 (g_uri_get_host (actual), g_uri_get_host (shape)) != 0
      || g_uri_get_port (actual) != g_uri_get_port (shape)
      || !same_part (g_uri_get_path (shape), encoded, g_uri_get_path (actual))
      || !same_part (g_uri_get_query (shape), encoded, g_uri_get_query (actual))
      || !same_part (g_uri_get_fragment (shape), encoded, g_uri_get_fragment (actual)))
    {
      g_set_error_literal (error, HELIX_CRM_ERROR, HELIX_CRM_ERROR_UNSAFE,
                           "The caller's number would change the CRM address outside its slot");
      return NULL;
    }

  return g_steal_pointer (&url);
}

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("Cannot open the CRM page: %s", error->message);
}

void
helix_crm_open (const char *template,
                const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (template != NULL);
  g_return_if_fail (number != NULL);

  url = helix_crm_build_url (template, number, &error);
  if (url == NULL)
    {
      g_warning ("Cannot open the CRM page: %s", error->message);
      return;
    }

  g_message ("Opening the CRM page %s", url);
  /* GIO picks the default handler, or the OpenURI portal in a sandbox;
   * the URL is one argument, never part of a command line to a shell. */
  g_app_info_launch_default_for_uri_async (url, NULL, NULL, on_launched, NULL);
}

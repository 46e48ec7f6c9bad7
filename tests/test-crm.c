/* test-crm.c — Crm.LookupUrl with the caller's number: encoding and the
 * guarantee that a hostile number stays inside its {phone} slot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "helix-crm.h"

#define SPEC_TEMPLATE "https://crm.company.com/search?phone={phone}"

static void
test_encode (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "+1 (416) 998-7587", "%2B1%20%28416%29%20998-7587" },
    { "4169987587", "4169987587" },
    /* RFC 3986 unreserved characters stay as they are */
    { "AZaz09-._~", "AZaz09-._~" },
    /* every gen-delim and sub-delim, and the escape character itself */
    { ":/?#[]@", "%3A%2F%3F%23%5B%5D%40" },
    { "!$&'()*+,;=", "%21%24%26%27%28%29%2A%2B%2C%3B%3D" },
    { "%", "%25" },
    { "\"<>\\^`{|} ", "%22%3C%3E%5C%5E%60%7B%7C%7D%20" },
    { "\r\n\t", "%0D%0A%09" },
    /* UTF-8 bytes are escaped too: no IRI surprises in the browser */
    { "Zoë", "Zo%C3%AB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *encoded = helix_crm_encode_number (cases[i].in);

      g_assert_cmpstr (encoded, ==, cases[i].out);
    }
}

static void
test_spec_example (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = helix_crm_build_url (SPEC_TEMPLATE, "+1 (416) 998-7587", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://crm.company.com/search?phone=%2B1%20%28416%29%20998-7587");
}

static void
test_every_slot (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = helix_crm_build_url ("http://agent@crm.example.com:8080/c/{phone}/view?q={phone}&x=1#n-{phone}",
                             "+44 20", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "http://agent@crm.example.com:8080/c/%2B44%2020/view?q=%2B44%2020&x=1#n-%2B44%2020");
  g_clear_pointer (&url, g_free);

  /* No slot: a fixed page, opened as configured */
  url = helix_crm_build_url ("https://crm.example.com/inbox", "123", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://crm.example.com/inbox");
  g_clear_pointer (&url, g_free);

  /* The scheme may be written in capitals */
  url = helix_crm_build_url ("HTTPS://crm.example.com/?p={phone}", "1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "HTTPS://crm.example.com/?p=1");
}

static char *
hostile_4k (void)
{
  GString *text = g_string_new (NULL);

  while (text->len < 4096)
    g_string_append (text, "../@evil.com:66/#?a=b&");
  return g_string_free (text, FALSE);
}

/* Parses @url and checks what may never change: scheme, user info, host,
 * port and path; the query must be exactly "phone=" + the encoded number,
 * which decodes back to @number; no fragment appears. */
static void
assert_inside_slot (const char *url,
                    const char *number)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *encoded = helix_crm_encode_number (number);
  g_autofree char *query = g_strconcat ("phone=", encoded, NULL);
  g_autofree char *decoded = NULL;

  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
  g_assert_null (g_uri_get_userinfo (uri));
  g_assert_cmpstr (g_uri_get_host (uri), ==, "crm.example.com");
  g_assert_cmpint (g_uri_get_port (uri), ==, -1);
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/search");
  g_assert_cmpstr (g_uri_get_query (uri), ==, query);
  g_assert_null (g_uri_get_fragment (uri));
  g_assert_null (strpbrk (url, " \r\n\t\"<>\\"));

  decoded = g_uri_unescape_string (g_uri_get_query (uri) + strlen ("phone="), NULL);
  g_assert_cmpstr (decoded, ==, number);
}

static void
test_hostile_numbers (void)
{
  g_autofree char *huge = hostile_4k ();
  const char *numbers[] = {
    "../../x", "@evil.com", "#", "#frag", "?a=b", "&admin=1", "javascript:alert(1)",
    "//evil.com/", "\\\\evil.com", "x\r\nLocation: https://evil.com", "%2F..%2F", "%00",
    "evil.com:443", "[::1]", "\xe2\x80\xae" "7587", huge,
  };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = helix_crm_build_url ("https://crm.example.com/search?phone={phone}",
                                                  numbers[i], &error);
      g_autofree char *encoded = helix_crm_encode_number (numbers[i]);
      g_autofree char *expected = g_strconcat ("https://crm.example.com/search?phone=", encoded, NULL);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, expected);
      assert_inside_slot (url, numbers[i]);
    }

  /* Spot checks of the exact text, independent of the encoder */
  {
    g_autofree char *url = helix_crm_build_url ("https://crm.example.com/search?phone={phone}",
                                                "../../x@evil.com#?a=b", NULL);
    g_assert_cmpstr (url, ==, "https://crm.example.com/search?phone=..%2F..%2Fx%40evil.com%23%3Fa%3Db");
  }
}

/* In a path slot a number made of dots would be a "." or ".." segment,
 * which browsers resolve, so it would climb out of the slot: refused. */
static void
test_dot_segments_refused (void)
{
  const char *template = "https://crm.example.com/contacts/{phone}/card";
  const char *numbers[] = { "..", ".", "../../x", "..." };
  const char *expected[] = { NULL, NULL, "https://crm.example.com/contacts/..%2F..%2Fx/card",
                             "https://crm.example.com/contacts/.../card" };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = helix_crm_build_url (template, numbers[i], &error);

      g_assert_cmpstr (url, ==, expected[i]);
      if (expected[i] == NULL)
        g_assert_error (error, HELIX_CRM_ERROR, HELIX_CRM_ERROR_UNSAFE);
      else
        g_assert_no_error (error);
    }
}

static void
test_bad_templates (void)
{
  const char *templates[] = {
    "", "crm.example.com/search?phone={phone}", "ftp://crm.example.com/{phone}",
    "javascript:alert({phone})", "file:///etc/{phone}", "https:///search?phone={phone}",
    "https://{phone}.example.com/", "https://{phone}@crm.example.com/",
    "https://crm.example.com/ search?phone={phone}", "https://crm.example.com/HelixPhoneSlot7f3a?{phone}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = helix_crm_build_url (templates[i], "123", &error);

      if (url != NULL)
        g_test_message ("accepted: %s", templates[i]);
      g_assert_null (url);
      g_assert_error (error, HELIX_CRM_ERROR, HELIX_CRM_ERROR_INVALID_TEMPLATE);
    }
}

static void
test_unknown_number (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = helix_crm_build_url (SPEC_TEMPLATE, "", &error);

  g_assert_null (url);
  g_assert_error (error, HELIX_CRM_ERROR, HELIX_CRM_ERROR_NO_NUMBER);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crm/encode", test_encode);
  g_test_add_func ("/crm/spec-example", test_spec_example);
  g_test_add_func ("/crm/every-slot", test_every_slot);
  g_test_add_func ("/crm/hostile-numbers", test_hostile_numbers);
  g_test_add_func ("/crm/dot-segments-refused", test_dot_segments_refused);
  g_test_add_func ("/crm/bad-templates", test_bad_templates);
  g_test_add_func ("/crm/unknown-number", test_unknown_number);

  return g_test_run ();
}

/* test-sip-address.c — dial targets and caller identities, hostile ones included
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "helix-sip-address.h"

static void
test_normalize_number (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "+1 (416) 998-7587", "+14169987587" },
    { "416.998.7587", "4169987587" },
    { "1001", "1001" },
    { "*72#", "*72#" },
    { "  0049 30 1234/56 ", "004930123456" },
    { "+", NULL },
    { "", NULL },
    { "12a4", NULL },
    { "1+2", NULL },
    { "12\n34", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = helix_sip_normalize_number (cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_target_uri (void)
{
  struct {
    const char *target, *server, *transport;
    guint port;
    const char *expected;
  } cases[] = {
    { "1002", "pbx.example.com", "UDP", 5060, "sip:1002@pbx.example.com" },
    { "+1 (416) 998-7587", "pbx.example.com", "UDP", 5080, "sip:+14169987587@pbx.example.com:5080" },
    { "tel:+1-416-998-7587", "10.0.0.1", "TCP", 5060, "sip:+14169987587@10.0.0.1;transport=tcp" },
    { "tel:+14169987587;phone-context=x", "pbx", "UDP", 5060, "sip:+14169987587@pbx" },
    { "1002", "pbx", "TLS", 5061, "sips:1002@pbx:5061" },
    { "1002", "::1", "UDP", 5070, "sip:1002@[::1]:5070" },
    { "sip:alice@192.0.2.1:5070", "", "UDP", 5060, "sip:alice@192.0.2.1:5070" },
    { "  sip:bob@example.org  ", "pbx", "UDP", 5060, "sip:bob@example.org" },
    { "alice@example.org", "", "UDP", 5060, "sip:alice@example.org" },
    { "alice", "pbx", "UDP", 5060, "sip:alice@pbx" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *got = helix_sip_target_uri (cases[i].target, cases[i].server, cases[i].port,
                                                   cases[i].transport, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static void
test_target_uri_rejected (void)
{
  const char *bad[] = {
    "sip:", "sip:@host", "sip:a b@host", "sip:x@host>\r\nVia: evil", "12a4",
    "../../etc", "javascript:alert(1)", "tel:", "<b>1</b>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *got = helix_sip_target_uri (bad[i], "pbx", 5060, "UDP", &error);

      g_assert_null (got);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *got = helix_sip_target_uri ("1002", "", 5060, "UDP", &error);

    /* Direct mode has no server to route a bare number to: say what works. */
    g_assert_null (got);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
    g_assert_nonnull (strstr (error->message, "sip:1002@"));
  }
}

static void
test_clean_identity (void)
{
  g_autofree char *long_input = g_strnfill (4096, 'A');
  g_autofree char *long_name = helix_sip_clean_name (long_input);
  g_autofree char *long_number = helix_sip_clean_number (long_input);
  struct { const char *raw; const char *name; } names[] = {
    { "\"John Doe\"", "John Doe" },
    { "\"Evil \\\"Quote\\\"\"", "Evil \"Quote\"" },
    { "\"line\r\nbreak\"", "line  break" },
    { "<b>bold</b>", "<b>bold</b>" },
    { "\"\xff\xfe bad utf8\"", "\xef\xbf\xbd\xef\xbf\xbd bad utf8" },
    { "\"zero\xe2\x80\x8bwidth\"", "zero width" },
    { NULL, "" },
  };
  struct { const char *raw; const char *number; } numbers[] = {
    { "4169987587", "4169987587" },
    { "%2B1%20416", "+1416" },
    { "..%2F..%2Fx", "../../x" },
    { "a%00b", "a%00b" },   /* an escaped NUL stays escaped, as text */
    { NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *got = helix_sip_clean_name (names[i].raw);
      g_assert_cmpstr (got, ==, names[i].name);
    }

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *got = helix_sip_clean_number (numbers[i].raw);
      g_assert_cmpstr (got, ==, numbers[i].number);
    }

  /* 4 KB of caller ID is cut to a size the UI and the webhook can carry. */
  g_assert_cmpuint (g_utf8_strlen (long_name, -1), ==, HELIX_MAX_NAME_LENGTH);
  g_assert_cmpuint (g_utf8_strlen (long_number, -1), ==, HELIX_MAX_NUMBER_LENGTH);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sip-address/normalize-number", test_normalize_number);
  g_test_add_func ("/sip-address/target-uri", test_target_uri);
  g_test_add_func ("/sip-address/target-uri-rejected", test_target_uri_rejected);
  g_test_add_func ("/sip-address/clean-identity", test_clean_identity);

  return g_test_run ();
}

/* test-status.c — status names, timestamps and the JSON payload format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "helix-status.h"

static void
test_timestamp_format (void)
{
  struct { gint64 us; const char *expected; } cases[] = {
    { G_GINT64_CONSTANT (1771350496000000), "2026-02-17T17:48:16.0000000Z" },
    { G_GINT64_CONSTANT (1772721060123456), "2026-03-05T14:31:00.1234560Z" },
    { G_GINT64_CONSTANT (0), "1970-01-01T00:00:00.0000000Z" },
    { G_GINT64_CONSTANT (1772721060000001), "2026-03-05T14:31:00.0000010Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = helix_format_timestamp (cases[i].us);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static void
test_status_names (void)
{
  const char *expected[] = { "offline", "available", "busy", "away", "lunch",
                             "do_not_disturb", "ringing", "on_call", "hold" };
  HelixUserStatus user;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (helix_status_to_string ((HelixStatus) i), ==, expected[i]);

  g_assert_true (helix_user_status_from_string ("lunch", &user));
  g_assert_cmpint (user, ==, HELIX_USER_STATUS_LUNCH);
  g_assert_false (helix_user_status_from_string ("on_call", &user));
  g_assert_false (helix_user_status_from_string ("Busy", &user));
  g_assert_false (helix_user_status_from_string (NULL, &user));
  g_assert_null (helix_call_direction_to_string (HELIX_CALL_DIRECTION_NONE));
  g_assert_cmpstr (helix_call_direction_to_string (HELIX_CALL_DIRECTION_OUTBOUND), ==, "outbound");
}

static void
test_event_json (void)
{
  g_autoptr(HelixStatusEvent) event = helix_status_event_new (HELIX_EVENT_KIND_STATUS_CHANGE,
                                                              HELIX_STATUS_AVAILABLE);
  g_autoptr(HelixStatusEvent) copy = NULL;
  g_autofree char *json = NULL;
  g_autofree char *heartbeat_json = NULL;

  event->timestamp_us = G_GINT64_CONSTANT (1771350496000000);
  event->duration = 125;
  g_free (event->remote_number);
  event->remote_number = g_strdup ("+1 \"416\"\n<b>");
  g_free (event->call_id);
  event->call_id = g_strdup ("a1b2c3d4-e5f6-7890-abcd-ef1234567890");

  /* Quotes and control characters from a caller ID stay inside the string. */
  json = helix_status_event_to_json (event);
  g_assert_cmpstr (json, ==,
                   "{\"event\":\"status_change\",\"status\":\"available\",\"direction\":null,"
                   "\"remote_number\":\"+1 \\\"416\\\"\\n<b>\",\"remote_name\":\"\","
                   "\"extension\":\"\",\"call_id\":\"a1b2c3d4-e5f6-7890-abcd-ef1234567890\","
                   "\"timestamp\":\"2026-02-17T17:48:16.0000000Z\",\"duration\":125}");

  copy = helix_status_event_copy (event);
  copy->kind = HELIX_EVENT_KIND_HEARTBEAT;
  copy->duration = 0;
  g_free (copy->extension);
  copy->extension = g_strdup ("1001");
  heartbeat_json = helix_status_event_to_json (copy);
  g_assert_cmpstr (heartbeat_json, ==,
                   "{\"event\":\"heartbeat\",\"status\":\"available\",\"extension\":\"1001\","
                   "\"timestamp\":\"2026-02-17T17:48:16.0000000Z\",\"duration\":0}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/status/timestamp-format", test_timestamp_format);
  g_test_add_func ("/status/names", test_status_names);
  g_test_add_func ("/status/event-json", test_event_json);

  return g_test_run ();
}

/* bench-webhook.c — status change (D-Bus) → webhook POST latency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs a running `helixphone --headless` whose Webhook.EndpointUrl is the
 * URL this program prints first (see webhook-latency).  It flips Do Not
 * Disturb N times through org.gtk.Actions.SetState, waiting for each POST,
 * and prints p50/p90/p99/max of the time from the D-Bus call to the
 * arrival of the matching request at the receiver.
 */
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>

#include "helix-test-receiver.h"

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autoptr(HelixTestReceiver) receiver = helix_test_receiver_new ();
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = helix_test_receiver_url (receiver, "/bench");
  g_autofree char *ready_file = NULL;
  guint n = argc > 2 ? (guint) atoi (argv[2]) : 1000;
  g_autoptr(GArray) latencies = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  guint base;

  if (argc < 2)
    {
      g_printerr ("usage: %s URL-FILE [COUNT]\n", argv[0]);
      return 2;
    }

  /* Hand the receiver URL to the script, which starts the phone with it. */
  ready_file = g_strdup (argv[1]);
  if (!g_file_set_contents (ready_file, url, -1, &error))
    g_error ("%s", error->message);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    g_error ("%s", error->message);

  /* The phone announces itself with "available" once it is up. */
  if (!helix_test_receiver_wait_for (receiver, 1, 20000))
    g_error ("HelixPhone did not send its first status");
  base = helix_test_receiver_count (receiver);

  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GVariant) reply = NULL;

      reply = g_dbus_connection_call_sync (bus, "com.helixphone.HelixPhone",
                                           "/com/helixphone/HelixPhone", "org.gtk.Actions",
                                           "SetState",
                                           g_variant_new ("(sva{sv})", "dnd",
                                                          g_variant_new_boolean (i % 2 == 0), NULL),
                                           NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
      if (reply == NULL)
        g_error ("%s", error->message);
      if (!helix_test_receiver_wait_for (receiver, base + i + 1, 5000))
        g_error ("POST %u did not arrive", i);

      {
        gint64 latency = helix_test_receiver_get (receiver, base + i)->arrived_us - start;
        g_array_append_val (latencies, latency);
      }
    }

  g_array_sort (latencies, compare_gint64);
  printf ("changes: %u\n", n);
  printf ("latency_us p50: %" G_GINT64_FORMAT "\n", g_array_index (latencies, gint64, n / 2));
  printf ("latency_us p90: %" G_GINT64_FORMAT "\n", g_array_index (latencies, gint64, n * 90 / 100));
  printf ("latency_us p99: %" G_GINT64_FORMAT "\n", g_array_index (latencies, gint64, n * 99 / 100));
  printf ("latency_us max: %" G_GINT64_FORMAT "\n", g_array_index (latencies, gint64, n - 1));

  return 0;
}

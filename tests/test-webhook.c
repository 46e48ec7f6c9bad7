/* test-webhook.c — HelixWebhook against a real SoupServer on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>

#include "helix-test-receiver.h"
#include "helix-webhook.h"

/* 2026-02-17T17:48:16Z, the spec's example instant. */
#define SPEC_INSTANT_US G_GINT64_CONSTANT (1771350496000000)

typedef struct {
  HelixTestReceiver *receiver;
  HelixWebhook      *webhook;
  guint              delivered;
  guint              failed;
  char              *failure;
  gint64             failed_at_us;
} Fixture;

static void
on_delivered (HelixWebhook *webhook, GBytes *payload, guint status, Fixture *fixture)
{
  fixture->delivered++;
}

static void
on_failed (HelixWebhook *webhook, GBytes *payload, const char *reason, Fixture *fixture)
{
  fixture->failed++;
  g_free (fixture->failure);
  fixture->failure = g_strdup (reason);
  fixture->failed_at_us = g_get_monotonic_time ();
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autofree char *url = NULL;

  fixture->receiver = helix_test_receiver_new ();
  fixture->webhook = helix_webhook_new ();
  url = helix_test_receiver_url (fixture->receiver, "/hook");
  g_object_set (fixture->webhook, "endpoint-url", url, NULL);
  g_signal_connect (fixture->webhook, "delivered", G_CALLBACK (on_delivered), fixture);
  g_signal_connect (fixture->webhook, "failed", G_CALLBACK (on_failed), fixture);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->webhook);
  g_clear_pointer (&fixture->receiver, helix_test_receiver_free);
  g_clear_pointer (&fixture->failure, g_free);
}

static HelixStatusEvent *
make_event (HelixStatus status, const char *number)
{
  HelixStatusEvent *event = helix_status_event_new (HELIX_EVENT_KIND_STATUS_CHANGE, status);

  event->timestamp_us = SPEC_INSTANT_US;
  g_free (event->extension);
  event->extension = g_strdup ("1001");
  if (number != NULL)
    {
      g_free (event->remote_number);
      event->remote_number = g_strdup (number);
    }

  return event;
}

static HelixTestRequest *
request_at (Fixture *fixture, guint i)
{
  return helix_test_receiver_get (fixture->receiver, i);
}

static void
wait_until (Fixture *fixture, guint *counter, guint value, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (*counter < value && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_assert_cmpuint (*counter, >=, value);
}

static void
test_payload_and_headers (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixStatusEvent) event = make_event (HELIX_STATUS_ON_CALL, "4169987587");
  HelixTestRequest *request;
  const char *expected =
    "{\"event\":\"status_change\",\"status\":\"on_call\",\"direction\":\"inbound\","
    "\"remote_number\":\"4169987587\",\"remote_name\":\"John Doe\",\"extension\":\"1001\","
    "\"call_id\":\"a1b2c3d4-e5f6-7890-abcd-ef1234567890\","
    "\"timestamp\":\"2026-02-17T17:48:16.0000000Z\",\"duration\":0}";

  event->direction = HELIX_CALL_DIRECTION_INBOUND;
  g_free (event->remote_name);
  event->remote_name = g_strdup ("John Doe");
  g_free (event->call_id);
  event->call_id = g_strdup ("a1b2c3d4-e5f6-7890-abcd-ef1234567890");

  g_object_set (fixture->webhook, "api-key", "s3cret-token", NULL);
  helix_webhook_enqueue (fixture->webhook, event);
  g_assert_true (helix_test_receiver_wait_for (fixture->receiver, 1, 5000));

  request = request_at (fixture, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/hook");
  g_assert_cmpstr (request->content_type, ==, "application/json");
  g_assert_cmpstr (request->authorization, ==, "Bearer s3cret-token");
  g_assert_cmpmem (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body),
                   expected, strlen (expected));
  wait_until (fixture, &fixture->delivered, 1, 2000);
  g_assert_cmpuint (fixture->failed, ==, 0);
}

static void
test_no_key_no_authorization (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixStatusEvent) event = make_event (HELIX_STATUS_AVAILABLE, NULL);
  const char *expected =
    "{\"event\":\"status_change\",\"status\":\"available\",\"direction\":null,"
    "\"remote_number\":\"\",\"remote_name\":\"\",\"extension\":\"1001\",\"call_id\":\"\","
    "\"timestamp\":\"2026-02-17T17:48:16.0000000Z\",\"duration\":0}";

  helix_webhook_enqueue (fixture->webhook, event);
  g_assert_true (helix_test_receiver_wait_for (fixture->receiver, 1, 5000));
  g_assert_null (request_at (fixture, 0)->authorization);
  g_assert_cmpmem (g_bytes_get_data (request_at (fixture, 0)->body, NULL),
                   g_bytes_get_size (request_at (fixture, 0)->body),
                   expected, strlen (expected));
}

static void
test_order_preserved (Fixture *fixture, gconstpointer data)
{
  const guint n = 300;

  /* Uneven answer times must not let a later event overtake an earlier one. */
  for (guint i = 0; i < n; i++)
    helix_test_receiver_push_response (fixture->receiver, 200, (i * 7) % 5);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *number = g_strdup_printf ("%u", i);
      g_autoptr(HelixStatusEvent) event = make_event (i % 2 ? HELIX_STATUS_DO_NOT_DISTURB
                                                            : HELIX_STATUS_AVAILABLE, number);
      helix_webhook_enqueue (fixture->webhook, event);
    }

  g_assert_true (helix_test_receiver_wait_for (fixture->receiver, n, 30000));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (request_at (fixture, i)->body, NULL),
                                                   NULL);
      g_autofree char *number = g_strdup_printf ("%u", i);

      g_assert_nonnull (node);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "remote_number"),
                       ==, number);
    }
}

static void
test_retry_after_500 (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixStatusEvent) event = make_event (HELIX_STATUS_BUSY, NULL);
  gint64 gap;

  helix_test_receiver_push_response (fixture->receiver, 500, 0);
  helix_test_receiver_push_response (fixture->receiver, 200, 0);
  helix_webhook_enqueue (fixture->webhook, event);

  g_assert_true (helix_test_receiver_wait_for (fixture->receiver, 2, 5000));
  wait_until (fixture, &fixture->delivered, 1, 2000);
  helix_test_spin (1500);

  /* Exactly two attempts, the second one second later, both identical. */
  g_assert_cmpuint (helix_test_receiver_count (fixture->receiver), ==, 2);
  gap = request_at (fixture, 1)->arrived_us - request_at (fixture, 0)->arrived_us;
  g_assert_cmpint (gap, >=, 900 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (gap, <=, 1500 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (g_bytes_equal (request_at (fixture, 0)->body, request_at (fixture, 1)->body));
  g_assert_cmpuint (fixture->failed, ==, 0);
}

static void
test_gives_up_after_two_attempts (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixStatusEvent) first = make_event (HELIX_STATUS_BUSY, NULL);
  g_autoptr(HelixStatusEvent) second = make_event (HELIX_STATUS_AWAY, NULL);
  g_autofree char *statuses = NULL;

  helix_test_receiver_push_response (fixture->receiver, 503, 0);
  helix_test_receiver_push_response (fixture->receiver, 503, 0);
  helix_webhook_enqueue (fixture->webhook, first);
  helix_webhook_enqueue (fixture->webhook, second);

  /* The failed event is given up on, and the next one still goes out. */
  g_assert_true (helix_test_receiver_wait_for (fixture->receiver, 3, 5000));
  wait_until (fixture, &fixture->delivered, 1, 2000);
  g_assert_cmpuint (fixture->failed, ==, 1);
  g_assert_nonnull (strstr (fixture->failure, "HTTP 503"));
  statuses = helix_test_receiver_statuses (fixture->receiver);
  g_assert_cmpstr (statuses, ==, "busy busy away");
}

static void
test_client_error_not_retried (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixStatusEvent) event = make_event (HELIX_STATUS_BUSY, NULL);

  helix_test_receiver_push_response (fixture->receiver, 401, 0);
  helix_webhook_enqueue (fixture->webhook, event);
  wait_until (fixture, &fixture->failed, 1, 3000);
  helix_test_spin (1500);

  g_assert_cmpuint (helix_test_receiver_count (fixture->receiver), ==, 1);
  g_assert_nonnull (strstr (fixture->failure, "HTTP 401"));
  g_assert_nonnull (strstr (fixture->failure, "Webhook.ApiKey"));
  g_assert_cmpstr (helix_webhook_get_last_error (fixture->webhook), ==, fixture->failure);
}

static void
test_connection_refused (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixStatusEvent) event = make_event (HELIX_STATUS_BUSY, NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/hook", helix_test_dead_port ());
  gint64 start = g_get_monotonic_time ();

  g_object_set (fixture->webhook, "endpoint-url", url, NULL);
  helix_webhook_enqueue (fixture->webhook, event);
  wait_until (fixture, &fixture->failed, 1, 5000);

  /* Two attempts one second apart, then given up: about a second in all. */
  g_assert_cmpint (fixture->failed_at_us - start, >=, 950 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (fixture->failed_at_us - start, <, 3000 * G_TIME_SPAN_MILLISECOND);
  g_assert_nonnull (strstr (fixture->failure, "could not reach http://127.0.0.1"));
  g_assert_cmpuint (helix_webhook_get_queue_length (fixture->webhook), ==, 0);
}

static void
test_timeout_then_retry (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixStatusEvent) event = make_event (HELIX_STATUS_LUNCH, NULL);
  gint64 gap;

  /* The first answer comes far too late: the 10 s cap cuts it off. */
  helix_test_receiver_push_response (fixture->receiver, 200, 14000);
  helix_test_receiver_push_response (fixture->receiver, 200, 0);
  helix_webhook_enqueue (fixture->webhook, event);

  g_assert_true (helix_test_receiver_wait_for (fixture->receiver, 2, 16000));
  gap = request_at (fixture, 1)->arrived_us - request_at (fixture, 0)->arrived_us;
  /* Measured between arrivals, so the first connection's set-up time
   * (tens of ms on a busy machine) shortens the gap a little. */
  g_assert_cmpint (gap, >=, 10500 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (gap, <=, 12000 * G_TIME_SPAN_MILLISECOND);
  wait_until (fixture, &fixture->delivered, 1, 2000);
  g_assert_cmpuint (fixture->failed, ==, 0);
}

static HelixStatusEvent *
build_heartbeat (gpointer user_data)
{
  HelixStatusEvent *event = helix_status_event_new (HELIX_EVENT_KIND_HEARTBEAT, HELIX_STATUS_AWAY);

  g_free (event->extension);
  event->extension = g_strdup ("1001");
  event->timestamp_us = SPEC_INSTANT_US;
  (*(guint *) user_data)++;

  return event;
}

static void
test_heartbeat_cadence (Fixture *fixture, gconstpointer data)
{
  guint built = 0;
  const char *expected =
    "{\"event\":\"heartbeat\",\"status\":\"away\",\"extension\":\"1001\","
    "\"timestamp\":\"2026-02-17T17:48:16.0000000Z\",\"duration\":0}";
  g_autofree char *defaults = NULL;
  guint interval;

  g_object_get (fixture->webhook, "heartbeat-interval", &interval, NULL);
  g_assert_cmpuint (interval, ==, 60);

  g_object_set (fixture->webhook, "heartbeat-interval", 1, NULL);
  helix_webhook_start_heartbeat (fixture->webhook, build_heartbeat, &built, NULL);
  g_assert_true (helix_test_receiver_wait_for (fixture->receiver, 3, 5000));
  helix_webhook_stop_heartbeat (fixture->webhook);
  helix_test_spin (1300);

  g_assert_cmpuint (built, ==, 3);
  g_assert_cmpuint (helix_test_receiver_count (fixture->receiver), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpmem (g_bytes_get_data (request_at (fixture, i)->body, NULL),
                     g_bytes_get_size (request_at (fixture, i)->body), expected, strlen (expected));
  for (guint i = 1; i < 3; i++)
    {
      gint64 gap = request_at (fixture, i)->arrived_us - request_at (fixture, i - 1)->arrived_us;

      g_assert_cmpint (gap, >=, 800 * G_TIME_SPAN_MILLISECOND);
      g_assert_cmpint (gap, <=, 1300 * G_TIME_SPAN_MILLISECOND);
    }
}

static void
test_shutdown_dead_endpoint_bounded (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixStatusEvent) event = make_event (HELIX_STATUS_OFFLINE, NULL);
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed;

  /* An endpoint that accepts the connection and never answers. */
  helix_test_receiver_push_response (fixture->receiver, 200, 20000);
  start = g_get_monotonic_time ();
  g_assert_false (helix_webhook_send_sync (fixture->webhook, event,
                                           HELIX_WEBHOOK_SHUTDOWN_TIMEOUT_MS, &error));
  elapsed = g_get_monotonic_time () - start;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (elapsed, >=, 2900 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (elapsed, <=, 3500 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (helix_test_receiver_count (fixture->receiver), ==, 1);
}

static void
test_shutdown_sends_and_drops_older (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixStatusEvent) busy = make_event (HELIX_STATUS_BUSY, NULL);
  g_autoptr(HelixStatusEvent) offline = make_event (HELIX_STATUS_OFFLINE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *statuses = NULL;

  g_object_set (fixture->webhook, "api-key", "k", NULL);
  helix_test_receiver_push_response (fixture->receiver, 500, 0);
  helix_webhook_enqueue (fixture->webhook, busy);
  g_assert_true (helix_test_receiver_wait_for (fixture->receiver, 1, 3000));

  /* The retry of "busy" is pending; it must not arrive after "offline". */
  g_assert_true (helix_webhook_send_sync (fixture->webhook, offline,
                                          HELIX_WEBHOOK_SHUTDOWN_TIMEOUT_MS, &error));
  g_assert_no_error (error);
  helix_test_spin (1500);

  statuses = helix_test_receiver_statuses (fixture->receiver);
  g_assert_cmpstr (statuses, ==, "busy offline");
  g_assert_cmpstr (request_at (fixture, 1)->authorization, ==, "Bearer k");
}

static void
test_no_endpoint_sends_nothing (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixStatusEvent) event = make_event (HELIX_STATUS_BUSY, NULL);
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->webhook, "endpoint-url", "", NULL);
  helix_webhook_enqueue (fixture->webhook, event);
  g_assert_cmpuint (helix_webhook_get_queue_length (fixture->webhook), ==, 0);
  g_assert_true (helix_webhook_send_sync (fixture->webhook, event, 3000, &error));
  g_assert_no_error (error);
  helix_test_spin (300);
  g_assert_cmpuint (helix_test_receiver_count (fixture->receiver), ==, 0);
  g_assert_null (helix_webhook_get_last_error (fixture->webhook));
}

static void
test_bad_url_rejected (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixStatusEvent) event = make_event (HELIX_STATUS_BUSY, NULL);
  const char *bad[] = { "ftp://127.0.0.1/hook", "not a url", "http://", "file:///etc/passwd" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (helix_webhook_check_url (bad[i], &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
  g_assert_true (helix_webhook_check_url ("https://crm.example.com/hook?x=1", NULL));

  g_test_expect_message ("helix-webhook", G_LOG_LEVEL_WARNING, "*not an http:// or https:// URL*");
  g_object_set (fixture->webhook, "endpoint-url", "ftp://127.0.0.1/hook", NULL);
  helix_webhook_enqueue (fixture->webhook, event);
  helix_webhook_enqueue (fixture->webhook, event);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (helix_webhook_get_queue_length (fixture->webhook), ==, 0);
  g_assert_nonnull (strstr (helix_webhook_get_last_error (fixture->webhook), "Webhook.EndpointUrl"));
}

static void
test_queue_is_bounded (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixStatusEvent) event = make_event (HELIX_STATUS_BUSY, NULL);

  /* The first request hangs; thousands of changes meanwhile stay bounded. */
  helix_test_receiver_push_response (fixture->receiver, 200, 3000);
  helix_webhook_enqueue (fixture->webhook, event);
  g_assert_true (helix_test_receiver_wait_for (fixture->receiver, 1, 3000));

  g_test_expect_message ("helix-webhook", G_LOG_LEVEL_WARNING, "*not keeping up*");
  for (guint i = 0; i < 5000; i++)
    helix_webhook_enqueue (fixture->webhook, event);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (helix_webhook_get_queue_length (fixture->webhook), ==,
                    HELIX_WEBHOOK_MAX_QUEUED + 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Delivery failures are logged as warnings on purpose; they are asserted
   * through the "failed" signal here, so they must not abort the run. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/webhook/payload-and-headers", test_payload_and_headers);
  ADD ("/webhook/no-key-no-authorization", test_no_key_no_authorization);
  ADD ("/webhook/order-preserved", test_order_preserved);
  ADD ("/webhook/retry-after-500", test_retry_after_500);
  ADD ("/webhook/gives-up-after-two-attempts", test_gives_up_after_two_attempts);
  ADD ("/webhook/client-error-not-retried", test_client_error_not_retried);
  ADD ("/webhook/connection-refused", test_connection_refused);
  ADD ("/webhook/timeout-then-retry", test_timeout_then_retry);
  ADD ("/webhook/heartbeat-cadence", test_heartbeat_cadence);
  ADD ("/webhook/shutdown-dead-endpoint-bounded", test_shutdown_dead_endpoint_bounded);
  ADD ("/webhook/shutdown-sends-and-drops-older", test_shutdown_sends_and_drops_older);
  ADD ("/webhook/no-endpoint-sends-nothing", test_no_endpoint_sends_nothing);
  ADD ("/webhook/bad-url-rejected", test_bad_url_rejected);
  ADD ("/webhook/queue-is-bounded", test_queue_is_bounded);

  return g_test_run ();
}

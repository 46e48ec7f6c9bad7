/* helix-test-receiver.c — a real SoupServer on loopback that records requests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helix-test-receiver"

#include "helix-test-receiver.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

typedef struct {
  guint status;
  guint delay_ms;
} Response;

/* The server runs on a thread of its own so that it keeps answering while
 * the code under test blocks its main loop (the synchronous shutdown
 * webhook does exactly that, by design). */
struct _HelixTestReceiver {
  GMutex        lock;        /* guards requests and responses */
  GCond         cond;
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  SoupServer   *server;
  guint16       port;
  GPtrArray    *requests;
  GQueue        responses;
  GList        *delayed;     /* Delayed*: answers still held back; server thread only */
};

static void
request_free (HelixTestRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->content_type);
  g_free (request->authorization);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

typedef struct {
  HelixTestReceiver *receiver;
  SoupServerMessage *msg;
  guint              status;
  guint              timeout_id;
} Delayed;

static void
delayed_free (Delayed *delayed)
{
  if (delayed->timeout_id != 0)
    g_source_destroy (g_main_context_find_source_by_id (delayed->receiver->context,
                                                        delayed->timeout_id));
  delayed->timeout_id = 0;
  g_signal_handlers_disconnect_by_data (delayed->msg, delayed);
  g_object_unref (delayed->msg);
  delayed->receiver->delayed = g_list_remove (delayed->receiver->delayed, delayed);
  g_free (delayed);
}

static gboolean
on_delay_over (gpointer user_data)
{
  Delayed *delayed = user_data;

  delayed->timeout_id = 0;
  soup_server_message_set_status (delayed->msg, delayed->status, NULL);
  soup_server_message_unpause (delayed->msg);
  delayed_free (delayed);

  return G_SOURCE_REMOVE;
}

/* The client gave up (timeout, shutdown): nothing left to answer. */
static void
on_delayed_disconnected (SoupServerMessage *msg,
                         Delayed           *delayed)
{
  delayed_free (delayed);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  HelixTestReceiver *receiver = user_data;
  HelixTestRequest *request = g_new0 (HelixTestRequest, 1);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree Response *response = NULL;
  guint status;

  g_mutex_lock (&receiver->lock);
  response = g_queue_pop_head (&receiver->responses);
  g_mutex_unlock (&receiver->lock);
  status = response != NULL ? response->status : 200;

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  {
    g_autoptr(GBytes) flat = soup_message_body_flatten (body);
    gsize len = g_bytes_get_size (flat);
    char *copy = g_malloc (len + 1);

    /* Kept NUL-terminated so tests can parse the body as a string. */
    memcpy (copy, g_bytes_get_data (flat, NULL), len);
    copy[len] = '\0';
    request->body = g_bytes_new_take (copy, len);
  }
  request->arrived_us = g_get_monotonic_time ();
  g_mutex_lock (&receiver->lock);
  g_ptr_array_add (receiver->requests, request);
  g_cond_broadcast (&receiver->cond);
  g_mutex_unlock (&receiver->lock);

  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);

  if (response != NULL && response->delay_ms > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->receiver = receiver;
      delayed->msg = g_object_ref (msg);
      delayed->status = status;
      soup_server_message_pause (msg);
      {
        g_autoptr(GSource) source = g_timeout_source_new (response->delay_ms);

        g_source_set_callback (source, on_delay_over, delayed, NULL);
        delayed->timeout_id = g_source_attach (source, receiver->context);
      }
      g_signal_connect (msg, "disconnected", G_CALLBACK (on_delayed_disconnected), delayed);
      receiver->delayed = g_list_prepend (receiver->delayed, delayed);
      return;
    }

  soup_server_message_set_status (msg, status, NULL);
}

static gpointer
server_thread (gpointer user_data)
{
  HelixTestReceiver *receiver = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;

  g_main_context_push_thread_default (receiver->context);

  receiver->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (receiver->server, NULL, on_request, receiver, NULL);
  if (!soup_server_listen_local (receiver->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("Cannot listen on loopback: %s", error->message);

  uris = soup_server_get_uris (receiver->server);
  g_assert_nonnull (uris);
  g_mutex_lock (&receiver->lock);
  receiver->port = g_uri_get_port (uris->data);
  g_cond_broadcast (&receiver->cond);
  g_mutex_unlock (&receiver->lock);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  g_main_loop_run (receiver->loop);

  while (receiver->delayed != NULL)
    delayed_free (receiver->delayed->data);
  soup_server_disconnect (receiver->server);
  g_clear_object (&receiver->server);
  g_main_context_pop_thread_default (receiver->context);

  return NULL;
}

HelixTestReceiver *
helix_test_receiver_new (void)
{
  HelixTestReceiver *receiver = g_new0 (HelixTestReceiver, 1);

  g_mutex_init (&receiver->lock);
  g_cond_init (&receiver->cond);
  receiver->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  g_queue_init (&receiver->responses);
  receiver->context = g_main_context_new ();
  receiver->loop = g_main_loop_new (receiver->context, FALSE);
  receiver->thread = g_thread_new ("test-receiver", server_thread, receiver);

  g_mutex_lock (&receiver->lock);
  while (receiver->port == 0)
    g_cond_wait (&receiver->cond, &receiver->lock);
  g_mutex_unlock (&receiver->lock);

  return receiver;
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

void
helix_test_receiver_free (HelixTestReceiver *receiver)
{
  g_main_context_invoke (receiver->context, quit_loop, receiver->loop);
  g_thread_join (receiver->thread);
  g_main_loop_unref (receiver->loop);
  g_main_context_unref (receiver->context);
  g_ptr_array_unref (receiver->requests);
  g_queue_clear_full (&receiver->responses, g_free);
  g_mutex_clear (&receiver->lock);
  g_cond_clear (&receiver->cond);
  g_free (receiver);
}

char *
helix_test_receiver_url (HelixTestReceiver *receiver,
                         const char        *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", receiver->port, path);
}

void
helix_test_receiver_push_response (HelixTestReceiver *receiver,
                                   guint              status,
                                   guint              delay_ms)
{
  Response *response = g_new0 (Response, 1);

  response->status = status;
  response->delay_ms = delay_ms;
  g_mutex_lock (&receiver->lock);
  g_queue_push_tail (&receiver->responses, response);
  g_mutex_unlock (&receiver->lock);
}

guint
helix_test_receiver_count (HelixTestReceiver *receiver)
{
  guint count;

  g_mutex_lock (&receiver->lock);
  count = receiver->requests->len;
  g_mutex_unlock (&receiver->lock);

  return count;
}

/* Requests are never changed once recorded, so the pointer stays valid. */
HelixTestRequest *
helix_test_receiver_get (HelixTestReceiver *receiver,
                         guint              index)
{
  HelixTestRequest *request;

  g_mutex_lock (&receiver->lock);
  g_assert_cmpuint (index, <, receiver->requests->len);
  request = g_ptr_array_index (receiver->requests, index);
  g_mutex_unlock (&receiver->lock);

  return request;
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* Keeps the caller's main loop turning (the code under test may live on it)
 * while the server thread records requests. */
gboolean
helix_test_receiver_wait_for (HelixTestReceiver *receiver,
                              guint              count,
                              guint              timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (helix_test_receiver_count (receiver) < count && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  return helix_test_receiver_count (receiver) >= count;
}

/* Every status_change body received so far, parsed, in order. */
GPtrArray *
helix_test_receiver_status_events (HelixTestReceiver *receiver)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  guint count = helix_test_receiver_count (receiver);

  for (guint i = 0; i < count; i++)
    {
      HelixTestRequest *request = helix_test_receiver_get (receiver, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize len;
      const char *data = g_bytes_get_data (request->body, &len);
      JsonObject *object;

      if (!json_parser_load_from_data (parser, data, len, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      object = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member_with_default (object, "event", NULL),
                     "status_change") != 0)
        continue;
      g_ptr_array_add (events, json_object_ref (object));
    }

  return events;
}

JsonObject *
helix_test_receiver_status_event (HelixTestReceiver *receiver,
                                  guint              n)
{
  g_autoptr(GPtrArray) events = helix_test_receiver_status_events (receiver);

  g_assert_cmpuint (n, <, events->len);
  return json_object_ref (g_ptr_array_index (events, n));
}

char *
helix_test_receiver_statuses (HelixTestReceiver *receiver)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) events = helix_test_receiver_status_events (receiver);

  for (guint i = 0; i < events->len; i++)
    {
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, json_object_get_string_member (g_ptr_array_index (events, i), "status"));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
helix_test_receiver_wait_statuses (HelixTestReceiver *receiver,
                                   const char        *expected,
                                   guint              timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      g_autofree char *got = helix_test_receiver_statuses (receiver);

      if (g_str_equal (got, expected))
        return TRUE;
      if (g_get_monotonic_time () >= deadline)
        {
          g_test_message ("webhook statuses: \"%s\", expected \"%s\"", got, expected);
          return FALSE;
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

void
helix_test_spin (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, on_wait_timeout, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}


guint16
helix_test_dead_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  /* Bound but never listening: connects are refused at once. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}

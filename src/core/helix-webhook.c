/* helix-webhook.c — ordered, bounded delivery of status events over HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Delivery rules (the spec's "Request Format"):
 *  - one request in flight at a time, in the order events happened, so a
 *    receiver never sees an older status after a newer one;
 *  - each request is capped at 10 s in total (connect + send + answer);
 *  - "Retry: 2 attempts" is read as two attempts in total, 1 s apart; only
 *    failures that may heal are retried (network errors, timeouts, 408, 429
 *    and 5xx), a 4xx is the receiver's final word;
 *  - the queue is bounded: when a dead endpoint lets more than
 *    HELIX_WEBHOOK_MAX_QUEUED events pile up, the oldest waiting ones are
 *    dropped (and counted in the log) rather than growing without limit;
 *  - the payload is serialised when the event happens, not when it is sent.
 */
#define G_LOG_DOMAIN "helix-webhook"

#include "helix-config.h"
#include "helix-webhook.h"

#include <libsoup/soup.h>

typedef struct {
  GBytes         *payload;
  HelixEventKind  kind;
  guint           attempt;
  guint64         serial;
} PendingEvent;

struct _HelixWebhook {
  GObject             parent_instance;

  char               *endpoint_url;
  char               *api_key;
  guint               heartbeat_interval;
  char               *last_error;

  SoupSession        *session;
  GQueue              queue;           /* PendingEvent*, head is next to send */
  PendingEvent       *in_flight;
  GCancellable       *cancellable;
  guint               timeout_id;
  guint               retry_id;
  guint               dropped;
  guint64             next_serial;
  char               *warned_url;

  guint               heartbeat_id;
  HelixHeartbeatFunc  heartbeat_func;
  gpointer            heartbeat_data;
  GDestroyNotify      heartbeat_destroy;
};

G_DEFINE_FINAL_TYPE (HelixWebhook, helix_webhook, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENDPOINT_URL,
  PROP_API_KEY,
  PROP_HEARTBEAT_INTERVAL,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  DELIVERED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void send_next (HelixWebhook *self);
static void restart_heartbeat (HelixWebhook *self);

static void
pending_event_free (PendingEvent *pending)
{
  g_clear_pointer (&pending->payload, g_bytes_unref);
  g_free (pending);
}

static void
set_last_error (HelixWebhook *self,
                const char   *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAST_ERROR]);
}

gboolean
helix_webhook_check_url (const char  *url,
                         GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid URL", url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an http:// or https:// URL", url);
      return FALSE;
    }

  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” has no host name", url);
      return FALSE;
    }

  return TRUE;
}

/* Only the host goes to the log: paths and queries may carry tokens. */
static char *
describe_endpoint (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("the webhook endpoint");

  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                          g_uri_get_port (uri) > 0 ? g_uri_get_port (uri)
                          : g_str_equal (g_uri_get_scheme (uri), "https") ? 443 : 80);
}

static SoupMessage *
build_message (HelixWebhook *self,
               GBytes       *payload)
{
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, self->endpoint_url);

  if (msg == NULL)
    return NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", payload);

  if (self->api_key != NULL && *self->api_key != '\0')
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", self->api_key);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", auth);
    }

  return msg;
}

static gboolean
is_retryable (guint         status,
              const GError *error)
{
  /* Network errors and our own per-request timeout may heal by themselves. */
  if (error != NULL)
    return TRUE;

  return status == SOUP_STATUS_REQUEST_TIMEOUT ||
         status == 429 /* Too Many Requests */ ||
         status >= 500;
}

static gboolean
on_retry_due (gpointer user_data)
{
  HelixWebhook *self = user_data;

  self->retry_id = 0;
  send_next (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_request_timeout (gpointer user_data)
{
  HelixWebhook *self = user_data;

  self->timeout_id = 0;
  g_cancellable_cancel (self->cancellable);

  return G_SOURCE_REMOVE;
}

typedef struct {
  HelixWebhook *self;      /* weak: NULL once the webhook is disposed */
  SoupMessage  *msg;
  guint64       serial;    /* tells a stale answer from the current one */
} SendData;

static void
on_send_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SendData *data = user_data;
  HelixWebhook *self = data->self;
  guint64 serial = data->serial;
  g_autoptr(SoupMessage) msg = g_steal_pointer (&data->msg);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *reason = NULL;
  PendingEvent *pending;
  gboolean timed_out;
  guint status;

  response = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (self == NULL)
    {
      g_free (data);
      return;
    }
  g_object_remove_weak_pointer (G_OBJECT (self), (gpointer *) &data->self);
  g_free (data);

  /* Cancelled on purpose (shutdown): the event was already dropped. */
  if (self->in_flight == NULL || self->in_flight->serial != serial)
    return;

  timed_out = self->timeout_id == 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->cancellable);

  pending = self->in_flight;
  status = soup_message_get_status (msg);

  if (error == NULL && SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      self->in_flight = NULL;
      set_last_error (self, NULL);
      g_signal_emit (self, signals[DELIVERED], 0, pending->payload, status);
      pending_event_free (pending);
      send_next (self);
      return;
    }

  endpoint = describe_endpoint (self->endpoint_url);
  if (timed_out)
    reason = g_strdup_printf ("%s did not answer within %d seconds",
                              endpoint, HELIX_WEBHOOK_TIMEOUT_SECONDS);
  else if (error != NULL)
    reason = g_strdup_printf ("could not reach %s: %s", endpoint, error->message);
  else
    reason = g_strdup_printf ("%s answered HTTP %u %s%s", endpoint, status,
                              soup_message_get_reason_phrase (msg),
                              status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN
                              ? " (check Webhook.ApiKey)" : "");

  if (pending->attempt < HELIX_WEBHOOK_ATTEMPTS && is_retryable (status, error))
    {
      g_debug ("Attempt %u failed, retrying: %s", pending->attempt, reason);
      pending->attempt++;
      self->retry_id = g_timeout_add (HELIX_WEBHOOK_RETRY_DELAY_MS, on_retry_due, self);
      return;
    }

  g_warning ("Status event not delivered after %u attempt(s): %s", pending->attempt, reason);
  set_last_error (self, reason);
  self->in_flight = NULL;
  g_signal_emit (self, signals[FAILED], 0, pending->payload, reason);
  pending_event_free (pending);
  send_next (self);
}

static gboolean
endpoint_usable (HelixWebhook *self)
{
  g_autoptr(GError) error = NULL;

  if (self->endpoint_url == NULL || *self->endpoint_url == '\0')
    return FALSE;

  if (helix_webhook_check_url (self->endpoint_url, &error))
    return TRUE;

  /* Say it once per URL, not once per event. */
  if (g_strcmp0 (self->warned_url, self->endpoint_url) != 0)
    {
      g_autofree char *message = g_strdup_printf ("Webhook.EndpointUrl: %s; status events are not sent",
                                                  error->message);
      g_warning ("%s", message);
      set_last_error (self, message);
      g_free (self->warned_url);
      self->warned_url = g_strdup (self->endpoint_url);
    }

  return FALSE;
}

static void
send_next (HelixWebhook *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  SendData *data;

  /* A request is outstanding, or the in-flight event waits for its retry. */
  if (self->cancellable != NULL || self->retry_id != 0)
    return;

  if (self->in_flight == NULL)
    self->in_flight = g_queue_pop_head (&self->queue);

  if (self->in_flight == NULL)
    return;

  if (!endpoint_usable (self) || (msg = build_message (self, self->in_flight->payload)) == NULL)
    {
      /* Nowhere to send: nothing waiting can be delivered either. */
      g_clear_pointer (&self->in_flight, pending_event_free);
      g_queue_clear_full (&self->queue, (GDestroyNotify) pending_event_free);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->timeout_id = g_timeout_add_seconds (HELIX_WEBHOOK_TIMEOUT_SECONDS, on_request_timeout, self);

  data = g_new0 (SendData, 1);
  data->self = self;
  data->msg = g_object_ref (msg);
  data->serial = self->in_flight->serial;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &data->self);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    self->cancellable, on_send_done, data);
}

static PendingEvent *
pending_event_new (const HelixStatusEvent *event,
                   guint64                 serial)
{
  PendingEvent *pending = g_new0 (PendingEvent, 1);
  char *json = helix_status_event_to_json (event);

  pending->payload = g_bytes_new_take (json, strlen (json));
  pending->kind = event->kind;
  pending->attempt = 1;
  pending->serial = serial;

  return pending;
}

static gboolean
heartbeat_waiting (HelixWebhook *self)
{
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    if (((PendingEvent *) l->data)->kind == HELIX_EVENT_KIND_HEARTBEAT)
      return TRUE;

  return FALSE;
}

void
helix_webhook_enqueue (HelixWebhook           *self,
                       const HelixStatusEvent *event)
{
  g_return_if_fail (HELIX_IS_WEBHOOK (self));
  g_return_if_fail (event != NULL);

  if (self->endpoint_url == NULL || *self->endpoint_url == '\0')
    return;

  /* A heartbeat only says "still alive": one waiting is as good as many. */
  if (event->kind == HELIX_EVENT_KIND_HEARTBEAT && heartbeat_waiting (self))
    return;

  g_queue_push_tail (&self->queue, pending_event_new (event, ++self->next_serial));

  while (self->queue.length > HELIX_WEBHOOK_MAX_QUEUED)
    {
      pending_event_free (g_queue_pop_head (&self->queue));
      if (self->dropped++ % 100 == 0)
        g_warning ("Webhook endpoint is not keeping up; %u old events dropped so far",
                   self->dropped);
    }

  send_next (self);
}

guint
helix_webhook_get_queue_length (HelixWebhook *self)
{
  g_return_val_if_fail (HELIX_IS_WEBHOOK (self), 0);

  return self->queue.length + (self->in_flight != NULL ? 1 : 0);
}

const char *
helix_webhook_get_last_error (HelixWebhook *self)
{
  g_return_val_if_fail (HELIX_IS_WEBHOOK (self), NULL);

  return self->last_error;
}

static void
drop_pending (HelixWebhook *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_pointer (&self->in_flight, pending_event_free);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_queue_clear_full (&self->queue, (GDestroyNotify) pending_event_free);
}

typedef struct {
  GMainContext *context;
  SoupMessage  *msg;
  GBytes       *response;
  GError       *error;
  gboolean      done;
} SyncSend;

static void
on_sync_send_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SyncSend *sync = user_data;

  sync->response = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &sync->error);
  sync->done = TRUE;
  g_main_context_wakeup (sync->context);
}

static gboolean
on_sync_deadline (gpointer user_data)
{
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

/* The spec wants the shutdown event sent synchronously with a hard 3 s cap.
 * A blocking soup call has no overall deadline, so run the async API on a
 * private main context and stop iterating when the deadline fires. */
gboolean
helix_webhook_send_sync (HelixWebhook           *self,
                         const HelixStatusEvent *event,
                         guint                   timeout_ms,
                         GError                **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GSource) deadline = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) payload = NULL;
  SyncSend sync = { 0 };
  guint status;

  g_return_val_if_fail (HELIX_IS_WEBHOOK (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  /* Anything older still waiting would now arrive after "offline". */
  if (helix_webhook_get_queue_length (self) > 0)
    g_message ("Dropping %u undelivered status event(s) at shutdown",
               helix_webhook_get_queue_length (self));
  drop_pending (self);

  if (self->endpoint_url == NULL || *self->endpoint_url == '\0')
    return TRUE;

  if (!helix_webhook_check_url (self->endpoint_url, error))
    return FALSE;

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);

  session = soup_session_new_with_options ("user-agent", "HelixPhone/" PACKAGE_VERSION,
                                           "timeout", 0,
                                           NULL);
  cancellable = g_cancellable_new ();
  json = helix_status_event_to_json (event);
  payload = g_bytes_new (json, strlen (json));
  sync.context = context;
  sync.msg = build_message (self, payload);

  deadline = g_timeout_source_new (timeout_ms);
  g_source_set_callback (deadline, on_sync_deadline, cancellable, NULL);
  g_source_attach (deadline, context);

  soup_session_send_and_read_async (session, sync.msg, G_PRIORITY_DEFAULT,
                                    cancellable, on_sync_send_done, &sync);
  while (!sync.done)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (deadline);
  soup_session_abort (session);
  g_main_context_pop_thread_default (context);

  status = soup_message_get_status (sync.msg);
  g_clear_object (&sync.msg);
  g_clear_pointer (&sync.response, g_bytes_unref);

  if (sync.error != NULL)
    {
      g_autofree char *endpoint = describe_endpoint (self->endpoint_url);

      if (g_error_matches (sync.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                     "%s did not answer within %u ms", endpoint, timeout_ms);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "could not reach %s: %s", endpoint, sync.error->message);
      g_clear_error (&sync.error);
      return FALSE;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the webhook endpoint answered HTTP %u", status);
      return FALSE;
    }

  return TRUE;
}

static gboolean
on_heartbeat (gpointer user_data)
{
  HelixWebhook *self = user_data;
  g_autoptr(HelixStatusEvent) event = self->heartbeat_func (self->heartbeat_data);

  if (event != NULL)
    helix_webhook_enqueue (self, event);

  return G_SOURCE_CONTINUE;
}

static void
restart_heartbeat (HelixWebhook *self)
{
  g_clear_handle_id (&self->heartbeat_id, g_source_remove);

  /* Millisecond timer, not g_timeout_add_seconds(): receivers declare the
   * phone gone after a minute without a heartbeat, so no second of drift. */
  if (self->heartbeat_func != NULL && self->heartbeat_interval > 0)
    self->heartbeat_id = g_timeout_add (self->heartbeat_interval * 1000, on_heartbeat, self);
}

void
helix_webhook_start_heartbeat (HelixWebhook       *self,
                               HelixHeartbeatFunc  func,
                               gpointer            user_data,
                               GDestroyNotify      destroy)
{
  g_return_if_fail (HELIX_IS_WEBHOOK (self));
  g_return_if_fail (func != NULL);

  helix_webhook_stop_heartbeat (self);

  self->heartbeat_func = func;
  self->heartbeat_data = user_data;
  self->heartbeat_destroy = destroy;
  restart_heartbeat (self);
}

void
helix_webhook_stop_heartbeat (HelixWebhook *self)
{
  g_return_if_fail (HELIX_IS_WEBHOOK (self));

  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  if (self->heartbeat_destroy != NULL)
    self->heartbeat_destroy (self->heartbeat_data);
  self->heartbeat_func = NULL;
  self->heartbeat_data = NULL;
  self->heartbeat_destroy = NULL;
}

static void
set_string (HelixWebhook  *self,
            char         **field,
            const char    *value,
            GParamSpec    *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
helix_webhook_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HelixWebhook *self = HELIX_WEBHOOK (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT_URL:
      set_string (self, &self->endpoint_url, g_value_get_string (value), pspec);
      break;

    case PROP_API_KEY:
      set_string (self, &self->api_key, g_value_get_string (value), pspec);
      break;

    case PROP_HEARTBEAT_INTERVAL:
      if (self->heartbeat_interval != g_value_get_uint (value))
        {
          self->heartbeat_interval = g_value_get_uint (value);
          restart_heartbeat (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_webhook_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HelixWebhook *self = HELIX_WEBHOOK (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT_URL:
      g_value_set_string (value, self->endpoint_url);
      break;

    case PROP_API_KEY:
      g_value_set_string (value, self->api_key);
      break;

    case PROP_HEARTBEAT_INTERVAL:
      g_value_set_uint (value, self->heartbeat_interval);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_webhook_dispose (GObject *object)
{
  HelixWebhook *self = HELIX_WEBHOOK (object);

  helix_webhook_stop_heartbeat (self);
  drop_pending (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (helix_webhook_parent_class)->dispose (object);
}

static void
helix_webhook_finalize (GObject *object)
{
  HelixWebhook *self = HELIX_WEBHOOK (object);

  g_free (self->endpoint_url);
  g_free (self->api_key);
  g_free (self->last_error);
  g_free (self->warned_url);

  G_OBJECT_CLASS (helix_webhook_parent_class)->finalize (object);
}

static void
helix_webhook_class_init (HelixWebhookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = helix_webhook_set_property;
  object_class->get_property = helix_webhook_get_property;
  object_class->dispose = helix_webhook_dispose;
  object_class->finalize = helix_webhook_finalize;

  props[PROP_ENDPOINT_URL] =
    g_param_spec_string ("endpoint-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_HEARTBEAT_INTERVAL] =
    g_param_spec_uint ("heartbeat-interval", NULL, NULL, 0, 86400, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /* The JSON bytes that were delivered, and the HTTP status. */
  signals[DELIVERED] =
    g_signal_new ("delivered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BYTES, G_TYPE_UINT);
  /* The JSON bytes given up on, and a sentence saying why. */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BYTES, G_TYPE_STRING);
}

static void
helix_webhook_init (HelixWebhook *self)
{
  self->heartbeat_interval = 60;
  g_queue_init (&self->queue);
  /* No I/O timeout of soup's own: the per-request timer caps the whole
   * exchange, connect included, and words the error for the user. */
  self->session = soup_session_new_with_options ("user-agent", "HelixPhone/" PACKAGE_VERSION,
                                                 "timeout", 0,
                                                 NULL);
}

HelixWebhook *
helix_webhook_new (void)
{
  return g_object_new (HELIX_TYPE_WEBHOOK, NULL);
}

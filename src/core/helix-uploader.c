/* helix-uploader.c — call recordings to the customer's server, none ever lost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Delivery rules (the spec's "Upload Request" plus what keeps files safe):
 *  - one upload at a time, in the order recordings were finished;
 *  - multipart/form-data, field "file", the file streamed from disk with
 *    an exact Content-Length;
 *  - up to 3 attempts 2 s apart for failures that may heal (network error,
 *    timeout, 408, 429, 5xx).  When all fail the file stays in the folder,
 *    goes to the back of the queue and the queue waits (1 min doubling to
 *    30 min), or until Recording.UploadUrl / ApiKey change, or the next start;
 *  - the 30 s timeout counts time without progress: it restarts whenever
 *    body bytes go out, so a long recording on a slow line is not cut off
 *    at 30 s while a stalled server still is;
 *  - a 4xx about the file (400, 413, 415, 422…) is final: the file goes to
 *    failed/.  A 4xx/3xx about the endpoint (401, 403, 404, 405, 410, a
 *    redirect) would refuse every file alike, so the files stay queued and
 *    the queue pauses until the URL or key change (or 30 min pass);
 *  - success moves the file to uploaded/, or deletes it when
 *    keep-after-upload is off.
 */
#define G_LOG_DOMAIN "helix-uploader"

#include "helix-config.h"
#include "helix-uploader.h"

#include <libsoup/soup.h>

#include "helix-upload-request.h"
#include "helix-uploader-files.h"
#include "helix-webhook.h"

typedef enum {
  OUTCOME_DONE,
  OUTCOME_RETRY,
  OUTCOME_PAUSE,
  OUTCOME_REJECTED,
} Outcome;

/* One attempt in flight.  Not a reference on the uploader: disposing it
 * must stop the network at once (the file simply stays queued on disk).
 * Its callback frees an attempt whose self was cleared. */
typedef struct {
  HelixUploader *self;
  char          *path;
  GCancellable  *cancellable;
} Attempt;

struct _HelixUploader {
  GObject       parent_instance;

  char         *url;
  char         *api_key;
  char         *folder;
  gboolean      keep_after_upload;
  guint         backoff_base_ms;
  char         *last_error;

  SoupSession  *session;
  GQueue        queue;        /* char* paths; the head is being sent */
  GHashTable   *queued;       /* the same paths, to ignore duplicates */
  GHashTable   *done;         /* sent but not movable: not again this run */
  Attempt      *attempt;
  guint         attempt_number;
  guint         retry_id;     /* the 2 s between attempts */
  guint         backoff_id;   /* the wait after a failed round */
  guint         backoff_ms;
  gboolean      retiring;     /* the head file is being moved away */
  gboolean      scanning;
  gboolean      rescan;       /* asked for while scanning */
  gint64        started_us;   /* wall clock: older .part files are orphans */
  char         *warned_url;
};

G_DEFINE_FINAL_TYPE (HelixUploader, helix_uploader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URL,
  PROP_API_KEY,
  PROP_FOLDER,
  PROP_KEEP_AFTER_UPLOAD,
  PROP_BACKOFF_MS,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  UPLOADED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void send_next (HelixUploader *self);

static void
set_last_error (HelixUploader *self,
                const char    *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAST_ERROR]);
}

static void
attempt_free (Attempt *attempt)
{
  g_clear_object (&attempt->cancellable);
  g_free (attempt->path);
  g_free (attempt);
}

/* The attempt's callback will find it orphaned and free it. */
static void
abandon_attempt (HelixUploader *self)
{
  if (self->attempt == NULL)
    return;

  self->attempt->self = NULL;
  g_cancellable_cancel (self->attempt->cancellable);
  self->attempt = NULL;
}

static gboolean
url_usable (HelixUploader *self)
{
  g_autoptr(GError) error = NULL;

  /* No receiver configured: recordings wait in the folder. */
  if (self->url == NULL || *self->url == '\0')
    return FALSE;

  if (helix_webhook_check_url (self->url, &error))
    return TRUE;

  if (g_strcmp0 (self->warned_url, self->url) != 0)
    {
      g_autofree char *message = g_strdup_printf ("Recording.UploadUrl: %s; recordings stay queued",
                                                  error->message);
      g_warning ("%s", message);
      set_last_error (self, message);
      g_free (self->warned_url);
      self->warned_url = g_strdup (self->url);
    }

  return FALSE;
}

static Outcome
classify (guint         status,
          const GError *error)
{
  if (error != NULL)
    return OUTCOME_RETRY;
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return OUTCOME_DONE;
  if (status == SOUP_STATUS_REQUEST_TIMEOUT || status == 429 || status >= 500)
    return OUTCOME_RETRY;
  if (SOUP_STATUS_IS_REDIRECTION (status) ||
      status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN ||
      status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_METHOD_NOT_ALLOWED ||
      status == SOUP_STATUS_GONE)
    return OUTCOME_PAUSE;
  if (SOUP_STATUS_IS_CLIENT_ERROR (status))
    return OUTCOME_REJECTED;

  return OUTCOME_RETRY;
}

static void
pop_head (HelixUploader *self)
{
  g_autofree char *path = g_queue_pop_head (&self->queue);

  if (path != NULL)
    g_hash_table_remove (self->queued, path);
  self->attempt_number = 0;
}

typedef struct {
  HelixUploader *self;      /* a reference: the move always completes */
  char          *path;
  char          *message;   /* NULL for a success */
} Retire;

static void
on_retired (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Retire *retire = user_data;
  HelixUploader *self = retire->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = helix_recordings_retire_finish (result, &error);

  if (where == NULL)
    {
      /* Left in place it would be sent again at the next start, which the
       * receiver can tell by its name; better than losing it. */
      g_warning ("Could not move or delete recording %s: %s", retire->path, error->message);
      g_hash_table_add (self->done, g_strdup (retire->path));
    }

  self->retiring = FALSE;
  pop_head (self);
  if (retire->message == NULL)
    g_signal_emit (self, signals[UPLOADED], 0, retire->path);
  else
    g_signal_emit (self, signals[FAILED], 0, retire->path, retire->message, TRUE);
  send_next (self);

  g_object_unref (retire->self);
  g_free (retire->path);
  g_free (retire->message);
  g_free (retire);
}

static void
retire_head (HelixUploader *self,
             const char    *subdir,
             const char    *message)
{
  Retire *retire = g_new0 (Retire, 1);

  retire->self = g_object_ref (self);
  retire->path = g_strdup (g_queue_peek_head (&self->queue));
  retire->message = g_strdup (message);
  self->retiring = TRUE;
  helix_recordings_retire_async (retire->path, subdir, on_retired, retire);
}

static gboolean
on_backoff_over (gpointer user_data)
{
  HelixUploader *self = user_data;

  self->backoff_id = 0;
  send_next (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_retry_due (gpointer user_data)
{
  HelixUploader *self = user_data;

  self->retry_id = 0;
  send_next (self);

  return G_SOURCE_REMOVE;
}

static void
finish_attempt (HelixUploader *self,
                const char    *path,
                guint          status,
                const char    *reason,
                Outcome        outcome)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *message = NULL;
  guint wait_ms;

  switch (outcome)
    {
    case OUTCOME_DONE:
      g_message ("Recording %s uploaded (HTTP %u)", name, status);
      self->backoff_ms = self->backoff_base_ms;
      set_last_error (self, NULL);
      retire_head (self, self->keep_after_upload ? HELIX_UPLOADER_UPLOADED_DIR : NULL, NULL);
      return;

    case OUTCOME_RETRY:
      if (self->attempt_number < HELIX_UPLOADER_ATTEMPTS)
        {
          g_debug ("Upload of %s, attempt %u failed, retrying: %s", name, self->attempt_number, reason);
          self->retry_id = g_timeout_add (HELIX_UPLOADER_RETRY_DELAY_MS, on_retry_due, self);
          return;
        }

      /* Behind the others, so one file the server chokes on blocks no one. */
      wait_ms = self->backoff_ms;
      self->backoff_ms = MIN (self->backoff_ms * 2, MAX (HELIX_UPLOADER_BACKOFF_MAX_MS, self->backoff_base_ms));
      message = g_strdup_printf ("Recording %s not uploaded after %u attempts: %s; "
                                 "it stays queued and is tried again in %u s",
                                 name, HELIX_UPLOADER_ATTEMPTS, reason, (wait_ms + 999) / 1000);
      g_queue_push_tail (&self->queue, g_queue_pop_head (&self->queue));
      self->attempt_number = 0;
      break;

    case OUTCOME_PAUSE:
      wait_ms = MAX (HELIX_UPLOADER_BACKOFF_MAX_MS, self->backoff_base_ms);
      message = g_strdup_printf ("Recording %s not uploaded: %s (check Recording.UploadUrl and "
                                 "Recording.ApiKey); uploads wait until they change, for at most %u min",
                                 name, reason, wait_ms / 60000);
      self->attempt_number = 0;
      break;

    case OUTCOME_REJECTED:
    default:
      message = g_strdup_printf ("Recording %s refused: %s; moved to %s/ and not retried",
                                 name, reason, HELIX_UPLOADER_FAILED_DIR);
      g_warning ("%s", message);
      set_last_error (self, message);
      retire_head (self, HELIX_UPLOADER_FAILED_DIR, message);
      return;
    }

  g_warning ("%s", message);
  set_last_error (self, message);
  self->backoff_id = g_timeout_add (wait_ms, on_backoff_over, self);
  g_signal_emit (self, signals[FAILED], 0, path, message, FALSE);
}

static void
on_request_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Attempt *attempt = user_data;
  HelixUploader *self = attempt->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *path = g_strdup (attempt->path);
  guint status;

  status = helix_upload_request_finish (result, &reason, &error);
  attempt_free (attempt);
  if (self == NULL)
    return;

  self->attempt = NULL;
  if (g_error_matches (error, HELIX_UPLOAD_ERROR, HELIX_UPLOAD_ERROR_FILE_GONE))
    {
      g_message ("Recording %s is gone; nothing to upload", path);
      pop_head (self);
      send_next (self);
      return;
    }

  /* Nothing to send, nothing to retry now; the next start looks again. */
  if (g_error_matches (error, HELIX_UPLOAD_ERROR, HELIX_UPLOAD_ERROR_FILE))
    {
      g_autofree char *message = g_strdup_printf ("Recording not uploaded: %s; "
                                                  "it is tried again at the next start",
                                                  error->message);

      g_warning ("%s", message);
      set_last_error (self, message);
      pop_head (self);
      g_signal_emit (self, signals[FAILED], 0, path, message, FALSE);
      send_next (self);
      return;
    }

  finish_attempt (self, path, status, error != NULL ? error->message : reason,
                  classify (status, error));
}

static void
send_next (HelixUploader *self)
{
  Attempt *attempt;

  if (self->attempt != NULL || self->retry_id != 0 || self->backoff_id != 0 || self->retiring)
    return;

  if (g_queue_is_empty (&self->queue) || !url_usable (self))
    return;

  attempt = g_new0 (Attempt, 1);
  attempt->self = self;
  attempt->path = g_strdup (g_queue_peek_head (&self->queue));
  attempt->cancellable = g_cancellable_new ();
  self->attempt = attempt;
  self->attempt_number++;
  g_debug ("Attempt %u for %s", self->attempt_number, attempt->path);
  helix_upload_request_async (self->session, self->url, self->api_key, attempt->path,
                              HELIX_UPLOADER_TIMEOUT_SECONDS, attempt->cancellable,
                              on_request_done, attempt);
}

void
helix_uploader_enqueue (HelixUploader *self,
                        const char    *path)
{
  g_return_if_fail (HELIX_IS_UPLOADER (self));
  g_return_if_fail (path != NULL);

  if (g_hash_table_contains (self->queued, path) || g_hash_table_contains (self->done, path))
    return;

  g_queue_push_tail (&self->queue, g_strdup (path));
  g_hash_table_add (self->queued, g_strdup (path));
  send_next (self);
}

static void
queue_found (HelixUploader *self,
             GPtrArray     *found)
{
  for (guint i = 0; i < found->len; i++)
    {
      HelixFoundRecording *recording = g_ptr_array_index (found, i);

      if (recording->problem == NULL)
        {
          helix_uploader_enqueue (self, recording->path);
          continue;
        }

      g_warning ("Partial recording %s cannot be uploaded: %s", recording->path, recording->problem);
      set_last_error (self, recording->problem);
      g_signal_emit (self, signals[FAILED], 0, recording->path, recording->problem, TRUE);
    }
}

static void
on_scanned (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HelixUploader) self = user_data;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  self->scanning = FALSE;
  found = helix_recordings_scan_finish (result, &error);
  if (found == NULL)
    g_warning ("Cannot look for recordings to upload: %s", error->message);
  else
    queue_found (self, found);

  if (self->rescan)
    {
      self->rescan = FALSE;
      helix_uploader_scan (self);
    }
}

/**
 * helix_uploader_scan:
 *
 * Queues every finished recording in the folder, after repairing those a
 * crash left as `.part`: at start, so nothing from an earlier run is lost.
 * The scan holds a reference until it is done (it is short and local).
 */
void
helix_uploader_scan (HelixUploader *self)
{
  g_return_if_fail (HELIX_IS_UPLOADER (self));

  if (self->folder == NULL || *self->folder == '\0')
    return;

  /* One at a time: two scans would both try to repair the same .part. */
  if (self->scanning)
    {
      self->rescan = TRUE;
      return;
    }

  self->scanning = TRUE;
  helix_recordings_scan_async (self->folder, self->started_us, NULL, on_scanned, g_object_ref (self));
}

guint
helix_uploader_get_queue_length (HelixUploader *self)
{
  g_return_val_if_fail (HELIX_IS_UPLOADER (self), 0);

  return self->queue.length;
}

const char *
helix_uploader_get_last_error (HelixUploader *self)
{
  g_return_val_if_fail (HELIX_IS_UPLOADER (self), NULL);

  return self->last_error;
}

/* New URL or key: whatever failed may now work, so try at once, from the
 * first attempt, and pick up files put back into the folder by hand. */
static void
destination_changed (HelixUploader *self)
{
  abandon_attempt (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->backoff_id, g_source_remove);
  self->attempt_number = 0;
  self->backoff_ms = self->backoff_base_ms;
  helix_uploader_scan (self);
  send_next (self);
}

static gboolean
set_string (HelixUploader  *self,
            char          **field,
            const char     *value,
            GParamSpec     *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);

  return TRUE;
}

static void
helix_uploader_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HelixUploader *self = HELIX_UPLOADER (object);

  switch (prop_id)
    {
    case PROP_URL:
      if (set_string (self, &self->url, g_value_get_string (value), pspec))
        destination_changed (self);
      break;

    case PROP_API_KEY:
      if (set_string (self, &self->api_key, g_value_get_string (value), pspec))
        destination_changed (self);
      break;

    case PROP_FOLDER:
      if (set_string (self, &self->folder, g_value_get_string (value), pspec))
        helix_uploader_scan (self);
      break;

    case PROP_KEEP_AFTER_UPLOAD:
      if (self->keep_after_upload != g_value_get_boolean (value))
        {
          self->keep_after_upload = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_BACKOFF_MS:
      if (self->backoff_base_ms != g_value_get_uint (value))
        {
          self->backoff_base_ms = g_value_get_uint (value);
          self->backoff_ms = self->backoff_base_ms;
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_uploader_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HelixUploader *self = HELIX_UPLOADER (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_API_KEY:
      g_value_set_string (value, self->api_key);
      break;

    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;

    case PROP_KEEP_AFTER_UPLOAD:
      g_value_set_boolean (value, self->keep_after_upload);
      break;

    case PROP_BACKOFF_MS:
      g_value_set_uint (value, self->backoff_base_ms);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_uploader_dispose (GObject *object)
{
  HelixUploader *self = HELIX_UPLOADER (object);

  abandon_attempt (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->backoff_id, g_source_remove);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (helix_uploader_parent_class)->dispose (object);
}

static void
helix_uploader_finalize (GObject *object)
{
  HelixUploader *self = HELIX_UPLOADER (object);

  g_queue_clear_full (&self->queue, g_free);
  g_hash_table_unref (self->queued);
  g_hash_table_unref (self->done);
  g_free (self->url);
  g_free (self->api_key);
  g_free (self->folder);
  g_free (self->last_error);
  g_free (self->warned_url);

  G_OBJECT_CLASS (helix_uploader_parent_class)->finalize (object);
}

static void
helix_uploader_class_init (HelixUploaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = helix_uploader_set_property;
  object_class->get_property = helix_uploader_get_property;
  object_class->dispose = helix_uploader_dispose;
  object_class->finalize = helix_uploader_finalize;

  props[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The recordings folder; uploaded/ and failed/ live inside it. */
  props[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_KEEP_AFTER_UPLOAD] =
    g_param_spec_boolean ("keep-after-upload", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The first wait after a failed round; it doubles up to 30 min. */
  props[PROP_BACKOFF_MS] =
    g_param_spec_uint ("backoff-ms", NULL, NULL, 100, HELIX_UPLOADER_BACKOFF_MAX_MS,
                       HELIX_UPLOADER_BACKOFF_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /* The recording's path as it was queued. */
  signals[UPLOADED] =
    g_signal_new ("uploaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Path, a sentence saying why, and whether it is final (moved to failed/)
   * or the file stays queued. */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
helix_uploader_init (HelixUploader *self)
{
  self->keep_after_upload = TRUE;
  self->backoff_base_ms = HELIX_UPLOADER_BACKOFF_MS;
  self->backoff_ms = self->backoff_base_ms;
  self->started_us = g_get_real_time ();
  g_queue_init (&self->queue);
  self->queued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* No I/O timeout of soup's own: ours counts time without progress. */
  self->session = soup_session_new_with_options ("user-agent", "HelixPhone/" PACKAGE_VERSION,
                                                 "timeout", 0,
                                                 NULL);
}

HelixUploader *
helix_uploader_new (void)
{
  return g_object_new (HELIX_TYPE_UPLOADER, NULL);
}

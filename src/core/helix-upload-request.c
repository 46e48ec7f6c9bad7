/* helix-upload-request.c — one recording, one multipart POST
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The spec's request: POST, multipart/form-data, the file in field "file"
 * with its name and audio/wav, "Authorization: Bearer <key>" when a key is
 * set.  The file is opened and streamed by GIO while the main loop runs;
 * only the part header and closing boundary are in memory.
 *
 * The timeout counts time without progress: it restarts whenever body
 * bytes go out.  An hour-long recording on a slow uplink takes longer than
 * 30 s to send and must still get through; a server that stalls (before,
 * during or after the body) is still given up on after 30 s.
 */
#define G_LOG_DOMAIN "helix-uploader"

#include "helix-upload-request.h"

#include "helix-multipart-stream.h"

G_DEFINE_QUARK (helix-upload-error-quark, helix_upload_error)

typedef struct {
  SoupSession      *session;
  char             *url;
  char             *api_key;
  char             *path;
  guint             timeout_s;
  GCancellable     *cancellable;     /* ours: the caller's, or the timeout */
  GCancellable     *caller;
  gulong            caller_id;
  GFileInputStream *file;
  SoupMessage      *msg;
  guint             timeout_id;
  gint64            last_progress_us;
  gboolean          timed_out;
} Request;

typedef struct {
  guint  status;
  char  *reason;
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->reason);
  g_free (answer);
}

static void
request_free (Request *request)
{
  g_clear_handle_id (&request->timeout_id, g_source_remove);
  if (request->caller != NULL)
    g_cancellable_disconnect (request->caller, request->caller_id);
  g_clear_object (&request->caller);
  if (request->msg != NULL)
    g_signal_handlers_disconnect_by_data (request->msg, request);
  g_clear_object (&request->msg);
  g_clear_object (&request->file);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->session);
  g_free (request->url);
  g_free (request->api_key);
  g_free (request->path);
  g_free (request);
}

char *
helix_upload_describe_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("the upload server");

  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                          g_uri_get_port (uri) > 0 ? g_uri_get_port (uri)
                          : g_str_equal (g_uri_get_scheme (uri), "https") ? 443 : 80);
}

/* The caller's cancellation wins over ours, and says so plainly. */
static void
return_error (GTask  *task,
              GError *error)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);
  g_autofree char *endpoint = helix_upload_describe_url (request->url);

  if (caller != NULL && g_cancellable_is_cancelled (caller))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "upload cancelled");
  else if (request->timed_out)
    g_task_return_new_error (task, HELIX_UPLOAD_ERROR, HELIX_UPLOAD_ERROR_TIMEOUT,
                             "%s made no progress for %u seconds", endpoint, request->timeout_s);
  else
    g_task_return_new_error (task, HELIX_UPLOAD_ERROR, HELIX_UPLOAD_ERROR_NETWORK,
                             "could not reach %s: %s", endpoint, error->message);
  g_error_free (error);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) response = NULL;
  g_autofree char *endpoint = NULL;
  GError *error = NULL;
  Answer *answer;

  g_clear_handle_id (&request->timeout_id, g_source_remove);
  response = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (response == NULL)
    {
      return_error (task, error);
      return;
    }

  endpoint = helix_upload_describe_url (request->url);
  answer = g_new0 (Answer, 1);
  answer->status = soup_message_get_status (request->msg);
  answer->reason = g_strdup_printf ("%s answered HTTP %u %s", endpoint, answer->status,
                                    soup_message_get_reason_phrase (request->msg));
  g_task_return_pointer (task, answer, (GDestroyNotify) answer_free);
}

static gboolean
on_timeout (gpointer user_data)
{
  Request *request = user_data;
  gint64 idle_ms = (g_get_monotonic_time () - request->last_progress_us) / 1000;
  gint64 limit_ms = (gint64) request->timeout_s * 1000;

  request->timeout_id = 0;
  if (idle_ms < limit_ms)
    {
      request->timeout_id = g_timeout_add (limit_ms - idle_ms, on_timeout, request);
      return G_SOURCE_REMOVE;
    }

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);

  return G_SOURCE_REMOVE;
}

/* Cheap on purpose: it runs for every chunk written. */
static void
on_wrote_body_data (SoupMessage *msg,
                    guint        chunk_size,
                    Request     *request)
{
  request->last_progress_us = g_get_monotonic_time ();
}

static void
send_request (GTask   *task,
              goffset  size)
{
  Request *request = g_task_get_task_data (task);
  g_autofree char *name = g_path_get_basename (request->path);
  g_autoptr(GInputStream) body = NULL;
  g_autofree char *content_type = NULL;

  body = helix_multipart_stream_new ("file", name, "audio/wav", G_INPUT_STREAM (request->file), size);
  content_type = g_strdup_printf ("multipart/form-data; boundary=%s",
                                  helix_multipart_stream_get_boundary (HELIX_MULTIPART_STREAM (body)));

  request->msg = soup_message_new (SOUP_METHOD_POST, request->url);
  /* A redirected POST would need its body again; a moved receiver is a
   * configuration matter, reported as such. */
  soup_message_add_flags (request->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_set_request_body (request->msg, content_type, body,
                                 helix_multipart_stream_get_length (HELIX_MULTIPART_STREAM (body)));
  if (request->api_key != NULL && *request->api_key != '\0')
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", request->api_key);

      soup_message_headers_replace (soup_message_get_request_headers (request->msg),
                                    "Authorization", auth);
    }
  g_signal_connect (request->msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), request);

  request->last_progress_us = g_get_monotonic_time ();
  request->timeout_id = g_timeout_add (request->timeout_s * 1000, on_timeout, request);
  g_debug ("Uploading %s (%" G_GOFFSET_FORMAT " bytes)", name, size);
  soup_session_send_and_read_async (request->session, request->msg, G_PRIORITY_DEFAULT,
                                    request->cancellable, on_sent, task);
}

static void
return_file_error (GTask  *task,
                   GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return_error (task, error);
      return;
    }

  g_task_return_new_error (task, HELIX_UPLOAD_ERROR,
                           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                           ? HELIX_UPLOAD_ERROR_FILE_GONE : HELIX_UPLOAD_ERROR_FILE,
                           "cannot read %s: %s", request->path, error->message);
  g_error_free (error);
}

static void
on_sized (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GFileInfo) info = NULL;
  GError *error = NULL;

  info = g_file_input_stream_query_info_finish (G_FILE_INPUT_STREAM (source), result, &error);
  if (info == NULL)
    {
      return_file_error (task, error);
      g_object_unref (task);
      return;
    }

  send_request (task, g_file_info_get_size (info));
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  request->file = g_file_read_finish (G_FILE (source), result, &error);
  if (request->file == NULL)
    {
      return_file_error (task, error);
      g_object_unref (task);
      return;
    }

  /* The size of what was opened, not of whatever the path names now. */
  g_file_input_stream_query_info_async (request->file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                        G_PRIORITY_DEFAULT, request->cancellable, on_sized, task);
}

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

void
helix_upload_request_async (SoupSession         *session,
                            const char          *url,
                            const char          *api_key,
                            const char          *path,
                            guint                timeout_s,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  Request *request;
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (timeout_s > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, helix_upload_request_async);
  request = g_new0 (Request, 1);
  request->session = g_object_ref (session);
  request->url = g_strdup (url);
  request->api_key = g_strdup (api_key);
  request->path = g_strdup (path);
  request->timeout_s = timeout_s;
  request->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  /* Runs at once when @cancellable is already cancelled. */
  if (cancellable != NULL)
    {
      request->caller = g_object_ref (cancellable);
      request->caller_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                  g_object_ref (request->cancellable), g_object_unref);
    }

  file = g_file_new_for_path (path);
  g_file_read_async (file, G_PRIORITY_DEFAULT, request->cancellable, on_opened, task);
}

guint
helix_upload_request_finish (GAsyncResult  *result,
                             char         **reason,
                             GError       **error)
{
  Answer *answer;
  guint status;

  g_return_val_if_fail (g_task_is_valid (result, NULL), 0);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return 0;

  status = answer->status;
  if (reason != NULL)
    *reason = g_steal_pointer (&answer->reason);
  answer_free (answer);

  return status;
}

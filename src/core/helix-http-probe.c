/* helix-http-probe.c — one-off requests that check a receiver is set up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preferences' "Send test event" and "Test upload" buttons use these
 * with the URL and key still in the form, before anything is saved, so a
 * probe owns its own session and shares nothing with the running webhook
 * queue: a test must never delay or reorder real status events.
 */
#define G_LOG_DOMAIN "helix-http-probe"

#include "helix-config.h"
#include "helix-http-probe.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <string.h>

#include "helix-status.h"
#include "helix-upload-request.h"
#include "helix-webhook.h"

/* What a recording is (the spec's "Recording Format") */
#define WAV_RATE      8000
#define WAV_CHANNELS  1
#define WAV_BITS      16
#define WAV_HEADER    44
#define PROBE_WAV_MS  250

typedef struct {
  SoupSession  *session;
  SoupMessage  *msg;
  GCancellable *cancellable;   /* ours: fired by the deadline or the caller's */
  GCancellable *outer;
  gulong        outer_id;
  GSource      *deadline;
  gint64        started_us;
  gboolean      timed_out;
} Probe;

void
helix_http_probe_result_free (HelixHttpProbeResult *result)
{
  if (result == NULL)
    return;

  g_free (result->reason);
  g_free (result);
}

static void
probe_free (Probe *probe)
{
  if (probe->deadline != NULL)
    g_source_destroy (probe->deadline);
  g_clear_pointer (&probe->deadline, g_source_unref);
  if (probe->outer != NULL)
    g_cancellable_disconnect (probe->outer, probe->outer_id);
  g_clear_object (&probe->outer);
  g_clear_object (&probe->cancellable);
  g_clear_object (&probe->msg);
  if (probe->session != NULL)
    soup_session_abort (probe->session);
  g_clear_object (&probe->session);
  g_free (probe);
}

static gboolean
on_deadline (gpointer user_data)
{
  Probe *probe = user_data;

  probe->timed_out = TRUE;
  g_cancellable_cancel (probe->cancellable);

  return G_SOURCE_REMOVE;
}

static void
on_outer_cancelled (GCancellable *outer,
                    GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static void
on_send_done (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  HelixHttpProbeResult *result;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &error);

  if (error != NULL && probe->timed_out)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               "No answer within %d seconds", HELIX_HTTP_PROBE_TIMEOUT_SECONDS);
      return;
    }

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (HelixHttpProbeResult, 1);
  result->status = soup_message_get_status (probe->msg);
  result->reason = g_strdup (soup_message_get_reason_phrase (probe->msg));
  if (result->reason == NULL || *result->reason == '\0')
    {
      g_free (result->reason);
      result->reason = g_strdup (soup_status_get_phrase (result->status));
    }
  if (result->reason == NULL)
    result->reason = g_strdup ("");
  result->elapsed_ms = (guint) ((g_get_monotonic_time () - probe->started_us) / 1000);

  g_debug ("Probe answered %u %s in %u ms", result->status, result->reason, result->elapsed_ms);
  g_task_return_pointer (task, result, (GDestroyNotify) helix_http_probe_result_free);
}

/* Takes @msg; adds the Bearer header and sends it once */
static void
probe_send (SoupMessage         *msg,
            const char          *api_key,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Probe *probe = g_new0 (Probe, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);

  if (api_key != NULL && *api_key != '\0')
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", api_key);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }

  /* The deadline covers connect, TLS, upload and answer; soup's own
   * "timeout" is per socket operation and would let a slow drip run on. */
  probe->session = soup_session_new_with_options ("user-agent", "HelixPhone/" PACKAGE_VERSION,
                                                  "timeout", 0, NULL);
  probe->msg = msg;
  probe->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      probe->outer = g_object_ref (cancellable);
      probe->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (on_outer_cancelled),
                                               g_object_ref (probe->cancellable), g_object_unref);
    }
  probe->deadline = g_timeout_source_new_seconds (HELIX_HTTP_PROBE_TIMEOUT_SECONDS);
  g_source_set_callback (probe->deadline, on_deadline, probe, NULL);
  g_source_attach (probe->deadline, g_main_context_get_thread_default ());
  probe->started_us = g_get_monotonic_time ();

  soup_session_send_and_read_async (probe->session, msg, G_PRIORITY_DEFAULT,
                                    probe->cancellable, on_send_done, task);
}

static gboolean
report_bad_url (const char          *url,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  if (url != NULL && *url != '\0' && helix_webhook_check_url (url, &error))
    return FALSE;

  task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  if (error == NULL)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "No URL to send to");
  g_task_return_error (task, g_steal_pointer (&error));

  return TRUE;
}

void
helix_http_probe_webhook_async (const char          *url,
                                const char          *api_key,
                                const char          *extension,
                                const char          *status,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *timestamp = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) payload = NULL;
  SoupMessage *msg;

  if (report_bad_url (url, callback, user_data, helix_http_probe_webhook_async))
    return;

  /* The heartbeat's shape with its own event name: receivers that switch
   * on "event" can tell it apart and will not count it as a status change. */
  timestamp = helix_format_timestamp (g_get_real_time ());
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, HELIX_HTTP_PROBE_TEST_EVENT);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status != NULL ? status : "available");
  json_builder_set_member_name (builder, "extension");
  json_builder_add_string_value (builder, extension != NULL ? extension : "");
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);
  json_builder_set_member_name (builder, "duration");
  json_builder_add_int_value (builder, 0);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  payload = g_bytes_new (json, strlen (json));

  msg = soup_message_new (SOUP_METHOD_POST, url);
  soup_message_set_request_body_from_bytes (msg, "application/json", payload);
  probe_send (msg, api_key, cancellable, callback, user_data, helix_http_probe_webhook_async);
}

static void
put_le (guint8 *at,
        guint32 value,
        guint   size)
{
  for (guint i = 0; i < size; i++)
    at[i] = (guint8) (value >> (8 * i));
}

GBytes *
helix_http_probe_make_wav (guint duration_ms)
{
  guint32 data_size = WAV_RATE / 1000 * duration_ms * WAV_CHANNELS * (WAV_BITS / 8);
  guint8 *wav = g_malloc0 (WAV_HEADER + data_size);

  memcpy (wav, "RIFF", 4);
  put_le (wav + 4, 36 + data_size, 4);
  memcpy (wav + 8, "WAVEfmt ", 8);
  put_le (wav + 16, 16, 4);                                     /* fmt chunk size */
  put_le (wav + 20, 1, 2);                                      /* PCM */
  put_le (wav + 22, WAV_CHANNELS, 2);
  put_le (wav + 24, WAV_RATE, 4);
  put_le (wav + 28, WAV_RATE * WAV_CHANNELS * (WAV_BITS / 8), 4);  /* byte rate */
  put_le (wav + 32, WAV_CHANNELS * (WAV_BITS / 8), 2);          /* block align */
  put_le (wav + 34, WAV_BITS, 2);
  memcpy (wav + 36, "data", 4);
  put_le (wav + 40, data_size, 4);

  /* The samples stay zero: silence */
  return g_bytes_new_take (wav, WAV_HEADER + data_size);
}

char *
helix_http_probe_wav_name (GDateTime *time)
{
  g_autofree char *stamp = g_date_time_format (time, "%Y_%m_%d_%H_%M");

  /* The recordings' {TO}_{FROM}_{YYYY}_{MM}_{DD}_{HH}_{mm}_{EPOCH_MS}.wav,
   * with "test" in both number slots so receivers that parse it still can */
  return g_strdup_printf ("test_test_%s_%" G_GINT64_FORMAT ".wav", stamp,
                          g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000);
}

typedef struct {
  char *dir;
  char *path;
} UploadProbe;

static void
upload_probe_free (UploadProbe *probe)
{
  if (probe->path != NULL)
    g_unlink (probe->path);
  if (probe->dir != NULL)
    g_rmdir (probe->dir);
  g_free (probe->path);
  g_free (probe->dir);
  g_free (probe);
}

static void
on_upload_done (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;
  HelixHttpProbeResult *result;
  gint64 started_us = *(gint64 *) g_task_get_task_data (task);
  guint status;

  status = helix_upload_request_finish (res, &sentence, &error);

  if (g_error_matches (error, HELIX_UPLOAD_ERROR, HELIX_UPLOAD_ERROR_TIMEOUT))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               "No answer within %d seconds", HELIX_HTTP_PROBE_TIMEOUT_SECONDS);
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (HelixHttpProbeResult, 1);
  result->status = status;
  result->reason = g_strdup (soup_status_get_phrase (status) ? soup_status_get_phrase (status) : "");
  result->elapsed_ms = (guint) ((g_get_monotonic_time () - started_us) / 1000);
  g_task_return_pointer (task, result, (GDestroyNotify) helix_http_probe_result_free);
}

static void
on_upload_probe_cleanup (gpointer data)
{
  upload_probe_free (data);
}

/* The recording uploader's own request, so the test sends exactly what a
 * real upload sends; only the file is a generated one in a private folder */
void
helix_http_probe_upload_async (const char          *url,
                               const char          *api_key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GBytes) wav = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree gint64 *started_us = g_new (gint64, 1);
  UploadProbe *probe;
  GTask *task;

  if (report_bad_url (url, callback, user_data, helix_http_probe_upload_async))
    return;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, helix_http_probe_upload_async);
  *started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, g_steal_pointer (&started_us), g_free);

  probe = g_new0 (UploadProbe, 1);
  /* Removed with the task, whichever way it ends */
  g_object_set_data_full (G_OBJECT (task), "helix-upload-probe", probe, on_upload_probe_cleanup);

  now = g_date_time_new_now_local ();
  name = helix_http_probe_wav_name (now);
  wav = helix_http_probe_make_wav (PROBE_WAV_MS);
  probe->dir = g_dir_make_tmp ("helixphone-test-upload-XXXXXX", &error);
  if (probe->dir != NULL)
    {
      probe->path = g_build_filename (probe->dir, name, NULL);
      g_file_set_contents (probe->path, g_bytes_get_data (wav, NULL), g_bytes_get_size (wav), &error);
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  session = soup_session_new_with_options ("user-agent", "HelixPhone/" PACKAGE_VERSION, "timeout", 0, NULL);
  helix_upload_request_async (session, url, api_key, probe->path, HELIX_HTTP_PROBE_TIMEOUT_SECONDS,
                              cancellable, on_upload_done, task);
}

HelixHttpProbeResult *
helix_http_probe_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* test-uploader.c — HelixUploader against a real SoupServer on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The receiver here streams request bodies (a checksum and the first bytes,
 * the whole body only when small) so that a 20 MB upload can be checked
 * byte for byte while the process's peak memory is measured.
 */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "helix-test-receiver.h"
#include "helix-uploader.h"

#define KEEP_WHOLE_BODY_MAX (4 * 1024 * 1024)
#define HEAD_KEEP 4096

/* ---------------------------------------------------------------- receiver */

typedef struct {
  char       *path;
  char       *content_type;
  char       *authorization;
  char       *content_length;
  char       *transfer_encoding;
  goffset     length;
  GByteArray *head;          /* the first HEAD_KEEP bytes */
  GByteArray *whole;         /* everything, while it stays small */
  GChecksum  *checksum;      /* SHA-256 of the whole body */
  char       *sha256;
  gint64      arrived_us;
} Received;

typedef struct {
  GMutex        lock;
  GCond         cond;
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  SoupServer   *server;
  guint16       port;
  GPtrArray    *received;    /* Received* */
  GQueue        statuses;    /* GUINT_TO_POINTER; 200 when empty */
} Server;

static void
received_free (Received *r)
{
  g_free (r->path);
  g_free (r->content_type);
  g_free (r->authorization);
  g_free (r->content_length);
  g_free (r->transfer_encoding);
  g_byte_array_unref (r->head);
  g_clear_pointer (&r->whole, g_byte_array_unref);
  g_clear_pointer (&r->checksum, g_checksum_free);
  g_free (r->sha256);
  g_free (r);
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              Received          *r)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (chunk, &len);

  if (r->head->len < HEAD_KEEP)
    g_byte_array_append (r->head, data, MIN (len, HEAD_KEEP - r->head->len));
  if (r->whole != NULL && r->length + (goffset) len <= KEEP_WHOLE_BODY_MAX)
    g_byte_array_append (r->whole, data, len);
  else
    g_clear_pointer (&r->whole, g_byte_array_unref);
  g_checksum_update (r->checksum, data, len);
  r->length += len;
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  Received *r = g_new0 (Received, 1);

  r->head = g_byte_array_new ();
  r->whole = g_byte_array_new ();
  r->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  /* Not accumulated: a big upload must not be held in memory here either. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), r);
  g_object_set_data_full (G_OBJECT (msg), "received", r, (GDestroyNotify) received_free);
}

static void
on_request (SoupServer        *soup_server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Server *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Received *r = g_object_steal_data (G_OBJECT (msg), "received");
  guint status;

  g_signal_handlers_disconnect_by_data (msg, r);
  r->path = g_strdup (path);
  r->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  r->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  r->content_length = g_strdup (soup_message_headers_get_one (headers, "Content-Length"));
  r->transfer_encoding = g_strdup (soup_message_headers_get_one (headers, "Transfer-Encoding"));
  r->sha256 = g_strdup (g_checksum_get_string (r->checksum));
  r->arrived_us = g_get_monotonic_time ();

  g_mutex_lock (&server->lock);
  status = g_queue_is_empty (&server->statuses) ? 200
           : GPOINTER_TO_UINT (g_queue_pop_head (&server->statuses));
  g_ptr_array_add (server->received, r);
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);

  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
  soup_server_message_set_status (msg, status, NULL);
}

static gpointer
server_thread (gpointer user_data)
{
  Server *server = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (server->context);
  server->server = soup_server_new (NULL, NULL);
  g_signal_connect (server->server, "request-started", G_CALLBACK (on_request_started), server);
  soup_server_add_handler (server->server, NULL, on_request, server, NULL);
  if (!soup_server_listen_local (server->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("Cannot listen on loopback: %s", error->message);

  uris = soup_server_get_uris (server->server);
  g_mutex_lock (&server->lock);
  server->port = g_uri_get_port (uris->data);
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (server->loop);

  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  g_main_context_pop_thread_default (server->context);

  return NULL;
}

static Server *
server_new (void)
{
  Server *server = g_new0 (Server, 1);

  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  server->received = g_ptr_array_new_with_free_func ((GDestroyNotify) received_free);
  g_queue_init (&server->statuses);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->thread = g_thread_new ("upload-receiver", server_thread, server);

  g_mutex_lock (&server->lock);
  while (server->port == 0)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);

  return server;
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);

  return G_SOURCE_REMOVE;
}

static void
server_free (Server *server)
{
  g_main_context_invoke (server->context, quit_loop, server->loop);
  g_thread_join (server->thread);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_ptr_array_unref (server->received);
  g_queue_clear (&server->statuses);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server);
}

static void
server_push_status (Server *server,
                    guint   status)
{
  g_mutex_lock (&server->lock);
  g_queue_push_tail (&server->statuses, GUINT_TO_POINTER (status));
  g_mutex_unlock (&server->lock);
}

static guint
server_count (Server *server)
{
  guint count;

  g_mutex_lock (&server->lock);
  count = server->received->len;
  g_mutex_unlock (&server->lock);

  return count;
}

/* Records never change once added. */
static Received *
server_get (Server *server,
            guint   i)
{
  Received *r;

  g_mutex_lock (&server->lock);
  g_assert_cmpuint (i, <, server->received->len);
  r = g_ptr_array_index (server->received, i);
  g_mutex_unlock (&server->lock);

  return r;
}

/* ----------------------------------------------------------------- fixture */

typedef struct {
  Server        *server;
  HelixUploader *uploader;
  char          *dir;
  char          *url;
  guint          uploaded;
  guint          failed;
  gboolean       permanent;
  char          *failure;
  gint64         failed_at_us;
} Fixture;

static void
on_uploaded (HelixUploader *uploader, const char *path, Fixture *fixture)
{
  fixture->uploaded++;
}

static void
on_failed (HelixUploader *uploader, const char *path, const char *message, gboolean permanent,
           Fixture *fixture)
{
  fixture->failed++;
  fixture->permanent = permanent;
  g_free (fixture->failure);
  fixture->failure = g_strdup (message);
  fixture->failed_at_us = g_get_monotonic_time ();
}

static HelixUploader *
make_uploader (Fixture *fixture, const char *url)
{
  HelixUploader *uploader = helix_uploader_new ();

  g_object_set (uploader, "folder", fixture->dir, "url", url, NULL);
  g_signal_connect (uploader, "uploaded", G_CALLBACK (on_uploaded), fixture);
  g_signal_connect (uploader, "failed", G_CALLBACK (on_failed), fixture);

  return uploader;
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("helix-uploader-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->server = server_new ();
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u/recordings", fixture->server->port);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->uploader);
  g_clear_pointer (&fixture->server, server_free);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->url);
  g_free (fixture->failure);
}

static void
wait_until (guint *counter, guint value, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (*counter < value && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_assert_cmpuint (*counter, >=, value);
}

/* ------------------------------------------------------------------- files */

static void
put_le32 (guint8 *p, guint32 v)
{
  p[0] = v & 0xff; p[1] = (v >> 8) & 0xff; p[2] = (v >> 16) & 0xff; p[3] = v >> 24;
}

static guint32
get_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

/* The header wavenc writes: PCM, mono, 8000 Hz, 16 bit. */
static void
fill_header (guint8 header[44], guint32 riff_size, guint32 data_size)
{
  memcpy (header, "RIFF", 4);
  put_le32 (header + 4, riff_size);
  memcpy (header + 8, "WAVEfmt ", 8);
  put_le32 (header + 16, 16);
  header[20] = 1; header[21] = 0;          /* PCM */
  header[22] = 1; header[23] = 0;          /* mono */
  put_le32 (header + 24, 8000);
  put_le32 (header + 28, 16000);
  header[32] = 2; header[33] = 0;          /* block align */
  header[34] = 16; header[35] = 0;         /* bits */
  memcpy (header + 36, "data", 4);
  put_le32 (header + 40, data_size);
}

/* Writes a recording of @data_bytes pseudo-random bytes, in pieces so a
 * large one is never in memory; @sizes_known FALSE mimics a crashed wavenc. */
static char *
write_recording (Fixture *fixture, const char *name, gsize data_bytes, gboolean sizes_known)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  FILE *out = g_fopen (path, "wb");
  guint8 header[44];
  guint8 block[65536];
  guint32 seed = g_str_hash (name);

  g_assert_nonnull (out);
  fill_header (header, sizes_known ? 36 + data_bytes : 0, sizes_known ? data_bytes : 0);
  g_assert_cmpuint (fwrite (header, 1, sizeof header, out), ==, sizeof header);
  while (data_bytes > 0)
    {
      gsize n = MIN (data_bytes, sizeof block);

      for (gsize i = 0; i < n; i++)
        block[i] = (seed = seed * 1103515245 + 12345) >> 16;
      g_assert_cmpuint (fwrite (block, 1, n, out), ==, n);
      data_bytes -= n;
    }
  g_assert_cmpint (fclose (out), ==, 0);

  return g_steal_pointer (&path);
}

static GBytes *
read_file (const char *path)
{
  char *contents;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));

  return g_bytes_new_take (contents, len);
}

static char *
in_dir (Fixture *fixture, const char *subdir, const char *name)
{
  return g_build_filename (fixture->dir, subdir != NULL ? subdir : name, subdir != NULL ? name : NULL,
                           NULL);
}

static void
set_mtime (const char *path, gint64 offset_s)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert_true (g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                              g_get_real_time () / G_USEC_PER_SEC + offset_s,
                                              G_FILE_QUERY_INFO_NONE, NULL, NULL));
}

/* Parses the body with libsoup's own multipart reader and checks the one
 * part: field "file", @name, audio/wav and exactly @expected's bytes. */
static void
assert_multipart (Received *r, const char *name, GBytes *expected)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *disposition = NULL;
  g_autofree char *length = NULL;
  SoupMultipart *multipart;
  SoupMessageHeaders *part_headers;
  GBytes *part_body;

  g_assert_nonnull (r->whole);
  g_assert_nonnull (r->content_type);
  g_assert_true (g_str_has_prefix (r->content_type, "multipart/form-data; boundary="));
  /* A Content-Length, exact, and not chunked. */
  length = g_strdup_printf ("%" G_GOFFSET_FORMAT, r->length);
  g_assert_cmpstr (r->content_length, ==, length);
  g_assert_null (r->transfer_encoding);

  body = g_bytes_new (r->whole->data, r->whole->len);
  soup_message_headers_replace (headers, "Content-Type", r->content_type);
  multipart = soup_multipart_new_from_message (headers, body);
  g_assert_nonnull (multipart);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 1);
  g_assert_true (soup_multipart_get_part (multipart, 0, &part_headers, &part_body));
  g_assert_true (soup_message_headers_get_content_disposition (part_headers, &disposition, &params));
  g_assert_cmpstr (disposition, ==, "form-data");
  g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, "file");
  g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, name);
  g_assert_cmpstr (soup_message_headers_get_content_type (part_headers, NULL), ==, "audio/wav");
  g_assert_true (g_bytes_equal (part_body, expected));
  soup_multipart_free (multipart);
}

/* ------------------------------------------------------------------- tests */

#define NAME_A "1001_4169987587_2026_02_17_17_48_1771350496000.wav"
#define NAME_B "4169987587_1001_2026_02_17_17_52_1771350720000.wav"

static void
test_recover_partial (Fixture *fixture, gconstpointer data)
{
  g_autofree char *part = write_recording (fixture, "x.wav.part", 16001, FALSE);
  g_autofree char *garbage = g_build_filename (fixture->dir, "y.wav.part", NULL);
  g_autofree char *repaired = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *header;

  repaired = helix_uploader_recover_partial (part, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (repaired, "/x.wav"));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));

  /* Sizes from the file's length; the torn last sample frame dropped. */
  bytes = read_file (repaired);
  header = g_bytes_get_data (bytes, NULL);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 44 + 16000);
  g_assert_cmpuint (get_le32 (header + 4), ==, 36 + 16000);
  g_assert_cmpuint (get_le32 (header + 40), ==, 16000);
  g_assert_cmpmem (header + 8, 8, "WAVEfmt ", 8);

  /* A recorder that died before the header is not a WAV to repair. */
  g_assert_true (g_file_set_contents (garbage, "RIFF", 4, NULL));
  g_assert_null (helix_uploader_recover_partial (garbage, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_file_test (garbage, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_null (helix_uploader_recover_partial (repaired, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_request_format (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_recording (fixture, NAME_A, 16000 * 3, TRUE);
  g_autofree char *kept = in_dir (fixture, "uploaded", NAME_A);
  g_autoptr(GBytes) original = read_file (path);
  g_autoptr(GBytes) after = NULL;
  Received *r;

  fixture->uploader = make_uploader (fixture, fixture->url);
  g_object_set (fixture->uploader, "api-key", "s3cret-token", NULL);
  helix_uploader_enqueue (fixture->uploader, path);
  wait_until (&fixture->uploaded, 1, 5000);

  g_assert_cmpuint (server_count (fixture->server), ==, 1);
  r = server_get (fixture->server, 0);
  g_assert_cmpstr (r->path, ==, "/recordings");
  g_assert_cmpstr (r->authorization, ==, "Bearer s3cret-token");
  assert_multipart (r, NAME_A, original);

  /* Kept (the default), out of the queue folder. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  after = read_file (kept);
  g_assert_true (g_bytes_equal (after, original));
  g_assert_cmpuint (helix_uploader_get_queue_length (fixture->uploader), ==, 0);
  g_assert_null (helix_uploader_get_last_error (fixture->uploader));
}

static void
test_no_key_and_delete (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_recording (fixture, NAME_A, 1000, TRUE);
  g_autofree char *kept = in_dir (fixture, "uploaded", NAME_A);
  g_autoptr(GBytes) original = read_file (path);

  fixture->uploader = make_uploader (fixture, fixture->url);
  g_object_set (fixture->uploader, "keep-after-upload", FALSE, NULL);
  helix_uploader_enqueue (fixture->uploader, path);
  wait_until (&fixture->uploaded, 1, 5000);

  g_assert_null (server_get (fixture->server, 0)->authorization);
  assert_multipart (server_get (fixture->server, 0), NAME_A, original);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (kept, G_FILE_TEST_EXISTS));
}

static void
test_retry_500_500_200 (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_recording (fixture, NAME_A, 8000, TRUE);
  g_autoptr(GBytes) original = read_file (path);

  server_push_status (fixture->server, 500);
  server_push_status (fixture->server, 500);
  fixture->uploader = make_uploader (fixture, fixture->url);
  helix_uploader_enqueue (fixture->uploader, path);
  wait_until (&fixture->uploaded, 1, 10000);
  helix_test_spin (500);

  g_assert_cmpuint (server_count (fixture->server), ==, 3);
  for (guint i = 1; i < 3; i++)
    {
      gint64 gap = server_get (fixture->server, i)->arrived_us - server_get (fixture->server, i - 1)->arrived_us;

      g_assert_cmpint (gap, >=, 2000 * G_TIME_SPAN_MILLISECOND);
      g_assert_cmpint (gap, <, 3000 * G_TIME_SPAN_MILLISECOND);
    }
  for (guint i = 0; i < 3; i++)
    assert_multipart (server_get (fixture->server, i), NAME_A, original);
  g_assert_cmpuint (fixture->failed, ==, 0);
}

static void
test_server_down_survives_restart (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_recording (fixture, NAME_A, 8000, TRUE);
  g_autofree char *kept = in_dir (fixture, "uploaded", NAME_A);
  g_autofree char *dead = g_strdup_printf ("http://127.0.0.1:%u/recordings", helix_test_dead_port ());
  gint64 start = g_get_monotonic_time ();

  fixture->uploader = make_uploader (fixture, dead);
  helix_uploader_enqueue (fixture->uploader, path);
  wait_until (&fixture->failed, 1, 10000);

  /* Three attempts two seconds apart, then it waits, still queued. */
  g_assert_cmpint (fixture->failed_at_us - start, >=, 4000 * G_TIME_SPAN_MILLISECOND);
  g_assert_false (fixture->permanent);
  g_assert_nonnull (strstr (fixture->failure, "could not reach http://127.0.0.1"));
  g_assert_nonnull (strstr (fixture->failure, NAME_A));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (helix_uploader_get_queue_length (fixture->uploader), ==, 1);

  /* The application restarts; the server is back. */
  g_clear_object (&fixture->uploader);
  fixture->uploader = make_uploader (fixture, fixture->url);
  helix_uploader_scan (fixture->uploader);
  wait_until (&fixture->uploaded, 1, 5000);
  helix_test_spin (300);

  g_assert_cmpuint (server_count (fixture->server), ==, 1);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (kept, G_FILE_TEST_EXISTS));
}

static void
test_413_is_final (Fixture *fixture, gconstpointer data)
{
  g_autofree char *first = write_recording (fixture, NAME_A, 8000, TRUE);
  g_autofree char *second = write_recording (fixture, NAME_B, 8000, TRUE);
  g_autofree char *refused = in_dir (fixture, "failed", NAME_A);

  server_push_status (fixture->server, 413);
  fixture->uploader = make_uploader (fixture, fixture->url);
  helix_uploader_enqueue (fixture->uploader, first);
  helix_uploader_enqueue (fixture->uploader, second);
  wait_until (&fixture->failed, 1, 5000);
  wait_until (&fixture->uploaded, 1, 5000);
  helix_test_spin (2500);

  /* Not retried; the next recording still went out. */
  g_assert_cmpuint (server_count (fixture->server), ==, 2);
  g_assert_true (fixture->permanent);
  g_assert_nonnull (strstr (fixture->failure, NAME_A));
  g_assert_nonnull (strstr (fixture->failure, "HTTP 413"));
  g_assert_cmpstr (helix_uploader_get_last_error (fixture->uploader), ==, NULL);
  g_assert_false (g_file_test (first, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (refused, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (helix_uploader_get_queue_length (fixture->uploader), ==, 0);
}

static void
test_413_sets_last_error (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_recording (fixture, NAME_A, 8000, TRUE);

  server_push_status (fixture->server, 413);
  fixture->uploader = make_uploader (fixture, fixture->url);
  helix_uploader_enqueue (fixture->uploader, path);
  wait_until (&fixture->failed, 1, 5000);

  g_assert_cmpstr (helix_uploader_get_last_error (fixture->uploader), ==, fixture->failure);
  g_assert_nonnull (strstr (fixture->failure, "not retried"));
}

static void
test_partial_recovered_and_sent (Fixture *fixture, gconstpointer data)
{
  g_autofree char *part = write_recording (fixture, NAME_A ".part", 16000, FALSE);
  g_autofree char *current = write_recording (fixture, NAME_B ".part", 16000, FALSE);
  g_autofree char *empty = g_build_filename (fixture->dir, "empty.wav.part", NULL);
  g_autofree char *empty_failed = in_dir (fixture, "failed", "empty.wav.part");
  g_autofree char *kept = in_dir (fixture, "uploaded", NAME_A);
  g_autoptr(GBytes) delivered = NULL;
  const guint8 *header;

  /* Two left by a crash an hour ago; one being written by this run. */
  set_mtime (part, -3600);
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  set_mtime (empty, -3600);
  set_mtime (current, 3600);

  fixture->uploader = make_uploader (fixture, fixture->url);
  helix_uploader_scan (fixture->uploader);
  wait_until (&fixture->uploaded, 1, 5000);
  wait_until (&fixture->failed, 1, 5000);
  helix_test_spin (300);

  g_assert_cmpuint (server_count (fixture->server), ==, 1);
  delivered = read_file (kept);
  header = g_bytes_get_data (delivered, NULL);
  g_assert_cmpuint (get_le32 (header + 4), ==, 36 + 16000);
  g_assert_cmpuint (get_le32 (header + 40), ==, 16000);
  assert_multipart (server_get (fixture->server, 0), NAME_A, delivered);

  /* Junk is kept for a human, and the live recording is left alone. */
  g_assert_true (fixture->permanent);
  g_assert_nonnull (strstr (fixture->failure, "no WAV header"));
  g_assert_true (g_file_test (empty_failed, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (current, G_FILE_TEST_EXISTS));
}

static gsize
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, field);
  g_assert_nonnull (line);

  return g_ascii_strtoull (line + strlen (field), NULL, 10);
}

/* Resets VmHWM to the current RSS (Linux >= 4.0); written in place, as
 * /proc files cannot be replaced the way g_file_set_contents() does. */
static gboolean
reset_peak_rss (void)
{
  FILE *out = g_fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (out == NULL)
    return FALSE;
  ok = fputs ("5", out) >= 0;

  return fclose (out) == 0 && ok;
}

static gboolean
sample_rss (gpointer user_data)
{
  gsize *peak = user_data;

  *peak = MAX (*peak, status_kb ("VmRSS:"));

  return G_SOURCE_CONTINUE;
}

static void
test_large_file_streamed (Fixture *fixture, gconstpointer data)
{
  const gsize size = 20 * 1024 * 1024;
  g_autofree char *path = NULL;
  g_autofree char *kept = in_dir (fixture, "uploaded", NAME_A);
  g_autoptr(GChecksum) expected = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autofree char *boundary = NULL;
  g_autofree char *tail = NULL;
  guint8 block[65536];
  gsize before_kb, peak_kb = 0, hwm_kb;
  gboolean hwm_reset;
  const char *end_of_head;
  Received *r;
  gint64 start, elapsed;
  guint sampler;
  gssize n;

  if (!g_file_test ("/proc/self/status", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("needs /proc to measure memory");
      return;
    }

  path = write_recording (fixture, NAME_A, size, TRUE);
  fixture->uploader = make_uploader (fixture, fixture->url);
  helix_test_spin (50);

  before_kb = status_kb ("VmRSS:");
  hwm_reset = reset_peak_rss ();
  sampler = g_timeout_add (5, sample_rss, &peak_kb);
  start = g_get_monotonic_time ();
  helix_uploader_enqueue (fixture->uploader, path);
  wait_until (&fixture->uploaded, 1, 30000);
  elapsed = g_get_monotonic_time () - start;
  g_source_remove (sampler);
  hwm_kb = status_kb ("VmHWM:");

  g_test_message ("%zu MB uploaded in %" G_GINT64_FORMAT " ms; RSS before %zu kB, "
                  "peak sampled %zu kB, VmHWM %zu kB (%s)",
                  size / (1024 * 1024), elapsed / 1000, before_kb, peak_kb, hwm_kb,
                  hwm_reset ? "reset before the upload" : "since process start");

  r = server_get (fixture->server, 0);
  g_assert_nonnull (r->content_length);
  g_assert_cmpint (g_ascii_strtoll (r->content_length, NULL, 10), ==, r->length);
  g_assert_null (r->transfer_encoding);

  /* Byte for byte: the part header as sent, the file, the closing boundary. */
  end_of_head = g_strstr_len ((const char *) r->head->data, r->head->len, "\r\n\r\n");
  g_assert_nonnull (end_of_head);
  g_assert_nonnull (g_strstr_len ((const char *) r->head->data, end_of_head - (const char *) r->head->data,
                                  "Content-Disposition: form-data; name=\"file\"; filename=\"" NAME_A "\""));
  g_assert_nonnull (g_strstr_len ((const char *) r->head->data, end_of_head - (const char *) r->head->data,
                                  "Content-Type: audio/wav"));
  g_checksum_update (expected, r->head->data, end_of_head + 4 - (const char *) r->head->data);
  file = g_file_new_for_path (kept);
  in = G_INPUT_STREAM (g_file_read (file, NULL, NULL));
  g_assert_nonnull (in);
  while ((n = g_input_stream_read (in, block, sizeof block, NULL, NULL)) > 0)
    g_checksum_update (expected, block, n);
  boundary = g_strdup (strstr (r->content_type, "boundary=") + strlen ("boundary="));
  tail = g_strdup_printf ("\r\n--%s--\r\n", boundary);
  g_checksum_update (expected, (const guint8 *) tail, strlen (tail));
  g_assert_cmpstr (r->sha256, ==, g_checksum_get_string (expected));
  g_assert_cmpint (r->length, ==, (end_of_head + 4 - (const char *) r->head->data) + size + 44 + strlen (tail));

  /* Streamed: memory grows by far less than the file's 20 MB. */
  g_assert_cmpuint (peak_kb, <, before_kb + 8 * 1024);
  if (hwm_reset)
    g_assert_cmpuint (hwm_kb, <, before_kb + 8 * 1024);
}

static void
test_backoff_then_delivery (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_recording (fixture, NAME_A, 8000, TRUE);
  gint64 gap;

  for (guint i = 0; i < 3; i++)
    server_push_status (fixture->server, 503);
  fixture->uploader = make_uploader (fixture, fixture->url);
  g_object_set (fixture->uploader, "backoff-ms", 1000, NULL);
  helix_uploader_enqueue (fixture->uploader, path);
  wait_until (&fixture->uploaded, 1, 10000);

  /* A failed round of three, a back-off of a second, then success. */
  g_assert_cmpuint (server_count (fixture->server), ==, 4);
  g_assert_cmpuint (fixture->failed, ==, 1);
  g_assert_false (fixture->permanent);
  g_assert_nonnull (strstr (fixture->failure, "HTTP 503"));
  gap = server_get (fixture->server, 3)->arrived_us - server_get (fixture->server, 2)->arrived_us;
  g_assert_cmpint (gap, >=, 1000 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (gap, <, 1900 * G_TIME_SPAN_MILLISECOND);
  g_assert_null (helix_uploader_get_last_error (fixture->uploader));
}

static void
test_setting_change_retries_now (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_recording (fixture, NAME_A, 8000, TRUE);
  gint64 changed;

  for (guint i = 0; i < 3; i++)
    server_push_status (fixture->server, 503);
  fixture->uploader = make_uploader (fixture, fixture->url);
  helix_uploader_enqueue (fixture->uploader, path);
  wait_until (&fixture->failed, 1, 10000);

  /* The back-off is a minute; a new key is worth trying at once. */
  changed = g_get_monotonic_time ();
  g_object_set (fixture->uploader, "api-key", "new-key", NULL);
  wait_until (&fixture->uploaded, 1, 3000);
  g_assert_cmpuint (server_count (fixture->server), ==, 4);
  g_assert_cmpint (server_get (fixture->server, 3)->arrived_us - changed, <, 1000 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpstr (server_get (fixture->server, 3)->authorization, ==, "Bearer new-key");
}

static void
test_unauthorized_pauses (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_recording (fixture, NAME_A, 8000, TRUE);

  server_push_status (fixture->server, 401);
  fixture->uploader = make_uploader (fixture, fixture->url);
  g_object_set (fixture->uploader, "api-key", "old-key", NULL);
  helix_uploader_enqueue (fixture->uploader, path);
  wait_until (&fixture->failed, 1, 5000);
  helix_test_spin (2500);

  /* Neither retried nor given up on: it waits for a new key. */
  g_assert_cmpuint (server_count (fixture->server), ==, 1);
  g_assert_false (fixture->permanent);
  g_assert_nonnull (strstr (fixture->failure, "HTTP 401"));
  g_assert_nonnull (strstr (fixture->failure, "Recording.ApiKey"));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  g_object_set (fixture->uploader, "api-key", "new-key", NULL);
  wait_until (&fixture->uploaded, 1, 3000);
  g_assert_cmpstr (server_get (fixture->server, 1)->authorization, ==, "Bearer new-key");
}

static void
test_no_url_waits_in_order (Fixture *fixture, gconstpointer data)
{
  g_autofree char *first = write_recording (fixture, NAME_A, 800, TRUE);
  g_autofree char *second = write_recording (fixture, NAME_B, 800, TRUE);
  g_autoptr(GBytes) first_bytes = read_file (first);
  g_autoptr(GBytes) second_bytes = read_file (second);

  fixture->uploader = make_uploader (fixture, "");
  helix_uploader_enqueue (fixture->uploader, first);
  helix_uploader_enqueue (fixture->uploader, second);
  helix_uploader_enqueue (fixture->uploader, first);
  helix_test_spin (300);
  g_assert_cmpuint (server_count (fixture->server), ==, 0);
  g_assert_cmpuint (helix_uploader_get_queue_length (fixture->uploader), ==, 2);

  g_object_set (fixture->uploader, "url", fixture->url, NULL);
  wait_until (&fixture->uploaded, 2, 5000);
  helix_test_spin (200);
  g_assert_cmpuint (server_count (fixture->server), ==, 2);
  assert_multipart (server_get (fixture->server, 0), NAME_A, first_bytes);
  assert_multipart (server_get (fixture->server, 1), NAME_B, second_bytes);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Failures are logged as warnings on purpose; they are asserted through
   * the "failed" signal here, so they must not abort the run. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/uploader/recover-partial", test_recover_partial);
  ADD ("/uploader/request-format", test_request_format);
  ADD ("/uploader/no-key-and-delete", test_no_key_and_delete);
  ADD ("/uploader/retry-500-500-200", test_retry_500_500_200);
  ADD ("/uploader/server-down-survives-restart", test_server_down_survives_restart);
  ADD ("/uploader/413-is-final", test_413_is_final);
  ADD ("/uploader/413-sets-last-error", test_413_sets_last_error);
  ADD ("/uploader/partial-recovered-and-sent", test_partial_recovered_and_sent);
  ADD ("/uploader/large-file-streamed", test_large_file_streamed);
  ADD ("/uploader/backoff-then-delivery", test_backoff_then_delivery);
  ADD ("/uploader/setting-change-retries-now", test_setting_change_retries_now);
  ADD ("/uploader/unauthorized-pauses", test_unauthorized_pauses);
  ADD ("/uploader/no-url-waits-in-order", test_no_url_waits_in_order);

  return g_test_run ();
}

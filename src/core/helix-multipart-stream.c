/* helix-multipart-stream.c — a multipart/form-data body read straight from disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A recording can be an hour long (~57 MB), so the upload body is never
 * built in memory.  This stream yields the part header, then the file's
 * bytes as they are read from disk, then the closing boundary.  Its length
 * is known up front, so the request goes out with a Content-Length rather
 * than chunked (some receivers reject chunked uploads).
 *
 * The file must keep the size it had when the stream was made: if it is
 * shorter the read fails (a Content-Length we cannot honour would leave the
 * server waiting), bytes beyond it are not sent.
 */
#define G_LOG_DOMAIN "helix-multipart"

#include "helix-multipart-stream.h"

#include <string.h>

struct _HelixMultipartStream {
  GInputStream  parent_instance;

  char         *boundary;
  GBytes       *head;
  GBytes       *tail;
  GInputStream *file;
  goffset       file_size;
  gsize         head_pos;
  goffset       file_left;
  gsize         tail_pos;
};

G_DEFINE_FINAL_TYPE (HelixMultipartStream, helix_multipart_stream, G_TYPE_INPUT_STREAM)

/* What browsers do for form-data names (WHATWG HTML, "multipart/form-data
 * encoding algorithm"): only ", CR and LF are escaped, UTF-8 stays as is. */
static void
append_quoted (GString    *out,
               const char *value)
{
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append (out, "%22");
      else if (*p == '\r')
        g_string_append (out, "%0D");
      else if (*p == '\n')
        g_string_append (out, "%0A");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* Copies from an in-memory piece; returns the count, 0 when it is used up. */
static gssize
read_piece (GBytes *piece,
            gsize  *pos,
            void   *buffer,
            gsize   count)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (piece, &len);
  gsize n = MIN (count, len - *pos);

  memcpy (buffer, data + *pos, n);
  *pos += n;

  return n;
}

static gboolean
check_file_read (HelixMultipartStream *self,
                 gssize                n,
                 GError              **error)
{
  if (n < 0)
    return FALSE;

  if (n == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   "the file shrank while it was being sent (%" G_GOFFSET_FORMAT " bytes missing)",
                   self->file_left);
      return FALSE;
    }

  self->file_left -= n;

  return TRUE;
}

static gssize
helix_multipart_stream_read (GInputStream  *stream,
                             void          *buffer,
                             gsize          count,
                             GCancellable  *cancellable,
                             GError       **error)
{
  HelixMultipartStream *self = HELIX_MULTIPART_STREAM (stream);
  gssize n;

  if (count == 0)
    return 0;

  if ((n = read_piece (self->head, &self->head_pos, buffer, count)) > 0)
    return n;

  if (self->file_left > 0)
    {
      n = g_input_stream_read (self->file, buffer, (gsize) MIN ((goffset) count, self->file_left),
                               cancellable, error);
      return check_file_read (self, n, error) ? n : -1;
    }

  return read_piece (self->tail, &self->tail_pos, buffer, count);
}

static void
on_file_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HelixMultipartStream *self = g_task_get_source_object (task);
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (!check_file_read (self, n, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

/* Real async reads, so the file is read by GIO while the main loop runs. */
static void
helix_multipart_stream_read_async (GInputStream        *stream,
                                   void                *buffer,
                                   gsize                count,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  HelixMultipartStream *self = HELIX_MULTIPART_STREAM (stream);
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  gssize n;

  g_task_set_source_tag (task, helix_multipart_stream_read_async);

  if (count > 0 && self->head_pos >= g_bytes_get_size (self->head) && self->file_left > 0)
    {
      g_input_stream_read_async (self->file, buffer, (gsize) MIN ((goffset) count, self->file_left),
                                 io_priority, cancellable, on_file_read, g_steal_pointer (&task));
      return;
    }

  /* The in-memory pieces cannot block. */
  n = helix_multipart_stream_read (stream, buffer, count, cancellable, NULL);
  g_task_return_int (task, n);
}

static gssize
helix_multipart_stream_read_finish (GInputStream  *stream,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

static gboolean
helix_multipart_stream_close (GInputStream  *stream,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return g_input_stream_close (HELIX_MULTIPART_STREAM (stream)->file, cancellable, error);
}

static void
on_file_closed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_input_stream_close_finish (G_INPUT_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
helix_multipart_stream_close_async (GInputStream        *stream,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, helix_multipart_stream_close_async);
  g_input_stream_close_async (HELIX_MULTIPART_STREAM (stream)->file, io_priority, cancellable,
                              on_file_closed, task);
}

static gboolean
helix_multipart_stream_close_finish (GInputStream  *stream,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
helix_multipart_stream_finalize (GObject *object)
{
  HelixMultipartStream *self = HELIX_MULTIPART_STREAM (object);

  g_free (self->boundary);
  g_clear_pointer (&self->head, g_bytes_unref);
  g_clear_pointer (&self->tail, g_bytes_unref);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (helix_multipart_stream_parent_class)->finalize (object);
}

static void
helix_multipart_stream_class_init (HelixMultipartStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = helix_multipart_stream_finalize;

  stream_class->read_fn = helix_multipart_stream_read;
  stream_class->read_async = helix_multipart_stream_read_async;
  stream_class->read_finish = helix_multipart_stream_read_finish;
  stream_class->close_fn = helix_multipart_stream_close;
  stream_class->close_async = helix_multipart_stream_close_async;
  stream_class->close_finish = helix_multipart_stream_close_finish;
}

static void
helix_multipart_stream_init (HelixMultipartStream *self)
{
}

/* One part, @field, carrying @file_size bytes of @file under @filename. */
GInputStream *
helix_multipart_stream_new (const char   *field,
                            const char   *filename,
                            const char   *content_type,
                            GInputStream *file,
                            goffset       file_size)
{
  HelixMultipartStream *self;
  g_autoptr(GString) head = g_string_new (NULL);
  g_autofree char *uuid = g_uuid_string_random ();
  g_auto(GStrv) uuid_parts = g_strsplit (uuid, "-", -1);
  g_autofree char *random = g_strjoinv (NULL, uuid_parts);

  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (content_type != NULL, NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (file), NULL);
  g_return_val_if_fail (file_size >= 0, NULL);

  self = g_object_new (HELIX_TYPE_MULTIPART_STREAM, NULL);
  /* 122 random bits: a recording cannot plausibly contain it. */
  self->boundary = g_strconcat ("HelixPhoneBoundary", random, NULL);

  g_string_append_printf (head, "--%s\r\nContent-Disposition: form-data; name=", self->boundary);
  append_quoted (head, field);
  g_string_append (head, "; filename=");
  append_quoted (head, filename);
  g_string_append_printf (head, "\r\nContent-Type: %s\r\n\r\n", content_type);
  self->head = g_string_free_to_bytes (g_steal_pointer (&head));
  self->tail = g_bytes_new_take (g_strdup_printf ("\r\n--%s--\r\n", self->boundary),
                                 strlen (self->boundary) + 8);
  self->file = g_object_ref (file);
  self->file_size = file_size;
  self->file_left = file_size;

  return G_INPUT_STREAM (self);
}

const char *
helix_multipart_stream_get_boundary (HelixMultipartStream *self)
{
  g_return_val_if_fail (HELIX_IS_MULTIPART_STREAM (self), NULL);

  return self->boundary;
}

/* The exact number of bytes the stream yields: the Content-Length. */
goffset
helix_multipart_stream_get_length (HelixMultipartStream *self)
{
  g_return_val_if_fail (HELIX_IS_MULTIPART_STREAM (self), 0);

  return (goffset) g_bytes_get_size (self->head) + self->file_size +
         (goffset) g_bytes_get_size (self->tail);
}

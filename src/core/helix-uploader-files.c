/* helix-uploader-files.c — the recordings folder as the uploader's queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The queue lives on disk, not in memory, so that neither a crash nor a
 * dead server can lose a recording:
 *
 *   <folder>/X.wav.part     being written by the recorder (never sent)
 *   <folder>/X.wav          finished, waiting to be uploaded
 *   <folder>/uploaded/X.wav accepted by the server (Recording.KeepAfterUpload)
 *   <folder>/failed/X.wav   refused for good by the server, kept for a human
 */
#define G_LOG_DOMAIN "helix-uploader"

#include "helix-uploader.h"
#include "helix-uploader-files.h"

#include <string.h>

/* wavenc writes RIFF, a 16-byte fmt chunk and the data chunk header: 44
 * bytes.  Chunks are walked rather than assumed, within this much. */
#define HEADER_SCAN_BYTES 4096

void
helix_found_recording_free (HelixFoundRecording *found)
{
  g_free (found->path);
  g_free (found->problem);
  g_free (found);
}

static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static gboolean
write_le32_at (GFileIOStream *io,
               goffset        offset,
               guint32        value,
               GError       **error)
{
  guint8 bytes[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (io));

  return g_seekable_seek (G_SEEKABLE (io), offset, G_SEEK_SET, NULL, error) &&
         g_output_stream_write_all (out, bytes, sizeof bytes, NULL, NULL, error);
}

/* Where the samples start, and the size of one sample frame (0: unknown). */
static gboolean
find_data_chunk (const guint8 *header,
                 gsize         len,
                 gsize        *data_offset,
                 guint        *block_align)
{
  gsize pos = 12;

  *block_align = 0;
  if (len < 12 || memcmp (header, "RIFF", 4) != 0 || memcmp (header + 8, "WAVE", 4) != 0)
    return FALSE;

  while (pos + 8 <= len)
    {
      const guint8 *chunk = header + pos;
      guint32 size = read_le32 (chunk + 4);

      if (memcmp (chunk, "data", 4) == 0)
        {
          *data_offset = pos + 8;
          return TRUE;
        }

      if (memcmp (chunk, "fmt ", 4) == 0 && size >= 16 && pos + 8 + 16 <= len)
        *block_align = chunk[8 + 12] | chunk[8 + 13] << 8;

      pos += 8 + (gsize) size + (size & 1);
    }

  return FALSE;
}

/**
 * helix_uploader_recover_partial:
 * @path: a `*.wav.part` file whose recorder died before the end of stream
 * @error: return location for a #GError
 *
 * wavenc writes the RIFF and data sizes only at the end of stream, so a
 * recording cut short by a crash has a header that lies about its length.
 * This rewrites both sizes from the file's real length (dropping a torn
 * last sample frame) and renames the file to `*.wav`.
 *
 * Blocking: call it off the main loop.
 *
 * Returns: (transfer full): the path of the repaired `.wav`, or %NULL
 */
char *
helix_uploader_recover_partial (const char  *path,
                                GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(GFileIOStream) io = NULL;
  g_autofree char *target_path = NULL;
  guint8 header[HEADER_SCAN_BYTES];
  gsize got = 0, data_offset = 0;
  guint block_align;
  goffset length, data_size;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_str_has_suffix (path, ".wav" HELIX_UPLOADER_PARTIAL_SUFFIX))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a partial recording (*.wav.part)", path);
      return NULL;
    }

  file = g_file_new_for_path (path);
  io = g_file_open_readwrite (file, NULL, error);
  if (io == NULL ||
      !g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (io)),
                                header, sizeof header, &got, NULL, error) ||
      !g_seekable_seek (G_SEEKABLE (io), 0, G_SEEK_END, NULL, error))
    return NULL;
  length = g_seekable_tell (G_SEEKABLE (io));

  if (!find_data_chunk (header, got, &data_offset, &block_align))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "“%s” has no WAV header (%" G_GOFFSET_FORMAT " bytes); "
                   "the recorder stopped before writing one", path, length);
      return NULL;
    }

  data_size = length - (goffset) data_offset;
  if (block_align > 1)
    data_size -= data_size % block_align;
  if ((goffset) data_offset + data_size - 8 > (goffset) G_MAXUINT32)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "“%s” is larger than a WAV file can be", path);
      return NULL;
    }

  if ((goffset) data_offset + data_size < length &&
      !g_seekable_truncate (G_SEEKABLE (io), (goffset) data_offset + data_size, NULL, error))
    return NULL;

  if (!write_le32_at (io, 4, (guint32) ((goffset) data_offset + data_size - 8), error) ||
      !write_le32_at (io, (goffset) data_offset - 4, (guint32) data_size, error) ||
      !g_io_stream_close (G_IO_STREAM (io), NULL, error))
    return NULL;

  target_path = g_strndup (path, strlen (path) - strlen (HELIX_UPLOADER_PARTIAL_SUFFIX));
  target = g_file_new_for_path (target_path);
  if (!g_file_move (file, target, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
    return NULL;

  return g_steal_pointer (&target_path);
}

static char *
retire (const char  *path,
        const char  *subdir,
        GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) target = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GError) local_error = NULL;

  if (subdir == NULL)
    return g_file_delete (file, NULL, error) ? g_strdup ("") : NULL;

  dir = g_file_get_child (parent, subdir);
  if (!g_file_make_directory (dir, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* Names carry the call's epoch milliseconds, so a file already there is
   * this very recording, sent again after a crash between send and move. */
  target = g_file_get_child (dir, name);
  if (!g_file_move (file, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return NULL;

  return g_file_get_path (target);
}

typedef struct {
  char *path;
  char *subdir;
} RetireData;

static void
retire_data_free (RetireData *data)
{
  g_free (data->path);
  g_free (data->subdir);
  g_free (data);
}

static void
retire_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RetireData *data = task_data;
  GError *error = NULL;
  char *result = retire (data->path, data->subdir, &error);

  if (result != NULL)
    g_task_return_pointer (task, result, g_free);
  else
    g_task_return_error (task, error);
}

void
helix_recordings_retire_async (const char          *path,
                               const char          *subdir,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  RetireData *data = g_new0 (RetireData, 1);

  data->path = g_strdup (path);
  data->subdir = g_strdup (subdir);
  g_task_set_task_data (task, data, (GDestroyNotify) retire_data_free);
  g_task_run_in_thread (task, retire_thread);
}

char *
helix_recordings_retire_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  HelixFoundRecording *found;
  gint64               mtime_us;
} Entry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *x = a, *y = b;

  if (x->mtime_us != y->mtime_us)
    return x->mtime_us < y->mtime_us ? -1 : 1;

  return g_strcmp0 (x->found->path, y->found->path);
}

static gint64
mtime_us (GFileInfo *info)
{
  g_autoptr(GDateTime) modified = g_file_info_get_modification_date_time (info);

  if (modified == NULL)
    return 0;

  return g_date_time_to_unix (modified) * G_USEC_PER_SEC + g_date_time_get_microsecond (modified);
}

static void
add_partial (GArray     *entries,
             const char *path,
             gint64      modified)
{
  g_autoptr(GError) error = NULL;
  Entry entry = { g_new0 (HelixFoundRecording, 1), modified };

  entry.found->path = helix_uploader_recover_partial (path, &error);
  if (entry.found->path != NULL)
    {
      g_message ("Repaired recording %s left by an earlier run", entry.found->path);
      g_array_append_val (entries, entry);
      return;
    }

  /* Finished by its recorder after all, or deleted by hand: nothing to do. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      helix_found_recording_free (entry.found);
      return;
    }

  /* Kept for a human, out of the way of the recorder and the queue. */
  {
    g_autoptr(GError) move_error = NULL;
    g_autofree char *moved = retire (path, HELIX_UPLOADER_FAILED_DIR, &move_error);

    entry.found->path = moved != NULL ? g_steal_pointer (&moved) : g_strdup (path);
    entry.found->problem = g_strdup_printf ("%s; %s", error->message,
                                            move_error == NULL ? "moved to " HELIX_UPLOADER_FAILED_DIR "/"
                                                               : move_error->message);
  }
  g_array_append_val (entries, entry);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *folder = g_object_get_data (G_OBJECT (task), "folder");
  gint64 partial_before_us = *(gint64 *) task_data;
  g_autoptr(GFile) dir = g_file_new_for_path (folder);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) helix_found_recording_free);
  GError *error = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (dir,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                        G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                        G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, &error);
  if (children == NULL)
    {
      /* No folder yet: no recording was ever made. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_clear_error (&error);
      if (error != NULL)
        {
          g_ptr_array_unref (result);
          g_task_return_error (task, error);
        }
      else
        g_task_return_pointer (task, result, (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  while (g_file_enumerator_iterate (children, &info, NULL, cancellable, &error) && info != NULL)
    {
      const char *name = g_file_info_get_name (info);
      g_autofree char *path = NULL;
      gint64 modified;

      if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
        continue;

      path = g_build_filename (folder, name, NULL);
      modified = mtime_us (info);
      if (g_str_has_suffix (name, ".wav"))
        {
          Entry entry = { g_new0 (HelixFoundRecording, 1), modified };

          entry.found->path = g_steal_pointer (&path);
          g_array_append_val (entries, entry);
        }
      else if (g_str_has_suffix (name, ".wav" HELIX_UPLOADER_PARTIAL_SUFFIX) &&
               modified < partial_before_us)
        add_partial (entries, path, modified);
    }

  /* Oldest first: the order the calls happened in. */
  g_array_sort (entries, compare_entries);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (result, g_array_index (entries, Entry, i).found);

  if (error != NULL)
    {
      g_ptr_array_unref (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) g_ptr_array_unref);
}

void
helix_recordings_scan_async (const char          *folder,
                             gint64               partial_before_us,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_object_set_data_full (G_OBJECT (task), "folder", g_strdup (folder), g_free);
  g_task_set_task_data (task, g_memdup2 (&partial_before_us, sizeof partial_before_us), g_free);
  g_task_run_in_thread (task, scan_thread);
}

GPtrArray *
helix_recordings_scan_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

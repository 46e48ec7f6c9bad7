/* helix-call-history-file.c — reading and serialising call-history.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A file that does not parse is never replaced unread: it is moved to
 * <path>.broken-<time> (never over an earlier copy) and the history starts
 * empty.  A file that cannot even be opened (permissions, I/O errors) is
 * left where it is, and the history does not write over it.
 */
#define G_LOG_DOMAIN "helix-call-history"

#include "helix-config.h"
#include "helix-call-history-file.h"
#include "helix-call-history.h"

#define FILE_VERSION 1
/* More name clashes than this within one second mean something else is
 * wrong */
#define MAX_BACKUP_ATTEMPTS 10

GBytes *
helix_call_history_file_serialize (GPtrArray *records)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *calls = json_array_sized_new (records->len);
  char *text;
  gsize length = 0;

  for (guint i = 0; i < records->len; i++)
    json_array_add_element (calls, helix_call_record_to_json (g_ptr_array_index (records, i)));

  json_object_set_int_member (object, "version", FILE_VERSION);
  json_object_set_array_member (object, "calls", calls);
  json_node_set_object (root, object);

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  return g_bytes_new_take (text, length);
}

static GPtrArray *
parse_history (const char  *path,
               const char  *contents,
               gsize        length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  JsonNode *root;
  JsonNode *calls;
  JsonArray *array;
  guint skipped = 0;

  if (!json_parser_load_from_data (parser, contents, length, error))
    return NULL;

  root = json_parser_get_root (parser);
  calls = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
          ? json_object_get_member (json_node_get_object (root), "calls") : NULL;
  if (calls == NULL || !JSON_NODE_HOLDS_ARRAY (calls))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "it is not a JSON object with a \"calls\" list");
      return NULL;
    }

  array = json_node_get_array (calls);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      HelixCallRecord *record = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        record = helix_call_record_new_from_json (json_node_get_object (element), NULL);
      if (record != NULL)
        g_ptr_array_add (records, record);
      else
        skipped++;
    }

  /* One bad entry (a hand edit, a direction a newer version added) should
   * not cost the whole history */
  if (skipped > 0)
    g_warning ("Skipped %u unreadable entries of the call history %s", skipped, path);

  return g_steal_pointer (&records);
}

typedef struct {
  GFile  *file;
  GError *damage;           /* why the file is not a call history */
  char   *backup_stem;
  GFile  *backup;
  guint   backup_attempt;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->file);
  g_clear_error (&data->damage);
  g_free (data->backup_stem);
  g_clear_object (&data->backup);
  g_free (data);
}

static void move_aside (GTask *task);

static void
on_moved_aside (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (g_file_move_finish (G_FILE (source), result, &error))
    {
      g_task_return_new_error (task, HELIX_CALL_HISTORY_ERROR, HELIX_CALL_HISTORY_ERROR_DAMAGED,
                               "The call history %s could not be read (%s); "
                               "it was kept as %s and the history starts empty",
                               g_file_peek_path (data->file), data->damage->message,
                               g_file_peek_path (data->backup));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS)
      && ++data->backup_attempt < MAX_BACKUP_ATTEMPTS)
    {
      move_aside (g_steal_pointer (&task));
      return;
    }

  g_task_return_new_error (task, HELIX_CALL_HISTORY_ERROR, HELIX_CALL_HISTORY_ERROR_UNREADABLE,
                           "The call history %s could not be read (%s) nor kept aside (%s); "
                           "this session's calls are not saved",
                           g_file_peek_path (data->file), data->damage->message, error->message);
}

static void
move_aside (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);
  g_autofree char *backup_path = NULL;

  if (data->backup_attempt == 0)
    backup_path = g_strdup (data->backup_stem);
  else
    backup_path = g_strdup_printf ("%s-%u", data->backup_stem, data->backup_attempt);

  g_clear_object (&data->backup);
  data->backup = g_file_new_for_path (backup_path);
  /* No OVERWRITE: an earlier copy kept aside is never lost */
  g_file_move_async (data->file, data->backup, G_FILE_COPY_NOFOLLOW_SYMLINKS, G_PRIORITY_DEFAULT,
                     g_task_get_cancellable (task), NULL, NULL, on_moved_aside, task);
}

static void
on_contents_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_pointer (task, g_ptr_array_new_with_free_func (g_object_unref),
                               (GDestroyNotify) g_ptr_array_unref);
      else
        g_task_return_new_error (task, HELIX_CALL_HISTORY_ERROR, HELIX_CALL_HISTORY_ERROR_UNREADABLE,
                                 "Cannot read the call history %s; this session's calls are not saved: %s",
                                 g_file_peek_path (data->file), error->message);
      return;
    }

  records = parse_history (g_file_peek_path (data->file), contents, length, &data->damage);
  if (records != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&records), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  {
    /* Local time: it is read by the person looking at the folder */
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");

    data->backup_stem = g_strdup_printf ("%s.broken-%s", g_file_peek_path (data->file), stamp);
  }
  move_aside (g_steal_pointer (&task));
}

void
helix_call_history_file_read_async (const char          *path,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  ReadData *data;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, helix_call_history_file_read_async);
  data = g_new0 (ReadData, 1);
  data->file = g_file_new_for_path (path);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);

  g_file_load_contents_async (data->file, cancellable, on_contents_loaded, task);
}

GPtrArray *
helix_call_history_file_read_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

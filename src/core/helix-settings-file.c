/* helix-settings-file.c — writing settings.json: queued saves, the copy
 * of a file that had problems, mode 0600 and the parent directory
 *
 * helix_settings_save_async() and _finish(), declared in helix-settings.h,
 * are implemented here so that the queue never leaves this file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helix-settings"

#include "helix-settings-file.h"

#include <errno.h>

struct _HelixSettingsFile
{
  /* The file on disk had problems and has not been copied aside yet */
  gboolean backup_pending;
  /* Save GTasks, oldest first. Only the head runs, so an older snapshot
   * can never be renamed over a newer one. */
  GQueue   saves;
};

HelixSettingsFile *
helix_settings_file_new (void)
{
  return g_new0 (HelixSettingsFile, 1);
}

void
helix_settings_file_free (HelixSettingsFile *file)
{
  /* Each queued task holds a reference on the settings that own @file */
  g_assert (g_queue_is_empty (&file->saves));

  g_free (file);
}

void
helix_settings_file_set_backup_pending (HelixSettingsFile *file,
                                        gboolean           pending)
{
  file->backup_pending = pending;
}

static GBytes *
serialize (JsonObject *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  gsize length = 0;

  json_node_set_object (node, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);

  return g_bytes_new_take (g_strconcat (text, "\n", NULL), length + 1);
}

/* A save runs these steps in order; on_save_step_done() finishes one and
 * picks the next. The first two only run when the file had problems. */
typedef enum
{
  SAVE_COPY_ASIDE,     /* copy to <path>.broken-<time>[-N], never overwriting */
  SAVE_PROTECT_COPY,   /* make that copy 0600, like the file will be */
  SAVE_WRITE,          /* over an existing file: temporary file, fsync, rename */
  SAVE_CHECK_MODE,
  SAVE_PROTECT,        /* force 0600 if the file system kept another mode */
  SAVE_DONE
} SaveStep;

typedef struct
{
  SaveStep  step;
  GFile    *file;
  GBytes   *contents;
  char     *backup_stem;
  GFile    *backup;
  guint     backup_attempt;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->contents, g_bytes_unref);
  g_clear_pointer (&data->backup_stem, g_free);
  g_clear_object (&data->backup);
  g_free (data);
}

static void save_start (HelixSettingsFile *self);
static void on_save_step_done (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);

static void
set_private_async (GFile *file,
                   GTask *task)
{
  g_autoptr(GFileInfo) info = g_file_info_new ();

  g_file_info_set_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE, 0600);
  g_file_set_attributes_async (file, info, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, G_PRIORITY_DEFAULT,
                               g_task_get_cancellable (task), on_save_step_done, task);
}

/* Every step borrows the task: self->saves holds it until here */
static void
save_complete (GTask  *task,
               GError *error)
{
  HelixSettingsFile *self = helix_settings_get_file (g_task_get_source_object (task));

  g_assert (g_queue_peek_head (&self->saves) == task);
  g_queue_pop_head (&self->saves);

  if (!g_queue_is_empty (&self->saves))
    save_start (self);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);

  g_object_unref (task);
}

static void
save_run_step (GTask *task)
{
  SaveData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *backup_path = NULL;

  switch (data->step)
    {
    case SAVE_COPY_ASIDE:
      if (data->backup_attempt == 0)
        backup_path = g_strdup (data->backup_stem);
      else
        backup_path = g_strdup_printf ("%s-%u", data->backup_stem, data->backup_attempt);
      g_clear_object (&data->backup);
      data->backup = g_file_new_for_path (backup_path);
      g_file_copy_async (data->file, data->backup, G_FILE_COPY_NONE, G_PRIORITY_DEFAULT,
                         cancellable, NULL, NULL, on_save_step_done, task);
      break;

    case SAVE_PROTECT_COPY:
      set_private_async (data->backup, task);
      break;

    case SAVE_WRITE:
      /* PRIVATE creates the file 0600; REPLACE_DESTINATION stops GLib from
       * copying the old, maybe world-readable, mode onto it (and replaces
       * a symlink rather than writing through it). A new file is written
       * in place, as there is nothing to lose yet. */
      g_file_replace_contents_bytes_async (data->file, data->contents, NULL, FALSE,
                                           G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                           cancellable, on_save_step_done, task);
      break;

    case SAVE_CHECK_MODE:
      g_file_query_info_async (data->file, G_FILE_ATTRIBUTE_UNIX_MODE, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                               G_PRIORITY_DEFAULT, cancellable, on_save_step_done, task);
      break;

    case SAVE_PROTECT:
      set_private_async (data->file, task);
      break;

    case SAVE_DONE:
    default:
      save_complete (task, NULL);
    }
}

static void
on_save_step_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  HelixSettingsFile *self = helix_settings_get_file (g_task_get_source_object (task));
  SaveData *data = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = NULL;
  GError *error = NULL;

  switch (data->step)
    {
    case SAVE_COPY_ASIDE:
      if (g_file_copy_finish (G_FILE (source), result, &error))
        {
          g_message ("Kept the settings file that had problems as %s", g_file_peek_path (data->backup));
          self->backup_pending = FALSE;
          data->step = SAVE_PROTECT_COPY;
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_clear_error (&error);
          data->backup_attempt++;
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          /* Removed since it was loaded; nothing is left to protect */
          g_clear_error (&error);
          self->backup_pending = FALSE;
          data->step = SAVE_WRITE;
        }
      else
        {
          /* Not writing is the only way not to lose what the user had */
          g_prefix_error (&error, "Not saving, as a copy of %s could not be kept: ",
                          g_file_peek_path (data->file));
        }
      break;

    case SAVE_PROTECT_COPY:
      /* The copy has the mode the user's file had: no worse than before,
       * and Windows has no Unix mode to set. */
      if (!g_file_set_attributes_finish (G_FILE (source), result, NULL, &error))
        g_debug ("Could not make %s private: %s", g_file_peek_path (data->backup), error->message);
      g_clear_error (&error);
      data->step = SAVE_WRITE;
      break;

    case SAVE_WRITE:
      if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
        data->step = SAVE_CHECK_MODE;
      break;

    case SAVE_CHECK_MODE:
      /* Without a Unix mode (Windows) the profile directory is private */
      info = g_file_query_info_finish (G_FILE (source), result, &error);
      if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_UNIX_MODE)
          && (g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE) & 07777) != 0600)
        data->step = SAVE_PROTECT;
      else
        data->step = SAVE_DONE;
      break;

    case SAVE_PROTECT:
      if (g_file_set_attributes_finish (G_FILE (source), result, NULL, &error))
        data->step = SAVE_DONE;
      break;

    case SAVE_DONE:
    default:
      g_assert_not_reached ();
    }

  if (error != NULL)
    save_complete (task, error);
  else
    save_run_step (task);
}

static void
save_start (HelixSettingsFile *self)
{
  GTask *task = g_queue_peek_head (&self->saves);
  HelixSettings *settings = g_task_get_source_object (task);
  const char *path = helix_settings_get_path (settings);
  SaveData *data = g_new0 (SaveData, 1);
  g_autofree char *directory = g_path_get_dirname (path);
  int saved_errno;

  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  data->file = g_file_new_for_path (path);
  /* Serialised when the save starts rather than when it was asked for,
   * so a save that waited behind another writes the latest values. */
  data->contents = serialize (helix_settings_update_root (settings));
  data->step = self->backup_pending ? SAVE_COPY_ASIDE : SAVE_WRITE;

  if (self->backup_pending)
    {
      /* Local time: it is read by the person looking at the folder */
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");

      data->backup_stem = g_strdup_printf ("%s.broken-%s", path, stamp);
    }

  /* A few mkdir() calls on a local directory, usually none, and GIO has
   * no asynchronous "with parents". 0700: the file holds a password. */
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      saved_errno = errno;
      save_complete (task, g_error_new (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                        "Could not create %s: %s", directory, g_strerror (saved_errno)));
      return;
    }

  save_run_step (task);
}

void
helix_settings_save_async (HelixSettings       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  HelixSettingsFile *file;
  GTask *task;

  g_return_if_fail (HELIX_IS_SETTINGS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  file = helix_settings_get_file (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, helix_settings_save_async);

  g_queue_push_tail (&file->saves, task);
  if (g_queue_get_length (&file->saves) == 1)
    save_start (file);
}

gboolean
helix_settings_save_finish (HelixSettings  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (HELIX_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == helix_settings_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

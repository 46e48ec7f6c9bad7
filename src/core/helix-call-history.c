/* helix-call-history.c — recent calls: a GListModel, newest first, kept
 * in call-history.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file: {"version": 1, "calls": [ <newest record>, … ]}, each record
 * as helix_call_record_to_json() writes it.
 *
 * Writing: every change marks the history dirty and an idle callback
 * starts one write, so a burst of changes costs one write.  Only one
 * write is in flight at a time and it serialises the latest state; a
 * change during a write is written right after it.  Writes replace the
 * file atomically (temporary file + rename) with mode 0600: numbers and
 * names of callers are personal data.
 */
#define G_LOG_DOMAIN "helix-call-history"

#include "helix-config.h"
#include "helix-call-history.h"

#include <errno.h>

#include "helix-call-history-file.h"

typedef enum {
  LOAD_NOT_STARTED,
  LOAD_RUNNING,
  LOAD_DONE,
} LoadState;

struct _HelixCallHistory
{
  GObject    parent_instance;

  char      *path;
  GPtrArray *records;          /* HelixCallRecord*, newest first */

  LoadState  load_state;
  gboolean   cleared_while_loading;
  /* FALSE once the file could neither be read nor kept aside: writing
   * would destroy what the user had, so this session stays in memory */
  gboolean   persist;
  gboolean   dirty;
  gboolean   writing;
  gboolean   saving;           /* the property: dirty-and-persisted or writing */
  guint      save_idle_id;
};

static void helix_call_history_list_model_init (GListModelInterface *iface);

G_DEFINE_QUARK (helix-call-history-error-quark, helix_call_history_error)

G_DEFINE_FINAL_TYPE_WITH_CODE (HelixCallHistory, helix_call_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      helix_call_history_list_model_init))

enum {
  PROP_0,
  PROP_PATH,
  PROP_SAVING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void start_write (HelixCallHistory *self);

static GType
helix_call_history_get_item_type (GListModel *model)
{
  return HELIX_TYPE_CALL_RECORD;
}

static guint
helix_call_history_get_n_items (GListModel *model)
{
  return HELIX_CALL_HISTORY (model)->records->len;
}

static gpointer
helix_call_history_get_item (GListModel *model,
                             guint       position)
{
  HelixCallHistory *self = HELIX_CALL_HISTORY (model);

  if (position >= self->records->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->records, position));
}

static void
helix_call_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = helix_call_history_get_item_type;
  iface->get_n_items = helix_call_history_get_n_items;
  iface->get_item = helix_call_history_get_item;
}

static void
update_saving (HelixCallHistory *self)
{
  gboolean saving = (self->dirty && self->persist) || self->writing;

  if (saving == self->saving)
    return;

  self->saving = saving;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SAVING]);
}

static void
items_changed (HelixCallHistory *self,
               guint             position,
               guint             removed,
               guint             added)
{
  if (removed == 0 && added == 0)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ITEMS]);
}

static gboolean
on_save_idle (gpointer user_data)
{
  HelixCallHistory *self = user_data;

  self->save_idle_id = 0;
  start_write (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_save (HelixCallHistory *self)
{
  self->dirty = TRUE;

  if (self->save_idle_id == 0 && !self->writing && self->load_state == LOAD_DONE && self->persist)
    self->save_idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_save_idle,
                                          g_object_ref (self), g_object_unref);
  update_saving (self);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HelixCallHistory) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_warning ("Cannot save the call history to %s: %s", self->path, error->message);

  self->writing = FALSE;
  start_write (self);
  update_saving (self);
}

static void
start_write (HelixCallHistory *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autofree char *directory = NULL;
  int saved_errno;

  if (self->writing || !self->dirty || self->load_state != LOAD_DONE || !self->persist)
    return;

  g_clear_handle_id (&self->save_idle_id, g_source_remove);
  self->dirty = FALSE;

  /* A few mkdir() calls on a local directory, usually none, and GIO has
   * no asynchronous "with parents"; the same trade as settings.json. */
  directory = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      saved_errno = errno;
      g_warning ("Cannot save the call history: cannot create %s: %s",
                 directory, g_strerror (saved_errno));
      update_saving (self);
      return;
    }

  self->writing = TRUE;
  contents = helix_call_history_file_serialize (self->records);
  file = g_file_new_for_path (self->path);
  /* PRIVATE: created 0600; REPLACE_DESTINATION: written to a temporary
   * file and renamed over the old one, whose mode is not carried over */
  g_file_replace_contents_bytes_async (file, contents, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, on_written, g_object_ref (self));
  update_saving (self);
}

/* ---- loading ---------------------------------------------------------- */

/* Calls added while the file was read are newer than all of its calls */
static void
on_file_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HelixCallHistory *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  guint before = self->records->len;

  loaded = helix_call_history_file_read_finish (result, &error);
  self->load_state = LOAD_DONE;
  /* Writing over a file that could not be read nor kept aside would
   * destroy what the user had */
  if (g_error_matches (error, HELIX_CALL_HISTORY_ERROR, HELIX_CALL_HISTORY_ERROR_UNREADABLE))
    self->persist = FALSE;

  for (guint i = 0; loaded != NULL && !self->cleared_while_loading && i < loaded->len
       && self->records->len < HELIX_CALL_HISTORY_MAX_ENTRIES; i++)
    g_ptr_array_add (self->records, g_object_ref (g_ptr_array_index (loaded, i)));
  items_changed (self, before, 0, self->records->len - before);

  if (self->dirty)
    schedule_save (self);
  update_saving (self);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
helix_call_history_load_async (HelixCallHistory    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HELIX_IS_CALL_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->load_state == LOAD_NOT_STARTED);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, helix_call_history_load_async);

  self->load_state = LOAD_RUNNING;
  helix_call_history_file_read_async (self->path, cancellable, on_file_read, task);
}

gboolean
helix_call_history_load_finish (HelixCallHistory  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (HELIX_IS_CALL_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == helix_call_history_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- changes ---------------------------------------------------------- */

void
helix_call_history_add (HelixCallHistory *self,
                        HelixCallRecord  *record)
{
  guint excess;

  g_return_if_fail (HELIX_IS_CALL_HISTORY (self));
  g_return_if_fail (HELIX_IS_CALL_RECORD (record));

  g_ptr_array_insert (self->records, 0, g_object_ref (record));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);

  excess = self->records->len > HELIX_CALL_HISTORY_MAX_ENTRIES
           ? self->records->len - HELIX_CALL_HISTORY_MAX_ENTRIES : 0;
  if (excess > 0)
    {
      g_ptr_array_remove_range (self->records, HELIX_CALL_HISTORY_MAX_ENTRIES, excess);
      g_list_model_items_changed (G_LIST_MODEL (self), HELIX_CALL_HISTORY_MAX_ENTRIES, excess, 0);
    }
  else
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ITEMS]);

  schedule_save (self);
}

void
helix_call_history_clear (HelixCallHistory *self)
{
  guint removed;

  g_return_if_fail (HELIX_IS_CALL_HISTORY (self));

  if (self->load_state == LOAD_RUNNING)
    self->cleared_while_loading = TRUE;

  removed = self->records->len;
  g_ptr_array_set_size (self->records, 0);
  items_changed (self, 0, removed, 0);
  schedule_save (self);
}

gboolean
helix_call_history_get_saving (HelixCallHistory *self)
{
  g_return_val_if_fail (HELIX_IS_CALL_HISTORY (self), FALSE);

  return self->saving;
}

gboolean
helix_call_history_flush (HelixCallHistory *self,
                          guint             timeout_ms)
{
  gint64 deadline;

  g_return_val_if_fail (HELIX_IS_CALL_HISTORY (self), FALSE);

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  /* Do not wait for the idle callback: the main loop may have stopped */
  start_write (self);
  while (self->saving && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  return !self->saving;
}

/* ---- object ----------------------------------------------------------- */

char *
helix_call_history_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "HelixPhone", "call-history.json", NULL);
}

const char *
helix_call_history_get_path (HelixCallHistory *self)
{
  g_return_val_if_fail (HELIX_IS_CALL_HISTORY (self), NULL);

  return self->path;
}

static void
helix_call_history_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HelixCallHistory *self = HELIX_CALL_HISTORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_SAVING:
      g_value_set_boolean (value, self->saving);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->records->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_call_history_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  HelixCallHistory *self = HELIX_CALL_HISTORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_get_string (value) != NULL ? g_value_dup_string (value)
                                                      : helix_call_history_default_path ();
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_call_history_finalize (GObject *object)
{
  HelixCallHistory *self = HELIX_CALL_HISTORY (object);

  /* The idle callback and every write hold a reference, so neither can
   * be pending here */
  g_free (self->path);
  g_ptr_array_unref (self->records);

  G_OBJECT_CLASS (helix_call_history_parent_class)->finalize (object);
}

static void
helix_call_history_class_init (HelixCallHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = helix_call_history_get_property;
  object_class->set_property = helix_call_history_set_property;
  object_class->finalize = helix_call_history_finalize;

  props[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_SAVING] =
    g_param_spec_boolean ("saving", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
helix_call_history_init (HelixCallHistory *self)
{
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
  self->persist = TRUE;
}

HelixCallHistory *
helix_call_history_new (const char *path)
{
  return g_object_new (HELIX_TYPE_CALL_HISTORY, "path", path, NULL);
}

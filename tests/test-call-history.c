/* test-call-history.c — recent calls: order, persistence across
 * instances, the cap, clear, and files that are not a call history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "helix-call-history.h"

typedef struct {
  char *dir;
  char *path;   /* in a subdirectory that does not exist yet */
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  fixture->dir = g_dir_make_tmp ("helix-history-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  fixture->path = g_build_filename (fixture->dir, "HelixPhone", "call-history.json", NULL);
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
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static HelixCallRecord *
make_record (gint64                    unix_time,
             HelixCallRecordDirection  direction,
             const char               *number,
             const char               *name,
             guint                     duration,
             const char               *reason)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  return helix_call_record_new (time, direction, number, name, duration, reason);
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;
  gboolean ok = helix_call_history_load_finish (HELIX_CALL_HISTORY (source), result, error);

  /* A marker the waiting loop can see even when ok is TRUE */
  if (ok)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "loaded");
}

/* Loads and returns NULL on success, else the error. */
static GError *
load (HelixCallHistory *history)
{
  GError *error = NULL;

  helix_call_history_load_async (history, NULL, on_loaded, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    g_clear_error (&error);
  return error;
}

static HelixCallHistory *
open_loaded (const char *path)
{
  HelixCallHistory *history = helix_call_history_new (path);
  g_autoptr(GError) error = load (history);

  g_assert_no_error (error);
  return history;
}

static void
wait_saved (HelixCallHistory *history)
{
  g_assert_true (helix_call_history_flush (history, 5000));
}

static HelixCallRecord *
item (HelixCallHistory *history, guint position)
{
  return g_list_model_get_item (G_LIST_MODEL (history), position);
}

static void
assert_record (HelixCallHistory         *history,
               guint                     position,
               gint64                    unix_time,
               HelixCallRecordDirection  direction,
               const char               *number,
               const char               *name,
               guint                     duration,
               const char               *reason)
{
  g_autoptr(HelixCallRecord) record = item (history, position);

  g_assert_nonnull (record);
  g_assert_cmpint (g_date_time_to_unix (helix_call_record_get_time (record)), ==, unix_time);
  g_assert_cmpint (helix_call_record_get_direction (record), ==, direction);
  g_assert_cmpstr (helix_call_record_get_number (record), ==, number);
  g_assert_cmpstr (helix_call_record_get_name (record), ==, name);
  g_assert_cmpuint (helix_call_record_get_duration (record), ==, duration);
  g_assert_cmpstr (helix_call_record_get_reason (record), ==, reason);
}

static guint
n_items (HelixCallHistory *history)
{
  return g_list_model_get_n_items (G_LIST_MODEL (history));
}

static void
count_changes (GListModel *model, guint position, guint removed, guint added, guint *count)
{
  (*count)++;
}

static void
add_three (HelixCallHistory *history)
{
  g_autoptr(HelixCallRecord) a = make_record (1771350000, HELIX_CALL_RECORD_INBOUND, "+14169987587",
                                              "John Doe", 42, "Hung up");
  g_autoptr(HelixCallRecord) b = make_record (1771350100, HELIX_CALL_RECORD_OUTBOUND, "1002", "", 0, "Busy");
  /* Stored as given: the SIP layer already cleaned it; markup stays text */
  g_autoptr(HelixCallRecord) c = make_record (1771350200, HELIX_CALL_RECORD_MISSED, "../../x",
                                              "<b>\"Zoë\"</b>", 0, "Do Not Disturb");

  helix_call_history_add (history, a);
  helix_call_history_add (history, b);
  helix_call_history_add (history, c);
}

static void
assert_three (HelixCallHistory *history)
{
  g_assert_cmpuint (n_items (history), ==, 3);
  assert_record (history, 0, 1771350200, HELIX_CALL_RECORD_MISSED, "../../x", "<b>\"Zoë\"</b>", 0, "Do Not Disturb");
  assert_record (history, 1, 1771350100, HELIX_CALL_RECORD_OUTBOUND, "1002", "", 0, "Busy");
  assert_record (history, 2, 1771350000, HELIX_CALL_RECORD_INBOUND, "+14169987587", "John Doe", 42, "Hung up");
}

static void
test_persist_and_reload (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixCallHistory) history = open_loaded (fixture->path);
  g_autoptr(HelixCallHistory) again = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_path_get_dirname (fixture->path);
  JsonObject *root;
  JsonObject *first;
  GStatBuf st;
  guint changes = 0;

  g_assert_cmpuint (n_items (history), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (history)) == HELIX_TYPE_CALL_RECORD);
  g_signal_connect (history, "items-changed", G_CALLBACK (count_changes), &changes);

  add_three (history);
  g_assert_cmpuint (changes, ==, 3);
  assert_three (history);
  g_assert_true (helix_call_history_get_saving (history));
  wait_saved (history);
  g_assert_false (helix_call_history_get_saving (history));

  /* Private: 0600 file in a 0700 directory */
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (directory, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* The documented format, newest first */
  json_parser_load_from_file (parser, fixture->path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "calls")), ==, 3);
  first = json_array_get_object_element (json_object_get_array_member (root, "calls"), 2);
  g_assert_cmpstr (json_object_get_string_member (first, "time"), ==, "2026-02-17T17:40:00Z");
  g_assert_cmpstr (json_object_get_string_member (first, "direction"), ==, "inbound");
  g_assert_cmpstr (json_object_get_string_member (first, "number"), ==, "+14169987587");
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "John Doe");
  g_assert_cmpint (json_object_get_int_member (first, "duration"), ==, 42);
  g_assert_cmpstr (json_object_get_string_member (first, "reason"), ==, "Hung up");

  /* A second instance (the next start) sees the same calls */
  again = open_loaded (fixture->path);
  assert_three (again);
}

static void
test_cap (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixCallHistory) history = open_loaded (fixture->path);
  g_autoptr(HelixCallHistory) again = NULL;
  guint total = HELIX_CALL_HISTORY_MAX_ENTRIES + 5;

  g_assert_cmpuint (HELIX_CALL_HISTORY_MAX_ENTRIES, ==, 500);
  for (guint i = 0; i < total; i++)
    {
      g_autofree char *number = g_strdup_printf ("%u", i);
      g_autoptr(HelixCallRecord) record = make_record (1771350000 + i, HELIX_CALL_RECORD_OUTBOUND,
                                                       number, "", i, "Hung up");

      helix_call_history_add (history, record);
      g_assert_cmpuint (n_items (history), ==, MIN (i + 1, HELIX_CALL_HISTORY_MAX_ENTRIES));
    }

  /* The oldest five went */
  assert_record (history, 0, 1771350000 + total - 1, HELIX_CALL_RECORD_OUTBOUND, "504", "", 504, "Hung up");
  assert_record (history, 499, 1771350005, HELIX_CALL_RECORD_OUTBOUND, "5", "", 5, "Hung up");
  wait_saved (history);

  again = open_loaded (fixture->path);
  g_assert_cmpuint (n_items (again), ==, 500);
  assert_record (again, 0, 1771350000 + total - 1, HELIX_CALL_RECORD_OUTBOUND, "504", "", 504, "Hung up");
  assert_record (again, 499, 1771350005, HELIX_CALL_RECORD_OUTBOUND, "5", "", 5, "Hung up");
}

static void
test_clear (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixCallHistory) history = open_loaded (fixture->path);
  g_autoptr(HelixCallHistory) again = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  guint changes = 0;

  add_three (history);
  wait_saved (history);

  g_signal_connect (history, "items-changed", G_CALLBACK (count_changes), &changes);
  helix_call_history_clear (history);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (n_items (history), ==, 0);
  wait_saved (history);

  json_parser_load_from_file (parser, fixture->path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "calls")), ==, 0);
  again = open_loaded (fixture->path);
  g_assert_cmpuint (n_items (again), ==, 0);
}

static char *
find_backup (const char *path)
{
  g_autofree char *directory = g_path_get_dirname (path);
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, "call-history.json.broken-"))
        return g_build_filename (directory, name, NULL);
    }
  return NULL;
}

static void
test_corrupt_file_kept_aside (Fixture *fixture, gconstpointer data)
{
  const char *damaged[] = { "{ \"calls\": [ {\"time\": ", "[1, 2]", "{ \"calls\": 3 }", "" };

  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      g_autofree char *directory = g_path_get_dirname (fixture->path);
      g_autoptr(HelixCallHistory) history = helix_call_history_new (fixture->path);
      g_autoptr(HelixCallHistory) again = NULL;
      g_autoptr(HelixCallRecord) record = make_record (1771350000, HELIX_CALL_RECORD_MISSED, "1003", "", 0, "Cancelled");
      g_autoptr(GError) error = NULL;
      g_autofree char *backup = NULL;
      g_autofree char *kept = NULL;

      g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);
      g_assert_true (g_file_set_contents (fixture->path, damaged[i], -1, NULL));

      error = load (history);
      g_assert_error (error, HELIX_CALL_HISTORY_ERROR, HELIX_CALL_HISTORY_ERROR_DAMAGED);
      g_assert_nonnull (strstr (error->message, ".broken-"));
      g_assert_cmpuint (n_items (history), ==, 0);

      /* The original is kept, byte for byte, and named in the message */
      backup = find_backup (fixture->path);
      g_assert_nonnull (backup);
      g_assert_nonnull (strstr (error->message, backup));
      g_assert_true (g_file_get_contents (backup, &kept, NULL, NULL));
      g_assert_cmpstr (kept, ==, damaged[i]);
      g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

      /* and the history goes on in a fresh file */
      helix_call_history_add (history, record);
      wait_saved (history);
      again = open_loaded (fixture->path);
      g_assert_cmpuint (n_items (again), ==, 1);
      assert_record (again, 0, 1771350000, HELIX_CALL_RECORD_MISSED, "1003", "", 0, "Cancelled");

      g_unlink (backup);
      g_unlink (fixture->path);
    }
}

static void
test_bad_entries_skipped (Fixture *fixture, gconstpointer data)
{
  g_autofree char *directory = g_path_get_dirname (fixture->path);
  g_autoptr(HelixCallHistory) history = NULL;
  const char *text =
    "{ \"version\": 1, \"calls\": ["
    "  { \"time\": \"2026-02-17T17:40:00Z\", \"direction\": \"inbound\", \"number\": \"1\", \"duration\": 3 },"
    "  { \"time\": \"2026-02-17T17:30:00Z\", \"direction\": \"sideways\", \"number\": \"2\" },"
    "  { \"time\": \"yesterday\", \"direction\": \"missed\", \"number\": \"3\" },"
    "  { \"time\": \"2026-02-17T17:20:00Z\", \"direction\": \"missed\", \"number\": 4 },"
    "  { \"time\": \"2026-02-17T17:10:00Z\", \"direction\": \"outbound\", \"number\": \"5\", \"duration\": -1 },"
    "  \"junk\","
    "  { \"time\": \"2026-02-17T17:00:00Z\", \"direction\": \"missed\", \"number\": \"6\", \"future\": true }"
    "] }";

  g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, text, -1, NULL));

  g_test_expect_message ("helix-call-history", G_LOG_LEVEL_WARNING, "Skipped 5 unreadable entries*");
  history = open_loaded (fixture->path);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (n_items (history), ==, 2);
  assert_record (history, 0, 1771350000, HELIX_CALL_RECORD_INBOUND, "1", "", 3, "");
  assert_record (history, 1, 1771347600, HELIX_CALL_RECORD_MISSED, "6", "", 0, "");
}

/* A call that ends while the file is still being read is newer than
 * every call in it, and nothing is written before the file was read. */
static void
test_added_while_loading (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixCallHistory) first = open_loaded (fixture->path);
  g_autoptr(HelixCallHistory) history = NULL;
  g_autoptr(HelixCallHistory) again = NULL;
  g_autoptr(HelixCallRecord) late = make_record (1771360000, HELIX_CALL_RECORD_INBOUND, "999", "Late", 7, "Hung up");
  GError *error = NULL;

  add_three (first);
  wait_saved (first);

  history = helix_call_history_new (fixture->path);
  helix_call_history_load_async (history, NULL, on_loaded, &error);
  helix_call_history_add (history, late);
  g_assert_true (helix_call_history_get_saving (history));
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);   /* the "loaded" marker */
  g_clear_error (&error);

  g_assert_cmpuint (n_items (history), ==, 4);
  assert_record (history, 0, 1771360000, HELIX_CALL_RECORD_INBOUND, "999", "Late", 7, "Hung up");
  assert_record (history, 3, 1771350000, HELIX_CALL_RECORD_INBOUND, "+14169987587", "John Doe", 42, "Hung up");
  wait_saved (history);

  again = open_loaded (fixture->path);
  g_assert_cmpuint (n_items (again), ==, 4);
  assert_record (again, 0, 1771360000, HELIX_CALL_RECORD_INBOUND, "999", "Late", 7, "Hung up");
}

/* Something that cannot be read is not written over either */
static void
test_unreadable_left_alone (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HelixCallHistory) history = helix_call_history_new (fixture->path);
  g_autoptr(HelixCallRecord) record = make_record (1771350000, HELIX_CALL_RECORD_OUTBOUND, "1", "", 0, "");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->path, 0700), ==, 0);
  error = load (history);
  g_assert_error (error, HELIX_CALL_HISTORY_ERROR, HELIX_CALL_HISTORY_ERROR_UNREADABLE);

  helix_call_history_add (history, record);
  g_assert_cmpuint (n_items (history), ==, 1);
  g_assert_false (helix_call_history_get_saving (history));
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_DIR));
  g_assert_null (find_backup (fixture->path));
}

static void
test_default_path (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "HelixPhone", "call-history.json", NULL);
  g_autofree char *path = helix_call_history_default_path ();
  g_autoptr(HelixCallHistory) history = helix_call_history_new (NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpstr (helix_call_history_get_path (history), ==, expected);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/call-history/persist-and-reload", test_persist_and_reload);
  ADD ("/call-history/cap", test_cap);
  ADD ("/call-history/clear", test_clear);
  ADD ("/call-history/corrupt-file-kept-aside", test_corrupt_file_kept_aside);
  ADD ("/call-history/bad-entries-skipped", test_bad_entries_skipped);
  ADD ("/call-history/added-while-loading", test_added_while_loading);
  ADD ("/call-history/unreadable-left-alone", test_unreadable_left_alone);
  g_test_add_func ("/call-history/default-path", test_default_path);

  return g_test_run ();
}

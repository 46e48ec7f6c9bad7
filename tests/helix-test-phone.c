/* helix-test-phone.c — the real helixphone binary as a test peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helix-test-phone"

#include "helix-test-phone.h"
#include "helix-test-peers.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#define APP_ID "com.helixphone.HelixPhone"

struct _HelixTestPhone {
  char        *dir;
  char        *config;
  GSubprocess *process;
  GSubprocess *bus;
  char        *bus_address;
  GString     *err;
  gboolean     exited;
};

static gboolean
iterate_until (gboolean (*done) (HelixTestPhone *), HelixTestPhone *phone, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (!done (phone) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  return done (phone);
}

static void
on_stderr_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  HelixTestPhone *phone = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      phone->exited = TRUE;  /* stderr closes when the process ends */
      return;
    }

  g_string_append_len (phone->err, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 4096, G_PRIORITY_DEFAULT, NULL,
                                   on_stderr_read, phone);
}

static gboolean
has_exited (HelixTestPhone *phone)
{
  return phone->exited && g_subprocess_get_identifier (phone->process) == NULL;
}

static char *
start_private_bus (HelixTestPhone *phone, GError **error)
{
  g_autoptr(GDataInputStream) out = NULL;
  char *address;

  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);

  helix_test_launcher_dies_with_test (launcher);
  phone->bus = g_subprocess_launcher_spawn (launcher, error, "dbus-daemon", "--session", "--nofork",
                                            "--print-address=1", NULL);
  if (phone->bus == NULL)
    return NULL;

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (phone->bus));
  address = g_data_input_stream_read_line (out, NULL, NULL, error);
  if (address == NULL && error != NULL && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "dbus-daemon printed no address");

  return address;
}

HelixTestPhone *
helix_test_phone_start (const char  *settings_json,
                        gboolean     own_bus,
                        GError     **error)
{
  return helix_test_phone_start_full (settings_json, own_bus, NULL, error);
}

HelixTestPhone *
helix_test_phone_start_full (const char         *settings_json,
                             gboolean            own_bus,
                             const char * const *env,
                             GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  HelixTestPhone *phone = g_new0 (HelixTestPhone, 1);
  const char *bin = g_getenv ("HELIXPHONE_BIN");

  g_assert_nonnull (bin);
  phone->err = g_string_new (NULL);
  phone->dir = g_dir_make_tmp ("helix-phone-XXXXXX", error);
  if (phone->dir == NULL)
    goto fail;
  phone->config = g_build_filename (phone->dir, "settings.json", NULL);
  if (!g_file_set_contents (phone->config, settings_json, -1, error))
    goto fail;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  helix_test_launcher_dies_with_test (launcher);
  if (own_bus)
    {
      phone->bus_address = start_private_bus (phone, error);
      if (phone->bus_address == NULL)
        goto fail;
      g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", phone->bus_address, TRUE);
    }
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "helix-sip helix-call helix-phone", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", phone->dir, TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_assert_nonnull (pair[1]);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  phone->process = g_subprocess_launcher_spawn (launcher, error, bin, "--headless",
                                                "--config", phone->config, NULL);
  if (phone->process == NULL)
    goto fail;

  g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (phone->process), 4096,
                                   G_PRIORITY_DEFAULT, NULL, on_stderr_read, phone);
  return phone;

fail:
  helix_test_phone_free (phone);
  return NULL;
}

typedef struct {
  gboolean  done;
  char     *out;
  char     *err;
} CommandResult;

static void
on_command_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CommandResult *r = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &r->out, &r->err, NULL);
  r->done = TRUE;
}

void
helix_test_phone_action (HelixTestPhone *phone,
                         const char     *name,
                         const char     *parameter)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  CommandResult r = { 0 };

  if (phone->bus_address != NULL)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", phone->bus_address, TRUE);

  process = g_subprocess_launcher_spawn (launcher, &error, "gapplication", "action", APP_ID,
                                         name, parameter, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_command_done, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("gapplication action %s failed: %s%s", name, r.out, r.err);
  g_free (r.out);
  g_free (r.err);
}

gboolean
helix_test_phone_wait_exit (HelixTestPhone *phone,
                            guint           timeout_ms)
{
  return iterate_until (has_exited, phone, timeout_ms);
}

int
helix_test_phone_quit (HelixTestPhone *phone,
                       guint           timeout_ms)
{
  if (!has_exited (phone))
    helix_test_phone_action (phone, "quit", NULL);

  if (!helix_test_phone_wait_exit (phone, timeout_ms) || !g_subprocess_get_if_exited (phone->process))
    return -1;

  return g_subprocess_get_exit_status (phone->process);
}

gboolean
helix_test_phone_is_running (HelixTestPhone *phone)
{
  return g_subprocess_get_identifier (phone->process) != NULL;
}

void
helix_test_phone_signal (HelixTestPhone *phone,
                         int             signum)
{
  g_subprocess_send_signal (phone->process, signum);
}

const char *
helix_test_phone_stderr (HelixTestPhone *phone)
{
  return phone->err->str;
}

guint
helix_test_phone_log_count (HelixTestPhone *phone,
                            const char     *needle)
{
  guint n = 0;

  for (const char *p = strstr (phone->err->str, needle); p != NULL; p = strstr (p + 1, needle))
    n++;

  return n;
}

gboolean
helix_test_phone_wait_log (HelixTestPhone *phone,
                           const char     *needle,
                           guint           count,
                           guint           timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (helix_test_phone_log_count (phone, needle) < count && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  return helix_test_phone_log_count (phone, needle) >= count;
}

const char *
helix_test_phone_dir (HelixTestPhone *phone)
{
  return phone->dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
helix_test_phone_free (HelixTestPhone *phone)
{
  if (phone->process != NULL && !has_exited (phone))
    {
      g_subprocess_force_exit (phone->process);
      helix_test_phone_wait_exit (phone, 5000);
    }
  if (phone->bus != NULL)
    {
      g_subprocess_force_exit (phone->bus);
      g_subprocess_wait (phone->bus, NULL, NULL);
    }
  if (phone->err->len > 0 && g_test_failed ())
    g_test_message ("helixphone stderr:\n%s", phone->err->str);
  if (phone->dir != NULL)
    remove_tree (phone->dir);

  g_clear_object (&phone->process);
  g_clear_object (&phone->bus);
  g_free (phone->bus_address);
  g_free (phone->dir);
  g_free (phone->config);
  g_string_free (phone->err, TRUE);
  g_free (phone);
}

char *
helix_test_action_string (const char *text)
{
  g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_string (text));

  return g_variant_print (value, FALSE);
}

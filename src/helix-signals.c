/* helix-signals.c — quit cleanly when the system asks the process to stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A platform file: SIGTERM/SIGINT on Unix, console control events on
 * Windows.  Either way the application quits through its normal shutdown,
 * so integrators still receive the "offline" status.
 */
#define G_LOG_DOMAIN "helix-signals"

#include "helix-signals.h"

#ifdef G_OS_UNIX
#include <glib-unix.h>
#include <signal.h>

static gboolean
on_quit_signal (gpointer user_data)
{
  g_message ("Quit requested by signal");
  g_application_quit (G_APPLICATION (user_data));

  return G_SOURCE_CONTINUE;
}

void
helix_install_quit_signals (GApplication *application)
{
  g_return_if_fail (G_IS_APPLICATION (application));

  g_unix_signal_add (SIGTERM, on_quit_signal, application);
  g_unix_signal_add (SIGINT, on_quit_signal, application);
  g_unix_signal_add (SIGHUP, on_quit_signal, application);
}

#else /* G_OS_WIN32 */
#include <windows.h>

static GApplication *quit_target;

static gboolean
quit_on_main_loop (gpointer user_data)
{
  if (quit_target != NULL)
    g_application_quit (quit_target);

  return G_SOURCE_REMOVE;
}

/* Runs on a thread of its own: hand the quit over to the main loop. */
static BOOL WINAPI
on_console_event (DWORD type)
{
  if (type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT || type == CTRL_CLOSE_EVENT)
    {
      g_idle_add (quit_on_main_loop, NULL);
      return TRUE;
    }

  return FALSE;
}

void
helix_install_quit_signals (GApplication *application)
{
  g_return_if_fail (G_IS_APPLICATION (application));

  quit_target = application;
  SetConsoleCtrlHandler (on_console_event, TRUE);
}
#endif

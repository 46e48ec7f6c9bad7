/* main.c — HelixPhone entry point
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helixphone"

#include "helix-config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "helix-application.h"
#include "helix-phone.h"
#include "helix-sip-agent.h"

static gboolean
wants_headless (int    argc,
                char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_str_equal (argv[i], "--headless"))
        return TRUE;
    }

  return FALSE;
}

static void
on_headless_startup (GApplication *application)
{
  /* Nothing on screen keeps a headless phone alive: hold it until quit. */
  g_application_hold (application);
}

static int
on_headless_command_line (GApplication            *application,
                          GApplicationCommandLine *command_line,
                          HelixPhone              *phone)
{
  return helix_phone_command_line (phone, command_line);
}

static int
run_headless (int    argc,
              char **argv)
{
  g_autoptr(GApplication) application = g_application_new (HELIX_APP_ID,
                                                           G_APPLICATION_HANDLES_COMMAND_LINE);
  g_autoptr(HelixPhone) phone = helix_phone_new (application);

  g_signal_connect (application, "startup", G_CALLBACK (on_headless_startup), NULL);
  g_signal_connect (application, "command-line", G_CALLBACK (on_headless_command_line), phone);

  return g_application_run (application, argc, argv);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(HelixApplication) application = NULL;

  helix_sip_library_init ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* GtkApplication exits when it cannot open a display, so the choice
   * between windowed and headless must be made before it exists. */
  if (wants_headless (argc, argv))
    return run_headless (argc, argv);

  application = helix_application_new ();

  return g_application_run (G_APPLICATION (application), argc, argv);
}

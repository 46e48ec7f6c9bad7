/* helix-tray-icons.c — which icon and words the tray shows for a presence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table for the Linux helper and the Windows tray, so both show the
 * same icon for the same status.  Icon names start with the app ID:
 * Flatpak exports only icons named that way.
 */
#include "helix-tray-icons.h"

#include <glib/gi18n.h>

HelixTrayIcon
helix_tray_icon_for_presence (const char *presence)
{
  static const struct {
    const char    *presence;
    HelixTrayIcon  icon;
  } icons[] = {
    { "available",      { "com.helixphone.HelixPhone-available", N_("HelixPhone: Available") } },
    { "busy",           { "com.helixphone.HelixPhone-away",      N_("HelixPhone: Busy") } },
    { "away",           { "com.helixphone.HelixPhone-away",      N_("HelixPhone: Away") } },
    { "lunch",          { "com.helixphone.HelixPhone-away",      N_("HelixPhone: Lunch") } },
    { "do_not_disturb", { "com.helixphone.HelixPhone-dnd",       N_("HelixPhone: Do Not Disturb") } },
    { "ringing",        { "com.helixphone.HelixPhone-on-call",   N_("HelixPhone: Ringing") } },
    { "on_call",        { "com.helixphone.HelixPhone-on-call",   N_("HelixPhone: On a Call") } },
    { "hold",           { "com.helixphone.HelixPhone-on-call",   N_("HelixPhone: On Hold") } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    {
      if (g_strcmp0 (presence, icons[i].presence) == 0)
        return icons[i].icon;
    }

  return (HelixTrayIcon) { "com.helixphone.HelixPhone-offline", N_("HelixPhone: Offline") };
}

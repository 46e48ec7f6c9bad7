/* helix-tray-icons.c — what the tray shows: the presence read from the
 * app's actions, and the icon and words for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the Linux helper and the Windows tray, so both show the same
 * icon for the same status.  Icon names start with the app ID:
 * Flatpak exports only icons named that way.
 */
#include "helix-tray-icons.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

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

static char *
get_string_state (GActionGroup *actions,
                  const char   *name)
{
  g_autoptr(GVariant) state = NULL;

  if (!g_action_group_has_action (actions, name))
    return NULL;

  state = g_action_group_get_action_state (actions, name);
  if (state == NULL || !g_variant_is_of_type (state, G_VARIANT_TYPE_STRING))
    return NULL;

  return g_variant_dup_string (state, NULL);
}

/* `presence` already folds in DND, calls and registration; until the app
 * has described it (or from an app without it) the user's own choice is
 * the best guess. */
char *
helix_tray_current_presence (GActionGroup *actions)
{
  g_autofree char *presence = get_string_state (actions, "presence");
  g_autoptr(GVariant) dnd = NULL;

  if (presence != NULL)
    return g_steal_pointer (&presence);

  if (g_action_group_has_action (actions, "dnd"))
    dnd = g_action_group_get_action_state (actions, "dnd");
  if (dnd != NULL && g_variant_is_of_type (dnd, G_VARIANT_TYPE_BOOLEAN) &&
      g_variant_get_boolean (dnd))
    return g_strdup ("do_not_disturb");

  return get_string_state (actions, "set-status");
}

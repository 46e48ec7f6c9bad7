/* helix-phone-actions.c — HelixPhone's actions, the public control surface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window, the tray and `gapplication action` all drive these same
 * actions; stateful ones mirror the status engine, whoever changed it.
 */
#define G_LOG_DOMAIN "helix-phone"

#include "helix-config.h"
#include "helix-phone-private.h"

#include "helix-speed-dial.h"

static void
on_settings_saved (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!helix_settings_save_finish (HELIX_SETTINGS (source), result, &error))
    g_warning ("Could not save settings: %s", error->message);
}

static void
persist_dnd (HelixPhone *self,
             gboolean    dnd)
{
  const char * const *problems = helix_settings_get_problems (self->settings);

  g_object_set (self->settings, "general-do-not-disturb", dnd, NULL);

  /* A file with errors is only ever replaced by an explicit save from the
   * preferences, never behind the user's back by a toggle. */
  if (problems != NULL && problems[0] != NULL)
    {
      g_message ("Not saving Do Not Disturb to %s: the file has errors to fix first",
                 helix_settings_get_path (self->settings));
      return;
    }

  helix_settings_save_async (self->settings, NULL, on_settings_saved, NULL);
}

static void
on_set_status_change_state (GSimpleAction *action,
                            GVariant      *value,
                            gpointer       user_data)
{
  HelixPhone *self = user_data;
  HelixUserStatus status;

  if (!helix_user_status_from_string (g_variant_get_string (value, NULL), &status))
    {
      g_warning ("Unknown status “%s”; use available, busy, away or lunch",
                 g_variant_get_string (value, NULL));
      return;
    }

  helix_status_engine_set_user_status (self->engine, status);
}

static void
on_set_status_activate (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  g_action_change_state (G_ACTION (action), parameter);
}

static void
on_dnd_change_state (GSimpleAction *action,
                     GVariant      *value,
                     gpointer       user_data)
{
  HelixPhone *self = user_data;
  gboolean dnd = g_variant_get_boolean (value);

  if (dnd == helix_status_engine_get_dnd (self->engine))
    return;

  helix_status_engine_set_dnd (self->engine, dnd);
  persist_dnd (self, dnd);
}

static void
on_dnd_activate (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));

  g_action_change_state (G_ACTION (action),
                         g_variant_new_boolean (!g_variant_get_boolean (state)));
}

/* A speed-dial name dials its number; anything else is dialled as typed. */
const char *
helix_phone_expand_speed_dial (HelixPhone *self,
                   const char *target)
{
  GListModel *entries = helix_settings_get_speed_dial (self->settings);

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(HelixSpeedDial) entry = g_list_model_get_item (entries, i);

      if (g_utf8_collate (helix_speed_dial_get_name (entry), target) == 0)
        return helix_speed_dial_get_number (entry);
    }

  return target;
}

static void
dial (HelixPhone *self,
      const char *target)
{
  g_autoptr(GError) error = NULL;

  if (helix_sip_agent_dial (self->agent, helix_phone_expand_speed_dial (self, target), &error) == NULL)
    g_warning ("Cannot call %s: %s", target, error->message);
}

static void
on_dial_activate (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  dial (user_data, g_variant_get_string (parameter, NULL));
}

typedef gboolean (*CallOperation) (HelixCall *call, GError **error);

static void
run_on_call (HelixPhone    *self,
             const char    *what,
             CallOperation  operation)
{
  HelixCall *call = helix_sip_agent_get_call (self->agent);
  g_autoptr(GError) error = NULL;

  if (call == NULL)
    {
      g_message ("Nothing to %s: there is no call", what);
      return;
    }

  if (!operation (call, &error))
    g_warning ("Cannot %s: %s", what, error->message);
}

static void
on_answer_activate (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  run_on_call (user_data, "answer", helix_call_answer);
}

static void
on_reject_activate (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  run_on_call (user_data, "decline", helix_call_reject);
}

static void
on_hangup_activate (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  run_on_call (user_data, "hang up", helix_call_hangup);
}

static void
on_hold_activate (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  run_on_call (user_data, "hold", helix_call_hold);
}

static void
on_resume_activate (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  run_on_call (user_data, "resume", helix_call_resume);
}

static void
on_dtmf_activate (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  HelixPhone *self = user_data;
  HelixCall *call = helix_sip_agent_get_call (self->agent);
  g_autoptr(GError) error = NULL;

  if (call == NULL || !helix_call_send_dtmf (call, g_variant_get_string (parameter, NULL), &error))
    g_warning ("Cannot send tones: %s", error != NULL ? error->message : "there is no call");
}

static void
on_transfer_activate (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  HelixPhone *self = user_data;
  HelixCall *call = helix_sip_agent_get_call (self->agent);
  const char *target = helix_phone_expand_speed_dial (self, g_variant_get_string (parameter, NULL));
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  if (call == NULL)
    {
      g_message ("Nothing to transfer: there is no call");
      return;
    }

  uri = helix_sip_agent_resolve_target (self->agent, target, &error);
  if (uri == NULL || !helix_call_transfer (call, uri, &error))
    g_warning ("Cannot transfer to %s: %s", target, error->message);
}

/* `presence` shows the engine's effective status (the tray's icon); only
 * the engine changes it. */
static void
on_presence_change_state (GSimpleAction *action,
                          GVariant      *value,
                          gpointer       user_data)
{
  g_message ("presence is read-only: use set-status or dnd");
}

/* `mute` silences the microphone of the current call; its state follows
 * the call media, which turns it off again when the call ends. */
static void
on_mute_change_state (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  HelixPhone *self = user_data;

  if (self->agent == NULL || helix_sip_agent_get_call (self->agent) == NULL)
    {
      g_message ("Nothing to mute: there is no call");
      return;
    }

  g_object_set (helix_sip_agent_get_media (self->agent), "mute", g_variant_get_boolean (value), NULL);
}

static void
on_mute_activate (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));

  g_action_change_state (G_ACTION (action), g_variant_new_boolean (!g_variant_get_boolean (state)));
}

static void
on_quit_activate (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  HelixPhone *self = user_data;

  g_application_quit (self->application);
}

void
helix_phone_sync_action_states (HelixPhone *self)
{
  HelixUserStatus status = helix_status_engine_get_user_status (self->engine);

  g_simple_action_set_state (self->set_status_action,
                             g_variant_new_string (helix_user_status_to_string (status)));
  g_simple_action_set_state (self->dnd_action,
                             g_variant_new_boolean (helix_status_engine_get_dnd (self->engine)));
  g_simple_action_set_state (self->presence_action,
                             g_variant_new_string (helix_status_to_string (
                                 helix_status_engine_get_status (self->engine))));
}

void
helix_phone_add_actions (HelixPhone *self)
{
  const GActionEntry entries[] = {
    { "set-status", on_set_status_activate, "s", "'available'", on_set_status_change_state },
    { "dnd", on_dnd_activate, NULL, "false", on_dnd_change_state },
    { "mute", on_mute_activate, NULL, "false", on_mute_change_state },
    { "presence", NULL, NULL, "'offline'", on_presence_change_state },
    { "quit", on_quit_activate },
    { "dial", on_dial_activate, "s" },
    { "answer", on_answer_activate },
    { "reject", on_reject_activate },
    { "hangup", on_hangup_activate },
    { "hold", on_hold_activate },
    { "resume", on_resume_activate },
    { "dtmf", on_dtmf_activate, "s" },
    { "transfer", on_transfer_activate, "s" },
  };
  GActionMap *map = G_ACTION_MAP (self->application);

  g_action_map_add_action_entries (map, entries, G_N_ELEMENTS (entries), self);
  self->set_status_action = G_SIMPLE_ACTION (g_action_map_lookup_action (map, "set-status"));
  self->dnd_action = G_SIMPLE_ACTION (g_action_map_lookup_action (map, "dnd"));
  self->mute_action = G_SIMPLE_ACTION (g_action_map_lookup_action (map, "mute"));
  self->presence_action = G_SIMPLE_ACTION (g_action_map_lookup_action (map, "presence"));

  /* The engine is the one truth; actions mirror it, whoever changed it. */
  g_signal_connect_object (self->engine, "notify::user-status",
                           G_CALLBACK (helix_phone_sync_action_states), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::dnd",
                           G_CALLBACK (helix_phone_sync_action_states), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::status",
                           G_CALLBACK (helix_phone_sync_action_states), self, G_CONNECT_SWAPPED);
}

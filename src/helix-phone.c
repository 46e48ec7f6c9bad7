/* helix-phone.c — the phone without its face: settings, status, webhook,
 * SIP and media wired together; its actions are in helix-phone-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HelixPhone owns everything below the UI and attaches it to a
 * GApplication: the GTK application in normal use, a plain GApplication
 * with --headless (GtkApplication cannot start without a display).  The
 * actions it exports are the public control surface: the window, the tray
 * and `gapplication action` all drive the same ones.
 */
#define G_LOG_DOMAIN "helix-phone"

#include "helix-config.h"
#include "helix-phone.h"
#include "helix-phone-private.h"

#include <glib/gi18n.h>

#include "helix-crm.h"
#include "helix-media-session.h"
#include "helix-signals.h"

/* Un-REGISTER and Sofia's own shutdown, before the offline webhook. */
#define SIP_SHUTDOWN_TIMEOUT_MS 2000
/* The last call's history entry, written after the offline webhook. */
#define HISTORY_FLUSH_TIMEOUT_MS 1000

G_DEFINE_FINAL_TYPE (HelixPhone, helix_phone, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_APPLICATION,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const GOptionEntry main_options[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Read settings from FILE instead of the default location"), N_("FILE") },
  { "headless", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run without window and tray (kiosk use, integration tests)"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static void
on_engine_event (HelixStatusEngine      *engine,
                 const HelixStatusEvent *event,
                 HelixPhone             *self)
{
  g_debug ("Status change: %s", helix_status_to_string (event->status));

  if (!self->shutting_down)
    {
      helix_webhook_enqueue (self->webhook, event);
      return;
    }

  /* The spec's one synchronous step: "offline" at shutdown, capped at 3 s. */
  {
    g_autoptr(GError) error = NULL;

    if (!helix_webhook_send_sync (self->webhook, event, HELIX_WEBHOOK_SHUTDOWN_TIMEOUT_MS, &error))
      g_warning ("The offline status could not be delivered: %s", error->message);
  }
}

static HelixStatusEvent *
build_heartbeat (gpointer user_data)
{
  HelixPhone *self = user_data;

  return helix_status_engine_new_heartbeat (self->engine);
}

/* The spec's screen-pop: an inbound call, when it is answered.  ACTIVE
 * comes back after every resume, so each call is considered once. */
static void
open_crm_once (HelixPhone *self,
               HelixCall  *call)
{
  const char *lookup_url = helix_settings_get_crm_lookup_url (self->settings);

  if (helix_call_get_direction (call) != HELIX_CALL_DIRECTION_INBOUND ||
      g_strcmp0 (self->crm_call_id, helix_call_get_call_id (call)) == 0)
    return;

  g_free (self->crm_call_id);
  self->crm_call_id = g_strdup (helix_call_get_call_id (call));
  if (helix_settings_get_crm_enabled (self->settings) && *lookup_url != '\0')
    helix_crm_open (lookup_url, helix_call_get_remote_number (call));
}

static void
record_call (HelixPhone *self,
             HelixCall  *call)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (helix_call_get_start_time (call) / G_USEC_PER_SEC);
  g_autoptr(HelixCallRecord) record = NULL;
  HelixCallRecordDirection direction = HELIX_CALL_RECORD_OUTBOUND;
  gboolean answered = helix_call_was_answered (call);

  /* An inbound call nobody answered (cancelled, declined) is a missed one */
  if (helix_call_get_direction (call) == HELIX_CALL_DIRECTION_INBOUND)
    direction = answered ? HELIX_CALL_RECORD_INBOUND : HELIX_CALL_RECORD_MISSED;

  record = helix_call_record_new (start, direction, helix_call_get_remote_number (call),
                                  helix_call_get_remote_name (call),
                                  answered ? helix_call_get_duration (call) : 0,
                                  helix_call_get_end_reason (call));
  helix_call_history_add (self->history, record);
}

/* Call states drive the status engine; it ignores transitions that do not
 * apply (a resume of a call that was never held, say). */
static void
on_call_state (HelixCall  *call,
               GParamSpec *pspec,
               HelixPhone *self)
{
  const char *call_id = helix_call_get_call_id (call);

  switch (helix_call_get_state (call))
    {
    case HELIX_CALL_STATE_ACTIVE:
      helix_status_engine_call_answered (self->engine, call_id);
      helix_status_engine_call_resumed (self->engine, call_id);
      open_crm_once (self, call);
      break;

    case HELIX_CALL_STATE_HELD:
      helix_status_engine_call_held (self->engine, call_id);
      break;

    case HELIX_CALL_STATE_ENDED:
      g_message ("Call with %s ended: %s", helix_call_get_remote_number (call),
                 helix_call_get_end_reason (call));
      if (helix_call_was_answered (call))
        helix_status_engine_call_ended (self->engine, call_id, helix_call_get_duration (call));
      else
        helix_status_engine_call_failed (self->engine, call_id);
      record_call (self, call);
      break;

    case HELIX_CALL_STATE_INCOMING:
    case HELIX_CALL_STATE_DIALING:
    case HELIX_CALL_STATE_ALERTING:
    default:
      break;
    }
}

static void
on_call_added (HelixSipAgent *agent,
               HelixCall     *call,
               HelixPhone    *self)
{
  g_message ("%s call %s %s",
             helix_call_get_direction (call) == HELIX_CALL_DIRECTION_INBOUND ? "Incoming" : "Outgoing",
             helix_call_get_direction (call) == HELIX_CALL_DIRECTION_INBOUND ? "from" : "to",
             helix_call_get_remote_number (call));
  helix_status_engine_call_ringing (self->engine, helix_call_get_call_id (call),
                                    helix_call_get_direction (call),
                                    helix_call_get_remote_number (call),
                                    helix_call_get_remote_name (call));
  g_signal_connect_object (call, "notify::state", G_CALLBACK (on_call_state), self, 0);

  /* The 180 is already out, so the caller still hears it ring once. */
  if (helix_call_get_direction (call) == HELIX_CALL_DIRECTION_INBOUND &&
      helix_settings_get_auto_answer (self->settings))
    {
      g_autoptr(GError) error = NULL;

      if (!helix_call_answer (call, &error))
        g_warning ("Cannot answer the call automatically: %s", error->message);
    }
}

static void
on_missed_call (HelixSipAgent *agent,
                const char    *number,
                const char    *name,
                const char    *reason,
                HelixPhone    *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(HelixCallRecord) record = NULL;

  g_message ("Missed call from %s (%s)", number, reason);
  record = helix_call_record_new (now, HELIX_CALL_RECORD_MISSED, number, name, 0, reason);
  helix_call_history_add (self->history, record);
}

static void
on_registration_changed (HelixSipAgent *agent,
                         GParamSpec    *pspec,
                         HelixPhone    *self)
{
  HelixRegistrationState state = helix_sip_agent_get_registration_state (agent);

  helix_status_engine_set_registered (self->engine,
                                      state == HELIX_REGISTRATION_REGISTERED ||
                                      state == HELIX_REGISTRATION_DIRECT);
}

static void
configure_agent (HelixPhone *self)
{
  helix_sip_agent_configure (self->agent,
                             helix_settings_get_sip_server (self->settings),
                             helix_settings_get_sip_port (self->settings),
                             helix_settings_get_sip_transport (self->settings),
                             helix_settings_get_sip_username (self->settings),
                             helix_settings_get_sip_password (self->settings),
                             helix_settings_get_auto_register (self->settings));
}

static void
on_mute_changed (HelixCallMedia *media,
                 GParamSpec     *pspec,
                 HelixPhone     *self)
{
  gboolean mute = FALSE;

  g_object_get (media, "mute", &mute, NULL);
  g_simple_action_set_state (self->mute_action, g_variant_new_boolean (mute));
}

static void
on_dtmf_received (HelixSipAgent *agent,
                  HelixCall     *call,
                  const char    *digit,
                  HelixPhone    *self)
{
  g_message ("DTMF %s received from %s", digit, helix_call_get_remote_number (call));
}

/* A recording is complete under its final name: upload it now rather
 * than at the uploader's next scan of the folder. */
static void
on_recording_finished (HelixCallMedia *media,
                       const char     *path,
                       HelixPhone     *self)
{
  if (self->uploader != NULL)
    helix_uploader_enqueue (self->uploader, path);
}

static void
update_recordings_dir (HelixPhone *self)
{
  g_autofree char *dir = helix_settings_dup_recordings_dir (self->settings);

  g_object_set (helix_sip_agent_get_media (self->agent), "recordings-dir", dir, NULL);
}

/* Devices, recording and our own number for recording names, live. */
static void
configure_media (HelixPhone *self)
{
  HelixCallMedia *media = helix_sip_agent_get_media (self->agent);
  const char *bindings[][2] = {
    { "audio-input-device", "input-device" },
    { "audio-output-device", "output-device" },
    { "audio-ring-device", "ring-device" },
    { "recording-enabled", "recording-enabled" },
    { "sip-username", "local-user" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    g_object_bind_property (self->settings, bindings[i][0], media, bindings[i][1], G_BINDING_SYNC_CREATE);
  update_recordings_dir (self);
  g_signal_connect_object (self->settings, "notify::recording-folder",
                           G_CALLBACK (update_recordings_dir), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (media, "notify::mute", G_CALLBACK (on_mute_changed), self, 0);
  g_signal_connect_object (media, "recording-finished", G_CALLBACK (on_recording_finished), self, 0);
  g_signal_connect_object (self->agent, "dtmf-received", G_CALLBACK (on_dtmf_received), self, 0);
}

static void
start_agent (HelixPhone *self)
{
  g_autoptr(GError) error = NULL;
  const char *account_keys[] = { "sip-server", "sip-port", "sip-transport", "sip-username",
                                 "sip-password", "general-auto-register" };

  self->agent = helix_sip_agent_new ();
  g_object_bind_property (self->engine, "dnd", self->agent, "dnd", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->agent, "notify::registration-state",
                           G_CALLBACK (on_registration_changed), self, 0);
  g_signal_connect_object (self->agent, "call-added", G_CALLBACK (on_call_added), self, 0);
  g_signal_connect_object (self->agent, "missed-call", G_CALLBACK (on_missed_call), self, 0);
  configure_media (self);

  /* Account changes re-register live. */
  for (guint i = 0; i < G_N_ELEMENTS (account_keys); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", account_keys[i], NULL);

      g_signal_connect_object (self->settings, signal, G_CALLBACK (configure_agent),
                               self, G_CONNECT_SWAPPED);
    }

  configure_agent (self);
  if (!helix_sip_agent_start (self->agent, &error))
    {
      g_warning ("SIP is not available: %s", error->message);
      return;
    }

  if (helix_sip_agent_get_registration_state (self->agent) == HELIX_REGISTRATION_DIRECT)
    g_message ("Direct mode: reachable at %s", helix_sip_agent_get_local_uri (self->agent));
}

static void
load_settings (HelixPhone *self)
{
  g_autoptr(GError) error = NULL;

  self->settings = helix_settings_new (self->config_path);

  if (!helix_settings_load (self->settings, &error))
    {
      const char * const *problems = helix_settings_get_problems (self->settings);

      /* Each problem names the file and the key; the rest loaded normally. */
      if (problems != NULL && problems[0] != NULL)
        for (guint i = 0; problems[i] != NULL; i++)
          g_warning ("%s", problems[i]);
      else
        g_warning ("%s", error->message);
    }
}

static void
update_recordings_folder (HelixPhone *self)
{
  g_autofree char *folder = helix_settings_dup_recordings_dir (self->settings);

  g_object_set (self->uploader, "folder", folder, NULL);
}

/* Settings changes apply live; a new URL or key retries at once. */
static void
start_uploader (HelixPhone *self)
{
  self->uploader = helix_uploader_new ();
  g_object_bind_property (self->settings, "recording-upload-url", self->uploader, "url",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "recording-api-key", self->uploader, "api-key",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "recording-keep-after-upload",
                          self->uploader, "keep-after-upload", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->settings, "notify::recording-folder",
                           G_CALLBACK (update_recordings_folder), self, G_CONNECT_SWAPPED);
  update_recordings_folder (self);

  /* Recordings left by an earlier run (a crash, a dead server) go first. */
  helix_uploader_scan (self->uploader);
}

static void
on_history_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!helix_call_history_load_finish (HELIX_CALL_HISTORY (source), result, &error))
    g_warning ("%s", error->message);
}

static void
on_startup (GApplication *application,
            HelixPhone   *self)
{
  load_settings (self);

  self->history = helix_call_history_new (NULL);
  helix_call_history_load_async (self->history, NULL, on_history_loaded, NULL);

  self->engine = helix_status_engine_new ();
  self->webhook = helix_webhook_new ();

  g_object_bind_property (self->settings, "sip-username", self->engine, "extension",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "webhook-endpoint-url", self->webhook, "endpoint-url",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "webhook-api-key", self->webhook, "api-key",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "webhook-heartbeat-interval-seconds",
                          self->webhook, "heartbeat-interval", G_BINDING_SYNC_CREATE);

  g_signal_connect_object (self->engine, "event", G_CALLBACK (on_engine_event), self, 0);

  helix_status_engine_set_dnd (self->engine, helix_settings_get_do_not_disturb (self->settings));
  helix_phone_add_actions (self);
  helix_phone_sync_action_states (self);

  helix_webhook_start_heartbeat (self->webhook, build_heartbeat, self, NULL);

  start_agent (self);
  start_uploader (self);
  /* After the REGISTER is on its way: it never needs GStreamer. */
  helix_media_preload ();

  helix_install_quit_signals (application);
  self->started = TRUE;
}

static void
on_shutdown (GApplication *application,
             HelixPhone   *self)
{
  if (!self->started || self->shutting_down)
    return;

  self->shutting_down = TRUE;
  helix_webhook_stop_heartbeat (self->webhook);
  if (self->agent != NULL)
    helix_sip_agent_shutdown (self->agent, SIP_SHUTDOWN_TIMEOUT_MS);
  helix_status_engine_shutdown (self->engine);
  /* Hanging up above may just have added a call */
  if (!helix_call_history_flush (self->history, HISTORY_FLUSH_TIMEOUT_MS))
    g_warning ("The call history could not be saved in time");
}

static int
on_handle_local_options (GApplication *application,
                         GVariantDict *options,
                         HelixPhone   *self)
{
  const char *config = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("HelixPhone %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* Only the first instance reads settings; a later one just forwards. */
  if (g_variant_dict_lookup (options, "config", "^&ay", &config))
    {
      g_free (self->config_path);
      self->config_path = g_strdup (config);
    }

  return -1;
}

int
helix_phone_command_line (HelixPhone              *self,
                          GApplicationCommandLine *command_line)
{
  GVariantDict *options;
  g_auto(GStrv) arguments = NULL;
  const char *config = NULL;
  int argc;

  g_return_val_if_fail (HELIX_IS_PHONE (self), 1);
  g_return_val_if_fail (G_IS_APPLICATION_COMMAND_LINE (command_line), 1);

  options = g_application_command_line_get_options_dict (command_line);
  if (g_application_command_line_get_is_remote (command_line) &&
      g_variant_dict_lookup (options, "config", "^&ay", &config) &&
      g_strcmp0 (config, helix_settings_get_path (self->settings)) != 0)
    g_application_command_line_printerr (command_line,
                                         _("HelixPhone is already running with settings from %s; "
                                           "--config is ignored\n"),
                                         helix_settings_get_path (self->settings));

  /* sip:…, tel:… or a number, from a link handler or a terminal. */
  arguments = g_application_command_line_get_arguments (command_line, &argc);
  if (argc > 2)
    g_application_command_line_printerr (command_line, _("Only one number can be called at a time\n"));
  if (argc > 1)
    {
      g_autoptr(GError) error = NULL;

      if (helix_sip_agent_dial (self->agent, helix_phone_expand_speed_dial (self, arguments[1]), &error) == NULL)
        {
          g_application_command_line_printerr (command_line, _("Cannot call %s: %s\n"),
                                               arguments[1], error->message);
          return 1;
        }
    }

  return 0;
}

void
helix_phone_add_main_options (HelixPhone *self)
{
  g_return_if_fail (HELIX_IS_PHONE (self));

  g_application_add_main_option_entries (self->application, main_options);
  g_application_set_option_context_parameter_string (self->application, _("[sip:URI|tel:NUMBER|NUMBER]"));
}

HelixSettings *
helix_phone_get_settings (HelixPhone *self)
{
  g_return_val_if_fail (HELIX_IS_PHONE (self), NULL);

  return self->settings;
}

HelixStatusEngine *
helix_phone_get_status_engine (HelixPhone *self)
{
  g_return_val_if_fail (HELIX_IS_PHONE (self), NULL);

  return self->engine;
}

HelixWebhook *
helix_phone_get_webhook (HelixPhone *self)
{
  g_return_val_if_fail (HELIX_IS_PHONE (self), NULL);

  return self->webhook;
}

/* Where a finished recording goes: helix_uploader_enqueue(). */
HelixUploader *
helix_phone_get_uploader (HelixPhone *self)
{
  g_return_val_if_fail (HELIX_IS_PHONE (self), NULL);

  return self->uploader;
}

HelixSipAgent *
helix_phone_get_sip_agent (HelixPhone *self)
{
  g_return_val_if_fail (HELIX_IS_PHONE (self), NULL);

  return self->agent;
}

HelixCallHistory *
helix_phone_get_call_history (HelixPhone *self)
{
  g_return_val_if_fail (HELIX_IS_PHONE (self), NULL);

  return self->history;
}

static void
helix_phone_constructed (GObject *object)
{
  HelixPhone *self = HELIX_PHONE (object);

  G_OBJECT_CLASS (helix_phone_parent_class)->constructed (object);

  g_signal_connect_object (self->application, "handle-local-options",
                           G_CALLBACK (on_handle_local_options), self, 0);
  g_signal_connect_object (self->application, "startup", G_CALLBACK (on_startup), self, 0);
  g_signal_connect_object (self->application, "shutdown", G_CALLBACK (on_shutdown), self, 0);
  helix_phone_add_main_options (self);
}

static void
helix_phone_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HelixPhone *self = HELIX_PHONE (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      self->application = g_value_get_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_phone_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HelixPhone *self = HELIX_PHONE (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_phone_dispose (GObject *object)
{
  HelixPhone *self = HELIX_PHONE (object);

  if (self->webhook != NULL)
    helix_webhook_stop_heartbeat (self->webhook);
  g_clear_object (&self->agent);
  g_clear_object (&self->history);
  g_clear_object (&self->uploader);
  g_clear_object (&self->webhook);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (helix_phone_parent_class)->dispose (object);
}

static void
helix_phone_finalize (GObject *object)
{
  HelixPhone *self = HELIX_PHONE (object);

  g_free (self->config_path);
  g_free (self->crm_call_id);

  G_OBJECT_CLASS (helix_phone_parent_class)->finalize (object);
}

static void
helix_phone_class_init (HelixPhoneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = helix_phone_constructed;
  object_class->set_property = helix_phone_set_property;
  object_class->get_property = helix_phone_get_property;
  object_class->dispose = helix_phone_dispose;
  object_class->finalize = helix_phone_finalize;

  props[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, G_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
helix_phone_init (HelixPhone *self)
{
}

HelixPhone *
helix_phone_new (GApplication *application)
{
  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);

  return g_object_new (HELIX_TYPE_PHONE, "application", application, NULL);
}

/* helix-test-baresip.c — baresip as a second softphone, driven over ctrl_tcp
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * API in helix-test-peers.h.  ctrl_tcp (baresip 1.0) takes and sends
 * netstring-framed JSON: {"command","params","token"} in,
 * {"response":true,"ok","data","token"} and {"event":true,"type",...} out.
 */
#define G_LOG_DOMAIN "helix-test-peers"

#include "helix-test-peers-private.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#define COMMAND_TIMEOUT_MS 10000

typedef struct {
  char     *type;
  char     *json;
  gboolean  returned;
} BaresipEvent;

struct _HelixTestBaresip {
  char        *dir;
  char        *user;
  guint16      sip_port;
  guint16      ctrl_port;
  GSubprocess *process;
  GSocket     *ctrl;
  GByteArray  *inbuf;
  GPtrArray   *events;      /* BaresipEvent* */
  GPtrArray   *responses;   /* JsonObject* */
  guint        next_token;
  gboolean     keep_dir;
};

static void
baresip_event_free (BaresipEvent *event)
{
  g_free (event->type);
  g_free (event->json);
  g_free (event);
}

/* 60 s of 440 Hz, 8 kHz mono S16LE: aufile insists on the codec's rate
 * and ends the call at end of file.  The tone comes from the resonator
 * y[n] = 2cos(w)·y[n-1] − y[n-2], which needs no libm. */
static gboolean
write_tone_wav (const char *path, GError **error)
{
  const guint32 rate = 8000, samples = rate * 60, data_len = samples * 2;
  const double two_cos_w = 1.8817615379, sin_w = 0.3387379202; /* w = 2π·440/8000 */
  g_autofree guint8 *wav = g_malloc (44 + data_len);
  guint8 *p = wav;
  double y1 = 0, y2 = -8000 * sin_w;

#define LE32(v) do { guint32 v_ = (v); for (int k = 0; k < 4; k++) *p++ = (v_ >> (8 * k)) & 0xff; } while (0)
#define LE16(v) do { guint16 v_ = (v); *p++ = v_ & 0xff; *p++ = v_ >> 8; } while (0)
  memcpy (p, "RIFF", 4); p += 4; LE32 (36 + data_len);
  memcpy (p, "WAVEfmt ", 8); p += 8; LE32 (16);
  LE16 (1); LE16 (1); LE32 (rate); LE32 (rate * 2); LE16 (2); LE16 (16);
  memcpy (p, "data", 4); p += 4; LE32 (data_len);
  for (guint32 i = 0; i < samples; i++)
    {
      double y = two_cos_w * y1 - y2;

      y2 = y1;
      y1 = y;
      LE16 ((guint16) (gint16) y2);
    }
#undef LE16
#undef LE32

  return g_file_set_contents (path, (const char *) wav, 44 + data_len, error);
}

static void
baresip_handle (HelixTestBaresip *baresip, const char *text, gsize len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;

  if (!json_parser_load_from_data (parser, text, len, NULL))
    return;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);

  if (json_object_has_member (object, "event"))
    {
      BaresipEvent *event = g_new0 (BaresipEvent, 1);

      event->type = g_strdup (json_object_get_string_member_with_default (object, "type", ""));
      event->json = g_strndup (text, len);
      g_ptr_array_add (baresip->events, event);
    }
  else if (json_object_has_member (object, "response"))
    {
      g_ptr_array_add (baresip->responses, json_object_ref (object));
    }
}

/* ctrl_tcp frames every message as a netstring: "LEN:JSON,". */
static void
baresip_pump (HelixTestBaresip *baresip)
{
  char buffer[8192];
  gssize received;

  while (baresip->ctrl != NULL
         && (received = g_socket_receive (baresip->ctrl, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_byte_array_append (baresip->inbuf, (const guint8 *) buffer, received);

  for (;;)
    {
      const guint8 *data = baresip->inbuf->data;
      gsize len = baresip->inbuf->len, i = 0, size = 0;

      while (i < len && g_ascii_isdigit (data[i]))
        size = size * 10 + (data[i++] - '0');
      if (i == len || len < i + 1 + size + 1)
        return;
      if (i == 0 || data[i] != ':' || data[i + 1 + size] != ',')
        {
          g_warning ("ctrl_tcp: not a netstring; dropping %zu bytes", len);
          g_byte_array_set_size (baresip->inbuf, 0);
          return;
        }
      baresip_handle (baresip, (const char *) data + i + 1, size);
      g_byte_array_remove_range (baresip->inbuf, 0, i + 1 + size + 1);
    }
}

static gboolean
baresip_try_connect (gpointer user_data)
{
  HelixTestBaresip *baresip = user_data;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = helix_test_peers_loopback_address (baresip->ctrl_port);

  if (helix_test_peers_process_exited (baresip->process))
    return TRUE;
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  /* A loopback connect is refused or accepted at once: blocking is fine. */
  if (!g_socket_connect (socket, address, NULL, NULL))
    return FALSE;
  g_socket_set_blocking (socket, FALSE);
  baresip->ctrl = g_steal_pointer (&socket);
  return TRUE;
}

static gboolean
baresip_launch (HelixTestBaresip      *baresip,
                const char            *password,
                guint16                registrar_port,
                HelixTestBaresipFlags  flags,
                GError               **error)
{
  g_autofree char *config_path = g_build_filename (baresip->dir, "config", NULL);
  g_autofree char *accounts_path = g_build_filename (baresip->dir, "accounts", NULL);
  g_autofree char *contacts_path = g_build_filename (baresip->dir, "contacts", NULL);
  g_autofree char *wav_path = g_build_filename (baresip->dir, "tone.wav", NULL);
  g_autofree char *log_path = g_build_filename (baresip->dir, "baresip.log", NULL);
  g_autofree char *config = NULL;
  g_autofree char *account = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *answermode = (flags & HELIX_TEST_BARESIP_AUTO_ANSWER) ? "auto" : "manual";
  g_autofree char *recording = NULL;

  /* It also binds the SIP port + 1 for TLS, hence the pair. */
  baresip->sip_port = helix_test_free_port_range (2);
  baresip->ctrl_port = helix_test_free_udp_port ();
  /* sndfile dumps every call's audio, as sent ("enc") and as decoded for
   * the player ("dec"), to dump-TIME-{enc,dec}.wav in snd_path. */
  recording = (flags & HELIX_TEST_BARESIP_RECORD)
              ? g_strdup_printf ("module\tsndfile.so\nsnd_path\t%s\n", baresip->dir)
              : g_strdup ("");
  config = g_strdup_printf (
      "poll_method\tepoll\n"
      "sip_listen\t127.0.0.1:%u\n"
      "call_local_timeout\t120\n"
      "call_max_calls\t4\n"
      /* An interface name ("lo") fails; without it SDP gets eth0's address. */
      "net_interface\t127.0.0.1\n"
      "audio_source\taufile,%s\n"
      /* No sound card; aubridge is a sink that does not spin a core. */
      "audio_player\taubridge,player\n"
      "audio_alert\taubridge,alert\n"
      "ausrc_srate\t8000\n"
      "ausrc_channels\t1\n"
      "module_path\t/usr/lib/baresip/modules\n"
      "module\tg711.so\n"
      "module\taufile.so\n"
      "module\taubridge.so\n"
      "module_tmp\tuuid.so\n"
      "module_tmp\taccount.so\n"
      "module_app\tmenu.so\n"
      "module_app\tctrl_tcp.so\n"
      "ctrl_tcp_listen\t127.0.0.1:%u\n"
      "%s",
      baresip->sip_port, wav_path, baresip->ctrl_port, recording);
  if (registrar_port != 0)
    account = g_strdup_printf ("<sip:%s@127.0.0.1:%u>;auth_pass=%s;answermode=%s;regint=600\n",
                               baresip->user, registrar_port, password, answermode);
  else
    account = g_strdup_printf ("<sip:%s@127.0.0.1:%u>;answermode=%s;regint=0\n",
                               baresip->user, baresip->sip_port, answermode);

  if (!g_file_set_contents (config_path, config, -1, error)
      || !g_file_set_contents (accounts_path, account, -1, error)
      || !g_file_set_contents (contacts_path, "", 0, error)
      || (!g_file_test (wav_path, G_FILE_TEST_EXISTS) && !write_tone_wav (wav_path, error)))
    return FALSE;

  launcher = helix_test_peers_launcher_logging_to (baresip->dir, log_path, error);
  if (launcher == NULL)
    return FALSE;
  g_clear_object (&baresip->process);
  /* -s: every SIP message, SDP included, goes to the log. */
  baresip->process = g_subprocess_launcher_spawn (launcher, error, helix_test_peers_program ("baresip", "/usr/bin/baresip"),
                                                  "-f", baresip->dir,
                                                  (flags & HELIX_TEST_BARESIP_SIP_TRACE) ? "-s" : NULL, NULL);
  if (baresip->process == NULL)
    return FALSE;

  if (helix_test_wait_until (baresip_try_connect, baresip, HELIX_TEST_PEERS_START_TIMEOUT_MS) && baresip->ctrl != NULL)
    return TRUE;

  {
    g_autofree char *tail = helix_test_peers_tail_of (log_path, 1500);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "baresip (SIP %u, ctrl %u) %s; log %s ends with:\n%s",
                 baresip->sip_port, baresip->ctrl_port,
                 helix_test_peers_process_exited (baresip->process) ? "exited" : "never accepted ctrl_tcp",
                 log_path, tail);
  }
  helix_test_peers_stop_process (baresip->process, SIGTERM, 2000);
  return FALSE;
}

HelixTestBaresip *
helix_test_baresip_start (const char *user,
                          const char *password,
                          guint16     registrar_port,
                          gboolean    auto_answer,
                          GError    **error)
{
  return helix_test_baresip_start_full (user, password, registrar_port,
                                        auto_answer ? HELIX_TEST_BARESIP_AUTO_ANSWER : 0, error);
}

HelixTestBaresip *
helix_test_baresip_start_full (const char             *user,
                               const char             *password,
                               guint16                 registrar_port,
                               HelixTestBaresipFlags   flags,
                               GError                **error)
{
  g_autoptr(HelixTestBaresip) baresip = g_new0 (HelixTestBaresip, 1);

  baresip->user = g_strdup (user);
  baresip->inbuf = g_byte_array_new ();
  baresip->events = g_ptr_array_new_with_free_func ((GDestroyNotify) baresip_event_free);
  baresip->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  baresip->dir = g_dir_make_tmp ("helix-baresip-XXXXXX", error);
  if (baresip->dir == NULL)
    return NULL;

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (baresip_launch (baresip, password, registrar_port, flags, &local_error))
        return g_steal_pointer (&baresip);
      if (attempt == HELIX_TEST_PEERS_START_ATTEMPTS)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          baresip->keep_dir = TRUE;
          return NULL;
        }
    }
}

guint16
helix_test_baresip_sip_port (HelixTestBaresip *baresip)
{
  return baresip->sip_port;
}

char *
helix_test_baresip_uri (HelixTestBaresip *baresip)
{
  return g_strdup_printf ("sip:%s@127.0.0.1:%u", baresip->user, baresip->sip_port);
}

static JsonObject *
baresip_take_response (HelixTestBaresip *baresip, const char *token)
{
  baresip_pump (baresip);
  for (guint i = 0; i < baresip->responses->len; i++)
    {
      JsonObject *response = g_ptr_array_index (baresip->responses, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (response, "token", NULL), token) == 0)
        return g_ptr_array_steal_index (baresip->responses, i);
    }
  return NULL;
}

char *
helix_test_baresip_command (HelixTestBaresip *baresip,
                            const char       *command,
                            const char       *params,
                            GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *token = g_strdup_printf ("helix-%u", ++baresip->next_token);
  g_autofree char *json = NULL;
  g_autofree char *frame = NULL;
  gint64 deadline = g_get_monotonic_time () + COMMAND_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  gboolean sent;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "command");
  json_builder_add_string_value (builder, command);
  if (params != NULL)
    {
      json_builder_set_member_name (builder, "params");
      json_builder_add_string_value (builder, params);
    }
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json = json_to_string (node, FALSE);
  frame = g_strdup_printf ("%zu:%s,", strlen (json), json);

  /* A few hundred bytes on loopback: a blocking send cannot stall. */
  g_socket_set_blocking (baresip->ctrl, TRUE);
  sent = g_socket_send (baresip->ctrl, frame, strlen (frame), NULL, error) == (gssize) strlen (frame);
  g_socket_set_blocking (baresip->ctrl, FALSE);
  if (!sent)
    return NULL;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonObject) response = baresip_take_response (baresip, token);

      if (response != NULL)
        {
          const char *data = json_object_get_string_member_with_default (response, "data", "");

          if (!json_object_get_boolean_member_with_default (response, "ok", FALSE))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "baresip %s %s: %s",
                           command, params != NULL ? params : "", data);
              return NULL;
            }
          return g_strdup (data);
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "baresip did not answer %s", command);
  return NULL;
}

static BaresipEvent *
baresip_find_event (HelixTestBaresip *baresip, const char *type)
{
  baresip_pump (baresip);
  for (guint i = 0; i < baresip->events->len; i++)
    {
      BaresipEvent *event = g_ptr_array_index (baresip->events, i);

      if (!event->returned && g_str_equal (event->type, type))
        return event;
    }
  return NULL;
}

char *
helix_test_baresip_wait_event (HelixTestBaresip *baresip, const char *type, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      BaresipEvent *event = baresip_find_event (baresip, type);

      if (event != NULL)
        {
          event->returned = TRUE;
          return g_strdup (event->json);
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_test_message ("baresip %s: no %s within %u ms; log in %s",
                          baresip->user, type, timeout_ms, baresip->dir);
          return NULL;
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

guint
helix_test_baresip_event_count (HelixTestBaresip *baresip, const char *type)
{
  guint count = 0;

  baresip_pump (baresip);
  for (guint i = 0; i < baresip->events->len; i++)
    count += g_str_equal (((BaresipEvent *) g_ptr_array_index (baresip->events, i))->type, type);
  return count;
}

gboolean
helix_test_baresip_wait_registered (HelixTestBaresip *baresip, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  do
    {
      g_autofree char *info = NULL;

      if (helix_test_baresip_event_count (baresip, "REGISTER_OK") > 0)
        return TRUE;
      /* reginfo colours the status: ESC[32m "OK " for a 200. */
      info = helix_test_baresip_command (baresip, "reginfo", NULL, NULL);
      if (info != NULL && strstr (info, "32mOK") != NULL)
        return TRUE;
      helix_test_wait_until (helix_test_peers_process_exited, baresip->process, 200);
    }
  while (g_get_monotonic_time () < deadline && !helix_test_peers_process_exited (baresip->process));

  return FALSE;
}

char *
helix_test_baresip_log (HelixTestBaresip *baresip)
{
  g_autofree char *path = g_build_filename (baresip->dir, "baresip.log", NULL);

  return helix_test_peers_read_text (path);
}

char *
helix_test_baresip_played_path (HelixTestBaresip *baresip)
{
  g_autoptr(GDir) dir = g_dir_open (baresip->dir, 0, NULL);
  g_autofree char *newest = NULL;
  const char *name;

  /* The names sort by time (dump-YYYY-MM-DD-HH-MM-SS-dec.wav). */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "dump-") && g_str_has_suffix (name, "-dec.wav")
        && g_strcmp0 (name, newest) > 0)
      {
        g_free (newest);
        newest = g_strdup (name);
      }

  return newest != NULL ? g_build_filename (baresip->dir, newest, NULL) : NULL;
}

void
helix_test_baresip_free (HelixTestBaresip *baresip)
{
  if (baresip == NULL)
    return;
  if (baresip->ctrl != NULL)
    g_socket_close (baresip->ctrl, NULL);
  g_clear_object (&baresip->ctrl);
  /* SIGTERM lets it un-REGISTER; with the registrar gone it would wait
   * for the transaction to time out, hence the short grace. */
  if (baresip->process != NULL)
    helix_test_peers_stop_process (baresip->process, SIGTERM, 2000);
  g_clear_object (&baresip->process);
  helix_test_peers_dispose_dir (&baresip->dir, baresip->keep_dir, "baresip");
  g_byte_array_unref (baresip->inbuf);
  g_ptr_array_unref (baresip->events);
  g_ptr_array_unref (baresip->responses);
  g_free (baresip->user);
  g_free (baresip);
}

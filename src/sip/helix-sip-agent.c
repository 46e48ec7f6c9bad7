/* helix-sip-agent.c — the Sofia-SIP user agent on the GLib main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One nua instance, driven by su_glib's GSource on the default main
 * context, so every SIP event arrives on the same loop as D-Bus, HTTP and
 * the UI.  The agent owns the calls and, through HelixSipRegistration,
 * the account's registration; it knows nothing of webhooks: the
 * application maps call states onto the status engine.
 */
#define G_LOG_DOMAIN "helix-sip"

#include "helix-config.h"
#include "helix-sip-agent.h"

#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/soa.h>
#include <sofia-sip/soa_tag.h>
#include <sofia-sip/su_glib.h>
#include <sofia-sip/su_uniqueid.h>
#include <sofia-sip/msg_header.h>
#include <string.h>

#include "helix-call-media.h"
#include "helix-call-private.h"
#include "helix-sip-address.h"
#include "helix-sip-peer.h"
#include "helix-sip-transport.h"

#define DIRECT_PORT_ATTEMPTS  8

struct _HelixSipAgent {
  GObject                 parent_instance;

  su_home_t               home[1];
  su_root_t              *root;
  GSource                *source;
  nua_t                  *nua;
  HelixSipRegistration   *registration;

  char                   *server;
  guint                   port;
  char                   *transport;
  char                   *username;
  char                   *password;
  gboolean                auto_register;
  gboolean                dnd;

  char                   *local_uri;
  guint                   local_port;
  gboolean                shutdown_done;
  char                   *tls_ca_file;  /* set while the nua has a TLS transport */

  HelixCall              *call;       /* at most one call at a time */
  HelixCallMedia         *media;      /* the calls' audio */
};

G_DEFINE_FINAL_TYPE (HelixSipAgent, helix_sip_agent, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REGISTRATION_STATE,
  PROP_REGISTRATION_ERROR,
  PROP_LOCAL_URI,
  PROP_DND,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  CALL_ADDED,
  CALL_REMOVED,
  MISSED_CALL,
  DTMF_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
has_server (HelixSipAgent *self)
{
  return self->server != NULL && *self->server != '\0';
}

static char *
server_hostport (HelixSipAgent *self)
{
  gboolean ipv6 = strchr (self->server, ':') != NULL;

  return g_strdup_printf (ipv6 ? "[%s]:%u" : "%s:%u", self->server, self->port);
}

static HelixCall *
create_call (HelixSipAgent       *self,
             nua_handle_t        *handle,
             HelixCallDirection   direction,
             const char          *number,
             const char          *name,
             const char          *media_address,
             GError             **error)
{
  g_autoptr(HelixMediaSession) media = helix_media_session_new (error);
  g_autofree char *sdp = NULL;
  HelixCall *call;

  if (media == NULL)
    return NULL;

  sdp = helix_media_session_build_offer (media, media_address);
  call = helix_call_new (handle, direction, number, name, sdp);
  nua_handle_bind (handle, call);
  helix_call_media_add (self->media, call, media);

  return call;
}

static void
remove_call (HelixSipAgent *self,
             HelixCall     *call)
{
  nua_handle_t *handle = helix_call_get_handle (call);

  helix_call_media_remove (self->media, call);
  if (self->call == call)
    self->call = NULL;

  g_signal_emit (self, signals[CALL_REMOVED], 0, call);
  nua_handle_bind (handle, NULL);
  nua_handle_destroy (handle);
  g_object_unref (call);
}

static void
handle_incoming_invite (HelixSipAgent *self,
                        nua_handle_t  *nh,
                        sip_t const   *sip)
{
  g_autofree char *number = NULL;
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;
  const char *reason = NULL;
  HelixCall *call;

  helix_sip_remote_identity (sip, &number, &name);

  if (self->dnd)
    reason = "Do Not Disturb";
  else if (self->call != NULL)
    reason = "Busy on another call";

  if (reason != NULL)
    {
      /* Refused without ringing; the handle goes when Sofia terminates it. */
      g_message ("Refusing call from %s: %s", number, reason);
      nua_respond (nh, SIP_486_BUSY_HERE, TAG_END ());
      g_signal_emit (self, signals[MISSED_CALL], 0, number, name, reason);
      return;
    }

  /* The caller addressed us at the Request-URI host: advertise that. */
  if (sip->sip_request != NULL && sip->sip_request->rq_url->url_host != NULL)
    {
      g_autoptr(GInetAddress) literal = g_inet_address_new_from_string (sip->sip_request->rq_url->url_host);

      if (literal != NULL)
        address = g_strdup (sip->sip_request->rq_url->url_host);
    }
  if (address == NULL && sip->sip_via != NULL)
    address = helix_sip_local_address_towards (sip->sip_via->v_received != NULL
                                     ? sip->sip_via->v_received : sip->sip_via->v_host);

  call = create_call (self, nh, HELIX_CALL_DIRECTION_INBOUND, number, name, address, &error);
  if (call == NULL)
    {
      g_warning ("Cannot take the call from %s: %s", number, error->message);
      nua_respond (nh, SIP_500_INTERNAL_SERVER_ERROR, TAG_END ());
      return;
    }

  helix_call_set_sip_call_id (call, sip->sip_call_id != NULL ? sip->sip_call_id->i_id : NULL);
  self->call = call;
  nua_respond (nh, SIP_180_RINGING, TAG_END ());
  g_signal_emit (self, signals[CALL_ADDED], 0, call);
}

static void
start_registration (HelixSipAgent *self)
{
  g_autofree char *hostport = server_hostport (self);
  g_autofree char *aor = g_strdup_printf ("sip:%s@%s", self->username, self->server);
  g_autofree char *registrar = g_strdup_printf ("sip:%s%s", hostport, helix_sip_transport_param (self->transport));

  helix_sip_registration_set_tls_trust (self->registration, helix_sip_transport_is_tls (self->transport)
                                        ? self->tls_ca_file : NULL);
  helix_sip_registration_start (self->registration, self->nua, self->server, registrar, aor,
                                self->username, self->password);
}

static void
apply_account (HelixSipAgent *self)
{
  g_autofree char *proxy = NULL;
  g_autofree char *from = NULL;

  if (self->nua == NULL)
    return;

  if (!has_server (self))
    {
      g_autofree char *address = helix_sip_primary_address ();

      g_free (self->local_uri);
      self->local_uri = g_strdup_printf ("sip:%s@%s:%u",
                                         *self->username != '\0' ? self->username : "helixphone",
                                         address, self->local_port);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL_URI]);
      nua_set_params (self->nua, NUTAG_PROXY (NULL), TAG_END ());
      helix_sip_registration_stop (self->registration, HELIX_REGISTRATION_DIRECT);
      return;
    }

  {
    g_autofree char *hostport = server_hostport (self);

    proxy = g_strdup_printf ("sip:%s%s", hostport, helix_sip_transport_param (self->transport));
  }
  from = g_strdup_printf ("sip:%s@%s", self->username, self->server);
  g_free (self->local_uri);
  self->local_uri = g_strdup (from);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL_URI]);
  nua_set_params (self->nua,
                  NUTAG_PROXY (proxy),
                  SIPTAG_FROM_STR (from),
                  NUTAG_M_USERNAME (self->username),
                  TAG_END ());

  if (!self->auto_register)
    {
      helix_sip_registration_stop (self->registration, HELIX_REGISTRATION_DISABLED);
      return;
    }

  start_registration (self);
}

static void
handle_info (HelixSipAgent *self,
             HelixCall     *call,
             sip_t const   *sip)
{
  char digit[2] = { helix_sip_dtmf_relay_digit (sip), '\0' };

  if (digit[0] != '\0')
    g_signal_emit (self, signals[DTMF_RECEIVED], 0, call, digit);
}

static void
on_nua_event (nua_event_t   event,
              int           status,
              char const   *phrase,
              nua_t        *nua,
              nua_magic_t  *magic,
              nua_handle_t *nh,
              nua_hmagic_t *hmagic,
              sip_t const  *sip,
              tagi_t        tags[])
{
  HelixSipAgent *self = HELIX_SIP_AGENT (magic);
  HelixCall *call = hmagic != NULL ? HELIX_CALL (hmagic) : NULL;

  g_debug ("%s %03d %s", nua_event_name (event), status, phrase != NULL ? phrase : "");

  switch (event)
    {
    case nua_i_invite:
      if (call == NULL)
        handle_incoming_invite (self, nh, sip);
      break;

    case nua_i_state:
      {
        int callstate = nua_callstate_init;
        int audio = SOA_ACTIVE_DISABLED;
        char const *local_sdp = NULL;
        char const *remote_sdp = NULL;

        tl_gets (tags, NUTAG_CALLSTATE_REF (callstate), SOATAG_ACTIVE_AUDIO_REF (audio),
                 SOATAG_LOCAL_SDP_STR_REF (local_sdp), SOATAG_REMOTE_SDP_STR_REF (remote_sdp), TAG_END ());
        if (call == NULL)
          {
            /* A call refused at the door: nothing of ours to keep. */
            if (callstate == nua_callstate_terminated &&
                !helix_sip_registration_owns (self->registration, nh))
              nua_handle_destroy (nh);
            break;
          }

        helix_call_handle_state (call, callstate, status, phrase, audio);
        helix_call_media_handle_state (self->media, call, callstate, local_sdp, remote_sdp);
        if (callstate == nua_callstate_terminated)
          remove_call (self, call);
      }
      break;

    case nua_r_invite:
      if (call != NULL && (status == 401 || status == 407) && sip != NULL)
        {
          if (!helix_sip_answer_challenge (nh, sip, self->username, self->password))
            helix_call_end (call, "The server asks for a password that is not set");
        }
      else if (call != NULL && status >= 180 && status < 200)
        helix_call_set_alerting (call);
      break;

    case nua_i_bye:
      if (call != NULL)
        helix_call_end (call, "The other party hung up");
      break;

    case nua_i_cancel:
      if (call != NULL)
        helix_call_end (call, "The caller hung up");
      break;

    case nua_i_info:
      if (call != NULL)
        handle_info (self, call, sip);
      break;

    case nua_r_refer:
      if (call != NULL && status >= 300)
        helix_call_handle_refer_done (call, status);
      break;

    case nua_i_notify:
      if (call != NULL && sip != NULL && sip->sip_event != NULL &&
          g_ascii_strcasecmp (sip->sip_event->o_type, "refer") == 0)
        {
          int frag = helix_sip_sipfrag_status (sip);

          if (frag >= 200)
            helix_call_handle_refer_done (call, frag);
        }
      break;

    case nua_r_register:
    case nua_r_unregister:
      helix_sip_registration_handle_event (self->registration, event, nh, status, phrase, sip);
      break;

    case nua_r_shutdown:
      if (status >= 200)
        self->shutdown_done = TRUE;
      break;

    case nua_i_terminated:
      if (call != NULL)
        {
          helix_call_end (call, "Call ended");
          remove_call (self, call);
        }
      break;

    default:
      break;
    }
}

static gboolean
create_nua (HelixSipAgent  *self,
            guint           port,
            GError        **error)
{
  g_autofree char *url = port != 0 ? g_strdup_printf ("sip:*:%u", port) : g_strdup ("sip:*:*");
  const char *user = self->username != NULL && *self->username != '\0' ? self->username : "helixphone";
  g_autoptr(GError) tls_error = NULL;
  tagi_t *transport_tags;

  /* Without a TLS transport, a TLS registration fails with Sofia's reason. */
  g_clear_pointer (&self->tls_ca_file, g_free);
  transport_tags = helix_sip_transport_tags (self->home, self->transport, &self->tls_ca_file, &tls_error);
  if (tls_error != NULL)
    g_warning ("SIP over TLS is not available: %s", tls_error->message);

  self->shutdown_done = FALSE;
  self->nua = nua_create (self->root, on_nua_event, self,
                          NUTAG_URL (url),
                          NUTAG_USER_AGENT ("HelixPhone/" PACKAGE_VERSION),
                          NUTAG_M_USERNAME (user),
                          NUTAG_AUTOALERT (0),
                          NUTAG_AUTOANSWER (0),
                          NUTAG_MEDIA_ENABLE (1),
                          NUTAG_ENABLEMESSAGE (0),
                          NUTAG_ALLOW ("INFO, REFER, NOTIFY"),
                          SOATAG_AF (SOA_AF_IP4_IP6),
                          TAG_NEXT (transport_tags));
  if (self->nua == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                   "Cannot listen for SIP on port %u", port);
      return FALSE;
    }

  self->local_port = port;
  return TRUE;
}

static guint
find_free_port (void)
{
  g_autoptr(GSocket) udp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                         G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) any = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (udp == NULL || !g_socket_bind (udp, address, FALSE, NULL))
    return 0;
  bound = g_socket_get_local_address (udp, NULL);

  return bound != NULL ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : 0;
}

gboolean
helix_sip_agent_start (HelixSipAgent  *self,
                       GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  guint preferred;

  g_return_val_if_fail (HELIX_IS_SIP_AGENT (self), FALSE);
  g_return_val_if_fail (self->nua == NULL, FALSE);

  /* In direct mode Sip.Port is where callers reach us; with a registrar
   * any local port will do, as the registration tells where we are. */
  preferred = has_server (self) ? 0 : self->port;

  if (!create_nua (self, preferred, &local_error))
    {
      g_message ("%s; picking a free port instead", local_error->message);
      for (guint attempt = 0; attempt < DIRECT_PORT_ATTEMPTS && self->nua == NULL; attempt++)
        {
          g_clear_error (&local_error);
          create_nua (self, find_free_port (), &local_error);
        }
      if (self->nua == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (self->local_port == 0)
    self->local_port = find_free_port ();

  apply_account (self);
  return TRUE;
}

void
helix_sip_agent_configure (HelixSipAgent *self,
                           const char    *server,
                           guint          port,
                           const char    *transport,
                           const char    *username,
                           const char    *password,
                           gboolean       auto_register)
{
  gboolean changed;

  g_return_if_fail (HELIX_IS_SIP_AGENT (self));

  changed = g_strcmp0 (self->server, server) != 0 || self->port != port ||
            g_strcmp0 (self->transport, transport) != 0 ||
            g_strcmp0 (self->username, username) != 0 ||
            g_strcmp0 (self->password, password) != 0 ||
            self->auto_register != auto_register;
  if (!changed)
    return;

  g_free (self->server);
  self->server = g_strdup (server != NULL ? server : "");
  self->port = port != 0 ? port : 5060;
  g_free (self->transport);
  self->transport = g_strdup (transport != NULL ? transport : "UDP");
  g_free (self->username);
  self->username = g_strdup (username != NULL ? username : "");
  g_free (self->password);
  self->password = g_strdup (password != NULL ? password : "");
  self->auto_register = auto_register;

  /* A TLS transport exists only in a nua created for it. */
  if (self->nua != NULL && helix_sip_transport_is_tls (self->transport) && self->tls_ca_file == NULL)
    {
      g_autoptr(GError) error = NULL;

      helix_sip_agent_shutdown (self, 2000);
      if (!helix_sip_agent_start (self, &error))
        g_warning ("SIP is not available: %s", error->message);
      return;
    }

  apply_account (self);
}

char *
helix_sip_agent_resolve_target (HelixSipAgent  *self,
                                const char     *target,
                                GError        **error)
{
  g_return_val_if_fail (HELIX_IS_SIP_AGENT (self), NULL);

  return helix_sip_target_uri (target, self->server, self->port, self->transport, error);
}

HelixCall *
helix_sip_agent_dial (HelixSipAgent  *self,
                      const char     *target,
                      GError        **error)
{
  g_autofree char *uri = NULL;
  g_autofree char *address = NULL;
  g_autofree char *number = NULL;
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url;
  nua_handle_t *nh;
  HelixCall *call;

  g_return_val_if_fail (HELIX_IS_SIP_AGENT (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  if (self->nua == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "The phone is not started");
      return NULL;
    }
  if (self->call != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "Hang up the current call first");
      return NULL;
    }

  uri = helix_sip_agent_resolve_target (self, target, error);
  if (uri == NULL)
    return NULL;

  url = url_make (home, uri);
  if (url == NULL || url->url_host == NULL)
    {
      su_home_deinit (home);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not a valid SIP address", uri);
      return NULL;
    }
  number = helix_sip_clean_number (url->url_user != NULL ? url->url_user : url->url_host);
  address = helix_sip_local_address_towards (has_server (self) ? self->server : url->url_host);
  su_home_deinit (home);

  /* Like handles Sofia makes for incoming calls, this one is ours until
   * nua_handle_destroy() in remove_call(); the call holds a reference of
   * its own on top. */
  nh = nua_handle (self->nua, NULL, SIPTAG_TO_STR (uri), TAG_END ());
  call = create_call (self, nh, HELIX_CALL_DIRECTION_OUTBOUND, number, "", address, error);
  if (call == NULL)
    {
      nua_handle_destroy (nh);
      return NULL;
    }

  self->call = call;
  g_signal_emit (self, signals[CALL_ADDED], 0, call);
  helix_call_start_outgoing (call);

  return call;
}

HelixCall *
helix_sip_agent_get_call (HelixSipAgent *self)
{
  g_return_val_if_fail (HELIX_IS_SIP_AGENT (self), NULL);

  return self->call;
}

HelixRegistrationState
helix_sip_agent_get_registration_state (HelixSipAgent *self)
{
  g_return_val_if_fail (HELIX_IS_SIP_AGENT (self), HELIX_REGISTRATION_STOPPED);

  return helix_sip_registration_get_state (self->registration);
}

const char *
helix_sip_agent_get_registration_error (HelixSipAgent *self)
{
  g_return_val_if_fail (HELIX_IS_SIP_AGENT (self), NULL);

  return helix_sip_registration_get_error (self->registration);
}

const char *
helix_sip_agent_get_local_uri (HelixSipAgent *self)
{
  g_return_val_if_fail (HELIX_IS_SIP_AGENT (self), NULL);

  return self->local_uri;
}

HelixCallMedia *
helix_sip_agent_get_media (HelixSipAgent *self)
{
  g_return_val_if_fail (HELIX_IS_SIP_AGENT (self), NULL);

  return self->media;
}

guint
helix_sip_agent_get_local_port (HelixSipAgent *self)
{
  g_return_val_if_fail (HELIX_IS_SIP_AGENT (self), 0);

  return self->local_port;
}

static gboolean
is_unregistered (gpointer data)
{
  return helix_sip_registration_is_unregistered (data);
}

static gboolean
is_shut_down (gpointer data)
{
  return HELIX_SIP_AGENT (data)->shutdown_done;
}

static void
iterate_until (gboolean (*done) (gpointer data),
               gpointer   data,
               gint64     deadline)
{
  while (!done (data) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* Sofia must be stepped through nua_shutdown() to its nua_r_shutdown
 * before nua_destroy(), or it crashes; the un-REGISTER goes out first so
 * the registrar forgets us at once instead of at expiry. */
void
helix_sip_agent_shutdown (HelixSipAgent *self,
                          guint          timeout_ms)
{
  gint64 deadline;

  g_return_if_fail (HELIX_IS_SIP_AGENT (self));

  if (self->nua == NULL)
    return;

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  if (self->call != NULL)
    helix_call_hangup (self->call, NULL);

  if (helix_sip_registration_unregister (self->registration))
    iterate_until (is_unregistered, self->registration, deadline);

  nua_shutdown (self->nua);
  iterate_until (is_shut_down, self, deadline);

  while (self->call != NULL)
    remove_call (self, self->call);
  /* Recordings end with their WAV header written, not cut off. */
  helix_call_media_drain (self->media, (guint) MAX (0, (deadline - g_get_monotonic_time ()) / 1000) + 1000);
  /* Its handle goes before the nua it belongs to. */
  helix_sip_registration_stop (self->registration, HELIX_REGISTRATION_STOPPED);

  nua_destroy (self->nua);
  self->nua = NULL;
}

static void
helix_sip_agent_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HelixSipAgent *self = HELIX_SIP_AGENT (object);

  switch (prop_id)
    {
    case PROP_DND:
      if (self->dnd != g_value_get_boolean (value))
        {
          self->dnd = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_sip_agent_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HelixSipAgent *self = HELIX_SIP_AGENT (object);

  switch (prop_id)
    {
    case PROP_REGISTRATION_STATE:
      g_value_set_int (value, helix_sip_registration_get_state (self->registration));
      break;

    case PROP_REGISTRATION_ERROR:
      g_value_set_string (value, helix_sip_registration_get_error (self->registration));
      break;

    case PROP_LOCAL_URI:
      g_value_set_string (value, self->local_uri);
      break;

    case PROP_DND:
      g_value_set_boolean (value, self->dnd);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_sip_agent_dispose (GObject *object)
{
  HelixSipAgent *self = HELIX_SIP_AGENT (object);

  helix_sip_agent_shutdown (self, 1000);
  g_clear_object (&self->registration);
  g_clear_object (&self->media);

  /* The root's port is this GSource and the root holds the only reference
   * besides the main context's: destroy the root while the source lives,
   * then detach the source, which frees it. */
  if (self->root != NULL)
    {
      su_root_destroy (self->root);
      self->root = NULL;
    }
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      self->source = NULL;
    }

  G_OBJECT_CLASS (helix_sip_agent_parent_class)->dispose (object);
}

static void
helix_sip_agent_finalize (GObject *object)
{
  HelixSipAgent *self = HELIX_SIP_AGENT (object);

  g_free (self->server);
  g_free (self->transport);
  g_free (self->username);
  g_free (self->password);
  g_free (self->local_uri);
  g_free (self->tls_ca_file);
  su_home_deinit (self->home);
  su_deinit ();

  G_OBJECT_CLASS (helix_sip_agent_parent_class)->finalize (object);
}

static void
helix_sip_agent_class_init (HelixSipAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = helix_sip_agent_set_property;
  object_class->get_property = helix_sip_agent_get_property;
  object_class->dispose = helix_sip_agent_dispose;
  object_class->finalize = helix_sip_agent_finalize;

  props[PROP_REGISTRATION_STATE] =
    g_param_spec_int ("registration-state", NULL, NULL,
                      HELIX_REGISTRATION_STOPPED, HELIX_REGISTRATION_FAILED, HELIX_REGISTRATION_STOPPED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_REGISTRATION_ERROR] =
    g_param_spec_string ("registration-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_LOCAL_URI] =
    g_param_spec_string ("local-uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_DND] =
    g_param_spec_boolean ("dnd", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[CALL_ADDED] =
    g_signal_new ("call-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HELIX_TYPE_CALL);
  signals[CALL_REMOVED] =
    g_signal_new ("call-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HELIX_TYPE_CALL);
  /* number, name, reason of a call refused without ringing */
  signals[MISSED_CALL] =
    g_signal_new ("missed-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, HELIX_TYPE_CALL, G_TYPE_STRING);
}

/* RFC 4733 digits are reported like those that came by SIP INFO. */
static void
on_media_dtmf (HelixSipAgent *self,
               HelixCall     *call,
               const char    *digit)
{
  g_signal_emit (self, signals[DTMF_RECEIVED], 0, call, digit);
}

/* The registration's state is the agent's, under the agent's names. */
static void
on_registration_notify (HelixSipAgent *self,
                        GParamSpec    *pspec)
{
  if (g_str_equal (pspec->name, "state"))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REGISTRATION_STATE]);
  else
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REGISTRATION_ERROR]);
}

static void
helix_sip_agent_init (HelixSipAgent *self)
{
  helix_sip_library_init ();
  su_init ();
  su_home_init (self->home);

  self->root = su_glib_root_create (self);
  self->source = su_glib_root_gsource (self->root);
  g_source_attach (self->source, NULL);

  self->transport = g_strdup ("UDP");
  self->server = g_strdup ("");
  self->username = g_strdup ("");
  self->password = g_strdup ("");
  self->port = 5060;
  self->auto_register = TRUE;
  self->registration = helix_sip_registration_new ();
  g_signal_connect_object (self->registration, "notify", G_CALLBACK (on_registration_notify), self,
                           G_CONNECT_SWAPPED);
  self->media = helix_call_media_new ();
  g_signal_connect_object (self->media, "dtmf-received", G_CALLBACK (on_media_dtmf), self, G_CONNECT_SWAPPED);
}

/* Sofia's su_uniqueid has a library destructor that deletes its
 * thread-local key even when it never created one, and then deletes key 0,
 * which GLib owns: any process that links Sofia crashes at exit now and
 * then.  Making the key exist up front, by drawing one random number,
 * avoids that; every program linking this library calls this first. */
void
helix_sip_library_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      (void) su_random ();
      g_once_init_leave (&initialized, 1);
    }
}

HelixSipAgent *
helix_sip_agent_new (void)
{
  return g_object_new (HELIX_TYPE_SIP_AGENT, NULL);
}

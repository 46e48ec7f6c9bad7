/* helix-sip-registration.c — keeping one SIP account registered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sofia refreshes a registration by itself while it succeeds; what is
 * ours is the rest: answering the digest challenge once per round (a
 * second 401 means the password is wrong, and resending it would only
 * hammer the server), words a user can act on for each failure, and a
 * back-off before the next attempt.
 */
#define G_LOG_DOMAIN "helix-sip"

#include "helix-sip-registration.h"

#include <sofia-sip/msg_header.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/url.h>

#include "helix-sip-transport.h"

struct _HelixSipRegistration {
  GObject                 parent_instance;

  nua_t                  *nua;
  nua_handle_t           *handle;
  char                   *server;
  char                   *registrar;
  char                   *aor;
  char                   *username;
  char                   *password;
  char                   *tls_ca_file;     /* the registrar is reached over TLS */
  GCancellable           *diagnosis;       /* the TLS check before a REGISTER */

  HelixRegistrationState  state;
  char                   *error;
  guint                   retry_id;
  guint                   backoff;         /* seconds of the last wait */
  guint                   auth_attempts;   /* in this challenge round */
  gboolean                unregistering;
  gboolean                unregistered;
};

G_DEFINE_FINAL_TYPE (HelixSipRegistration, helix_sip_registration, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
set_state (HelixSipRegistration   *self,
           HelixRegistrationState  state,
           const char             *error)
{
  if (g_strcmp0 (self->error, error) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);
    }

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
    }
}

gboolean
helix_sip_answer_challenge (nua_handle_t *nh,
                            sip_t const  *sip,
                            const char   *username,
                            const char   *password)
{
  msg_auth_t const *challenge;
  const char *realm;
  g_autofree char *credentials = NULL;

  g_return_val_if_fail (nh != NULL, FALSE);

  if (sip == NULL || username == NULL || *username == '\0')
    return FALSE;

  challenge = sip->sip_www_authenticate != NULL ? sip->sip_www_authenticate : sip->sip_proxy_authenticate;
  if (challenge == NULL)
    return FALSE;

  realm = msg_params_find (challenge->au_params, "realm=");
  if (realm == NULL)
    return FALSE;

  /* Sofia's form: scheme:"realm":user:password */
  credentials = g_strdup_printf ("%s:%s:%s:%s", challenge->au_scheme, realm,
                                 username, password != NULL ? password : "");
  nua_authenticate (nh, NUTAG_AUTH (credentials), TAG_END ());
  return TRUE;
}

static void
drop_handle (HelixSipRegistration *self)
{
  g_clear_pointer (&self->handle, nua_handle_destroy);
}

static void send_register (HelixSipRegistration *self);

static void
cancel_diagnosis (HelixSipRegistration *self)
{
  if (self->diagnosis != NULL)
    g_cancellable_cancel (self->diagnosis);
  g_clear_object (&self->diagnosis);
}

static gboolean
on_retry (gpointer user_data)
{
  HelixSipRegistration *self = user_data;

  self->retry_id = 0;
  send_register (self);

  return G_SOURCE_REMOVE;
}

static char *
describe_failure (int         status,
                  const char *phrase)
{
  switch (status)
    {
    case 401: case 407:
      return g_strdup_printf ("Wrong user name or password (%d %s)", status, phrase);
    case 403:
      return g_strdup_printf ("The server refused this account (%d %s)", status, phrase);
    case 404:
      return g_strdup_printf ("Unknown user on this server (%d %s)", status, phrase);
    case 408: case 503:
      return g_strdup_printf ("The SIP server does not answer (%d %s)", status, phrase);
    default:
      return g_strdup_printf ("The server answered %d %s", status, phrase);
    }
}

static void
retry_later (HelixSipRegistration *self,
             const char           *reason)
{
  self->backoff = self->backoff == 0 ? 2 : MIN (self->backoff * 2, HELIX_SIP_REGISTER_MAX_BACKOFF);
  g_warning ("Registration to %s failed: %s; retrying in %u s", self->server, reason, self->backoff);
  set_state (self, HELIX_REGISTRATION_FAILED, reason);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add_seconds (self->backoff, on_retry, self);
}

static void
failed (HelixSipRegistration *self,
        int                   status,
        const char           *phrase)
{
  g_autofree char *reason = describe_failure (status, phrase);

  /* The retry starts from a fresh handle: Sofia's refresh of the old one
   * would not wait for the back-off. */
  drop_handle (self);
  retry_later (self, reason);
}

static void
on_register_response (HelixSipRegistration *self,
                      int                   status,
                      const char           *phrase,
                      sip_t const          *sip)
{
  if (status < 200)
    return;

  if (status < 300)
    {
      self->backoff = 0;
      self->auth_attempts = 0;
      g_message ("Registered to %s as %s", self->server, self->username);
      set_state (self, HELIX_REGISTRATION_REGISTERED, NULL);
      return;
    }

  if ((status == 401 || status == 407) && self->auth_attempts++ == 0 &&
      helix_sip_answer_challenge (self->handle, sip, self->username, self->password))
    return;

  self->auth_attempts = 0;
  failed (self, status, phrase);
}

static void
register_now (HelixSipRegistration *self)
{
  self->handle = nua_handle (self->nua, NULL, SIPTAG_TO_STR (self->aor), SIPTAG_FROM_STR (self->aor), TAG_END ());
  nua_register (self->handle,
                NUTAG_REGISTRAR (self->registrar),
                NUTAG_M_USERNAME (self->username),
                NUTAG_OUTBOUND ("no-options-keepalive, no-validate"),
                SIPTAG_EXPIRES_STR (G_STRINGIFY (HELIX_SIP_REGISTER_EXPIRES)),
                TAG_END ());
}

static void
on_tls_checked (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autofree char *verdict = helix_sip_tls_diagnose_finish (result);
  HelixSipRegistration *self;

  /* Cancelled: the registration was stopped, restarted or disposed. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  self = HELIX_SIP_REGISTRATION (user_data);
  g_clear_object (&self->diagnosis);
  if (verdict != NULL)
    retry_later (self, verdict);
  else
    register_now (self);
}

/* Sofia drops a TLS connection whose certificate does not verify without
 * telling anyone why; the REGISTER waiting for it then times out after
 * 32 s like one sent to a dead server.  A handshake of our own first,
 * against the same CA file, gives the user the reason at once.  Sofia
 * still verifies its own connection: this check only ever adds a refusal. */
static gboolean
check_tls_first (HelixSipRegistration *self)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url = self->tls_ca_file != NULL ? url_make (home, self->registrar) : NULL;
  gboolean checking = url != NULL && url->url_host != NULL;

  if (checking)
    {
      guint port = url->url_port != NULL ? (guint) g_ascii_strtoull (url->url_port, NULL, 10) : 5061;

      cancel_diagnosis (self);
      self->diagnosis = g_cancellable_new ();
      helix_sip_tls_diagnose_async (url->url_host, port, self->tls_ca_file, self->diagnosis,
                                    on_tls_checked, self);
    }
  su_home_deinit (home);

  return checking;
}

static void
send_register (HelixSipRegistration *self)
{
  drop_handle (self);
  self->auth_attempts = 0;
  set_state (self, HELIX_REGISTRATION_REGISTERING, self->error);

  if (!check_tls_first (self))
    register_now (self);
}

void
helix_sip_registration_start (HelixSipRegistration *self,
                              nua_t                *nua,
                              const char           *server,
                              const char           *registrar,
                              const char           *aor,
                              const char           *username,
                              const char           *password)
{
  g_return_if_fail (HELIX_IS_SIP_REGISTRATION (self));
  g_return_if_fail (nua != NULL && registrar != NULL && aor != NULL);

  helix_sip_registration_stop (self, HELIX_REGISTRATION_STOPPED);

  self->nua = nua;
  g_free (self->server);
  self->server = g_strdup (server);
  g_free (self->registrar);
  self->registrar = g_strdup (registrar);
  g_free (self->aor);
  self->aor = g_strdup (aor);
  g_free (self->username);
  self->username = g_strdup (username);
  g_free (self->password);
  self->password = g_strdup (password);

  send_register (self);
}

void
helix_sip_registration_stop (HelixSipRegistration   *self,
                             HelixRegistrationState  state)
{
  g_return_if_fail (HELIX_IS_SIP_REGISTRATION (self));
  g_return_if_fail (state == HELIX_REGISTRATION_STOPPED || state == HELIX_REGISTRATION_DIRECT ||
                    state == HELIX_REGISTRATION_DISABLED);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  cancel_diagnosis (self);
  self->backoff = 0;
  if (self->handle != NULL && self->state == HELIX_REGISTRATION_REGISTERED)
    nua_unregister (self->handle, TAG_END ());
  drop_handle (self);
  set_state (self, state, NULL);
}

void
helix_sip_registration_set_tls_trust (HelixSipRegistration *self,
                                      const char           *ca_file)
{
  g_return_if_fail (HELIX_IS_SIP_REGISTRATION (self));

  g_free (self->tls_ca_file);
  self->tls_ca_file = g_strdup (ca_file);
}

gboolean
helix_sip_registration_unregister (HelixSipRegistration *self)
{
  g_return_val_if_fail (HELIX_IS_SIP_REGISTRATION (self), FALSE);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->handle == NULL || self->state != HELIX_REGISTRATION_REGISTERED)
    return FALSE;

  self->unregistering = TRUE;
  self->unregistered = FALSE;
  nua_unregister (self->handle, TAG_END ());
  return TRUE;
}

gboolean
helix_sip_registration_is_unregistered (HelixSipRegistration *self)
{
  g_return_val_if_fail (HELIX_IS_SIP_REGISTRATION (self), TRUE);

  return self->unregistered;
}

gboolean
helix_sip_registration_owns (HelixSipRegistration *self,
                             nua_handle_t         *nh)
{
  g_return_val_if_fail (HELIX_IS_SIP_REGISTRATION (self), FALSE);

  return nh != NULL && nh == self->handle;
}

gboolean
helix_sip_registration_handle_event (HelixSipRegistration *self,
                                     nua_event_t           event,
                                     nua_handle_t         *nh,
                                     int                   status,
                                     const char           *phrase,
                                     sip_t const          *sip)
{
  g_return_val_if_fail (HELIX_IS_SIP_REGISTRATION (self), FALSE);

  if (!helix_sip_registration_owns (self, nh))
    return FALSE;

  switch (event)
    {
    case nua_r_register:
      if (!self->unregistering)
        on_register_response (self, status, phrase, sip);
      return TRUE;

    case nua_r_unregister:
      if (status >= 200)
        {
          self->unregistering = FALSE;
          self->unregistered = TRUE;
        }
      return TRUE;

    default:
      return FALSE;
    }
}

HelixRegistrationState
helix_sip_registration_get_state (HelixSipRegistration *self)
{
  g_return_val_if_fail (HELIX_IS_SIP_REGISTRATION (self), HELIX_REGISTRATION_STOPPED);

  return self->state;
}

const char *
helix_sip_registration_get_error (HelixSipRegistration *self)
{
  g_return_val_if_fail (HELIX_IS_SIP_REGISTRATION (self), NULL);

  return self->error;
}

static void
helix_sip_registration_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HelixSipRegistration *self = HELIX_SIP_REGISTRATION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_sip_registration_dispose (GObject *object)
{
  HelixSipRegistration *self = HELIX_SIP_REGISTRATION (object);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  cancel_diagnosis (self);
  drop_handle (self);

  G_OBJECT_CLASS (helix_sip_registration_parent_class)->dispose (object);
}

static void
helix_sip_registration_finalize (GObject *object)
{
  HelixSipRegistration *self = HELIX_SIP_REGISTRATION (object);

  g_free (self->server);
  g_free (self->registrar);
  g_free (self->aor);
  g_free (self->username);
  g_free (self->password);
  g_free (self->tls_ca_file);
  g_free (self->error);

  G_OBJECT_CLASS (helix_sip_registration_parent_class)->finalize (object);
}

static void
helix_sip_registration_class_init (HelixSipRegistrationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = helix_sip_registration_get_property;
  object_class->dispose = helix_sip_registration_dispose;
  object_class->finalize = helix_sip_registration_finalize;

  props[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      HELIX_REGISTRATION_STOPPED, HELIX_REGISTRATION_FAILED, HELIX_REGISTRATION_STOPPED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
helix_sip_registration_init (HelixSipRegistration *self)
{
}

HelixSipRegistration *
helix_sip_registration_new (void)
{
  return g_object_new (HELIX_TYPE_SIP_REGISTRATION, NULL);
}

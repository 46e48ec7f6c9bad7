/* helix-sip-registration.h — keeping one SIP account registered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/sip.h>

G_BEGIN_DECLS

typedef enum {
  HELIX_REGISTRATION_STOPPED,     /* not started, or shut down */
  HELIX_REGISTRATION_DIRECT,      /* no server: reachable at local-uri */
  HELIX_REGISTRATION_DISABLED,    /* a server is set but AutoRegister is off */
  HELIX_REGISTRATION_REGISTERING,
  HELIX_REGISTRATION_REGISTERED,
  HELIX_REGISTRATION_FAILED,      /* see the error; retrying with back-off */
} HelixRegistrationState;

#define HELIX_SIP_REGISTER_EXPIRES      300
#define HELIX_SIP_REGISTER_MAX_BACKOFF   60

#define HELIX_TYPE_SIP_REGISTRATION (helix_sip_registration_get_type ())

G_DECLARE_FINAL_TYPE (HelixSipRegistration, helix_sip_registration, HELIX, SIP_REGISTRATION, GObject)

HelixSipRegistration   *helix_sip_registration_new          (void);
/* Registers @aor (e.g. "sip:1001@pbx.example.com") at @registrar (a SIP URI
 * with its transport parameter), answering the challenge once per round
 * with @username/@password; replaces any earlier registration.  A failure
 * is retried after 2, 4, 8 … 60 s.  @server names the server in messages. */
void                    helix_sip_registration_start        (HelixSipRegistration   *self,
                                                             nua_t                  *nua,
                                                             const char             *server,
                                                             const char             *registrar,
                                                             const char             *aor,
                                                             const char             *username,
                                                             const char             *password);
/* With @ca_file the registrar is reached over TLS, verified against
 * @ca_file: a failure to reach it is then checked for an untrusted
 * certificate, which becomes the reason given.  NULL for UDP and TCP. */
void                    helix_sip_registration_set_tls_trust (HelixSipRegistration  *self,
                                                              const char            *ca_file);
/* Drops the registration (un-REGISTERing it when it was up) and sets
 * @state, which is one of STOPPED, DIRECT or DISABLED. */
void                    helix_sip_registration_stop         (HelixSipRegistration   *self,
                                                             HelixRegistrationState  state);
/* Sends the un-REGISTER of a registration that is up; TRUE when one went
 * out, and helix_sip_registration_is_unregistered() tells when it is
 * answered. */
gboolean                helix_sip_registration_unregister   (HelixSipRegistration   *self);
gboolean                helix_sip_registration_is_unregistered (HelixSipRegistration *self);
/* Takes the nua events of its own handle; FALSE for everything else. */
gboolean                helix_sip_registration_handle_event (HelixSipRegistration   *self,
                                                             nua_event_t             event,
                                                             nua_handle_t           *nh,
                                                             int                     status,
                                                             const char             *phrase,
                                                             sip_t const            *sip);
gboolean                helix_sip_registration_owns         (HelixSipRegistration   *self,
                                                             nua_handle_t           *nh);
HelixRegistrationState  helix_sip_registration_get_state    (HelixSipRegistration   *self);
const char             *helix_sip_registration_get_error    (HelixSipRegistration   *self);

/* Answers a 401/407 on @nh with digest credentials; FALSE when there is no
 * usable challenge or no user name to answer with. */
gboolean                helix_sip_answer_challenge          (nua_handle_t           *nh,
                                                             sip_t const            *sip,
                                                             const char             *username,
                                                             const char             *password);

G_END_DECLS

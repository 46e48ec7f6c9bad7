/* helix-sip-agent.h — the Sofia-SIP user agent on the GLib main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "helix-call.h"
#include "helix-call-media.h"
#include "helix-sip-registration.h"

G_BEGIN_DECLS

#define HELIX_TYPE_SIP_AGENT (helix_sip_agent_get_type ())

G_DECLARE_FINAL_TYPE (HelixSipAgent, helix_sip_agent, HELIX, SIP_AGENT, GObject)

void                    helix_sip_library_init                 (void);
HelixSipAgent          *helix_sip_agent_new                    (void);
void                    helix_sip_agent_configure              (HelixSipAgent  *self,
                                                                const char     *server,
                                                                guint           port,
                                                                const char     *transport,
                                                                const char     *username,
                                                                const char     *password,
                                                                gboolean        auto_register);
gboolean                helix_sip_agent_start                  (HelixSipAgent  *self,
                                                                GError        **error);
void                    helix_sip_agent_shutdown               (HelixSipAgent  *self,
                                                                guint           timeout_ms);
HelixCall              *helix_sip_agent_dial                   (HelixSipAgent  *self,
                                                                const char     *target,
                                                                GError        **error);
char                   *helix_sip_agent_resolve_target         (HelixSipAgent  *self,
                                                                const char     *target,
                                                                GError        **error);
HelixCall              *helix_sip_agent_get_call               (HelixSipAgent  *self);
HelixRegistrationState  helix_sip_agent_get_registration_state (HelixSipAgent  *self);
const char             *helix_sip_agent_get_registration_error (HelixSipAgent  *self);
const char             *helix_sip_agent_get_local_uri          (HelixSipAgent  *self);
guint                   helix_sip_agent_get_local_port         (HelixSipAgent  *self);
/* The calls' audio: devices, recording, mute (see helix-call-media.h). */
HelixCallMedia         *helix_sip_agent_get_media              (HelixSipAgent  *self);

G_END_DECLS

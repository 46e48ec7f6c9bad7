/* helix-call-private.h — what the SIP agent, and only it, does to a call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/sip.h>

#include "helix-call.h"
#include "helix-media-session.h"

G_BEGIN_DECLS

HelixCall *helix_call_new             (nua_handle_t       *handle,
                                       HelixCallDirection  direction,
                                       const char         *remote_number,
                                       const char         *remote_name,
                                       const char         *local_sdp);
nua_handle_t *helix_call_get_handle   (HelixCall          *self);
void       helix_call_set_sip_call_id (HelixCall          *self,
                                       const char         *sip_call_id);
void       helix_call_handle_state    (HelixCall          *self,
                                       int                 callstate,
                                       int                 status,
                                       const char         *phrase,
                                       int                 audio_active);
void       helix_call_handle_refer_done (HelixCall        *self,
                                         int               final_status);
void       helix_call_start_outgoing  (HelixCall          *self);
void       helix_call_set_alerting    (HelixCall          *self);
void       helix_call_end             (HelixCall          *self,
                                       const char         *reason);
/* Ends the call from our side (BYE, CANCEL or a refusal, as its state
 * requires) with @reason as its end reason. */
void       helix_call_fail            (HelixCall          *self,
                                       const char         *reason);
/* The call's audio, used for in-band DTMF; NULL once it is stopped. */
void       helix_call_set_media       (HelixCall          *self,
                                       HelixMediaSession  *media);

G_END_DECLS

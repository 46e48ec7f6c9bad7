/* helix-call-media.h — the audio side of the SIP agent's calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "helix-call.h"
#include "helix-media-session.h"

G_BEGIN_DECLS

#define HELIX_TYPE_CALL_MEDIA (helix_call_media_get_type ())

/* Owned by the agent (helix_sip_agent_get_media()).  Properties the
 * application sets from settings: "input-device", "output-device",
 * "ring-device", "recording-enabled", "recordings-dir", "local-user";
 * "mute" (the microphone of the current call, back to FALSE when the call
 * ends).  Signals: "dtmf-received" (HelixCall *, const char *digit) for
 * RFC 4733 tones; "recording-finished" (const char *path) once a
 * recording is complete under its final .wav name. */
G_DECLARE_FINAL_TYPE (HelixCallMedia, helix_call_media, HELIX, CALL_MEDIA, GObject)

HelixCallMedia *helix_call_media_new          (void);

/* For the agent: @session belongs to @call from now on. */
void            helix_call_media_add          (HelixCallMedia    *self,
                                               HelixCall         *call,
                                               HelixMediaSession *session);
/* Every nua_i_state, after the call itself saw it: the SDP that came
 * with it (either may be NULL) and Sofia's call state. */
void            helix_call_media_handle_state (HelixCallMedia    *self,
                                               HelixCall         *call,
                                               int                callstate,
                                               const char        *local_sdp,
                                               const char        *remote_sdp);
/* Stops the call's audio; a recording completes asynchronously. */
void            helix_call_media_remove       (HelixCallMedia    *self,
                                               HelixCall         *call);
/* Iterates the main context until every stopping call has finished its
 * recording, or @timeout_ms passed (for shutdown). */
void            helix_call_media_drain        (HelixCallMedia    *self,
                                               guint              timeout_ms);

G_END_DECLS

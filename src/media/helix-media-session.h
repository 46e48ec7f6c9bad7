/* helix-media-session.h — the audio of one call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HELIX_TYPE_MEDIA_SESSION (helix_media_session_get_type ())

G_DECLARE_FINAL_TYPE (HelixMediaSession, helix_media_session, HELIX, MEDIA_SESSION, GObject)

/* Picks and binds the RTP/RTCP port pair; no audio flows yet. */
/* Loads GStreamer's plugin registry on a worker thread, so that neither
 * start-up nor the first call waits for it on the main loop. */
void               helix_media_preload                (void);
HelixMediaSession *helix_media_session_new            (GError            **error);
guint              helix_media_session_get_local_port (HelixMediaSession  *self);
/* The complete SDP offer (see helix_sdp_build_offer()), with the codecs
 * restricted and ordered by $HELIXPHONE_CODECS when that is set. */
char              *helix_media_session_build_offer    (HelixMediaSession  *self,
                                                       const char         *address);
/* GstDeviceMonitor display names, "" for the system default; read when
 * the pipeline is built. */
void               helix_media_session_set_devices    (HelixMediaSession  *self,
                                                       const char         *input_device,
                                                       const char         *output_device);
/* Applies a completed offer/answer: builds and starts the pipeline the
 * first time, then follows address, codec and direction changes
 * (re-INVITEs) without tearing it down.  @local_sdp may be NULL. */
gboolean           helix_media_session_update         (HelixMediaSession  *self,
                                                       const char         *local_sdp,
                                                       const char         *remote_sdp,
                                                       GError            **error);
gboolean           helix_media_session_is_running     (HelixMediaSession  *self);
/* Our own hold: nothing is sent or played, the pipeline keeps running. */
void               helix_media_session_set_hold       (HelixMediaSession  *self,
                                                       gboolean            held);
void               helix_media_session_set_mute       (HelixMediaSession  *self,
                                                       gboolean            muted);
/* TRUE when the far end accepts RFC 4733 events on the running stream. */
gboolean           helix_media_session_can_send_dtmf  (HelixMediaSession  *self);
gboolean           helix_media_session_send_dtmf      (HelixMediaSession  *self,
                                                       const char         *digits,
                                                       GError            **error);
/* Records the call into @path (via @path.part) from now until stop; when
 * the pipeline is not running yet, from the moment it starts. */
gboolean           helix_media_session_start_recording (HelixMediaSession *self,
                                                        const char        *path,
                                                        GError           **error);
/* Ends the recording (waiting for its EOS on the main loop), stops the
 * pipeline and closes the sockets.  finish returns the completed
 * recording's path, NULL without @error when nothing was recorded. */
void               helix_media_session_stop_async     (HelixMediaSession  *self,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
char              *helix_media_session_stop_finish    (HelixMediaSession  *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

G_END_DECLS

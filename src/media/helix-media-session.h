/* helix-media-session.h — the media side of one call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HELIX_TYPE_MEDIA_SESSION (helix_media_session_get_type ())

G_DECLARE_FINAL_TYPE (HelixMediaSession, helix_media_session, HELIX, MEDIA_SESSION, GObject)

HelixMediaSession *helix_media_session_new            (GError            **error);
guint              helix_media_session_get_local_port (HelixMediaSession  *self);
const char * const *helix_media_session_get_codecs    (HelixMediaSession  *self);

G_END_DECLS

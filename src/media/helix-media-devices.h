/* helix-media-devices.h — where call audio comes from and goes to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define HELIX_AUDIO_SRC_ENV  "HELIXPHONE_AUDIO_SRC"
#define HELIX_AUDIO_SINK_ENV "HELIXPHONE_AUDIO_SINK"
#define HELIX_RING_SINK_ENV  "HELIXPHONE_RING_SINK"

/* A new floating element: the gst-launch bin in $HELIXPHONE_AUDIO_SRC
 * (*@overridden = TRUE), else the device whose GstDeviceMonitor display
 * name is @device_name, else autoaudiosrc (also when @device_name is "" or
 * no longer present, which is logged). */
GstElement *helix_media_make_source (const char  *device_name,
                                     gboolean    *overridden,
                                     GError     **error);
/* The same for output, with $HELIXPHONE_AUDIO_SINK and autoaudiosink. */
GstElement *helix_media_make_sink   (const char  *device_name,
                                     gboolean    *overridden,
                                     GError     **error);

/* Where the ring goes: $HELIXPHONE_RING_SINK when set, else as
 * helix_media_make_sink() for @device_name. */
GstElement *helix_media_make_ring_sink (const char  *device_name,
                                        GError     **error);

G_END_DECLS

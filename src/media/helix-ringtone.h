/* helix-ringtone.h — the ring of an inbound call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HELIX_TYPE_RINGTONE (helix_ringtone_get_type ())

G_DECLARE_FINAL_TYPE (HelixRingtone, helix_ringtone, HELIX, RINGTONE, GObject)

HelixRingtone *helix_ringtone_new        (void);
/* Rings on @device (GstDeviceMonitor display name, "" = default; the
 * HELIXPHONE_RING_SINK, else HELIXPHONE_AUDIO_SINK, override applies)
 * until stopped.  A device that fails is logged and the ring stops: it
 * never affects the call. */
void           helix_ringtone_start      (HelixRingtone *self,
                                          const char    *device);
void           helix_ringtone_stop       (HelixRingtone *self);
gboolean       helix_ringtone_is_ringing (HelixRingtone *self);

G_END_DECLS

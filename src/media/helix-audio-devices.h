/* helix-audio-devices.h — the sound devices a user can pick
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deliberately free of GStreamer types, so that the preferences can list
 * devices without including gst.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  HELIX_AUDIO_DEVICE_INPUT,    /* microphones: Audio.InputDevice */
  HELIX_AUDIO_DEVICE_OUTPUT,   /* speakers, headsets: Audio.OutputDevice and RingDevice */
} HelixAudioDeviceKind;

/* Lists the display names GstDeviceMonitor shows (what Audio.* settings
 * store), sorted and without duplicates, in a worker thread: asking the
 * sound server can take a moment. An empty list is not an error. */
void   helix_audio_devices_list_async  (HelixAudioDeviceKind   kind,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data);
GStrv  helix_audio_devices_list_finish (GAsyncResult          *result,
                                        GError               **error);
/* The same, blocking */
GStrv  helix_audio_devices_list        (HelixAudioDeviceKind   kind);

G_END_DECLS

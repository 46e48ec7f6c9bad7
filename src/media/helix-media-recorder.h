/* helix-media-recorder.h — the recording branch of a call pipeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define HELIX_TYPE_MEDIA_RECORDER (helix_media_recorder_get_type ())

G_DECLARE_FINAL_TYPE (HelixMediaRecorder, helix_media_recorder, HELIX, MEDIA_RECORDER, GObject)

/* Writes to "@path.part" while recording; @path once complete. */
HelixMediaRecorder *helix_media_recorder_new         (const char          *path,
                                                      GError             **error);
const char         *helix_media_recorder_get_path    (HelixMediaRecorder  *self);
/* Adds the branch to @pipeline, fed by a new pad of each tee. */
gboolean            helix_media_recorder_attach      (HelixMediaRecorder  *self,
                                                      GstBin              *pipeline,
                                                      GstElement          *mic_tee,
                                                      GstElement          *speaker_tee,
                                                      GError             **error);
/* Cuts the branch off the tees and sends EOS down it; the file is
 * complete when helix_media_recorder_handle_message() says so. */
void                helix_media_recorder_stop        (HelixMediaRecorder  *self);
gboolean            helix_media_recorder_is_attached (HelixMediaRecorder  *self);
/* Feed every bus message; TRUE when it is the branch's end of stream. */
gboolean            helix_media_recorder_handle_message (HelixMediaRecorder *self,
                                                         GstMessage         *message);
/* Once the pipeline is in NULL (the file closed): renames the .part file
 * to the final name.  @complete FALSE (no EOS seen in time) still keeps
 * the audio, with a warning that the header may be incomplete. */
gboolean            helix_media_recorder_finish      (HelixMediaRecorder  *self,
                                                      gboolean             complete,
                                                      GError             **error);

G_END_DECLS

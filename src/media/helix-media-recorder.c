/* helix-media-recorder.c — the recording branch of a call pipeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the user says (after mute) and what they hear are mixed by a live
 * audiomixer, which fills any gap with silence: while a call is on hold
 * neither side delivers audio, so the file still runs for the whole call.
 * wavenc writes the RIFF sizes only at EOS, so the branch is cut off the
 * tees and EOS is sent down it; the bin forwards its children's messages
 * so the filesink's own EOS can be seen on the pipeline's bus (a bin
 * otherwise swallows it until every sink of the pipeline is done).  The
 * file is written as NAME.part and renamed once complete, so anything
 * scanning the folder for *.wav only ever sees finished recordings.
 */
#define G_LOG_DOMAIN "helix-media"

#include "helix-media-recorder.h"

#include <gio/gio.h>
#include <errno.h>
#include <glib/gstdio.h>

#define RECORDING_CAPS "audio/x-raw,format=S16LE,channels=1,rate=8000"
/* Room for the network path (jitter buffer) before the mixer gives up
 * waiting for the far end's audio at a given instant. */
#define MIXER_LATENCY (150 * GST_MSECOND)

struct _HelixMediaRecorder {
  GObject     parent_instance;

  char       *path;
  char       *part_path;
  GstElement *bin;
  GstElement *filesink;
  GstPad     *tee_pads[2];
  GstElement *tees[2];
};

G_DEFINE_FINAL_TYPE (HelixMediaRecorder, helix_media_recorder, G_TYPE_OBJECT)

static GstElement *
make (const char  *factory,
      GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "GStreamer element %s is missing", factory);

  return element;
}

static gboolean
build_bin (HelixMediaRecorder  *self,
           GError             **error)
{
  const char *chain[] = { "audiomixer", "audioconvert", "audioresample", "capsfilter", "wavenc", "filesink" };
  GstElement *elements[G_N_ELEMENTS (chain)];
  g_autoptr(GstCaps) caps = gst_caps_from_string (RECORDING_CAPS);
  GstElement *mixer;

  self->bin = gst_bin_new (NULL);
  gst_object_ref_sink (self->bin);
  g_object_set (self->bin, "message-forward", TRUE, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (chain); i++)
    {
      elements[i] = make (chain[i], error);
      if (elements[i] == NULL)
        return FALSE;
      gst_bin_add (GST_BIN (self->bin), elements[i]);
      if (i > 0 && !gst_element_link (elements[i - 1], elements[i]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot link the recording branch");
          return FALSE;
        }
    }

  mixer = elements[0];
  self->filesink = elements[G_N_ELEMENTS (chain) - 1];
  g_object_set (mixer, "start-time-selection", 1 /* first */, "latency", (guint64) MIXER_LATENCY,
                "ignore-inactive-pads", TRUE, NULL);
  g_object_set (elements[3], "caps", caps, NULL);
  g_object_set (self->filesink, "location", self->part_path, "async", FALSE, NULL);

  /* One queue per input, so neither side of the call waits on the file. */
  for (guint i = 0; i < 2; i++)
    {
      GstElement *queue = make ("queue", error);
      g_autoptr(GstPad) sink = NULL;
      g_autoptr(GstPad) mixer_pad = NULL;
      g_autoptr(GstPad) queue_src = NULL;

      if (queue == NULL)
        return FALSE;
      g_object_set (queue, "max-size-time", (guint64) GST_SECOND, "max-size-buffers", 0,
                    "max-size-bytes", 0, "leaky", 2 /* downstream: drop old */, NULL);
      gst_bin_add (GST_BIN (self->bin), queue);
      mixer_pad = gst_element_request_pad_simple (mixer, "sink_%u");
      queue_src = gst_element_get_static_pad (queue, "src");
      if (gst_pad_link (queue_src, mixer_pad) != GST_PAD_LINK_OK)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot link the recording mixer");
          return FALSE;
        }
      sink = gst_element_get_static_pad (queue, "sink");
      gst_element_add_pad (self->bin, gst_ghost_pad_new (i == 0 ? "mic" : "speaker", sink));
    }

  return TRUE;
}

HelixMediaRecorder *
helix_media_recorder_new (const char  *path,
                          GError     **error)
{
  g_autoptr(HelixMediaRecorder) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (HELIX_TYPE_MEDIA_RECORDER, NULL);
  self->path = g_strdup (path);
  self->part_path = g_strconcat (path, ".part", NULL);

  if (!build_bin (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
helix_media_recorder_get_path (HelixMediaRecorder *self)
{
  g_return_val_if_fail (HELIX_IS_MEDIA_RECORDER (self), NULL);

  return self->path;
}

gboolean
helix_media_recorder_attach (HelixMediaRecorder  *self,
                             GstBin              *pipeline,
                             GstElement          *mic_tee,
                             GstElement          *speaker_tee,
                             GError             **error)
{
  const char *inputs[] = { "mic", "speaker" };

  g_return_val_if_fail (HELIX_IS_MEDIA_RECORDER (self), FALSE);
  g_return_val_if_fail (self->tee_pads[0] == NULL, FALSE);

  gst_bin_add (pipeline, self->bin);
  self->tees[0] = gst_object_ref (mic_tee);
  self->tees[1] = gst_object_ref (speaker_tee);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GstPad) input = gst_element_get_static_pad (self->bin, inputs[i]);

      self->tee_pads[i] = gst_element_request_pad_simple (self->tees[i], "src_%u");
      if (gst_pad_link (self->tee_pads[i], input) != GST_PAD_LINK_OK)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot attach the recording branch");
          return FALSE;
        }
    }

  if (!gst_element_sync_state_with_parent (self->bin))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot open %s for recording", self->part_path);
      return FALSE;
    }

  return TRUE;
}

gboolean
helix_media_recorder_is_attached (HelixMediaRecorder *self)
{
  g_return_val_if_fail (HELIX_IS_MEDIA_RECORDER (self), FALSE);

  return self->tee_pads[0] != NULL;
}

/* In the tee's streaming thread, between two buffers: nothing more goes
 * into the branch after its EOS. */
static GstPadProbeReturn
on_tee_pad_idle (GstPad          *tee_pad,
                 GstPadProbeInfo *info,
                 gpointer         user_data)
{
  g_autoptr(GstPad) peer = gst_pad_get_peer (tee_pad);

  if (peer != NULL)
    {
      gst_pad_unlink (tee_pad, peer);
      gst_pad_send_event (peer, gst_event_new_eos ());
    }

  return GST_PAD_PROBE_REMOVE;
}

void
helix_media_recorder_stop (HelixMediaRecorder *self)
{
  g_return_if_fail (HELIX_IS_MEDIA_RECORDER (self));

  for (guint i = 0; i < 2; i++)
    if (self->tee_pads[i] != NULL)
      gst_pad_add_probe (self->tee_pads[i], GST_PAD_PROBE_TYPE_IDLE, on_tee_pad_idle, NULL, NULL);
}

gboolean
helix_media_recorder_handle_message (HelixMediaRecorder *self,
                                     GstMessage         *message)
{
  const GstStructure *structure;
  GstMessage *forwarded = NULL;
  gboolean done;

  g_return_val_if_fail (HELIX_IS_MEDIA_RECORDER (self), FALSE);

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ELEMENT || GST_MESSAGE_SRC (message) != GST_OBJECT (self->bin))
    return FALSE;

  structure = gst_message_get_structure (message);
  if (!gst_structure_has_name (structure, "GstBinForwarded") ||
      !gst_structure_get (structure, "message", GST_TYPE_MESSAGE, &forwarded, NULL))
    return FALSE;

  done = GST_MESSAGE_TYPE (forwarded) == GST_MESSAGE_EOS &&
         GST_MESSAGE_SRC (forwarded) == GST_OBJECT (self->filesink);
  gst_message_unref (forwarded);

  return done;
}

gboolean
helix_media_recorder_finish (HelixMediaRecorder  *self,
                             gboolean             complete,
                             GError             **error)
{
  GStatBuf info;

  g_return_val_if_fail (HELIX_IS_MEDIA_RECORDER (self), FALSE);

  for (guint i = 0; i < 2; i++)
    if (self->tee_pads[i] != NULL)
      {
        gst_element_release_request_pad (self->tees[i], self->tee_pads[i]);
        g_clear_object (&self->tee_pads[i]);
        g_clear_object (&self->tees[i]);
      }

  if (g_stat (self->part_path, &info) != 0 || info.st_size == 0)
    {
      g_unlink (self->part_path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Nothing was recorded into %s", self->path);
      return FALSE;
    }

  if (!complete)
    g_warning ("The recording %s did not end cleanly; its WAV header may give a wrong length",
               self->path);

  if (g_rename (self->part_path, self->path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot rename %s: %s", self->part_path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static void
helix_media_recorder_dispose (GObject *object)
{
  HelixMediaRecorder *self = HELIX_MEDIA_RECORDER (object);

  for (guint i = 0; i < 2; i++)
    {
      g_clear_object (&self->tee_pads[i]);
      g_clear_object (&self->tees[i]);
    }
  g_clear_object (&self->bin);

  G_OBJECT_CLASS (helix_media_recorder_parent_class)->dispose (object);
}

static void
helix_media_recorder_finalize (GObject *object)
{
  HelixMediaRecorder *self = HELIX_MEDIA_RECORDER (object);

  g_free (self->path);
  g_free (self->part_path);

  G_OBJECT_CLASS (helix_media_recorder_parent_class)->finalize (object);
}

static void
helix_media_recorder_class_init (HelixMediaRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = helix_media_recorder_dispose;
  object_class->finalize = helix_media_recorder_finalize;
}

static void
helix_media_recorder_init (HelixMediaRecorder *self)
{
}

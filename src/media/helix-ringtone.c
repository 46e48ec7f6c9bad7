/* helix-ringtone.c — the ring of an inbound call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small pipeline of its own (a 425 Hz tone, the ETSI ringing tone, one
 * second on and three off), kept apart from the call pipeline so that a
 * missing ring device can never hold up or fail the call.
 */
#define G_LOG_DOMAIN "helix-media"

#include "helix-ringtone.h"

#include <gst/gst.h>

#include "helix-media-devices.h"

#define RING_FREQUENCY 425.0
#define RING_ON_MS     1000
#define RING_OFF_MS    3000

struct _HelixRingtone {
  GObject     parent_instance;

  GstElement *pipeline;
  GstElement *gate;
  guint       bus_watch;
  guint       cadence_timer;
  gboolean    sounding;
};

G_DEFINE_FINAL_TYPE (HelixRingtone, helix_ringtone, G_TYPE_OBJECT)

static gboolean
on_cadence (gpointer user_data)
{
  HelixRingtone *self = user_data;

  self->sounding = !self->sounding;
  g_object_set (self->gate, "mute", !self->sounding, NULL);
  self->cadence_timer = g_timeout_add (self->sounding ? RING_ON_MS : RING_OFF_MS, on_cadence, self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  HelixRingtone *self = user_data;
  g_autoptr(GError) error = NULL;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
    return G_SOURCE_CONTINUE;

  gst_message_parse_error (message, &error, NULL);
  g_message ("Cannot ring: %s", error->message);
  self->bus_watch = 0;
  helix_ringtone_stop (self);

  return G_SOURCE_REMOVE;
}

void
helix_ringtone_start (HelixRingtone *self,
                      const char    *device)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *tone, *convert, *resample, *sink;

  g_return_if_fail (HELIX_IS_RINGTONE (self));

  if (self->pipeline != NULL)
    return;

  gst_init (NULL, NULL);
  sink = helix_media_make_ring_sink (device, &error);
  if (sink == NULL)
    {
      g_message ("Cannot ring: %s", error->message);
      return;
    }

  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("ringtone"));
  tone = gst_element_factory_make ("audiotestsrc", NULL);
  self->gate = gst_element_factory_make ("volume", NULL);
  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  if (tone == NULL || self->gate == NULL || convert == NULL || resample == NULL)
    {
      g_message ("Cannot ring: GStreamer's base plugins are missing");
      gst_clear_object (&sink);
      helix_ringtone_stop (self);
      return;
    }

  g_object_set (tone, "freq", RING_FREQUENCY, "volume", 0.3, "is-live", TRUE, NULL);
  gst_bin_add_many (GST_BIN (self->pipeline), tone, self->gate, convert, resample, sink, NULL);
  if (!gst_element_link_many (tone, self->gate, convert, resample, sink, NULL))
    {
      g_message ("Cannot ring: the ring device takes no audio we can make");
      helix_ringtone_stop (self);
      return;
    }

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  self->sounding = TRUE;
  self->cadence_timer = g_timeout_add (RING_ON_MS, on_cadence, self);

  /* Errors arrive on the bus; a failure here has posted one already. */
  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
}

void
helix_ringtone_stop (HelixRingtone *self)
{
  g_return_if_fail (HELIX_IS_RINGTONE (self));

  g_clear_handle_id (&self->cadence_timer, g_source_remove);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_clear_object (&self->pipeline);
  self->gate = NULL;
  self->sounding = FALSE;
}

gboolean
helix_ringtone_is_ringing (HelixRingtone *self)
{
  g_return_val_if_fail (HELIX_IS_RINGTONE (self), FALSE);

  return self->pipeline != NULL;
}

static void
helix_ringtone_dispose (GObject *object)
{
  helix_ringtone_stop (HELIX_RINGTONE (object));

  G_OBJECT_CLASS (helix_ringtone_parent_class)->dispose (object);
}

static void
helix_ringtone_class_init (HelixRingtoneClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = helix_ringtone_dispose;
}

static void
helix_ringtone_init (HelixRingtone *self)
{
}

HelixRingtone *
helix_ringtone_new (void)
{
  return g_object_new (HELIX_TYPE_RINGTONE, NULL);
}

/* helix-media-devices.c — where call audio comes from and goes to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Devices are named in settings by the display name GstDeviceMonitor
 * shows (what a preferences page lists).  The monitor is only asked when
 * a name is set: probing costs a round trip to the sound server, and the
 * default device needs none.
 */
#define G_LOG_DOMAIN "helix-media"

#include "helix-media-devices.h"

#include <gio/gio.h>

static GstElement *
find_device (const char *klass,
             const char *device_name)
{
  g_autoptr(GstDeviceMonitor) monitor = gst_device_monitor_new ();
  GList *devices;
  GstElement *element = NULL;

  gst_device_monitor_add_filter (monitor, klass, NULL);
  if (!gst_device_monitor_start (monitor))
    return NULL;

  devices = gst_device_monitor_get_devices (monitor);
  for (GList *l = devices; l != NULL && element == NULL; l = l->next)
    {
      g_autofree char *name = gst_device_get_display_name (l->data);

      if (g_strcmp0 (name, device_name) == 0)
        element = gst_device_create_element (l->data, NULL);
    }
  g_list_free_full (devices, gst_object_unref);
  gst_device_monitor_stop (monitor);

  return element;
}

static GstElement *
make_endpoint (const char  *env_name,
               const char  *klass,
               const char  *fallback,
               const char  *device_name,
               gboolean    *overridden,
               GError     **error)
{
  const char *description = g_getenv (env_name);
  GstElement *element;

  if (overridden != NULL)
    *overridden = FALSE;

  if (description != NULL && *description != '\0')
    {
      g_autoptr(GError) local_error = NULL;

      element = gst_parse_bin_from_description (description, TRUE, &local_error);
      if (element == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s=“%s” is not a usable pipeline: %s", env_name, description, local_error->message);
          return NULL;
        }
      if (overridden != NULL)
        *overridden = TRUE;
      return element;
    }

  if (device_name != NULL && *device_name != '\0')
    {
      element = find_device (klass, device_name);
      if (element != NULL)
        return element;
      g_warning ("Audio device “%s” is not present; using the system default", device_name);
    }

  element = gst_element_factory_make (fallback, NULL);
  if (element == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "GStreamer's %s element is missing (install gstreamer1.0-plugins-good)", fallback);

  return element;
}

GstElement *
helix_media_make_source (const char  *device_name,
                         gboolean    *overridden,
                         GError     **error)
{
  return make_endpoint (HELIX_AUDIO_SRC_ENV, "Audio/Source", "autoaudiosrc", device_name, overridden, error);
}

GstElement *
helix_media_make_sink (const char  *device_name,
                       gboolean    *overridden,
                       GError     **error)
{
  return make_endpoint (HELIX_AUDIO_SINK_ENV, "Audio/Sink", "autoaudiosink", device_name, overridden, error);
}

GstElement *
helix_media_make_ring_sink (const char  *device_name,
                            GError     **error)
{
  const char *description = g_getenv (HELIX_RING_SINK_ENV);

  /* An override of its own, so that the ring can be told apart from the
   * call's audio (a test, a kiosk ringing on a loudspeaker); without it
   * the ring follows HELIXPHONE_AUDIO_SINK like the call. */
  if (description != NULL && *description != '\0')
    return make_endpoint (HELIX_RING_SINK_ENV, "Audio/Sink", "autoaudiosink", device_name, NULL, error);

  return helix_media_make_sink (device_name, NULL, error);
}

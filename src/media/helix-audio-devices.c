/* helix-audio-devices.c — the sound devices a user can pick
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Devices are named by their GstDeviceMonitor display name, the same name
 * helix-media-devices.c looks up when a call starts.
 */
#define G_LOG_DOMAIN "helix-media"

#include "helix-audio-devices.h"

#include <gst/gst.h>

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

GStrv
helix_audio_devices_list (HelixAudioDeviceKind kind)
{
  g_autoptr(GstDeviceMonitor) monitor = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GList *devices;

  if (!gst_init_check (NULL, NULL, &error))
    {
      g_warning ("Cannot list audio devices: %s", error->message);
      return g_new0 (char *, 1);
    }

  monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (monitor,
                                 kind == HELIX_AUDIO_DEVICE_INPUT ? "Audio/Source" : "Audio/Sink",
                                 NULL);
  /* No sound server, no devices: the system default still works */
  if (!gst_device_monitor_start (monitor))
    {
      g_debug ("No audio device provider could start");
      return g_new0 (char *, 1);
    }

  devices = gst_device_monitor_get_devices (monitor);
  for (GList *l = devices; l != NULL; l = l->next)
    {
      char *name = gst_device_get_display_name (l->data);

      /* Two devices with one display name cannot be told apart in
       * settings; the first one found is the one a call will use */
      if (name != NULL && *name != '\0' &&
          !g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, name);
      else
        g_free (name);
    }
  g_list_free_full (devices, gst_object_unref);
  gst_device_monitor_stop (monitor);

  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static void
list_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  HelixAudioDeviceKind kind = GPOINTER_TO_INT (task_data);

  g_task_return_pointer (task, helix_audio_devices_list (kind), (GDestroyNotify) g_strfreev);
}

void
helix_audio_devices_list_async (HelixAudioDeviceKind  kind,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, helix_audio_devices_list_async);
  g_task_set_task_data (task, GINT_TO_POINTER (kind), NULL);
  g_task_run_in_thread (task, list_in_thread);
}

GStrv
helix_audio_devices_list_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

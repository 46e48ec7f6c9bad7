/* helix-uploader-files.h — the recordings folder as the uploader's queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to helix-uploader.c.  Each call runs as one GTask in GLib's
 * worker pool (the way GIO runs its own async file operations) and touches
 * nothing but the file system, so the main loop never waits on a disk.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char *path;
  char *problem;      /* set when a leftover .part could not be repaired */
} HelixFoundRecording;

void        helix_found_recording_free  (HelixFoundRecording *found);

/* Lists the *.wav files of @folder, oldest first, after repairing every
 * *.wav.part last modified before @partial_before_us (wall clock): those
 * were left by a recorder that died.  A .part that cannot be repaired is
 * moved to failed/ and listed with a problem.  Result: GPtrArray of
 * HelixFoundRecording. */
void        helix_recordings_scan_async  (const char          *folder,
                                          gint64               partial_before_us,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GPtrArray  *helix_recordings_scan_finish (GAsyncResult        *result,
                                          GError             **error);

/* Moves @path into the @subdir folder beside it (created when missing),
 * or deletes it when @subdir is NULL.  Result: the new path, or "" when
 * deleted. */
void        helix_recordings_retire_async  (const char          *path,
                                            const char          *subdir,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char       *helix_recordings_retire_finish (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS

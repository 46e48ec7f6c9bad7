/* helix-call-history-file.h — reading and serialising call-history.json;
 * private to src/core (helix-call-history.c owns the model and writes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* {"version": 1, "calls": [ <newest record>, … ]} from HelixCallRecords */
GBytes    *helix_call_history_file_serialize   (GPtrArray            *records);

/* Reads @path into a GPtrArray of HelixCallRecord (newest first; empty
 * when there is no file).  A file that is not a call history is moved to
 * <path>.broken-<time> first and reported as HELIX_CALL_HISTORY_ERROR_DAMAGED;
 * anything else that stops the reading is HELIX_CALL_HISTORY_ERROR_UNREADABLE. */
void       helix_call_history_file_read_async  (const char           *path,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray *helix_call_history_file_read_finish (GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS

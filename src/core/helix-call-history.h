/* helix-call-history.h — recent calls: a GListModel, newest first, kept
 * in call-history.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "helix-call-record.h"

G_BEGIN_DECLS

#define HELIX_CALL_HISTORY_MAX_ENTRIES 500

#define HELIX_CALL_HISTORY_ERROR (helix_call_history_error_quark ())

typedef enum {
  HELIX_CALL_HISTORY_ERROR_DAMAGED,     /* not a call history: kept aside, starts empty */
  HELIX_CALL_HISTORY_ERROR_UNREADABLE,  /* left alone; this session's calls are not saved */
} HelixCallHistoryError;

GQuark            helix_call_history_error_quark  (void);

#define HELIX_TYPE_CALL_HISTORY (helix_call_history_get_type ())

G_DECLARE_FINAL_TYPE (HelixCallHistory, helix_call_history, HELIX, CALL_HISTORY, GObject)

/* <user data dir>/HelixPhone/call-history.json */
char             *helix_call_history_default_path (void);

/* A GListModel of HelixCallRecord, newest first.  @path NULL: the default
 * path.  Nothing is written before helix_call_history_load_async()
 * finished, so an existing file is never replaced unread. */
HelixCallHistory *helix_call_history_new          (const char           *path);
const char       *helix_call_history_get_path     (HelixCallHistory     *self);

/* Reads the file; calls added meanwhile stay in front of the loaded ones.
 * A missing file is an empty history.  FALSE with @error: the history
 * starts without the file's calls — HELIX_CALL_HISTORY_ERROR_DAMAGED: a
 * file that is not a call history was moved to <path>.broken-<time> (the
 * message names it); _UNREADABLE: the file is left alone and this
 * session's calls stay in memory only. */
void              helix_call_history_load_async   (HelixCallHistory     *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          helix_call_history_load_finish  (HelixCallHistory     *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Puts @record at position 0, drops the oldest beyond
 * HELIX_CALL_HISTORY_MAX_ENTRIES, and saves (atomically, mode 0600, in
 * the background; save failures are logged). */
void              helix_call_history_add          (HelixCallHistory     *self,
                                                   HelixCallRecord      *record);
void              helix_call_history_clear        (HelixCallHistory     *self);

/* TRUE while changes are not on disk yet (the "saving" property). */
gboolean          helix_call_history_get_saving   (HelixCallHistory     *self);
/* For shutdown: iterates the default main context until the pending
 * save is written or @timeout_ms passed; FALSE on timeout. */
gboolean          helix_call_history_flush        (HelixCallHistory     *self,
                                                   guint                 timeout_ms);

G_END_DECLS

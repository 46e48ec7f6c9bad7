/* helix-test-peers-private.h — what helix-test-peers.c shares with
 * helix-test-baresip.c; not for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "helix-test-peers.h"

G_BEGIN_DECLS

#define HELIX_TEST_PEERS_START_TIMEOUT_MS 10000
/* A port that was free "at call time" may be taken before the peer binds
 * it: starts are retried on fresh ports. */
#define HELIX_TEST_PEERS_START_ATTEMPTS   3

GSocketAddress      *helix_test_peers_loopback_address   (guint16      port);
/* "" when the file is missing. */
char                *helix_test_peers_read_text          (const char  *path);
char                *helix_test_peers_tail_of            (const char  *path,
                                                          gsize        max);
/* Removes the tree, or keeps it and says where when @keep or the test failed. */
void                 helix_test_peers_dispose_dir        (char       **dir,
                                                          gboolean     keep,
                                                          const char  *what);
gboolean             helix_test_peers_process_exited     (gpointer     process);
/* @signum, then SIGKILL after @grace_ms. */
void                 helix_test_peers_stop_process       (GSubprocess *process,
                                                          int          signum,
                                                          guint        grace_ms);
/* stdout and stderr appended to @log_path, cwd @dir. */
GSubprocessLauncher *helix_test_peers_launcher_logging_to (const char *dir,
                                                           const char *log_path,
                                                           GError    **error);
const char          *helix_test_peers_program            (const char  *name,
                                                          const char  *fallback);

G_END_DECLS

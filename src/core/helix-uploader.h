/* helix-uploader.h — call recordings to the customer's server, none ever lost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The spec's "Upload Request". */
#define HELIX_UPLOADER_TIMEOUT_SECONDS     30
#define HELIX_UPLOADER_ATTEMPTS             3
#define HELIX_UPLOADER_RETRY_DELAY_MS    2000
/* After a round of attempts failed: the first wait, doubling up to the cap. */
#define HELIX_UPLOADER_BACKOFF_MS       60000
#define HELIX_UPLOADER_BACKOFF_MAX_MS (30 * 60 * 1000)

#define HELIX_UPLOADER_UPLOADED_DIR  "uploaded"
#define HELIX_UPLOADER_FAILED_DIR    "failed"
#define HELIX_UPLOADER_PARTIAL_SUFFIX ".part"

#define HELIX_TYPE_UPLOADER (helix_uploader_get_type ())

G_DECLARE_FINAL_TYPE (HelixUploader, helix_uploader, HELIX, UPLOADER, GObject)

HelixUploader *helix_uploader_new              (void);
void           helix_uploader_enqueue          (HelixUploader *self,
                                                const char    *path);
void           helix_uploader_scan             (HelixUploader *self);
guint          helix_uploader_get_queue_length (HelixUploader *self);
const char    *helix_uploader_get_last_error   (HelixUploader *self);

/* Blocking; the uploader runs it off the main loop during a scan. */
char          *helix_uploader_recover_partial  (const char    *path,
                                                GError       **error);

G_END_DECLS

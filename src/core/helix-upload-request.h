/* helix-upload-request.h — one recording, one multipart POST
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define HELIX_UPLOAD_ERROR (helix_upload_error_quark ())

typedef enum {
  HELIX_UPLOAD_ERROR_FILE_GONE,    /* the recording no longer exists */
  HELIX_UPLOAD_ERROR_FILE,         /* it exists but cannot be read */
  HELIX_UPLOAD_ERROR_NETWORK,      /* no answer: connection, TLS, I/O */
  HELIX_UPLOAD_ERROR_TIMEOUT,      /* no progress for the allowed time */
} HelixUploadError;

GQuark helix_upload_error_quark   (void);

/* Only scheme, host and port: paths and queries may carry tokens. */
char  *helix_upload_describe_url  (const char          *url);

void   helix_upload_request_async (SoupSession         *session,
                                   const char          *url,
                                   const char          *api_key,
                                   const char          *path,
                                   guint                timeout_s,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
/* The HTTP status and a sentence for logs ("… answered HTTP 413 Payload
 * Too Large"), or 0 and an error (HELIX_UPLOAD_ERROR, or G_IO_ERROR_CANCELLED
 * when @cancellable was cancelled). */
guint  helix_upload_request_finish (GAsyncResult       *result,
                                    char              **reason,
                                    GError            **error);

G_END_DECLS

/* helix-http-probe.h — one-off requests that check a receiver is set up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A probe is a single attempt (no retries: the person who pressed the
 * button wants the receiver's first answer) capped at this many seconds,
 * connect included. */
#define HELIX_HTTP_PROBE_TIMEOUT_SECONDS 10

/* The "event" member of the payload "Send test event" posts */
#define HELIX_HTTP_PROBE_TEST_EVENT "test"

typedef struct {
  guint  status;        /* the HTTP status the receiver answered */
  char  *reason;        /* its reason phrase, never NULL */
  guint  elapsed_ms;    /* from sending to the complete answer */
} HelixHttpProbeResult;

void                  helix_http_probe_result_free   (HelixHttpProbeResult *result);

/* POSTs {"event":"test","status":…,"extension":…,"timestamp":…,"duration":0}
 * to @url as the webhook does (JSON, Bearer @api_key when not empty). */
void                  helix_http_probe_webhook_async (const char           *url,
                                                      const char           *api_key,
                                                      const char           *extension,
                                                      const char           *status,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* POSTs a short generated WAV (silence, 16-bit PCM, mono, 8000 Hz) as the
 * multipart/form-data field "file", as recordings are uploaded. */
void                  helix_http_probe_upload_async  (const char           *url,
                                                      const char           *api_key,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* Any HTTP answer, 4xx and 5xx included, is a result; errors are for a URL
 * that cannot be used (G_IO_ERROR_INVALID_ARGUMENT), no answer in time
 * (G_IO_ERROR_TIMED_OUT), cancellation, and the network's own errors
 * (G_IO_ERROR_CONNECTION_REFUSED, G_RESOLVER_ERROR_*, G_TLS_ERROR_*, …). */
HelixHttpProbeResult *helix_http_probe_finish        (GAsyncResult         *result,
                                                      GError              **error);

/* The WAV the upload probe sends, and its file name */
GBytes               *helix_http_probe_make_wav      (guint                 duration_ms);
char                 *helix_http_probe_wav_name      (GDateTime            *time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HelixHttpProbeResult, helix_http_probe_result_free)

G_END_DECLS

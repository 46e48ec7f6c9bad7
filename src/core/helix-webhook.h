/* helix-webhook.h — ordered, bounded delivery of status events over HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "helix-status.h"

G_BEGIN_DECLS

#define HELIX_WEBHOOK_TIMEOUT_SECONDS       10
#define HELIX_WEBHOOK_ATTEMPTS               2
#define HELIX_WEBHOOK_RETRY_DELAY_MS      1000
#define HELIX_WEBHOOK_SHUTDOWN_TIMEOUT_MS 3000
#define HELIX_WEBHOOK_MAX_QUEUED          1000

#define HELIX_TYPE_WEBHOOK (helix_webhook_get_type ())

G_DECLARE_FINAL_TYPE (HelixWebhook, helix_webhook, HELIX, WEBHOOK, GObject)

/* Builds the heartbeat payload at the moment it is due. */
typedef HelixStatusEvent *(*HelixHeartbeatFunc) (gpointer user_data);

HelixWebhook *helix_webhook_new             (void);
void          helix_webhook_enqueue         (HelixWebhook           *self,
                                             const HelixStatusEvent *event);
gboolean      helix_webhook_send_sync       (HelixWebhook           *self,
                                             const HelixStatusEvent *event,
                                             guint                   timeout_ms,
                                             GError                **error);
void          helix_webhook_start_heartbeat (HelixWebhook           *self,
                                             HelixHeartbeatFunc      func,
                                             gpointer                user_data,
                                             GDestroyNotify          destroy);
void          helix_webhook_stop_heartbeat  (HelixWebhook           *self);
guint         helix_webhook_get_queue_length (HelixWebhook          *self);
const char   *helix_webhook_get_last_error  (HelixWebhook           *self);
gboolean      helix_webhook_check_url       (const char             *url,
                                             GError                **error);

G_END_DECLS

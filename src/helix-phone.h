/* helix-phone.h — the phone without its face: settings, status, webhook, actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "helix-call-history.h"
#include "helix-settings.h"
#include "helix-sip-agent.h"
#include "helix-status-engine.h"
#include "helix-uploader.h"
#include "helix-webhook.h"

G_BEGIN_DECLS

#define HELIX_TYPE_PHONE (helix_phone_get_type ())

G_DECLARE_FINAL_TYPE (HelixPhone, helix_phone, HELIX, PHONE, GObject)

HelixPhone        *helix_phone_new                (GApplication            *application);
void               helix_phone_add_main_options   (HelixPhone              *self);
int                helix_phone_command_line       (HelixPhone              *self,
                                                   GApplicationCommandLine *command_line);
HelixSettings     *helix_phone_get_settings       (HelixPhone              *self);
HelixStatusEngine *helix_phone_get_status_engine  (HelixPhone              *self);
HelixWebhook      *helix_phone_get_webhook        (HelixPhone              *self);
HelixUploader     *helix_phone_get_uploader       (HelixPhone              *self);
/* NULL until the application has started up. */
HelixSipAgent     *helix_phone_get_sip_agent      (HelixPhone              *self);
/* "Recent calls": a GListModel of HelixCallRecord, newest first; NULL
 * until the application has started up. */
HelixCallHistory  *helix_phone_get_call_history   (HelixPhone              *self);

G_END_DECLS

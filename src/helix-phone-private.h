/* helix-phone-private.h — between helix-phone.c and helix-phone-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "helix-phone.h"
#include "helix-call-history.h"
#include "helix-sip-agent.h"

G_BEGIN_DECLS

struct _HelixPhone {
  GObject            parent_instance;

  GApplication      *application;    /* weak: the application owns us in spirit */
  char              *config_path;

  HelixSettings     *settings;
  HelixStatusEngine *engine;
  HelixWebhook      *webhook;
  HelixUploader     *uploader;
  HelixSipAgent     *agent;
  HelixCallHistory  *history;
  char              *crm_call_id;     /* the call the CRM was last considered for */

  GSimpleAction     *set_status_action;
  GSimpleAction     *dnd_action;
  GSimpleAction     *mute_action;
  GSimpleAction     *presence_action;

  gboolean           started;
  gboolean           shutting_down;
};

/* Exports the actions on the application and keeps their states in step
 * with the status engine. */
void        helix_phone_add_actions        (HelixPhone *self);
void        helix_phone_sync_action_states (HelixPhone *self);
/* A speed-dial name becomes its number; anything else is returned as is. */
const char *helix_phone_expand_speed_dial  (HelixPhone *self,
                                            const char *target);

G_END_DECLS

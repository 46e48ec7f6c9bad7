/* helix-call.h — one SIP call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "helix-status.h"

G_BEGIN_DECLS

typedef enum {
  HELIX_CALL_STATE_INCOMING,    /* inbound, ringing here */
  HELIX_CALL_STATE_DIALING,     /* outbound, INVITE sent */
  HELIX_CALL_STATE_ALERTING,    /* outbound, far end ringing */
  HELIX_CALL_STATE_ACTIVE,
  HELIX_CALL_STATE_HELD,        /* we put the far end on hold */
  HELIX_CALL_STATE_ENDED,
} HelixCallState;

#define HELIX_TYPE_CALL (helix_call_get_type ())

G_DECLARE_FINAL_TYPE (HelixCall, helix_call, HELIX, CALL, GObject)

HelixCallState      helix_call_get_state         (HelixCall   *self);
HelixCallDirection  helix_call_get_direction     (HelixCall   *self);
const char         *helix_call_get_remote_number (HelixCall   *self);
const char         *helix_call_get_remote_name   (HelixCall   *self);
const char         *helix_call_get_call_id       (HelixCall   *self);
const char         *helix_call_get_sip_call_id   (HelixCall   *self);
const char         *helix_call_get_end_reason    (HelixCall   *self);
gboolean            helix_call_get_remote_held   (HelixCall   *self);
gboolean            helix_call_was_answered      (HelixCall   *self);
gint64              helix_call_get_start_time    (HelixCall   *self);
gint64              helix_call_get_answer_time   (HelixCall   *self);
gint64              helix_call_get_end_time      (HelixCall   *self);
guint               helix_call_get_duration      (HelixCall   *self);

gboolean            helix_call_answer            (HelixCall   *self,
                                                  GError     **error);
gboolean            helix_call_reject            (HelixCall   *self,
                                                  GError     **error);
gboolean            helix_call_hangup            (HelixCall   *self,
                                                  GError     **error);
gboolean            helix_call_hold              (HelixCall   *self,
                                                  GError     **error);
gboolean            helix_call_resume            (HelixCall   *self,
                                                  GError     **error);
gboolean            helix_call_send_dtmf         (HelixCall   *self,
                                                  const char  *digits,
                                                  GError     **error);
gboolean            helix_call_transfer          (HelixCall   *self,
                                                  const char  *target_uri,
                                                  GError     **error);

G_END_DECLS

/* helix-call-record.h — one entry of the call history ("Recent calls")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  HELIX_CALL_RECORD_INBOUND,   /* answered here */
  HELIX_CALL_RECORD_OUTBOUND,  /* placed here, answered or not */
  HELIX_CALL_RECORD_MISSED,    /* inbound, never answered: cancelled, declined, refused (DND, busy) */
} HelixCallRecordDirection;

const char *helix_call_record_direction_to_string   (HelixCallRecordDirection  direction);
gboolean    helix_call_record_direction_from_string (const char               *str,
                                                     HelixCallRecordDirection *out_direction);

#define HELIX_TYPE_CALL_RECORD (helix_call_record_get_type ())

G_DECLARE_FINAL_TYPE (HelixCallRecord, helix_call_record, HELIX, CALL_RECORD, GObject)

/* @time: when the call started (it is kept in UTC, to the second).
 * @number and @name are stored as given: they come from the SIP layer,
 * already cleaned and length-limited, and are shown as plain text. */
HelixCallRecord          *helix_call_record_new           (GDateTime                *time,
                                                           HelixCallRecordDirection  direction,
                                                           const char               *number,
                                                           const char               *name,
                                                           guint                     duration,
                                                           const char               *reason);
GDateTime                *helix_call_record_get_time      (HelixCallRecord          *self);
HelixCallRecordDirection  helix_call_record_get_direction (HelixCallRecord          *self);
const char               *helix_call_record_get_number    (HelixCallRecord          *self);
const char               *helix_call_record_get_name      (HelixCallRecord          *self);
/* Whole seconds of the answered part; 0 when it was never answered */
guint                     helix_call_record_get_duration  (HelixCallRecord          *self);
/* Why it ended ("Hung up", "Busy", "Do Not Disturb" …); "" when unknown */
const char               *helix_call_record_get_reason    (HelixCallRecord          *self);

/* call-history.json form:
 * {"time": "2026-02-17T17:48:16Z", "direction": "inbound", "number": "…",
 *  "name": "…", "duration": 42, "reason": "Hung up"} */
HelixCallRecord          *helix_call_record_new_from_json (JsonObject               *object,
                                                           GError                  **error);
JsonNode                 *helix_call_record_to_json       (HelixCallRecord          *self);

G_END_DECLS

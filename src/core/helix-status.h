/* helix-status.h — status values and the events integrators receive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What the user picked in the status selector. */
typedef enum {
  HELIX_USER_STATUS_AVAILABLE,
  HELIX_USER_STATUS_BUSY,
  HELIX_USER_STATUS_AWAY,
  HELIX_USER_STATUS_LUNCH,
} HelixUserStatus;

/* The effective status, exactly the spec's "Status Values". */
typedef enum {
  HELIX_STATUS_OFFLINE,
  HELIX_STATUS_AVAILABLE,
  HELIX_STATUS_BUSY,
  HELIX_STATUS_AWAY,
  HELIX_STATUS_LUNCH,
  HELIX_STATUS_DO_NOT_DISTURB,
  HELIX_STATUS_RINGING,
  HELIX_STATUS_ON_CALL,
  HELIX_STATUS_HOLD,
} HelixStatus;

typedef enum {
  HELIX_CALL_DIRECTION_NONE,
  HELIX_CALL_DIRECTION_INBOUND,
  HELIX_CALL_DIRECTION_OUTBOUND,
} HelixCallDirection;

typedef enum {
  HELIX_EVENT_KIND_STATUS_CHANGE,
  HELIX_EVENT_KIND_HEARTBEAT,
} HelixEventKind;

const char *helix_status_to_string           (HelixStatus         status);
const char *helix_user_status_to_string      (HelixUserStatus     status);
gboolean    helix_user_status_from_string    (const char         *str,
                                              HelixUserStatus    *out_status);
const char *helix_call_direction_to_string   (HelixCallDirection  direction);

#define HELIX_TYPE_STATUS_EVENT (helix_status_event_get_type ())

/* One webhook payload.  Strings are never NULL (empty when unknown). */
typedef struct {
  HelixEventKind      kind;
  HelixStatus         status;
  HelixCallDirection  direction;
  char               *remote_number;
  char               *remote_name;
  char               *extension;
  char               *call_id;
  gint64              timestamp_us;   /* wall clock, µs since the Unix epoch */
  guint               duration;       /* whole seconds of the answered part */
} HelixStatusEvent;

GType             helix_status_event_get_type (void) G_GNUC_CONST;
HelixStatusEvent *helix_status_event_new      (HelixEventKind          kind,
                                               HelixStatus             status);
HelixStatusEvent *helix_status_event_copy     (const HelixStatusEvent *event);
void              helix_status_event_free     (HelixStatusEvent       *event);
char             *helix_status_event_to_json  (const HelixStatusEvent *event);

char             *helix_format_timestamp      (gint64                  timestamp_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HelixStatusEvent, helix_status_event_free)

G_END_DECLS

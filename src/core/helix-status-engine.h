/* helix-status-engine.h — derives the effective status and the spec's events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "helix-status.h"

G_BEGIN_DECLS

#define HELIX_TYPE_STATUS_ENGINE (helix_status_engine_get_type ())

G_DECLARE_FINAL_TYPE (HelixStatusEngine, helix_status_engine, HELIX, STATUS_ENGINE, GObject)

/* Returns the wall-clock time in µs since the epoch; injected so tests are exact. */
typedef gint64 (*HelixClockFunc) (gpointer user_data);

HelixStatusEngine *helix_status_engine_new             (void);
void               helix_status_engine_set_clock       (HelixStatusEngine  *self,
                                                        HelixClockFunc      clock,
                                                        gpointer            user_data);

/* Inputs */
void               helix_status_engine_set_extension   (HelixStatusEngine  *self,
                                                        const char         *extension);
void               helix_status_engine_set_registered  (HelixStatusEngine  *self,
                                                        gboolean            registered);
void               helix_status_engine_set_user_status (HelixStatusEngine  *self,
                                                        HelixUserStatus     status);
void               helix_status_engine_set_dnd         (HelixStatusEngine  *self,
                                                        gboolean            dnd);
void               helix_status_engine_call_ringing    (HelixStatusEngine  *self,
                                                        const char         *call_id,
                                                        HelixCallDirection  direction,
                                                        const char         *remote_number,
                                                        const char         *remote_name);
void               helix_status_engine_call_answered   (HelixStatusEngine  *self,
                                                        const char         *call_id);
void               helix_status_engine_call_held       (HelixStatusEngine  *self,
                                                        const char         *call_id);
void               helix_status_engine_call_resumed    (HelixStatusEngine  *self,
                                                        const char         *call_id);
void               helix_status_engine_call_ended      (HelixStatusEngine  *self,
                                                        const char         *call_id,
                                                        guint               duration);
void               helix_status_engine_call_failed     (HelixStatusEngine  *self,
                                                        const char         *call_id);
void               helix_status_engine_shutdown        (HelixStatusEngine  *self);

/* Queries */
HelixStatus        helix_status_engine_get_status      (HelixStatusEngine  *self);
HelixUserStatus    helix_status_engine_get_user_status (HelixStatusEngine  *self);
gboolean           helix_status_engine_get_dnd         (HelixStatusEngine  *self);
gboolean           helix_status_engine_get_registered  (HelixStatusEngine  *self);
const char        *helix_status_engine_get_extension   (HelixStatusEngine  *self);
gboolean           helix_status_engine_accepts_inbound (HelixStatusEngine  *self);
HelixStatusEvent  *helix_status_engine_new_heartbeat   (HelixStatusEngine  *self);

G_END_DECLS

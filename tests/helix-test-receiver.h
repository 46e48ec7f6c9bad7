/* helix-test-receiver.h — a real SoupServer on loopback that records requests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  char   *method;
  char   *path;
  char   *content_type;
  char   *authorization;   /* NULL when the header was absent */
  GBytes *body;
  gint64  arrived_us;      /* monotonic */
} HelixTestRequest;

typedef struct _HelixTestReceiver HelixTestReceiver;

HelixTestReceiver *helix_test_receiver_new          (void);
void               helix_test_receiver_free         (HelixTestReceiver *receiver);
char              *helix_test_receiver_url          (HelixTestReceiver *receiver,
                                                     const char        *path);
/* Queue the answer for the next request: status, and a delay before it. */
void               helix_test_receiver_push_response (HelixTestReceiver *receiver,
                                                      guint              status,
                                                      guint              delay_ms);
guint              helix_test_receiver_count        (HelixTestReceiver *receiver);
HelixTestRequest  *helix_test_receiver_get          (HelixTestReceiver *receiver,
                                                     guint              index);
gboolean           helix_test_receiver_wait_for     (HelixTestReceiver *receiver,
                                                     guint              count,
                                                     guint              timeout_ms);
/* The "status" member of every JSON request body with event "status_change", in order. */
char              *helix_test_receiver_statuses     (HelixTestReceiver *receiver);
/* Iterates the default main context until the statuses are exactly
 * @expected; on timeout logs what came and returns FALSE. */
gboolean           helix_test_receiver_wait_statuses (HelixTestReceiver *receiver,
                                                      const char        *expected,
                                                      guint              timeout_ms);
/* The status_change bodies as JsonObjects; the n-th of them (asserted to exist). */
GPtrArray         *helix_test_receiver_status_events (HelixTestReceiver *receiver);
JsonObject        *helix_test_receiver_status_event  (HelixTestReceiver *receiver,
                                                      guint              n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HelixTestReceiver, helix_test_receiver_free)

/* Iterates the default main context for at least @ms milliseconds. */
void               helix_test_spin                  (guint              ms);

/* A loopback TCP port that nothing listens on. */
guint16            helix_test_dead_port             (void);

G_END_DECLS

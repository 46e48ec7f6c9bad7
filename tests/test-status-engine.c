/* test-status-engine.c — every line of the spec's Webhook Event Flow, and the corners
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "helix-status-engine.h"

#define BASE_US     G_GINT64_CONSTANT (1771350496000000)  /* 2026-02-17T17:48:16Z */
#define IN_NUMBER   "4169987587"
#define IN_NAME     "John Doe"
#define OUT_NUMBER  "18005550199"
#define OUT_NAME    "Front Desk"

/* Each read advances a second, so a timestamp tells which read made it. */
typedef struct {
  gint64 base;
  guint  reads;
} FakeClock;

static gint64
fake_clock (gpointer user_data)
{
  FakeClock *clock = user_data;

  return clock->base + (gint64) clock->reads++ * G_USEC_PER_SEC;
}

static void
record_event (HelixStatusEngine *engine,
              HelixStatusEvent  *event,
              GPtrArray         *events)
{
  /* A handler sees the status it is being told about. */
  g_assert_cmpint (helix_status_engine_get_status (engine), ==, event->status);
  g_ptr_array_add (events, helix_status_event_copy (event));
}

static HelixStatusEngine *
new_engine (FakeClock *clock,
            GPtrArray *events)
{
  HelixStatusEngine *engine = helix_status_engine_new ();

  helix_status_engine_set_clock (engine, fake_clock, clock);
  helix_status_engine_set_extension (engine, "1001");
  g_signal_connect (engine, "event", G_CALLBACK (record_event), events);

  return engine;
}

/* ---- Table-driven flows ------------------------------------------------ */

typedef enum {
  OP_END = 0,
  OP_REGISTERED,
  OP_USER_STATUS,
  OP_DND,
  OP_RINGING,
  OP_ANSWERED,
  OP_HELD,
  OP_RESUMED,
  OP_ENDED,
  OP_FAILED,
  OP_SHUTDOWN,
  OP_EXPECT_ACCEPTS,
  OP_EXPECT_STATUS,
} Op;

typedef struct {
  Op                  op;
  gboolean            flag;
  HelixUserStatus     user;
  HelixStatus         status;
  const char         *call_id;
  HelixCallDirection  direction;
  const char         *number;
  const char         *name;
  guint               duration;
} Step;

typedef struct {
  const char *status;        /* NULL ends the list */
  const char *direction;
  const char *remote_number;
  const char *remote_name;
  const char *call_id;
  guint       duration;
} Expected;

typedef struct {
  const char *name;
  Step        steps[16];
  Expected    events[12];
} FlowCase;

#define REGISTER      { .op = OP_REGISTERED, .flag = TRUE }
#define UNREGISTER    { .op = OP_REGISTERED, .flag = FALSE }
#define USER(s)       { .op = OP_USER_STATUS, .user = HELIX_USER_STATUS_##s }
#define DND_ON        { .op = OP_DND, .flag = TRUE }
#define DND_OFF       { .op = OP_DND, .flag = FALSE }
#define RING_IN(id)   { .op = OP_RINGING, .call_id = id, .direction = HELIX_CALL_DIRECTION_INBOUND, \
                        .number = IN_NUMBER, .name = IN_NAME }
#define DIAL(id)      { .op = OP_RINGING, .call_id = id, .direction = HELIX_CALL_DIRECTION_OUTBOUND, \
                        .number = OUT_NUMBER, .name = OUT_NAME }
#define ANSWER(id)    { .op = OP_ANSWERED, .call_id = id }
#define HOLD(id)      { .op = OP_HELD, .call_id = id }
#define RESUME(id)    { .op = OP_RESUMED, .call_id = id }
#define END(id, d)    { .op = OP_ENDED, .call_id = id, .duration = d }
#define FAIL(id)      { .op = OP_FAILED, .call_id = id }
#define SHUTDOWN      { .op = OP_SHUTDOWN }
#define ACCEPTS(b)    { .op = OP_EXPECT_ACCEPTS, .flag = b }
#define IS(s)         { .op = OP_EXPECT_STATUS, .status = HELIX_STATUS_##s }

#define EV(s)           { s, NULL, "", "", "", 0 }
#define IN(s, id)       { s, "inbound", IN_NUMBER, IN_NAME, id, 0 }
#define OUT(s, id)      { s, "outbound", OUT_NUMBER, OUT_NAME, id, 0 }
#define IN_CLOSE(s, id, d)  { s, NULL, IN_NUMBER, IN_NAME, id, d }
#define OUT_CLOSE(s, id, d) { s, NULL, OUT_NUMBER, OUT_NAME, id, d }

static const FlowCase flow_cases[] = {
  /* Registration */
  { "app-starts",
    { REGISTER, IS (AVAILABLE) },
    { EV ("available") } },
  { "app-shuts-down",
    { REGISTER, SHUTDOWN, IS (OFFLINE), SHUTDOWN },
    { EV ("available"), EV ("offline") } },
  { "shutdown-before-registering",
    { ACCEPTS (TRUE), SHUTDOWN, IS (OFFLINE) },
    { { .status = NULL } } },
  { "shutdown-after-registration-lost",
    { REGISTER, UNREGISTER, SHUTDOWN },
    { EV ("available"), EV ("offline") } },
  { "shutdown-during-call",
    { REGISTER, RING_IN ("c1"), ANSWER ("c1"), SHUTDOWN, ACCEPTS (TRUE), END ("c1", 9) },
    { EV ("available"), IN ("ringing", "c1"), IN ("on_call", "c1"), EV ("offline") } },
  { "registration-lost-and-back",
    { REGISTER, USER (BUSY), UNREGISTER, IS (OFFLINE), REGISTER },
    { EV ("available"), EV ("busy"), EV ("offline"), EV ("busy") } },

  /* User status changes */
  { "user-statuses",
    { REGISTER, USER (BUSY), USER (AWAY), USER (LUNCH), USER (AVAILABLE) },
    { EV ("available"), EV ("busy"), EV ("away"), EV ("lunch"), EV ("available") } },
  { "user-status-before-registering",
    { USER (AWAY), IS (OFFLINE), REGISTER },
    { EV ("away") } },
  { "duplicate-sets-emit-nothing",
    { REGISTER, REGISTER, USER (AVAILABLE), USER (BUSY), USER (BUSY), DND_OFF, DND_ON, DND_ON,
      UNREGISTER, UNREGISTER },
    { EV ("available"), EV ("busy"), EV ("do_not_disturb"), EV ("offline") } },

  /* DND toggle */
  { "dnd-on-off",
    { REGISTER, DND_ON, IS (DO_NOT_DISTURB), ACCEPTS (FALSE), DND_OFF, ACCEPTS (TRUE) },
    { EV ("available"), EV ("do_not_disturb"), EV ("available") } },
  { "dnd-off-restores-previous-status",
    { REGISTER, USER (AWAY), DND_ON, DND_OFF },
    { EV ("available"), EV ("away"), EV ("do_not_disturb"), EV ("away") } },
  { "status-changed-under-dnd-applies-after",
    { REGISTER, DND_ON, USER (LUNCH), IS (DO_NOT_DISTURB), DND_OFF },
    { EV ("available"), EV ("do_not_disturb"), EV ("lunch") } },
  { "persisted-dnd-at-registration",
    { DND_ON, IS (OFFLINE), ACCEPTS (FALSE), REGISTER },
    { EV ("do_not_disturb") } },

  /* Inbound calls */
  { "inbound-answered-held-resumed-ended",
    { REGISTER, RING_IN ("c1"), ACCEPTS (FALSE), ANSWER ("c1"), HOLD ("c1"), RESUME ("c1"),
      END ("c1", 125), IS (AVAILABLE), ACCEPTS (TRUE) },
    { EV ("available"), IN ("ringing", "c1"), IN ("on_call", "c1"), IN ("hold", "c1"),
      IN ("on_call", "c1"), IN_CLOSE ("available", "c1", 125) } },
  { "inbound-cancelled",
    { REGISTER, RING_IN ("c1"), FAIL ("c1") },
    { EV ("available"), IN ("ringing", "c1"), IN_CLOSE ("available", "c1", 0) } },
  { "inbound-rejected",
    { REGISTER, RING_IN ("c1"), IS (RINGING), FAIL ("c1"), IS (AVAILABLE) },
    { EV ("available"), IN ("ringing", "c1"), IN_CLOSE ("available", "c1", 0) } },
  { "custom-status-resent-after-call",
    { REGISTER, USER (BUSY), RING_IN ("c1"), ANSWER ("c1"), END ("c1", 42), IS (BUSY) },
    { EV ("available"), EV ("busy"), IN ("ringing", "c1"), IN ("on_call", "c1"),
      IN_CLOSE ("available", "c1", 42), EV ("busy") } },
  { "custom-status-resent-after-cancel",
    { REGISTER, USER (LUNCH), RING_IN ("c1"), FAIL ("c1") },
    { EV ("available"), EV ("lunch"), IN ("ringing", "c1"),
      IN_CLOSE ("available", "c1", 0), EV ("lunch") } },
  { "null-caller-id-is-empty",
    { REGISTER, { .op = OP_RINGING, .call_id = "c1", .direction = HELIX_CALL_DIRECTION_INBOUND },
      FAIL ("c1") },
    { EV ("available"), { "ringing", "inbound", "", "", "c1", 0 }, { "available", NULL, "", "", "c1", 0 } } },

  /* Outbound calls */
  { "outbound-answered-held-resumed-ended",
    { REGISTER, DIAL ("c2"), ANSWER ("c2"), HOLD ("c2"), RESUME ("c2"), END ("c2", 300) },
    { EV ("available"), OUT ("ringing", "c2"), OUT ("on_call", "c2"), OUT ("hold", "c2"),
      OUT ("on_call", "c2"), OUT_CLOSE ("available", "c2", 300) } },
  { "outbound-unanswered",
    { REGISTER, USER (AWAY), DIAL ("c2"), FAIL ("c2") },
    { EV ("available"), EV ("away"), OUT ("ringing", "c2"),
      OUT_CLOSE ("available", "c2", 0), EV ("away") } },

  /* DND and calls */
  { "inbound-during-dnd-ignored",
    { REGISTER, DND_ON, ACCEPTS (FALSE), RING_IN ("c1"), ANSWER ("c1"), END ("c1", 3),
      IS (DO_NOT_DISTURB) },
    { EV ("available"), EV ("do_not_disturb") } },
  { "outbound-during-dnd-then-dnd-resent",
    { REGISTER, DND_ON, DIAL ("c2"), ANSWER ("c2"), END ("c2", 10), IS (DO_NOT_DISTURB) },
    { EV ("available"), EV ("do_not_disturb"), OUT ("ringing", "c2"), OUT ("on_call", "c2"),
      OUT_CLOSE ("available", "c2", 10), EV ("do_not_disturb") } },
  { "dnd-on-during-call",
    { REGISTER, RING_IN ("c1"), ANSWER ("c1"), DND_ON, IS (ON_CALL), END ("c1", 7), DND_OFF },
    { EV ("available"), IN ("ringing", "c1"), IN ("on_call", "c1"),
      IN_CLOSE ("available", "c1", 7), EV ("do_not_disturb"), EV ("available") } },
  { "dnd-off-during-call",
    { REGISTER, USER (BUSY), DND_ON, DIAL ("c2"), DND_OFF, IS (RINGING), ANSWER ("c2"),
      END ("c2", 8) },
    { EV ("available"), EV ("busy"), EV ("do_not_disturb"), OUT ("ringing", "c2"),
      OUT ("on_call", "c2"), OUT_CLOSE ("available", "c2", 8), EV ("busy") } },

  /* Status changes during calls */
  { "status-change-during-call-applied-after",
    { REGISTER, RING_IN ("c1"), ANSWER ("c1"), USER (AWAY), IS (ON_CALL), END ("c1", 5) },
    { EV ("available"), IN ("ringing", "c1"), IN ("on_call", "c1"),
      IN_CLOSE ("available", "c1", 5), EV ("away") } },
  { "back-to-available-during-call",
    { REGISTER, USER (BUSY), RING_IN ("c1"), ANSWER ("c1"), USER (AVAILABLE), END ("c1", 5) },
    { EV ("available"), EV ("busy"), IN ("ringing", "c1"), IN ("on_call", "c1"),
      IN_CLOSE ("available", "c1", 5) } },

  /* Concurrent and stray call events */
  { "second-call-ignored",
    { REGISTER, RING_IN ("c1"), ACCEPTS (FALSE), DIAL ("c2"), RING_IN ("c3"),
      ANSWER ("c2"), ANSWER ("c1"), END ("c3", 4), IS (ON_CALL), END ("c1", 9), RING_IN ("c1") },
    { EV ("available"), IN ("ringing", "c1"), IN ("on_call", "c1"),
      IN_CLOSE ("available", "c1", 9), IN ("ringing", "c1") } },
  { "unknown-call-ids-ignored",
    { REGISTER, ANSWER ("x"), HOLD ("x"), RESUME ("x"), END ("x", 3), FAIL ("x"),
      RING_IN ("c1"), ANSWER ("x"), HOLD ("x"), END ("x", 3), FAIL ("x"), IS (RINGING),
      FAIL ("c1") },
    { EV ("available"), IN ("ringing", "c1"), IN_CLOSE ("available", "c1", 0) } },
  { "invalid-transitions-ignored",
    { REGISTER, RING_IN ("c1"), HOLD ("c1"), RESUME ("c1"), ANSWER ("c1"), ANSWER ("c1"),
      RESUME ("c1"), HOLD ("c1"), HOLD ("c1"), ANSWER ("c1"), END ("c1", 6), END ("c1", 6) },
    { EV ("available"), IN ("ringing", "c1"), IN ("on_call", "c1"), IN ("hold", "c1"),
      IN_CLOSE ("available", "c1", 6) } },

  /* Registration and calls */
  { "registration-lost-during-call",
    { REGISTER, USER (BUSY), RING_IN ("c1"), ANSWER ("c1"), UNREGISTER, IS (ON_CALL),
      END ("c1", 60), IS (OFFLINE), REGISTER },
    { EV ("available"), EV ("busy"), IN ("ringing", "c1"), IN ("on_call", "c1"),
      IN_CLOSE ("offline", "c1", 60), EV ("busy") } },
  { "registration-back-during-call",
    { REGISTER, USER (AWAY), DIAL ("c2"), UNREGISTER, REGISTER, ANSWER ("c2"), END ("c2", 4) },
    { EV ("available"), EV ("away"), OUT ("ringing", "c2"), OUT ("on_call", "c2"),
      OUT_CLOSE ("available", "c2", 4), EV ("away") } },
  { "call-while-not-registered",
    { ACCEPTS (TRUE), RING_IN ("c1"), ANSWER ("c1"), END ("c1", 2) },
    { IN ("ringing", "c1"), IN ("on_call", "c1"), IN_CLOSE ("offline", "c1", 2) } },
};

static void
run_step (HelixStatusEngine *engine,
          const Step        *step)
{
  switch (step->op)
    {
    case OP_REGISTERED:
      helix_status_engine_set_registered (engine, step->flag);
      break;
    case OP_USER_STATUS:
      helix_status_engine_set_user_status (engine, step->user);
      break;
    case OP_DND:
      helix_status_engine_set_dnd (engine, step->flag);
      break;
    case OP_RINGING:
      helix_status_engine_call_ringing (engine, step->call_id, step->direction,
                                        step->number, step->name);
      break;
    case OP_ANSWERED:
      helix_status_engine_call_answered (engine, step->call_id);
      break;
    case OP_HELD:
      helix_status_engine_call_held (engine, step->call_id);
      break;
    case OP_RESUMED:
      helix_status_engine_call_resumed (engine, step->call_id);
      break;
    case OP_ENDED:
      helix_status_engine_call_ended (engine, step->call_id, step->duration);
      break;
    case OP_FAILED:
      helix_status_engine_call_failed (engine, step->call_id);
      break;
    case OP_SHUTDOWN:
      helix_status_engine_shutdown (engine);
      break;
    case OP_EXPECT_ACCEPTS:
      g_assert_cmpint (helix_status_engine_accepts_inbound (engine), ==, step->flag);
      break;
    case OP_EXPECT_STATUS:
      g_assert_cmpstr (helix_status_to_string (helix_status_engine_get_status (engine)), ==,
                       helix_status_to_string (step->status));
      break;
    case OP_END:
    default:
      g_assert_not_reached ();
    }
}

static void
test_flow (gconstpointer data)
{
  const FlowCase *flow = data;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) helix_status_event_free);
  FakeClock clock = { BASE_US, 0 };
  g_autoptr(HelixStatusEngine) engine = new_engine (&clock, events);
  guint n_expected = 0;

  for (guint i = 0; i < G_N_ELEMENTS (flow->steps) && flow->steps[i].op != OP_END; i++)
    {
      HelixStatus property;

      run_step (engine, &flow->steps[i]);
      g_object_get (engine, "status", &property, NULL);
      g_assert_cmpint (property, ==, helix_status_engine_get_status (engine));
    }

  while (n_expected < G_N_ELEMENTS (flow->events) && flow->events[n_expected].status != NULL)
    n_expected++;

  for (guint i = 0; i < MIN (events->len, n_expected); i++)
    {
      const HelixStatusEvent *got = g_ptr_array_index (events, i);
      const Expected *want = &flow->events[i];

      g_test_message ("event %u: %s", i, helix_status_to_string (got->status));
      g_assert_cmpint (got->kind, ==, HELIX_EVENT_KIND_STATUS_CHANGE);
      g_assert_cmpstr (helix_status_to_string (got->status), ==, want->status);
      g_assert_cmpstr (helix_call_direction_to_string (got->direction), ==, want->direction);
      g_assert_cmpstr (got->remote_number, ==, want->remote_number);
      g_assert_cmpstr (got->remote_name, ==, want->remote_name);
      g_assert_cmpstr (got->call_id, ==, want->call_id);
      g_assert_cmpuint (got->duration, ==, want->duration);
      g_assert_cmpstr (got->extension, ==, "1001");
      /* One clock read per event, and nowhere else. */
      g_assert_cmpint (got->timestamp_us, ==, BASE_US + (gint64) i * G_USEC_PER_SEC);
    }

  g_assert_cmpuint (events->len, ==, n_expected);
  g_assert_cmpuint (clock.reads, ==, n_expected);
}

/* ---- Everything else --------------------------------------------------- */

static gboolean
count_emission (GSignalInvocationHint *hint,
                guint                  n_params,
                const GValue          *params,
                gpointer               user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static void
test_initial_state (void)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (HELIX_TYPE_STATUS_ENGINE);
  guint signal_id = g_signal_lookup ("event", HELIX_TYPE_STATUS_ENGINE);
  g_autoptr(HelixStatusEngine) engine = NULL;
  g_autofree char *extension = NULL;
  HelixStatus status;
  HelixUserStatus user_status;
  gboolean dnd, registered;
  guint emissions = 0;
  gulong hook;

  g_assert_cmpuint (signal_id, !=, 0);
  hook = g_signal_add_emission_hook (signal_id, 0, count_emission, &emissions, NULL);
  engine = helix_status_engine_new ();
  g_signal_remove_emission_hook (signal_id, hook);
  g_assert_cmpuint (emissions, ==, 0);

  g_object_get (engine, "status", &status, "user-status", &user_status, "dnd", &dnd,
                "registered", &registered, "extension", &extension, NULL);
  g_assert_cmpint (status, ==, HELIX_STATUS_OFFLINE);
  g_assert_cmpint (user_status, ==, HELIX_USER_STATUS_AVAILABLE);
  g_assert_false (dnd);
  g_assert_false (registered);
  g_assert_cmpstr (extension, ==, "");
  g_assert_cmpstr (helix_status_engine_get_extension (engine), ==, "");
  g_assert_true (helix_status_engine_accepts_inbound (engine));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GHashTable *counts)
{
  const char *name = g_param_spec_get_name (pspec);

  g_hash_table_insert (counts, (gpointer) name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
}

static void
assert_notified (GHashTable *counts,
                 const char *expected)
{
  g_auto(GStrv) names = g_strsplit (expected, " ", -1);
  guint total = 0;

  for (guint i = 0; names[i] != NULL; i++)
    if (names[i][0] != '\0')
      {
        g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, names[i])), ==, 1);
        total++;
      }

  g_assert_cmpuint (g_hash_table_size (counts), ==, total);
  g_hash_table_remove_all (counts);
}

static void
test_property_notify (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) helix_status_event_free);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  FakeClock clock = { BASE_US, 0 };
  g_autoptr(HelixStatusEngine) engine = new_engine (&clock, events);

  g_signal_connect (engine, "notify", G_CALLBACK (count_notify), counts);

  helix_status_engine_set_registered (engine, TRUE);
  assert_notified (counts, "registered status");
  helix_status_engine_set_registered (engine, TRUE);
  assert_notified (counts, "");
  helix_status_engine_set_user_status (engine, HELIX_USER_STATUS_BUSY);
  assert_notified (counts, "user-status status");
  helix_status_engine_set_dnd (engine, TRUE);
  assert_notified (counts, "dnd status");
  helix_status_engine_set_user_status (engine, HELIX_USER_STATUS_AWAY);
  assert_notified (counts, "user-status");
  helix_status_engine_set_extension (engine, "1002");
  assert_notified (counts, "extension");
  helix_status_engine_set_extension (engine, "1002");
  assert_notified (counts, "");
  helix_status_engine_set_dnd (engine, FALSE);
  assert_notified (counts, "dnd status");
  helix_status_engine_call_ringing (engine, "c1", HELIX_CALL_DIRECTION_INBOUND, IN_NUMBER, IN_NAME);
  assert_notified (counts, "status");
  helix_status_engine_call_answered (engine, "c1");
  assert_notified (counts, "status");
  helix_status_engine_set_user_status (engine, HELIX_USER_STATUS_LUNCH);
  assert_notified (counts, "user-status");

  /* Two events (available, then lunch), one notify with the final value. */
  helix_status_engine_call_ended (engine, "c1", 12);
  assert_notified (counts, "status");
  g_assert_cmpint (helix_status_engine_get_status (engine), ==, HELIX_STATUS_LUNCH);
  helix_status_engine_shutdown (engine);
  assert_notified (counts, "registered status");
  helix_status_engine_shutdown (engine);
  assert_notified (counts, "");

  g_assert_cmpuint (events->len, ==, 9);
}

static void
test_extension (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) helix_status_event_free);
  FakeClock clock = { BASE_US, 0 };
  g_autoptr(HelixStatusEngine) engine = new_engine (&clock, events);
  HelixStatusEvent *event;

  helix_status_engine_set_registered (engine, TRUE);
  helix_status_engine_set_extension (engine, "2002");
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (helix_status_engine_get_extension (engine), ==, "2002");

  helix_status_engine_set_user_status (engine, HELIX_USER_STATUS_BUSY);
  event = g_ptr_array_index (events, 1);
  g_assert_cmpstr (event->extension, ==, "2002");

  helix_status_engine_set_extension (engine, NULL);
  g_assert_cmpstr (helix_status_engine_get_extension (engine), ==, "");
  helix_status_engine_set_user_status (engine, HELIX_USER_STATUS_AWAY);
  event = g_ptr_array_index (events, 2);
  g_assert_cmpstr (event->extension, ==, "");
  g_assert_cmpuint (events->len, ==, 3);
}

static void
test_heartbeat (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) helix_status_event_free);
  FakeClock clock = { BASE_US, 0 };
  g_autoptr(HelixStatusEngine) engine = new_engine (&clock, events);
  g_autoptr(HelixStatusEvent) offline = NULL;
  g_autoptr(HelixStatusEvent) on_call = NULL;
  g_autofree char *json = NULL;

  offline = helix_status_engine_new_heartbeat (engine);
  g_assert_cmpint (offline->kind, ==, HELIX_EVENT_KIND_HEARTBEAT);
  g_assert_cmpint (offline->status, ==, HELIX_STATUS_OFFLINE);
  g_assert_cmpint (offline->timestamp_us, ==, BASE_US);

  helix_status_engine_set_registered (engine, TRUE);
  helix_status_engine_call_ringing (engine, "c1", HELIX_CALL_DIRECTION_OUTBOUND, OUT_NUMBER, OUT_NAME);
  helix_status_engine_call_answered (engine, "c1");
  on_call = helix_status_engine_new_heartbeat (engine);
  g_assert_cmpint (on_call->kind, ==, HELIX_EVENT_KIND_HEARTBEAT);
  g_assert_cmpint (on_call->status, ==, HELIX_STATUS_ON_CALL);
  g_assert_cmpstr (on_call->extension, ==, "1001");
  g_assert_cmpuint (on_call->duration, ==, 0);
  g_assert_cmpint (on_call->timestamp_us, ==, BASE_US + 4 * G_USEC_PER_SEC);
  /* A heartbeat is not a status change. */
  g_assert_cmpuint (events->len, ==, 3);

  json = helix_status_event_to_json (on_call);
  g_assert_cmpstr (json, ==,
                   "{\"event\":\"heartbeat\",\"status\":\"on_call\",\"extension\":\"1001\","
                   "\"timestamp\":\"2026-02-17T17:48:20.0000000Z\",\"duration\":0}");
}

static void
test_default_clock (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) helix_status_event_free);
  FakeClock clock = { BASE_US, 0 };
  g_autoptr(HelixStatusEngine) engine = helix_status_engine_new ();
  g_autoptr(HelixStatusEvent) heartbeat = NULL;
  HelixStatusEvent *event;
  gint64 before, after;

  g_signal_connect (engine, "event", G_CALLBACK (record_event), events);

  before = g_get_real_time ();
  helix_status_engine_set_registered (engine, TRUE);
  after = g_get_real_time ();
  event = g_ptr_array_index (events, 0);
  g_assert_cmpint (event->timestamp_us, >=, before);
  g_assert_cmpint (event->timestamp_us, <=, after);

  helix_status_engine_set_clock (engine, fake_clock, &clock);
  helix_status_engine_set_dnd (engine, TRUE);
  event = g_ptr_array_index (events, 1);
  g_assert_cmpint (event->timestamp_us, ==, BASE_US);

  /* NULL puts the wall clock back. */
  helix_status_engine_set_clock (engine, NULL, NULL);
  before = g_get_real_time ();
  heartbeat = helix_status_engine_new_heartbeat (engine);
  after = g_get_real_time ();
  g_assert_cmpint (heartbeat->timestamp_us, >=, before);
  g_assert_cmpint (heartbeat->timestamp_us, <=, after);
  g_assert_cmpuint (clock.reads, ==, 1);
}

static void
test_event_json (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) helix_status_event_free);
  FakeClock clock = { BASE_US, 0 };
  g_autoptr(HelixStatusEngine) engine = helix_status_engine_new ();
  g_autofree char *on_call = NULL;
  g_autofree char *ended = NULL;

  g_signal_connect (engine, "event", G_CALLBACK (record_event), events);
  helix_status_engine_set_extension (engine, "1001");
  helix_status_engine_set_registered (engine, TRUE);
  helix_status_engine_call_ringing (engine, "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
                                    HELIX_CALL_DIRECTION_INBOUND, IN_NUMBER, IN_NAME);

  /* Rewound before each event, so both carry the spec's instant. */
  helix_status_engine_set_clock (engine, fake_clock, &clock);
  helix_status_engine_call_answered (engine, "a1b2c3d4-e5f6-7890-abcd-ef1234567890");
  clock.reads = 0;
  helix_status_engine_call_ended (engine, "a1b2c3d4-e5f6-7890-abcd-ef1234567890", 125);
  g_assert_cmpuint (events->len, ==, 4);

  /* Byte for byte the spec's payload example. */
  on_call = helix_status_event_to_json (g_ptr_array_index (events, 2));
  g_assert_cmpstr (on_call, ==,
                   "{\"event\":\"status_change\",\"status\":\"on_call\",\"direction\":\"inbound\","
                   "\"remote_number\":\"4169987587\",\"remote_name\":\"John Doe\","
                   "\"extension\":\"1001\",\"call_id\":\"a1b2c3d4-e5f6-7890-abcd-ef1234567890\","
                   "\"timestamp\":\"2026-02-17T17:48:16.0000000Z\",\"duration\":0}");

  ended = helix_status_event_to_json (g_ptr_array_index (events, 3));
  g_assert_cmpstr (ended, ==,
                   "{\"event\":\"status_change\",\"status\":\"available\",\"direction\":null,"
                   "\"remote_number\":\"4169987587\",\"remote_name\":\"John Doe\","
                   "\"extension\":\"1001\",\"call_id\":\"a1b2c3d4-e5f6-7890-abcd-ef1234567890\","
                   "\"timestamp\":\"2026-02-17T17:48:16.0000000Z\",\"duration\":125}");
}

static void
change_status_on_close (HelixStatusEngine *engine,
                        HelixStatusEvent  *event,
                        gpointer           user_data)
{
  if (event->status == HELIX_STATUS_AVAILABLE && event->duration > 0)
    helix_status_engine_set_user_status (engine, HELIX_USER_STATUS_LUNCH);
}

/* A handler feeding input back in must not make the engine re-send stale state. */
static void
test_reentrant_handler (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) helix_status_event_free);
  FakeClock clock = { BASE_US, 0 };
  g_autoptr(HelixStatusEngine) engine = new_engine (&clock, events);
  const char *expected[] = { "available", "busy", "ringing", "on_call", "available", "lunch" };

  g_signal_connect (engine, "event", G_CALLBACK (change_status_on_close), NULL);
  helix_status_engine_set_registered (engine, TRUE);
  helix_status_engine_set_user_status (engine, HELIX_USER_STATUS_BUSY);
  helix_status_engine_call_ringing (engine, "c1", HELIX_CALL_DIRECTION_INBOUND, IN_NUMBER, IN_NAME);
  helix_status_engine_call_answered (engine, "c1");
  helix_status_engine_call_ended (engine, "c1", 30);

  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < events->len; i++)
    {
      HelixStatusEvent *event = g_ptr_array_index (events, i);
      g_assert_cmpstr (helix_status_to_string (event->status), ==, expected[i]);
    }
  g_assert_cmpint (helix_status_engine_get_status (engine), ==, HELIX_STATUS_LUNCH);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (flow_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/status-engine/flow/%s", flow_cases[i].name);
      g_test_add_data_func (path, &flow_cases[i], test_flow);
    }

  g_test_add_func ("/status-engine/initial-state", test_initial_state);
  g_test_add_func ("/status-engine/property-notify", test_property_notify);
  g_test_add_func ("/status-engine/extension", test_extension);
  g_test_add_func ("/status-engine/heartbeat", test_heartbeat);
  g_test_add_func ("/status-engine/default-clock", test_default_clock);
  g_test_add_func ("/status-engine/event-json", test_event_json);
  g_test_add_func ("/status-engine/reentrant-handler", test_reentrant_handler);

  return g_test_run ();
}

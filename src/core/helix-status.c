/* helix-status.c — status values and the events integrators receive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helix-status"

#include "helix-status.h"

#include <json-glib/json-glib.h>

static const char * const status_names[] = {
  [HELIX_STATUS_OFFLINE]        = "offline",
  [HELIX_STATUS_AVAILABLE]      = "available",
  [HELIX_STATUS_BUSY]           = "busy",
  [HELIX_STATUS_AWAY]           = "away",
  [HELIX_STATUS_LUNCH]          = "lunch",
  [HELIX_STATUS_DO_NOT_DISTURB] = "do_not_disturb",
  [HELIX_STATUS_RINGING]        = "ringing",
  [HELIX_STATUS_ON_CALL]        = "on_call",
  [HELIX_STATUS_HOLD]           = "hold",
};

static const char * const user_status_names[] = {
  [HELIX_USER_STATUS_AVAILABLE] = "available",
  [HELIX_USER_STATUS_BUSY]      = "busy",
  [HELIX_USER_STATUS_AWAY]      = "away",
  [HELIX_USER_STATUS_LUNCH]     = "lunch",
};

const char *
helix_status_to_string (HelixStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), "offline");

  return status_names[status];
}

const char *
helix_user_status_to_string (HelixUserStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (user_status_names), "available");

  return user_status_names[status];
}

gboolean
helix_user_status_from_string (const char      *str,
                               HelixUserStatus *out_status)
{
  g_return_val_if_fail (out_status != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (user_status_names); i++)
    {
      if (g_strcmp0 (str, user_status_names[i]) == 0)
        {
          *out_status = (HelixUserStatus) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
helix_call_direction_to_string (HelixCallDirection direction)
{
  switch (direction)
    {
    case HELIX_CALL_DIRECTION_INBOUND:
      return "inbound";
    case HELIX_CALL_DIRECTION_OUTBOUND:
      return "outbound";
    case HELIX_CALL_DIRECTION_NONE:
    default:
      return NULL;
    }
}

G_DEFINE_BOXED_TYPE (HelixStatusEvent, helix_status_event,
                     helix_status_event_copy, helix_status_event_free)

HelixStatusEvent *
helix_status_event_new (HelixEventKind kind,
                        HelixStatus    status)
{
  HelixStatusEvent *event = g_new0 (HelixStatusEvent, 1);

  event->kind = kind;
  event->status = status;
  event->remote_number = g_strdup ("");
  event->remote_name = g_strdup ("");
  event->extension = g_strdup ("");
  event->call_id = g_strdup ("");
  event->timestamp_us = g_get_real_time ();

  return event;
}

HelixStatusEvent *
helix_status_event_copy (const HelixStatusEvent *event)
{
  HelixStatusEvent *copy;

  g_return_val_if_fail (event != NULL, NULL);

  copy = g_memdup2 (event, sizeof *event);
  copy->remote_number = g_strdup (event->remote_number);
  copy->remote_name = g_strdup (event->remote_name);
  copy->extension = g_strdup (event->extension);
  copy->call_id = g_strdup (event->call_id);

  return copy;
}

void
helix_status_event_free (HelixStatusEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->remote_number);
  g_free (event->remote_name);
  g_free (event->extension);
  g_free (event->call_id);
  g_free (event);
}

/* The spec's receivers parse .NET round-trip timestamps: UTC, seven
 * fractional digits (100 ns ticks) and a literal Z. */
char *
helix_format_timestamp (gint64 timestamp_us)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *base = NULL;
  gint64 seconds = timestamp_us / G_USEC_PER_SEC;
  gint64 micros = timestamp_us % G_USEC_PER_SEC;

  if (micros < 0)
    {
      micros += G_USEC_PER_SEC;
      seconds -= 1;
    }

  dt = g_date_time_new_from_unix_utc (seconds);
  g_return_val_if_fail (dt != NULL, NULL);

  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%06" G_GINT64_FORMAT "0Z", base, micros);
}

static const char *
event_kind_to_string (HelixEventKind kind)
{
  return kind == HELIX_EVENT_KIND_HEARTBEAT ? "heartbeat" : "status_change";
}

char *
helix_status_event_to_json (const HelixStatusEvent *event)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *timestamp = NULL;
  const char *direction;

  g_return_val_if_fail (event != NULL, NULL);

  timestamp = helix_format_timestamp (event->timestamp_us);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event_kind_to_string (event->kind));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, helix_status_to_string (event->status));

  /* The heartbeat payload in the spec carries no call fields at all. */
  if (event->kind == HELIX_EVENT_KIND_STATUS_CHANGE)
    {
      direction = helix_call_direction_to_string (event->direction);
      json_builder_set_member_name (builder, "direction");
      if (direction != NULL)
        json_builder_add_string_value (builder, direction);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "remote_number");
      json_builder_add_string_value (builder, event->remote_number);
      json_builder_set_member_name (builder, "remote_name");
      json_builder_add_string_value (builder, event->remote_name);
    }

  json_builder_set_member_name (builder, "extension");
  json_builder_add_string_value (builder, event->extension);

  if (event->kind == HELIX_EVENT_KIND_STATUS_CHANGE)
    {
      json_builder_set_member_name (builder, "call_id");
      json_builder_add_string_value (builder, event->call_id);
    }

  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);
  json_builder_set_member_name (builder, "duration");
  json_builder_add_int_value (builder, event->duration);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

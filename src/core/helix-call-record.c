/* helix-call-record.c — one entry of the call history ("Recent calls")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Immutable once made: a call that ended does not change, so a list view
 * can bind to the properties without ever having to follow them.
 */
#define G_LOG_DOMAIN "helix-call-history"

#include "helix-config.h"
#include "helix-call-record.h"
#include "helix-core-enums.h"

struct _HelixCallRecord
{
  GObject                   parent_instance;

  GDateTime                *time;
  HelixCallRecordDirection  direction;
  char                     *number;
  char                     *name;
  guint                     duration;
  char                     *reason;
};

G_DEFINE_FINAL_TYPE (HelixCallRecord, helix_call_record, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIME,
  PROP_DIRECTION,
  PROP_NUMBER,
  PROP_NAME,
  PROP_DURATION,
  PROP_REASON,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const char * const direction_names[] = {
  [HELIX_CALL_RECORD_INBOUND] = "inbound",
  [HELIX_CALL_RECORD_OUTBOUND] = "outbound",
  [HELIX_CALL_RECORD_MISSED] = "missed",
};

const char *
helix_call_record_direction_to_string (HelixCallRecordDirection direction)
{
  g_return_val_if_fail (direction < G_N_ELEMENTS (direction_names), NULL);

  return direction_names[direction];
}

gboolean
helix_call_record_direction_from_string (const char               *str,
                                         HelixCallRecordDirection *out_direction)
{
  g_return_val_if_fail (out_direction != NULL, FALSE);

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (direction_names); i++)
    {
      if (g_str_equal (str, direction_names[i]))
        {
          *out_direction = i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
helix_call_record_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HelixCallRecord *self = HELIX_CALL_RECORD (object);

  switch (prop_id)
    {
    case PROP_TIME:
      g_value_set_boxed (value, self->time);
      break;
    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DURATION:
      g_value_set_uint (value, self->duration);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_call_record_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HelixCallRecord *self = HELIX_CALL_RECORD (object);
  GDateTime *time;

  switch (prop_id)
    {
    case PROP_TIME:
      /* UTC, whole seconds: what the file keeps, so a reloaded record
       * compares equal to the one that was saved */
      time = g_value_get_boxed (value);
      g_clear_pointer (&self->time, g_date_time_unref);
      self->time = g_date_time_new_from_unix_utc (time != NULL ? g_date_time_to_unix (time) : 0);
      break;
    case PROP_DIRECTION:
      self->direction = g_value_get_enum (value);
      break;
    case PROP_NUMBER:
      self->number = g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    case PROP_NAME:
      self->name = g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    case PROP_DURATION:
      self->duration = g_value_get_uint (value);
      break;
    case PROP_REASON:
      self->reason = g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_call_record_finalize (GObject *object)
{
  HelixCallRecord *self = HELIX_CALL_RECORD (object);

  g_clear_pointer (&self->time, g_date_time_unref);
  g_free (self->number);
  g_free (self->name);
  g_free (self->reason);

  G_OBJECT_CLASS (helix_call_record_parent_class)->finalize (object);
}

static void
helix_call_record_class_init (HelixCallRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = helix_call_record_get_property;
  object_class->set_property = helix_call_record_set_property;
  object_class->finalize = helix_call_record_finalize;

  props[PROP_TIME] = g_param_spec_boxed ("time", NULL, NULL, G_TYPE_DATE_TIME, flags);
  props[PROP_DIRECTION] = g_param_spec_enum ("direction", NULL, NULL, HELIX_TYPE_CALL_RECORD_DIRECTION,
                                             HELIX_CALL_RECORD_INBOUND, flags);
  props[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, "", flags);
  props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", flags);
  props[PROP_DURATION] = g_param_spec_uint ("duration", NULL, NULL, 0, G_MAXUINT, 0, flags);
  props[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, "", flags);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
helix_call_record_init (HelixCallRecord *self)
{
}

HelixCallRecord *
helix_call_record_new (GDateTime                *time,
                       HelixCallRecordDirection  direction,
                       const char               *number,
                       const char               *name,
                       guint                     duration,
                       const char               *reason)
{
  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (direction < G_N_ELEMENTS (direction_names), NULL);

  return g_object_new (HELIX_TYPE_CALL_RECORD,
                       "time", time,
                       "direction", direction,
                       "number", number,
                       "name", name,
                       "duration", duration,
                       "reason", reason,
                       NULL);
}

GDateTime *
helix_call_record_get_time (HelixCallRecord *self)
{
  g_return_val_if_fail (HELIX_IS_CALL_RECORD (self), NULL);

  return self->time;
}

HelixCallRecordDirection
helix_call_record_get_direction (HelixCallRecord *self)
{
  g_return_val_if_fail (HELIX_IS_CALL_RECORD (self), HELIX_CALL_RECORD_INBOUND);

  return self->direction;
}

const char *
helix_call_record_get_number (HelixCallRecord *self)
{
  g_return_val_if_fail (HELIX_IS_CALL_RECORD (self), NULL);

  return self->number;
}

const char *
helix_call_record_get_name (HelixCallRecord *self)
{
  g_return_val_if_fail (HELIX_IS_CALL_RECORD (self), NULL);

  return self->name;
}

guint
helix_call_record_get_duration (HelixCallRecord *self)
{
  g_return_val_if_fail (HELIX_IS_CALL_RECORD (self), 0);

  return self->duration;
}

const char *
helix_call_record_get_reason (HelixCallRecord *self)
{
  g_return_val_if_fail (HELIX_IS_CALL_RECORD (self), NULL);

  return self->reason;
}

static const char *
optional_string (JsonObject *object,
                 const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "";
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

HelixCallRecord *
helix_call_record_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(GDateTime) time = NULL;
  HelixCallRecordDirection direction;
  JsonNode *duration;
  gint64 seconds = 0;
  const char *number;
  const char *name;
  const char *reason;
  const char *time_text;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  number = optional_string (object, "number");
  name = optional_string (object, "name");
  reason = optional_string (object, "reason");
  time_text = optional_string (object, "time");
  time = time_text != NULL ? g_date_time_new_from_iso8601 (time_text, NULL) : NULL;
  duration = json_object_get_member (object, "duration");
  if (duration != NULL && json_node_get_value_type (duration) == G_TYPE_INT64)
    seconds = json_node_get_int (duration);

  if (time == NULL
      || !helix_call_record_direction_from_string (optional_string (object, "direction"), &direction)
      || number == NULL || name == NULL || reason == NULL
      || (duration != NULL && json_node_get_value_type (duration) != G_TYPE_INT64)
      || seconds < 0 || seconds > G_MAXUINT)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "A call history entry needs a time, a direction, "
                           "text for number, name and reason and a duration in seconds");
      return NULL;
    }

  return helix_call_record_new (time, direction, number, name, (guint) seconds, reason);
}

JsonNode *
helix_call_record_to_json (HelixCallRecord *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *time = NULL;

  g_return_val_if_fail (HELIX_IS_CALL_RECORD (self), NULL);

  time = g_date_time_format (self->time, "%Y-%m-%dT%H:%M:%SZ");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);
  json_builder_set_member_name (builder, "direction");
  json_builder_add_string_value (builder, helix_call_record_direction_to_string (self->direction));
  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, self->number);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "duration");
  json_builder_add_int_value (builder, self->duration);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, self->reason);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

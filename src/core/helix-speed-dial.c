/* helix-speed-dial.c — one speed dial entry (a name and a number to call)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "helix-speed-dial"

#include "helix-speed-dial.h"

struct _HelixSpeedDial
{
  GObject parent_instance;

  char *name;
  char *number;
  /* The object this entry was read from, so unknown members survive */
  JsonObject *json;
};

G_DEFINE_FINAL_TYPE (HelixSpeedDial, helix_speed_dial, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_NUMBER,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
helix_speed_dial_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HelixSpeedDial *self = HELIX_SPEED_DIAL (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_speed_dial_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HelixSpeedDial *self = HELIX_SPEED_DIAL (object);

  switch (prop_id)
    {
    case PROP_NAME:
      helix_speed_dial_set_name (self, g_value_get_string (value));
      break;

    case PROP_NUMBER:
      helix_speed_dial_set_number (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_speed_dial_finalize (GObject *object)
{
  HelixSpeedDial *self = HELIX_SPEED_DIAL (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->json, json_object_unref);

  G_OBJECT_CLASS (helix_speed_dial_parent_class)->finalize (object);
}

static void
helix_speed_dial_class_init (HelixSpeedDialClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = helix_speed_dial_get_property;
  object_class->set_property = helix_speed_dial_set_property;
  object_class->finalize = helix_speed_dial_finalize;

  /* Never NULL, so that list rows and the JSON writer need no special case */
  props[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
helix_speed_dial_init (HelixSpeedDial *self)
{
  self->name = g_strdup ("");
  self->number = g_strdup ("");
}

HelixSpeedDial *
helix_speed_dial_new (const char *name,
                      const char *number)
{
  return g_object_new (HELIX_TYPE_SPEED_DIAL,
                       "name", name ? name : "",
                       "number", number ? number : "",
                       NULL);
}

const char *
helix_speed_dial_get_name (HelixSpeedDial *self)
{
  g_return_val_if_fail (HELIX_IS_SPEED_DIAL (self), NULL);

  return self->name;
}

void
helix_speed_dial_set_name (HelixSpeedDial *self,
                           const char     *name)
{
  g_return_if_fail (HELIX_IS_SPEED_DIAL (self));

  if (name == NULL)
    name = "";

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NAME]);
}

const char *
helix_speed_dial_get_number (HelixSpeedDial *self)
{
  g_return_val_if_fail (HELIX_IS_SPEED_DIAL (self), NULL);

  return self->number;
}

void
helix_speed_dial_set_number (HelixSpeedDial *self,
                             const char     *number)
{
  g_return_if_fail (HELIX_IS_SPEED_DIAL (self));

  if (number == NULL)
    number = "";

  if (g_strcmp0 (self->number, number) == 0)
    return;

  g_free (self->number);
  self->number = g_strdup (number);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NUMBER]);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  /* json_node_get_string() is only safe on value nodes */
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Returns NULL when @node is not an object with string "Name" and "Number" */
HelixSpeedDial *
helix_speed_dial_new_from_json (JsonNode *node)
{
  HelixSpeedDial *self;
  JsonObject *object;
  const char *name;
  const char *number;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  name = string_member (object, "Name");
  number = string_member (object, "Number");
  if (name == NULL || number == NULL)
    return NULL;

  self = helix_speed_dial_new (name, number);
  self->json = json_object_ref (object);

  return self;
}

JsonNode *
helix_speed_dial_to_json (HelixSpeedDial *self)
{
  JsonNode *node;

  g_return_val_if_fail (HELIX_IS_SPEED_DIAL (self), NULL);

  if (self->json == NULL)
    self->json = json_object_new ();

  json_object_set_string_member (self->json, "Name", self->name);
  json_object_set_string_member (self->json, "Number", self->number);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, self->json);

  return node;
}

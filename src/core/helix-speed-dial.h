/* helix-speed-dial.h — one speed dial entry (a name and a number to call)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HELIX_TYPE_SPEED_DIAL (helix_speed_dial_get_type ())

G_DECLARE_FINAL_TYPE (HelixSpeedDial, helix_speed_dial, HELIX, SPEED_DIAL, GObject)

HelixSpeedDial *helix_speed_dial_new        (const char     *name,
                                             const char     *number);
const char     *helix_speed_dial_get_name   (HelixSpeedDial *self);
void            helix_speed_dial_set_name   (HelixSpeedDial *self,
                                             const char     *name);
const char     *helix_speed_dial_get_number (HelixSpeedDial *self);
void            helix_speed_dial_set_number (HelixSpeedDial *self,
                                             const char     *number);

/* settings.json form: {"Name": "…", "Number": "…"}. An entry read from
 * JSON keeps its other members and writes them back out unchanged. */
HelixSpeedDial *helix_speed_dial_new_from_json (JsonNode     *node);
JsonNode       *helix_speed_dial_to_json    (HelixSpeedDial *self);

G_END_DECLS

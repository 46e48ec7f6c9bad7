/* helix-speed-dial-row.c — one speed dial entry in the list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Activating the row calls.  Its buttons and menu forward to the page's
 * "speed-dial.*" actions with the row's position looked up at the moment
 * of the click: positions shift when other rows move or go away.
 */
#define G_LOG_DOMAIN "helix-window"

#include "helix-config.h"
#include "helix-speed-dial-row.h"

#include <string.h>

#include "helix-ui-text.h"

struct _HelixSpeedDialRow {
  GtkListBoxRow   parent_instance;

  HelixSpeedDial *entry;

  GtkLabel       *name_label;
  GtkLabel       *number_label;
};

G_DEFINE_FINAL_TYPE (HelixSpeedDialRow, helix_speed_dial_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_ENTRY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
update_labels (HelixSpeedDialRow *self)
{
  g_autofree char *name = helix_ui_clean_text (helix_speed_dial_get_name (self->entry),
                                               HELIX_UI_MAX_NAME_CHARS);
  g_autofree char *number = helix_ui_clean_text (helix_speed_dial_get_number (self->entry),
                                                 HELIX_UI_MAX_NUMBER_CHARS);

  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->number_label, number);
}

static void
forward (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  g_autofree char *page_action = g_strconcat ("speed-dial.", action_name + strlen ("row."), NULL);
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (widget));

  if (index >= 0)
    gtk_widget_activate_action (widget, page_action, "u", (guint) index);
}

HelixSpeedDial *
helix_speed_dial_row_get_entry (HelixSpeedDialRow *self)
{
  g_return_val_if_fail (HELIX_IS_SPEED_DIAL_ROW (self), NULL);

  return self->entry;
}

static void
helix_speed_dial_row_constructed (GObject *object)
{
  HelixSpeedDialRow *self = HELIX_SPEED_DIAL_ROW (object);

  G_OBJECT_CLASS (helix_speed_dial_row_parent_class)->constructed (object);

  g_signal_connect_object (self->entry, "notify", G_CALLBACK (update_labels), self, G_CONNECT_SWAPPED);
  update_labels (self);
}

static void
helix_speed_dial_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  HelixSpeedDialRow *self = HELIX_SPEED_DIAL_ROW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      self->entry = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_speed_dial_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HelixSpeedDialRow *self = HELIX_SPEED_DIAL_ROW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_speed_dial_row_dispose (GObject *object)
{
  HelixSpeedDialRow *self = HELIX_SPEED_DIAL_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HELIX_TYPE_SPEED_DIAL_ROW);
  g_clear_object (&self->entry);

  G_OBJECT_CLASS (helix_speed_dial_row_parent_class)->dispose (object);
}

static void
helix_speed_dial_row_class_init (HelixSpeedDialRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = helix_speed_dial_row_constructed;
  object_class->set_property = helix_speed_dial_row_set_property;
  object_class->get_property = helix_speed_dial_row_get_property;
  object_class->dispose = helix_speed_dial_row_dispose;

  props[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, HELIX_TYPE_SPEED_DIAL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_install_action (widget_class, "row.call", NULL, forward);
  gtk_widget_class_install_action (widget_class, "row.edit", NULL, forward);
  gtk_widget_class_install_action (widget_class, "row.remove", NULL, forward);
  gtk_widget_class_install_action (widget_class, "row.move-up", NULL, forward);
  gtk_widget_class_install_action (widget_class, "row.move-down", NULL, forward);
  /* Reordering from the keyboard, as in GNOME's own lists. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "row.move-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "row.move-down", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-speed-dial-row.ui");
  gtk_widget_class_bind_template_child (widget_class, HelixSpeedDialRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, HelixSpeedDialRow, number_label);
  gtk_widget_class_bind_template_child_full (widget_class, "edit_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "menu_button", FALSE, 0);
}

static void
helix_speed_dial_row_init (HelixSpeedDialRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
helix_speed_dial_row_new (HelixSpeedDial *entry)
{
  g_return_val_if_fail (HELIX_IS_SPEED_DIAL (entry), NULL);

  return g_object_new (HELIX_TYPE_SPEED_DIAL_ROW, "entry", entry, NULL);
}

/* helix-speed-dial-editor.c — the small dialog that adds or edits an entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialog only collects a name and a number and emits "save"; whoever
 * opened it validates (it knows the other entries and the SIP account)
 * and either closes it or calls helix_speed_dial_editor_set_error().
 */
#define G_LOG_DOMAIN "helix-window"

#include "helix-config.h"
#include "helix-speed-dial-editor.h"

#include <glib/gi18n.h>

struct _HelixSpeedDialEditor {
  GtkWindow  parent_instance;

  GtkEntry  *name_entry;
  GtkEntry  *number_entry;
  GtkLabel  *error_label;
  GtkWidget *save_button;
};

G_DEFINE_FINAL_TYPE (HelixSpeedDialEditor, helix_speed_dial_editor, GTK_TYPE_WINDOW)

enum {
  SAVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
field_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

static void
on_changed (HelixSpeedDialEditor *self)
{
  g_autofree char *name = field_text (self->name_entry);
  g_autofree char *number = field_text (self->number_entry);

  helix_speed_dial_editor_set_error (self, NULL);
  gtk_widget_set_sensitive (self->save_button, *name != '\0' && *number != '\0');
}

static void
save (HelixSpeedDialEditor *self)
{
  g_autofree char *name = field_text (self->name_entry);
  g_autofree char *number = field_text (self->number_entry);

  if (*name == '\0' || *number == '\0')
    return;

  g_signal_emit (self, signals[SAVE], 0, name, number);
}

static void
cancel (HelixSpeedDialEditor *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

void
helix_speed_dial_editor_set_error (HelixSpeedDialEditor *self,
                                   const char           *message)
{
  g_return_if_fail (HELIX_IS_SPEED_DIAL_EDITOR (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
helix_speed_dial_editor_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HELIX_TYPE_SPEED_DIAL_EDITOR);

  G_OBJECT_CLASS (helix_speed_dial_editor_parent_class)->dispose (object);
}

static void
helix_speed_dial_editor_class_init (HelixSpeedDialEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = helix_speed_dial_editor_dispose;

  /**
   * HelixSpeedDialEditor::save:
   * @name: the name, trimmed, not empty
   * @number: the number or URI, trimmed, not empty
   */
  signals[SAVE] =
    g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-speed-dial-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, HelixSpeedDialEditor, name_entry);
  gtk_widget_class_bind_template_child (widget_class, HelixSpeedDialEditor, number_entry);
  gtk_widget_class_bind_template_child (widget_class, HelixSpeedDialEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, HelixSpeedDialEditor, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, save);
  gtk_widget_class_bind_template_callback (widget_class, cancel);
}

static void
helix_speed_dial_editor_init (HelixSpeedDialEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
helix_speed_dial_editor_new (GtkWindow  *parent,
                             const char *name,
                             const char *number)
{
  HelixSpeedDialEditor *self;

  self = g_object_new (HELIX_TYPE_SPEED_DIAL_EDITOR,
                       "transient-for", parent,
                       "title", name != NULL ? _("Edit Speed Dial") : _("New Speed Dial"),
                       NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name != NULL ? name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->number_entry), number != NULL ? number : "");
  on_changed (self);

  return GTK_WIDGET (self);
}

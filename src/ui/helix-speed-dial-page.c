/* helix-speed-dial-page.c — one-click calls to saved numbers, and their upkeep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list shows the settings' own GListStore of HelixSpeedDial, so the
 * page, app.dial's name lookup and settings.json never disagree: every
 * add, edit, move and removal changes that store and saves the settings.
 */
#define G_LOG_DOMAIN "helix-window"

#include "helix-config.h"
#include "helix-speed-dial-page.h"

#include <glib/gi18n.h>

#include "helix-sip-agent.h"
#include "helix-speed-dial.h"
#include "helix-speed-dial-editor.h"
#include "helix-speed-dial-row.h"

struct _HelixSpeedDialPage {
  GtkWidget   parent_instance;

  HelixPhone *phone;

  GtkStack   *stack;
  GtkListBox *list_box;
  GtkWidget  *add_button;
};

G_DEFINE_FINAL_TYPE (HelixSpeedDialPage, helix_speed_dial_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PHONE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static GListStore *
store (HelixSpeedDialPage *self)
{
  return G_LIST_STORE (helix_settings_get_speed_dial (helix_phone_get_settings (self->phone)));
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!helix_settings_save_finish (HELIX_SETTINGS (source), result, &error))
    g_warning ("Could not save the speed dial list: %s", error->message);
}

static void
save (HelixSpeedDialPage *self)
{
  helix_settings_save_async (helix_phone_get_settings (self->phone), NULL, on_saved, NULL);
}

static void
update_empty (HelixSpeedDialPage *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (store (self))) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return helix_speed_dial_row_new (item);
}

/* Why an entry cannot be saved, or NULL.  @editing is the entry being
 * edited (its own name is not a clash), NULL for a new one. */
static char *
validate (HelixSpeedDialPage *self,
          HelixSpeedDial     *editing,
          const char         *name,
          const char         *number)
{
  GListModel *entries = G_LIST_MODEL (store (self));
  HelixSpeedDial *entry;
  HelixSipAgent *agent = helix_phone_get_sip_agent (self->phone);

  for (guint i = 0; (entry = g_list_model_get_item (entries, i)) != NULL; i++)
    {
      gboolean clash = entry != editing && g_utf8_collate (helix_speed_dial_get_name (entry), name) == 0;

      g_object_unref (entry);
      if (clash)
        return g_strdup (_("Another entry already has this name"));
    }

  if (agent != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = helix_sip_agent_resolve_target (agent, number, &error);

      /* Without a server only full addresses can be called today, but a
       * well-formed number is kept for when the account has one. */
      if (uri == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
        return g_strdup_printf (_("This number cannot be called: %s"), error->message);
    }

  return NULL;
}

static void
on_editor_save (HelixSpeedDialEditor *editor,
                const char           *name,
                const char           *number,
                HelixSpeedDialPage   *self)
{
  HelixSpeedDial *editing = g_object_get_data (G_OBJECT (editor), "helix-entry");
  g_autofree char *problem = validate (self, editing, name, number);

  if (problem != NULL)
    {
      helix_speed_dial_editor_set_error (editor, problem);
      return;
    }

  if (editing != NULL)
    {
      helix_speed_dial_set_name (editing, name);
      helix_speed_dial_set_number (editing, number);
    }
  else
    {
      g_autoptr(HelixSpeedDial) entry = helix_speed_dial_new (name, number);

      g_list_store_append (store (self), entry);
    }

  save (self);
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
open_editor (HelixSpeedDialPage *self,
             HelixSpeedDial     *entry)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *editor;

  editor = helix_speed_dial_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        entry != NULL ? helix_speed_dial_get_name (entry) : NULL,
                                        entry != NULL ? helix_speed_dial_get_number (entry) : NULL);
  if (entry != NULL)
    g_object_set_data_full (G_OBJECT (editor), "helix-entry", g_object_ref (entry), g_object_unref);
  g_signal_connect_object (editor, "save", G_CALLBACK (on_editor_save), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_add (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  open_editor (HELIX_SPEED_DIAL_PAGE (widget), NULL);
}

static void
on_call (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  HelixSpeedDialPage *self = HELIX_SPEED_DIAL_PAGE (widget);
  g_autoptr(HelixSpeedDial) entry = g_list_model_get_item (G_LIST_MODEL (store (self)),
                                                           g_variant_get_uint32 (parameter));

  /* The number, not the name: names need not be unique in a hand-edited file. */
  if (entry != NULL)
    gtk_widget_activate_action (widget, "app.dial", "s", helix_speed_dial_get_number (entry));
}

static void
on_edit (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  HelixSpeedDialPage *self = HELIX_SPEED_DIAL_PAGE (widget);
  g_autoptr(HelixSpeedDial) entry = g_list_model_get_item (G_LIST_MODEL (store (self)),
                                                           g_variant_get_uint32 (parameter));

  if (entry != NULL)
    open_editor (self, entry);
}

static void
on_remove (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  HelixSpeedDialPage *self = HELIX_SPEED_DIAL_PAGE (widget);
  guint position = g_variant_get_uint32 (parameter);

  if (position >= g_list_model_get_n_items (G_LIST_MODEL (store (self))))
    return;

  g_list_store_remove (store (self), position);
  save (self);
}

static void
move (HelixSpeedDialPage *self,
      guint               position,
      int                 delta)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store (self)));
  g_autoptr(HelixSpeedDial) entry = NULL;
  GtkListBoxRow *row;
  guint target;

  if (position >= n || (delta < 0 && position == 0) || (delta > 0 && position + 1 >= n))
    return;

  target = delta < 0 ? position - 1 : position + 1;
  entry = g_list_model_get_item (G_LIST_MODEL (store (self)), position);
  g_list_store_remove (store (self), position);
  g_list_store_insert (store (self), target, entry);
  save (self);

  /* Keep the keyboard on the entry that moved, so Alt+Up can repeat. */
  row = gtk_list_box_get_row_at_index (self->list_box, (int) target);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
on_move_up (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  move (HELIX_SPEED_DIAL_PAGE (widget), g_variant_get_uint32 (parameter), -1);
}

static void
on_move_down (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  move (HELIX_SPEED_DIAL_PAGE (widget), g_variant_get_uint32 (parameter), +1);
}

static void
helix_speed_dial_page_set_phone (HelixSpeedDialPage *self,
                                 HelixPhone         *phone)
{
  if (!g_set_object (&self->phone, phone) || phone == NULL)
    return;

  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (store (self)), create_row, NULL, NULL);
  g_signal_connect_object (store (self), "items-changed", G_CALLBACK (update_empty),
                           self, G_CONNECT_SWAPPED);
  update_empty (self);
}

static void
helix_speed_dial_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_PHONE:
      helix_speed_dial_page_set_phone (HELIX_SPEED_DIAL_PAGE (object), g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_speed_dial_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_PHONE:
      g_value_set_object (value, HELIX_SPEED_DIAL_PAGE (object)->phone);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_speed_dial_page_dispose (GObject *object)
{
  HelixSpeedDialPage *self = HELIX_SPEED_DIAL_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HELIX_TYPE_SPEED_DIAL_PAGE);
  g_clear_object (&self->phone);

  G_OBJECT_CLASS (helix_speed_dial_page_parent_class)->dispose (object);
}

static void
helix_speed_dial_page_class_init (HelixSpeedDialPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = helix_speed_dial_page_set_property;
  object_class->get_property = helix_speed_dial_page_get_property;
  object_class->dispose = helix_speed_dial_page_dispose;

  props[PROP_PHONE] =
    g_param_spec_object ("phone", NULL, NULL, HELIX_TYPE_PHONE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_install_action (widget_class, "speed-dial.add", NULL, on_add);
  gtk_widget_class_install_action (widget_class, "speed-dial.call", "u", on_call);
  gtk_widget_class_install_action (widget_class, "speed-dial.edit", "u", on_edit);
  gtk_widget_class_install_action (widget_class, "speed-dial.remove", "u", on_remove);
  gtk_widget_class_install_action (widget_class, "speed-dial.move-up", "u", on_move_up);
  gtk_widget_class_install_action (widget_class, "speed-dial.move-down", "u", on_move_down);

  g_type_ensure (HELIX_TYPE_SPEED_DIAL_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-speed-dial-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HelixSpeedDialPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HelixSpeedDialPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, HelixSpeedDialPage, add_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
helix_speed_dial_page_init (HelixSpeedDialPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

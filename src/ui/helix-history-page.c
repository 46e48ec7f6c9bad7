/* helix-history-page.c — recent calls: who, when, how long; click to call back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is the phone's HelixCallHistory itself (a GListModel, newest
 * first), so a call that ends shows up here without the page doing
 * anything.  Calling back goes through app.dial like every other surface.
 */
#define G_LOG_DOMAIN "helix-window"

#include "helix-config.h"
#include "helix-history-page.h"

#include <glib/gi18n.h>

#include "helix-history-row.h"

struct _HelixHistoryPage {
  GtkWidget   parent_instance;

  HelixPhone *phone;

  GtkStack   *stack;
  GtkListBox *list_box;
  GtkWidget  *clear_button;
};

G_DEFINE_FINAL_TYPE (HelixHistoryPage, helix_history_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PHONE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static GListModel *
history (HelixHistoryPage *self)
{
  HelixCallHistory *calls = self->phone != NULL ? helix_phone_get_call_history (self->phone) : NULL;

  return calls != NULL ? G_LIST_MODEL (calls) : NULL;
}

static void
update_empty (HelixHistoryPage *self)
{
  gboolean empty = history (self) == NULL || g_list_model_get_n_items (history (self)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
  gtk_widget_set_sensitive (self->clear_button, !empty);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return helix_history_row_new (item);
}

static void
on_row_activated (HelixHistoryPage *self,
                  GtkListBoxRow    *row)
{
  HelixCallRecord *record = helix_history_row_get_record (HELIX_HISTORY_ROW (row));
  const char *number = helix_call_record_get_number (record);

  if (number != NULL && *number != '\0')
    gtk_widget_activate_action (GTK_WIDGET (self), "app.dial", "s", number);
}

static void
clear (HelixHistoryPage *self)
{
  if (history (self) != NULL)
    helix_call_history_clear (HELIX_CALL_HISTORY (history (self)));
}

static void
helix_history_page_set_phone (HelixHistoryPage *self,
                              HelixPhone       *phone)
{
  if (!g_set_object (&self->phone, phone))
    return;

  if (history (self) != NULL)
    {
      gtk_list_box_bind_model (self->list_box, history (self), create_row, NULL, NULL);
      g_signal_connect_object (history (self), "items-changed", G_CALLBACK (update_empty),
                               self, G_CONNECT_SWAPPED);
    }
  update_empty (self);
}

static void
helix_history_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_PHONE:
      helix_history_page_set_phone (HELIX_HISTORY_PAGE (object), g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_history_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_PHONE:
      g_value_set_object (value, HELIX_HISTORY_PAGE (object)->phone);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_history_page_dispose (GObject *object)
{
  HelixHistoryPage *self = HELIX_HISTORY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HELIX_TYPE_HISTORY_PAGE);
  g_clear_object (&self->phone);

  G_OBJECT_CLASS (helix_history_page_parent_class)->dispose (object);
}

static void
helix_history_page_class_init (HelixHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = helix_history_page_set_property;
  object_class->get_property = helix_history_page_get_property;
  object_class->dispose = helix_history_page_dispose;

  props[PROP_PHONE] =
    g_param_spec_object ("phone", NULL, NULL, HELIX_TYPE_PHONE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HelixHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HelixHistoryPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, HelixHistoryPage, clear_button);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, clear);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
helix_history_page_init (HelixHistoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* helix-dialer-page.c — number entry, keypad and Call button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * People paste numbers in every shape ("+1 (416) 998-7587", "tel:…",
 * "sip:…"), so the entry takes any text and the SIP agent's own parser
 * decides; the page only asks it first, to say inline why a number cannot
 * be called instead of letting the Call button silently do nothing.
 * Calls go through app.dial like every other surface.
 */
#define G_LOG_DOMAIN "helix-window"

#include "helix-config.h"
#include "helix-dialer-page.h"

#include <glib/gi18n.h>

#include "helix-dial-pad.h"
#include "helix-sip-agent.h"
#include "helix-speed-dial.h"

struct _HelixDialerPage {
  GtkWidget     parent_instance;

  HelixPhone   *phone;

  GtkEntry     *number_entry;
  GtkButton    *call_button;
  GtkLabel     *error_label;
  HelixDialPad *dial_pad;
};

G_DEFINE_FINAL_TYPE (HelixDialerPage, helix_dialer_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PHONE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static gboolean
is_speed_dial_name (HelixDialerPage *self,
                    const char      *text)
{
  GListModel *entries = helix_settings_get_speed_dial (helix_phone_get_settings (self->phone));

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(HelixSpeedDial) entry = g_list_model_get_item (entries, i);

      if (g_utf8_collate (helix_speed_dial_get_name (entry), text) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
show_error (HelixDialerPage *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
dial (HelixDialerPage *self)
{
  HelixSipAgent *agent = helix_phone_get_sip_agent (self->phone);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->number_entry))));
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  if (*text == '\0')
    return;

  if (agent == NULL)
    {
      show_error (self, _("Calls are not possible: SIP could not start"));
      return;
    }

  if (!is_speed_dial_name (self, text) &&
      (uri = helix_sip_agent_resolve_target (agent, text, &error)) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot call this number: %s"), error->message);

      show_error (self, message);
      return;
    }

  show_error (self, NULL);
  gtk_widget_activate_action (GTK_WIDGET (self), "app.dial", "s", text);
  gtk_editable_set_text (GTK_EDITABLE (self->number_entry), "");
}

static void
on_entry_changed (HelixDialerPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->number_entry));

  show_error (self, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->call_button), text[0] != '\0');
}

static void
on_key_pressed (HelixDialerPage *self,
                const char      *key)
{
  helix_dialer_page_insert_key (self, key);
}

void
helix_dialer_page_insert_key (HelixDialerPage *self,
                              const char      *key)
{
  GtkEditable *editable;
  int position;

  g_return_if_fail (HELIX_IS_DIALER_PAGE (self));
  g_return_if_fail (key != NULL);

  /* At the cursor, so a pad press can complete "sip:@host" or fix a digit. */
  editable = GTK_EDITABLE (self->number_entry);
  gtk_editable_delete_selection (editable);
  position = gtk_editable_get_position (editable);
  gtk_editable_insert_text (editable, key, -1, &position);
  gtk_editable_set_position (editable, position);
}

void
helix_dialer_page_focus_entry (HelixDialerPage *self)
{
  g_return_if_fail (HELIX_IS_DIALER_PAGE (self));

  gtk_entry_grab_focus_without_selecting (self->number_entry);
}

void
helix_dialer_page_set_number (HelixDialerPage *self,
                              const char      *number)
{
  g_return_if_fail (HELIX_IS_DIALER_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->number_entry), number != NULL ? number : "");
  gtk_editable_set_position (GTK_EDITABLE (self->number_entry), -1);
}

static void
helix_dialer_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HelixDialerPage *self = HELIX_DIALER_PAGE (object);

  switch (prop_id)
    {
    case PROP_PHONE:
      g_set_object (&self->phone, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_dialer_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HelixDialerPage *self = HELIX_DIALER_PAGE (object);

  switch (prop_id)
    {
    case PROP_PHONE:
      g_value_set_object (value, self->phone);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_dialer_page_dispose (GObject *object)
{
  HelixDialerPage *self = HELIX_DIALER_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HELIX_TYPE_DIALER_PAGE);
  g_clear_object (&self->phone);

  G_OBJECT_CLASS (helix_dialer_page_parent_class)->dispose (object);
}

static void
helix_dialer_page_class_init (HelixDialerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = helix_dialer_page_set_property;
  object_class->get_property = helix_dialer_page_get_property;
  object_class->dispose = helix_dialer_page_dispose;

  props[PROP_PHONE] =
    g_param_spec_object ("phone", NULL, NULL, HELIX_TYPE_PHONE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (HELIX_TYPE_DIAL_PAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-dialer-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HelixDialerPage, number_entry);
  gtk_widget_class_bind_template_child (widget_class, HelixDialerPage, call_button);
  gtk_widget_class_bind_template_child (widget_class, HelixDialerPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, HelixDialerPage, dial_pad);
  gtk_widget_class_bind_template_callback (widget_class, dial);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_key_pressed);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
helix_dialer_page_init (HelixDialerPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

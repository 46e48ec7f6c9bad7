/* helix-preferences-form.c — the preferences fields: read, check, load, apply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table row per settings key says where its widget is and what kind
 * of widget it is; reading, checking, loading and applying all follow from
 * the row, the way helix-settings.c does it for the file. The rules come
 * from helix_settings_validate(), so the form can never accept what the
 * file would reject.
 */
#define G_LOG_DOMAIN "helix-preferences"

#include "helix-config.h"
#include "helix-preferences-form.h"

#include <glib/gi18n.h>

typedef enum {
  KIND_TEXT,       /* GtkEditable, string property */
  KIND_NUMBER,     /* GtkEditable, uint property */
  KIND_SWITCH,     /* GtkSwitch, boolean property */
  KIND_CHOICE,     /* GtkDropDown over a GtkStringList of the values */
  KIND_INPUT,      /* GtkDropDown: "System default" ("") and microphones */
  KIND_OUTPUT,     /* GtkDropDown: "System default" ("") and speakers */
} FieldKind;

typedef struct {
  const char           *property;   /* of HelixSettings */
  HelixPreferencesPage  page;
  const char           *widget;     /* template child of the page */
  FieldKind             kind;
  const char           *message;    /* shown under the field when invalid; NULL: cannot be */
} Field;

#define URL_MESSAGE N_("Enter an address that starts with http:// or https://, or leave the field empty.")
#define ACCOUNT      HELIX_PREFERENCES_PAGE_ACCOUNT
#define INTEGRATIONS HELIX_PREFERENCES_PAGE_INTEGRATIONS
#define RECORDING    HELIX_PREFERENCES_PAGE_RECORDING
#define GENERAL      HELIX_PREFERENCES_PAGE_GENERAL

static const Field fields[HELIX_N_FIELDS] = {
  [HELIX_FIELD_SIP_SERVER] = { "sip-server", ACCOUNT, "sip_server_entry", KIND_TEXT },
  [HELIX_FIELD_SIP_PORT] = { "sip-port", ACCOUNT, "sip_port_entry", KIND_NUMBER,
                             N_("Enter a port number from 1 to 65535.") },
  [HELIX_FIELD_SIP_TRANSPORT] = { "sip-transport", ACCOUNT, "sip_transport_dropdown", KIND_CHOICE },
  [HELIX_FIELD_SIP_USERNAME] = { "sip-username", ACCOUNT, "sip_username_entry", KIND_TEXT },
  [HELIX_FIELD_SIP_PASSWORD] = { "sip-password", ACCOUNT, "sip_password_entry", KIND_TEXT },
  [HELIX_FIELD_WEBHOOK_URL] = { "webhook-endpoint-url", INTEGRATIONS, "webhook_url_entry", KIND_TEXT,
                                URL_MESSAGE },
  [HELIX_FIELD_WEBHOOK_KEY] = { "webhook-api-key", INTEGRATIONS, "webhook_key_entry", KIND_TEXT },
  [HELIX_FIELD_WEBHOOK_INTERVAL] = { "webhook-heartbeat-interval-seconds", INTEGRATIONS,
                                     "webhook_interval_entry", KIND_NUMBER,
                                     N_("Enter a number of seconds from 1 to 86400 (one day).") },
  [HELIX_FIELD_CRM_ENABLED] = { "crm-enabled", INTEGRATIONS, "crm_enabled_switch", KIND_SWITCH },
  [HELIX_FIELD_CRM_URL] = { "crm-lookup-url", INTEGRATIONS, "crm_url_entry", KIND_TEXT,
                            N_("Enter an address that starts with http:// or https://, with {phone} "
                               "where the caller's number goes, or leave the field empty.") },
  [HELIX_FIELD_RECORDING_ENABLED] = { "recording-enabled", RECORDING, "recording_enabled_switch", KIND_SWITCH },
  [HELIX_FIELD_RECORDING_URL] = { "recording-upload-url", RECORDING, "recording_url_entry", KIND_TEXT,
                                  URL_MESSAGE },
  [HELIX_FIELD_RECORDING_KEY] = { "recording-api-key", RECORDING, "recording_key_entry", KIND_TEXT },
  [HELIX_FIELD_RECORDING_FOLDER] = { "recording-folder", RECORDING, "recording_folder_entry", KIND_TEXT },
  [HELIX_FIELD_RECORDING_KEEP] = { "recording-keep-after-upload", RECORDING, "recording_keep_switch",
                                   KIND_SWITCH },
  [HELIX_FIELD_CLOSE_TO_TRAY] = { "general-close-to-tray", GENERAL, "close_to_tray_switch", KIND_SWITCH },
  [HELIX_FIELD_AUTO_REGISTER] = { "general-auto-register", GENERAL, "auto_register_switch", KIND_SWITCH },
  [HELIX_FIELD_AUTO_ANSWER] = { "general-auto-answer", GENERAL, "auto_answer_switch", KIND_SWITCH },
  [HELIX_FIELD_INPUT_DEVICE] = { "audio-input-device", GENERAL, "input_device_dropdown", KIND_INPUT },
  [HELIX_FIELD_OUTPUT_DEVICE] = { "audio-output-device", GENERAL, "output_device_dropdown", KIND_OUTPUT },
  [HELIX_FIELD_RING_DEVICE] = { "audio-ring-device", GENERAL, "ring_device_dropdown", KIND_OUTPUT },
};

/* "sip_port_entry" shows its problems in "sip_port_error" */
static char *
error_label_name (const Field *field)
{
  return g_strdup_printf ("%.*s_error", (int) (strrchr (field->widget, '_') - field->widget), field->widget);
}

void
helix_preferences_form_bind_page (GtkWidgetClass       *widget_class,
                                  HelixPreferencesPage  page,
                                  const char * const   *extra)
{
  /* Offset 0: reachable by name only, the page has no fields of its own */
  for (guint i = 0; i < HELIX_N_FIELDS; i++)
    {
      if (fields[i].page != page)
        continue;

      gtk_widget_class_bind_template_child_full (widget_class, fields[i].widget, FALSE, 0);
      if (fields[i].message != NULL)
        {
          g_autofree char *name = error_label_name (&fields[i]);

          gtk_widget_class_bind_template_child_full (widget_class, g_intern_string (name), FALSE, 0);
        }
    }

  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    gtk_widget_class_bind_template_child_full (widget_class, extra[i], FALSE, 0);
}

void
helix_preferences_form_init (HelixPreferencesForm *form,
                             GtkWidget * const    *pages,
                             const GType          *page_types,
                             GCallback             on_changed,
                             gpointer              user_data)
{
  for (guint i = 0; i < HELIX_N_FIELDS; i++)
    {
      const Field *field = &fields[i];
      GtkWidget *page = pages[field->page];
      GType type = page_types[field->page];
      GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (page, type, field->widget));

      form->widgets[i] = widget;
      if (field->message != NULL)
        {
          g_autofree char *name = error_label_name (field);

          form->errors[i] = GTK_LABEL (gtk_widget_get_template_child (page, type, name));
        }

      if (GTK_IS_EDITABLE (widget))
        g_signal_connect_swapped (widget, "changed", on_changed, user_data);
      else
        g_signal_connect_swapped (widget, GTK_IS_SWITCH (widget) ? "notify::active" : "notify::selected",
                                  on_changed, user_data);
    }
}

void
helix_preferences_form_clear (HelixPreferencesForm *form)
{
  for (guint i = 0; i < HELIX_N_FIELDS; i++)
    g_clear_pointer (&form->devices[i], g_strfreev);
}

const char *
helix_preferences_form_get_text (HelixPreferencesForm *form,
                                 HelixField            field)
{
  return gtk_editable_get_text (GTK_EDITABLE (form->widgets[field]));
}

/* What the field holds now, typed as helix_settings_validate() takes it */
static void
read_field (HelixPreferencesForm *form,
            HelixField            id,
            GValue               *value)
{
  GtkWidget *widget = form->widgets[id];
  g_autofree char *text = NULL;
  GListModel *model;
  gint64 number;
  guint selected;

  switch (fields[id].kind)
    {
    case KIND_TEXT:
      g_value_init (value, G_TYPE_STRING);
      g_value_set_string (value, helix_preferences_form_get_text (form, id));
      break;
    case KIND_NUMBER:
      text = g_strstrip (g_strdup (helix_preferences_form_get_text (form, id)));
      /* Not a number at all: handed on as text, which the rule rejects */
      if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &number, NULL))
        {
          g_value_init (value, G_TYPE_INT64);
          g_value_set_int64 (value, number);
        }
      else
        {
          g_value_init (value, G_TYPE_STRING);
          g_value_set_string (value, text);
        }
      break;
    case KIND_SWITCH:
      g_value_init (value, G_TYPE_BOOLEAN);
      g_value_set_boolean (value, gtk_switch_get_active (GTK_SWITCH (widget)));
      break;
    case KIND_CHOICE:
      g_value_init (value, G_TYPE_STRING);
      model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));
      selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (widget));
      g_value_set_string (value, gtk_string_list_get_string (GTK_STRING_LIST (model), selected));
      break;
    case KIND_INPUT:
    case KIND_OUTPUT:
      g_value_init (value, G_TYPE_STRING);
      selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (widget));
      g_value_set_string (value, form->devices[id] != NULL && selected < g_strv_length (form->devices[id])
                                 ? form->devices[id][selected] : "");
      break;
    default:
      g_assert_not_reached ();
    }
}

gboolean
helix_preferences_form_check (HelixPreferencesForm *form,
                              HelixField            id)
{
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean invalid;

  if (fields[id].message == NULL)
    return TRUE;

  read_field (form, id, &value);
  invalid = !helix_settings_validate (fields[id].property, &value, NULL);
  form->invalid[id] = invalid;

  /* The rule's own wording is for settings.json; the form says it in the
   * user's language, about the field they are looking at */
  gtk_label_set_text (form->errors[id], invalid ? _(fields[id].message) : "");
  gtk_widget_set_visible (GTK_WIDGET (form->errors[id]), invalid);
  if (invalid)
    gtk_widget_add_css_class (form->widgets[id], "error");
  else
    gtk_widget_remove_css_class (form->widgets[id], "error");

  return !invalid;
}

gboolean
helix_preferences_form_is_valid (HelixPreferencesForm *form)
{
  for (guint i = 0; i < HELIX_N_FIELDS; i++)
    {
      if (form->invalid[i])
        return FALSE;
    }

  return TRUE;
}

/* Rows: "System default", the devices, and the saved one even when it is
 * unplugged now, so that saving other settings does not forget it */
static void
fill_devices (HelixPreferencesForm *form,
              HelixField            id,
              const char * const   *names,
              const char           *keep)
{
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr(GtkStringList) rows = gtk_string_list_new (NULL);
  guint selected = 0;
  guint n = 1;

  g_strv_builder_add (values, "");
  gtk_string_list_append (rows, _("System default"));

  for (guint i = 0; names != NULL && names[i] != NULL; i++, n++)
    {
      g_strv_builder_add (values, names[i]);
      gtk_string_list_append (rows, names[i]);
      if (g_strcmp0 (names[i], keep) == 0)
        selected = n;
    }

  if (selected == 0 && keep != NULL && *keep != '\0')
    {
      /* TRANSLATORS: an audio device that is in the settings but not plugged in */
      g_autofree char *row = g_strdup_printf (_("%s (not connected)"), keep);

      g_strv_builder_add (values, keep);
      gtk_string_list_append (rows, row);
      selected = n;
    }

  g_strfreev (form->devices[id]);
  form->devices[id] = g_strv_builder_end (values);
  gtk_drop_down_set_model (GTK_DROP_DOWN (form->widgets[id]), G_LIST_MODEL (rows));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (form->widgets[id]), selected);
}

void
helix_preferences_form_set_devices (HelixPreferencesForm *form,
                                    gboolean              input,
                                    const char * const   *names)
{
  for (guint i = 0; i < HELIX_N_FIELDS; i++)
    {
      g_auto(GValue) current = G_VALUE_INIT;

      if (fields[i].kind != (input ? KIND_INPUT : KIND_OUTPUT))
        continue;

      /* Keeps what the user may already have picked from the short list */
      read_field (form, i, &current);
      fill_devices (form, i, names, g_value_get_string (&current));
    }
}

static void
load_field (HelixPreferencesForm *form,
            HelixField            id,
            HelixSettings        *settings)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (settings), fields[id].property);
  g_auto(GValue) value = G_VALUE_INIT;
  GtkWidget *widget = form->widgets[id];
  g_autofree char *number = NULL;
  GListModel *model;

  g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_object_get_property (G_OBJECT (settings), fields[id].property, &value);

  switch (fields[id].kind)
    {
    case KIND_TEXT:
      gtk_editable_set_text (GTK_EDITABLE (widget), g_value_get_string (&value));
      break;
    case KIND_NUMBER:
      number = g_strdup_printf ("%u", g_value_get_uint (&value));
      gtk_editable_set_text (GTK_EDITABLE (widget), number);
      break;
    case KIND_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (widget), g_value_get_boolean (&value));
      break;
    case KIND_CHOICE:
      model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          if (g_ascii_strcasecmp (gtk_string_list_get_string (GTK_STRING_LIST (model), i),
                                  g_value_get_string (&value)) == 0)
            gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), i);
        }
      break;
    case KIND_INPUT:
    case KIND_OUTPUT:
      fill_devices (form, id, NULL, g_value_get_string (&value));
      break;
    default:
      g_assert_not_reached ();
    }
}

void
helix_preferences_form_load (HelixPreferencesForm *form,
                             HelixSettings        *settings)
{
  for (guint i = 0; i < HELIX_N_FIELDS; i++)
    load_field (form, i, settings);
  for (guint i = 0; i < HELIX_N_FIELDS; i++)
    helix_preferences_form_check (form, i);
}

/* All at once, so that each running part sees one consistent change: the
 * SIP agent re-registers once, with the whole new account */
void
helix_preferences_form_apply (HelixPreferencesForm *form,
                              HelixSettings        *settings)
{
  g_object_freeze_notify (G_OBJECT (settings));

  for (guint i = 0; i < HELIX_N_FIELDS; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      read_field (form, i, &value);
      if (G_VALUE_HOLDS_INT64 (&value))
        g_object_set (settings, fields[i].property, (guint) g_value_get_int64 (&value), NULL);
      else
        g_object_set_property (G_OBJECT (settings), fields[i].property, &value);
    }

  g_object_thaw_notify (G_OBJECT (settings));
}

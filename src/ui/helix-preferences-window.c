/* helix-preferences-window.c — edits every section of settings.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form is a copy: nothing reaches HelixSettings until Save, so a half
 * typed URL never makes the webhook post to the wrong place and Cancel
 * really cancels. Every field is checked as it is typed with the rules the
 * settings file is loaded with (helix_settings_validate), and Save stays
 * disabled while any field is wrong.
 */
#define G_LOG_DOMAIN "helix-preferences"

#include "helix-config.h"
#include "helix-preferences-window.h"

#include <glib/gi18n.h>

#include "media/helix-audio-devices.h"
#include "helix-http-probe.h"
#include "helix-preferences-account-page.h"
#include "helix-preferences-form.h"
#include "helix-preferences-general-page.h"
#include "helix-preferences-integrations-page.h"
#include "helix-preferences-recording-page.h"
#include "helix-probe-row.h"

struct _HelixPreferencesWindow {
  GtkWindow             parent_instance;

  HelixSettings        *settings;
  HelixStatusEngine    *engine;
  GCancellable         *cancellable;   /* probes and device listing die with the window */

  GtkWidget            *pages[HELIX_PREFERENCES_N_PAGES];
  GtkButton            *save_button;
  GtkLabel             *banner_label;

  HelixPreferencesForm  form;
  gboolean              saving;
};

G_DEFINE_FINAL_TYPE (HelixPreferencesWindow, helix_preferences_window, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_STATUS_ENGINE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static GType
page_type (HelixPreferencesPage page)
{
  switch (page)
    {
    case HELIX_PREFERENCES_PAGE_ACCOUNT:      return HELIX_TYPE_PREFERENCES_ACCOUNT_PAGE;
    case HELIX_PREFERENCES_PAGE_INTEGRATIONS: return HELIX_TYPE_PREFERENCES_INTEGRATIONS_PAGE;
    case HELIX_PREFERENCES_PAGE_RECORDING:    return HELIX_TYPE_PREFERENCES_RECORDING_PAGE;
    case HELIX_PREFERENCES_PAGE_GENERAL:      return HELIX_TYPE_PREFERENCES_GENERAL_PAGE;
    case HELIX_PREFERENCES_N_PAGES:
    default:                                  g_assert_not_reached ();
    }
}

static GtkWidget *
page_child (HelixPreferencesWindow *self,
            HelixPreferencesPage    page,
            const char             *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (self->pages[page], page_type (page), name));
}

static void
update_save_button (HelixPreferencesWindow *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            helix_preferences_form_is_valid (&self->form) && !self->saving);
}

/* Every field is checked again: it is cheap, and a handler that is told
 * nothing about which field changed cannot get it wrong */
static void
on_form_changed (HelixPreferencesWindow *self)
{
  for (guint i = 0; i < HELIX_N_FIELDS; i++)
    helix_preferences_form_check (&self->form, i);
  update_save_button (self);
}

static void
refill_devices (HelixPreferencesWindow *self,
                GAsyncResult           *result,
                gboolean                input)
{
  g_auto(GStrv) names = helix_audio_devices_list_finish (result, NULL);

  /* Cancelled: the window is gone */
  if (names == NULL)
    return;

  helix_preferences_form_set_devices (&self->form, input, (const char * const *) names);
}

static void
on_inputs_listed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HelixPreferencesWindow) self = user_data;

  refill_devices (self, result, TRUE);
}

static void
on_outputs_listed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HelixPreferencesWindow) self = user_data;

  refill_devices (self, result, FALSE);
}

static void
show_banner (HelixPreferencesWindow *self,
             const char             *text)
{
  gtk_label_set_text (self->banner_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_label), text != NULL);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HelixPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->saving = FALSE;
  update_save_button (self);

  if (helix_settings_save_finish (HELIX_SETTINGS (source), result, &error))
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  g_warning ("Could not save settings: %s", error->message);
  text = g_strdup_printf (_("The new settings are in use, but could not be saved: %s"), error->message);
  show_banner (self, text);
}

static void
on_save_clicked (HelixPreferencesWindow *self)
{
  on_form_changed (self);
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    return;

  helix_preferences_form_apply (&self->form, self->settings);

  self->saving = TRUE;
  update_save_button (self);
  show_banner (self, NULL);
  /* Not cancelled with the window: a save that was asked for completes */
  helix_settings_save_async (self->settings, NULL, on_saved, g_object_ref (self));
}

static void
on_webhook_probe_clicked (HelixPreferencesWindow *self,
                          HelixProbeRow          *row)
{
  const char *url = helix_preferences_form_get_text (&self->form, HELIX_FIELD_WEBHOOK_URL);
  const char *status = "available";

  if (*url == '\0' || !helix_preferences_form_check (&self->form, HELIX_FIELD_WEBHOOK_URL))
    {
      helix_probe_row_show_message (row, _("Enter an endpoint URL first."), TRUE);
      return;
    }

  if (self->engine != NULL)
    status = helix_status_to_string (helix_status_engine_get_status (self->engine));

  helix_probe_row_begin (row);
  helix_http_probe_webhook_async (url,
                                  helix_preferences_form_get_text (&self->form, HELIX_FIELD_WEBHOOK_KEY),
                                  helix_preferences_form_get_text (&self->form, HELIX_FIELD_SIP_USERNAME),
                                  status, self->cancellable, helix_probe_row_finish, g_object_ref (row));
}

static void
on_upload_probe_clicked (HelixPreferencesWindow *self,
                         HelixProbeRow          *row)
{
  const char *url = helix_preferences_form_get_text (&self->form, HELIX_FIELD_RECORDING_URL);

  if (*url == '\0' || !helix_preferences_form_check (&self->form, HELIX_FIELD_RECORDING_URL))
    {
      helix_probe_row_show_message (row, _("Enter an upload URL first."), TRUE);
      return;
    }

  helix_probe_row_begin (row);
  helix_http_probe_upload_async (url, helix_preferences_form_get_text (&self->form, HELIX_FIELD_RECORDING_KEY),
                                 self->cancellable, helix_probe_row_finish, g_object_ref (row));
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
/* GtkFileDialog only arrived in GTK 4.10; the native chooser is what 4.8
 * has, and it also goes through the portal inside Flatpak */
static void
on_folder_chosen (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  HelixPreferencesWindow *self = user_data;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (folder != NULL && (path = g_file_get_path (folder)) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->form.widgets[HELIX_FIELD_RECORDING_FOLDER]), path);

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
on_choose_folder_clicked (HelixPreferencesWindow *self)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Recordings Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_folder_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
G_GNUC_END_IGNORE_DEPRECATIONS

static void
connect_fields (HelixPreferencesWindow *self)
{
  GType types[HELIX_PREFERENCES_N_PAGES];

  for (guint i = 0; i < HELIX_PREFERENCES_N_PAGES; i++)
    types[i] = page_type (i);

  helix_preferences_form_init (&self->form, self->pages, types, G_CALLBACK (on_form_changed), self);

  g_signal_connect_swapped (page_child (self, HELIX_PREFERENCES_PAGE_INTEGRATIONS, "webhook_probe"),
                            "clicked", G_CALLBACK (on_webhook_probe_clicked), self);
  g_signal_connect_swapped (page_child (self, HELIX_PREFERENCES_PAGE_RECORDING, "upload_probe"),
                            "clicked", G_CALLBACK (on_upload_probe_clicked), self);
  g_signal_connect_swapped (page_child (self, HELIX_PREFERENCES_PAGE_RECORDING, "recording_folder_button"),
                            "clicked", G_CALLBACK (on_choose_folder_clicked), self);
}

static void
helix_preferences_window_constructed (GObject *object)
{
  HelixPreferencesWindow *self = HELIX_PREFERENCES_WINDOW (object);
  const char * const *problems;
  g_autofree char *default_dir = NULL;

  G_OBJECT_CLASS (helix_preferences_window_parent_class)->constructed (object);

  g_assert (HELIX_IS_SETTINGS (self->settings));

  connect_fields (self);
  helix_preferences_form_load (&self->form, self->settings);
  update_save_button (self);

  /* An empty folder means the default one: say which that is */
  default_dir = g_build_filename (g_get_user_data_dir (), "HelixPhone", "recordings", NULL);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->form.widgets[HELIX_FIELD_RECORDING_FOLDER]), default_dir);

  problems = helix_settings_get_problems (self->settings);
  if (problems != NULL && problems[0] != NULL)
    show_banner (self, _("Some values in the settings file could not be used and show their defaults. "
                         "Saving replaces the file and keeps a copy of the old one beside it."));

  helix_audio_devices_list_async (HELIX_AUDIO_DEVICE_INPUT, self->cancellable,
                                  on_inputs_listed, g_object_ref (self));
  helix_audio_devices_list_async (HELIX_AUDIO_DEVICE_OUTPUT, self->cancellable,
                                  on_outputs_listed, g_object_ref (self));
}

static void
helix_preferences_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  HelixPreferencesWindow *self = HELIX_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_STATUS_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_preferences_window_dispose (GObject *object)
{
  HelixPreferencesWindow *self = HELIX_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HELIX_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (helix_preferences_window_parent_class)->dispose (object);
}

static void
helix_preferences_window_finalize (GObject *object)
{
  HelixPreferencesWindow *self = HELIX_PREFERENCES_WINDOW (object);

  helix_preferences_form_clear (&self->form);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (helix_preferences_window_parent_class)->finalize (object);
}

static void
helix_preferences_window_class_init (HelixPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = helix_preferences_window_constructed;
  object_class->set_property = helix_preferences_window_set_property;
  object_class->dispose = helix_preferences_window_dispose;
  object_class->finalize = helix_preferences_window_finalize;

  props[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, HELIX_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_STATUS_ENGINE] =
    g_param_spec_object ("status-engine", NULL, NULL, HELIX_TYPE_STATUS_ENGINE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* The page templates must know their classes before ours is parsed */
  g_type_ensure (HELIX_TYPE_PROBE_ROW);
  for (guint i = 0; i < HELIX_PREFERENCES_N_PAGES; i++)
    g_type_ensure (page_type (i));

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HelixPreferencesWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, HelixPreferencesWindow, banner_label);
  gtk_widget_class_bind_template_child_full (widget_class, "account_page", FALSE,
                                             G_STRUCT_OFFSET (HelixPreferencesWindow, pages[HELIX_PREFERENCES_PAGE_ACCOUNT]));
  gtk_widget_class_bind_template_child_full (widget_class, "integrations_page", FALSE,
                                             G_STRUCT_OFFSET (HelixPreferencesWindow, pages[HELIX_PREFERENCES_PAGE_INTEGRATIONS]));
  gtk_widget_class_bind_template_child_full (widget_class, "recording_page", FALSE,
                                             G_STRUCT_OFFSET (HelixPreferencesWindow, pages[HELIX_PREFERENCES_PAGE_RECORDING]));
  gtk_widget_class_bind_template_child_full (widget_class, "general_page", FALSE,
                                             G_STRUCT_OFFSET (HelixPreferencesWindow, pages[HELIX_PREFERENCES_PAGE_GENERAL]));
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
helix_preferences_window_init (HelixPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

HelixPreferencesWindow *
helix_preferences_window_new (GtkWindow         *parent,
                              HelixSettings     *settings,
                              HelixStatusEngine *engine)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (HELIX_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (engine == NULL || HELIX_IS_STATUS_ENGINE (engine), NULL);

  return g_object_new (HELIX_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       "status-engine", engine,
                       NULL);
}

/* helix-preferences-recording-page.c — preferences: call recording and upload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only the layout lives here, in the .ui template: HelixPreferencesWindow
 * finds the fields by their template names and does loading, validation
 * and saving for every page in one place.
 */
#define G_LOG_DOMAIN "helix-preferences"

#include "helix-preferences-recording-page.h"

#include "helix-preferences-form.h"

struct _HelixPreferencesRecordingPage {
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (HelixPreferencesRecordingPage, helix_preferences_recording_page, GTK_TYPE_WIDGET)

static void
helix_preferences_recording_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), HELIX_TYPE_PREFERENCES_RECORDING_PAGE);
  /* The scrolled window at the top is not a named child, so unparent it here */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (helix_preferences_recording_page_parent_class)->dispose (object);
}

static void
helix_preferences_recording_page_class_init (HelixPreferencesRecordingPageClass *klass)
{
  static const char * const extra[] = { "upload_probe", "recording_folder_button", NULL };
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = helix_preferences_recording_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-preferences-recording-page.ui");
  helix_preferences_form_bind_page (widget_class, HELIX_PREFERENCES_PAGE_RECORDING, extra);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
helix_preferences_recording_page_init (HelixPreferencesRecordingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

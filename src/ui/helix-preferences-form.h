/* helix-preferences-form.h — the preferences fields: read, check, load, apply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "helix-settings.h"

G_BEGIN_DECLS

typedef enum {
  HELIX_PREFERENCES_PAGE_ACCOUNT,
  HELIX_PREFERENCES_PAGE_INTEGRATIONS,
  HELIX_PREFERENCES_PAGE_RECORDING,
  HELIX_PREFERENCES_PAGE_GENERAL,
  HELIX_PREFERENCES_N_PAGES
} HelixPreferencesPage;

/* One per settings key the window edits (everything but DoNotDisturb,
 * which the status selector owns, and SpeedDial, which the main window's
 * speed-dial editor owns) */
typedef enum {
  HELIX_FIELD_SIP_SERVER,
  HELIX_FIELD_SIP_PORT,
  HELIX_FIELD_SIP_TRANSPORT,
  HELIX_FIELD_SIP_USERNAME,
  HELIX_FIELD_SIP_PASSWORD,
  HELIX_FIELD_WEBHOOK_URL,
  HELIX_FIELD_WEBHOOK_KEY,
  HELIX_FIELD_WEBHOOK_INTERVAL,
  HELIX_FIELD_CRM_ENABLED,
  HELIX_FIELD_CRM_URL,
  HELIX_FIELD_RECORDING_ENABLED,
  HELIX_FIELD_RECORDING_URL,
  HELIX_FIELD_RECORDING_KEY,
  HELIX_FIELD_RECORDING_FOLDER,
  HELIX_FIELD_RECORDING_KEEP,
  HELIX_FIELD_CLOSE_TO_TRAY,
  HELIX_FIELD_AUTO_REGISTER,
  HELIX_FIELD_AUTO_ANSWER,
  HELIX_FIELD_INPUT_DEVICE,
  HELIX_FIELD_OUTPUT_DEVICE,
  HELIX_FIELD_RING_DEVICE,
  HELIX_N_FIELDS
} HelixField;

typedef struct {
  GtkWidget *widgets[HELIX_N_FIELDS];
  GtkLabel  *errors[HELIX_N_FIELDS];    /* NULL where a value cannot be wrong */
  GStrv      devices[HELIX_N_FIELDS];   /* device fields: the value of each row */
  gboolean   invalid[HELIX_N_FIELDS];
} HelixPreferencesForm;

/* For a page's class_init: makes its fields (and @extra, NULL-terminated)
 * reachable with gtk_widget_get_template_child() */
void        helix_preferences_form_bind_page     (GtkWidgetClass       *widget_class,
                                                  HelixPreferencesPage  page,
                                                  const char * const   *extra);
/* Finds every field in @pages (one widget per HelixPreferencesPage, of
 * @page_types) and calls @on_changed with @user_data first (connected
 * swapped; it gets no useful other arguments) whenever one changes */
void        helix_preferences_form_init          (HelixPreferencesForm  *form,
                                                  GtkWidget * const     *pages,
                                                  const GType           *page_types,
                                                  GCallback              on_changed,
                                                  gpointer               user_data);
void        helix_preferences_form_clear         (HelixPreferencesForm  *form);

void        helix_preferences_form_load          (HelixPreferencesForm  *form,
                                                  HelixSettings         *settings);
/* Shows or hides the field's message; returns whether it is valid */
gboolean    helix_preferences_form_check         (HelixPreferencesForm  *form,
                                                  HelixField             field);
gboolean    helix_preferences_form_is_valid      (HelixPreferencesForm  *form);
const char *helix_preferences_form_get_text      (HelixPreferencesForm  *form,
                                                  HelixField             field);
/* The audio device fields of @input or output kind now offer @names */
void        helix_preferences_form_set_devices   (HelixPreferencesForm  *form,
                                                  gboolean               input,
                                                  const char * const    *names);
/* Sets every field on @settings, notifications held until all are set */
void        helix_preferences_form_apply         (HelixPreferencesForm  *form,
                                                  HelixSettings         *settings);

G_END_DECLS

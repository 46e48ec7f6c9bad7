/* helix-history-row.c — one recent call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Direction as an icon and a word (missed calls also in the error colour,
 * so they stand out in a long list), who, when and how long.  The record's
 * name and number came from the network: plain text, cut to length.
 */
#define G_LOG_DOMAIN "helix-window"

#include "helix-config.h"
#include "helix-history-row.h"

#include <glib/gi18n.h>

#include "helix-ui-text.h"

struct _HelixHistoryRow {
  GtkListBoxRow    parent_instance;

  HelixCallRecord *record;

  GtkImage        *direction_icon;
  GtkLabel        *who_label;
  GtkLabel        *detail_label;
};

G_DEFINE_FINAL_TYPE (HelixHistoryRow, helix_history_row, GTK_TYPE_LIST_BOX_ROW)

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");

  return g_date_time_format (local, "%x %H:%M");
}

static void
fill (HelixHistoryRow *self)
{
  HelixCallRecordDirection direction = helix_call_record_get_direction (self->record);
  g_autofree char *name = helix_ui_clean_text (helix_call_record_get_name (self->record),
                                               HELIX_UI_MAX_NAME_CHARS);
  g_autofree char *number = helix_ui_clean_text (helix_call_record_get_number (self->record),
                                                 HELIX_UI_MAX_NUMBER_CHARS);
  g_autofree char *time = format_time (helix_call_record_get_time (self->record));
  g_autofree char *duration = NULL;
  g_autofree char *detail = NULL;
  const char *icon, *what;

  switch (direction)
    {
    case HELIX_CALL_RECORD_OUTBOUND:
      icon = "call-outgoing-symbolic";
      what = _("Outgoing");
      break;
    case HELIX_CALL_RECORD_MISSED:
      icon = "call-missed-symbolic";
      what = _("Missed");
      gtk_widget_add_css_class (GTK_WIDGET (self->direction_icon), "error");
      break;
    case HELIX_CALL_RECORD_INBOUND:
    default:
      icon = "call-incoming-symbolic";
      what = _("Incoming");
      break;
    }

  gtk_image_set_from_icon_name (self->direction_icon, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->direction_icon), what);
  gtk_label_set_text (self->who_label, *name != '\0' ? name : *number != '\0' ? number : _("Unknown caller"));

  if (helix_call_record_get_duration (self->record) > 0)
    duration = helix_ui_format_duration (helix_call_record_get_duration (self->record));

  /* "Incoming · 1002 · 14:05 · 2:31": the number only when the name is
   * already the row's title, the duration only for answered calls. */
  {
    const char *parts[5] = { what, NULL, NULL, NULL, NULL };
    guint n = 1;

    if (*name != '\0' && *number != '\0')
      parts[n++] = number;
    parts[n++] = time;
    if (duration != NULL)
      parts[n++] = duration;
    detail = g_strjoinv (" · ", (char **) parts);
  }
  gtk_label_set_text (self->detail_label, detail);
}

HelixCallRecord *
helix_history_row_get_record (HelixHistoryRow *self)
{
  g_return_val_if_fail (HELIX_IS_HISTORY_ROW (self), NULL);

  return self->record;
}

static void
helix_history_row_dispose (GObject *object)
{
  HelixHistoryRow *self = HELIX_HISTORY_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HELIX_TYPE_HISTORY_ROW);
  g_clear_object (&self->record);

  G_OBJECT_CLASS (helix_history_row_parent_class)->dispose (object);
}

static void
helix_history_row_class_init (HelixHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = helix_history_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, HelixHistoryRow, direction_icon);
  gtk_widget_class_bind_template_child (widget_class, HelixHistoryRow, who_label);
  gtk_widget_class_bind_template_child (widget_class, HelixHistoryRow, detail_label);
}

static void
helix_history_row_init (HelixHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
helix_history_row_new (HelixCallRecord *record)
{
  HelixHistoryRow *self;

  g_return_val_if_fail (HELIX_IS_CALL_RECORD (record), NULL);

  self = g_object_new (HELIX_TYPE_HISTORY_ROW, NULL);
  self->record = g_object_ref (record);
  fill (self);

  return GTK_WIDGET (self);
}

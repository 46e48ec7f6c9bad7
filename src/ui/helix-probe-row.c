/* helix-probe-row.c — a "test this receiver" button and what it answered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The answer is meant for an administrator setting up a receiver, so it is
 * what they would look for in a server log: the HTTP status line and the
 * time it took, or the network's reason for getting none.
 */
#define G_LOG_DOMAIN "helix-preferences"

#include "helix-config.h"
#include "helix-probe-row.h"

#include <glib/gi18n.h>

#include "helix-http-probe.h"

/* A receiver's reason phrase is shown as it came, but not at any length */
#define MAX_REASON_CHARS 64

struct _HelixProbeRow {
  GtkWidget   parent_instance;

  GtkButton  *button;
  GtkSpinner *spinner;
  GtkLabel   *result_label;

  gboolean    busy;
};

G_DEFINE_FINAL_TYPE (HelixProbeRow, helix_probe_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  CLICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_button_clicked (HelixProbeRow *self)
{
  g_signal_emit (self, signals[CLICKED], 0);
}

static void
set_busy (HelixProbeRow *self,
          gboolean       busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

void
helix_probe_row_show_message (HelixProbeRow *self,
                              const char    *text,
                              gboolean       is_error)
{
  GtkWidget *label;

  g_return_if_fail (HELIX_IS_PROBE_ROW (self));

  label = GTK_WIDGET (self->result_label);
  set_busy (self, FALSE);
  /* Plain text: part of it comes from the receiver */
  gtk_label_set_text (self->result_label, text);
  if (is_error)
    {
      gtk_widget_remove_css_class (label, "success");
      gtk_widget_add_css_class (label, "error");
    }
  else
    {
      gtk_widget_remove_css_class (label, "error");
      gtk_widget_add_css_class (label, "success");
    }
}

void
helix_probe_row_begin (HelixProbeRow *self)
{
  g_return_if_fail (HELIX_IS_PROBE_ROW (self));

  gtk_label_set_text (self->result_label, _("Sending…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "success");
  set_busy (self, TRUE);
}

static char *
describe_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup_printf (_("No answer within %d seconds"), HELIX_HTTP_PROBE_TIMEOUT_SECONDS);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_strdup (_("Connection refused"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return g_strdup (_("The server cannot be reached from this network"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    return g_strdup (_("Enter an http:// or https:// URL first"));
  if (error->domain == G_RESOLVER_ERROR)
    return g_strdup (_("Server name not found"));
  if (error->domain == G_TLS_ERROR)
    return g_strdup_printf (_("Secure connection failed: %s"), error->message);

  return g_strdup_printf (_("Failed: %s"), error->message);
}

static char *
describe_result (const HelixHttpProbeResult *result)
{
  g_autofree char *valid = g_utf8_make_valid (result->reason, -1);
  g_autofree char *reason = g_utf8_substring (valid, 0, MIN (g_utf8_strlen (valid, -1), MAX_REASON_CHARS));

  if (result->status == 401 || result->status == 403)
    /* TRANSLATORS: e.g. "401 Unauthorized in 35 ms — check the API key";
       the status text comes from the server, untranslated */
    return g_strdup_printf (_("%u %s in %u ms — check the API key"),
                            result->status, reason, result->elapsed_ms);

  /* TRANSLATORS: e.g. "200 OK in 35 ms"; the status text comes from the server */
  return g_strdup_printf (_("%u %s in %u ms"), result->status, reason, result->elapsed_ms);
}

void
helix_probe_row_finish (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(HelixProbeRow) self = user_data;
  g_autoptr(HelixHttpProbeResult) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  answer = helix_http_probe_finish (result, &error);

  /* Cancelled because the window went away: nobody is looking */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_busy (self, FALSE);
      return;
    }

  if (error != NULL)
    {
      text = describe_error (error);
      helix_probe_row_show_message (self, text, TRUE);
      return;
    }

  text = describe_result (answer);
  helix_probe_row_show_message (self, text, answer->status < 200 || answer->status >= 300);
}

const char *
helix_probe_row_get_result (HelixProbeRow *self)
{
  g_return_val_if_fail (HELIX_IS_PROBE_ROW (self), NULL);

  return gtk_label_get_text (self->result_label);
}

gboolean
helix_probe_row_get_busy (HelixProbeRow *self)
{
  g_return_val_if_fail (HELIX_IS_PROBE_ROW (self), FALSE);

  return self->busy;
}

static void
helix_probe_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HelixProbeRow *self = HELIX_PROBE_ROW (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, gtk_button_get_label (self->button));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_probe_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HelixProbeRow *self = HELIX_PROBE_ROW (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      gtk_button_set_label (self->button, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
helix_probe_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HELIX_TYPE_PROBE_ROW);

  G_OBJECT_CLASS (helix_probe_row_parent_class)->dispose (object);
}

static void
helix_probe_row_class_init (HelixProbeRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = helix_probe_row_get_property;
  object_class->set_property = helix_probe_row_set_property;
  object_class->dispose = helix_probe_row_dispose;

  props[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[CLICKED] = g_signal_new ("clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-probe-row.ui");
  gtk_widget_class_bind_template_child (widget_class, HelixProbeRow, button);
  gtk_widget_class_bind_template_child (widget_class, HelixProbeRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, HelixProbeRow, result_label);
  gtk_widget_class_bind_template_callback (widget_class, on_button_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
helix_probe_row_init (HelixProbeRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 12);
}

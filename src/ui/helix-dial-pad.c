/* helix-dial-pad.c — the twelve-key telephone keypad
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pad only says which key was pressed ("key-pressed"); the dialer
 * turns keys into a number and the call view into DTMF tones.  Keys are
 * buttons with a "pad.press" action so they are reachable and operable
 * from the keyboard like any other button.
 */
#define G_LOG_DOMAIN "helix-window"

#include "helix-config.h"
#include "helix-dial-pad.h"

struct _HelixDialPad {
  GtkWidget  parent_instance;

  GtkWidget *grid;
};

G_DEFINE_FINAL_TYPE (HelixDialPad, helix_dial_pad, GTK_TYPE_WIDGET)

enum {
  KEY_PRESSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const key_ids[] = {
  "key_1", "key_2", "key_3", "key_4", "key_5", "key_6",
  "key_7", "key_8", "key_9", "key_star", "key_0", "key_hash",
};

static void
on_press (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  g_signal_emit (widget, signals[KEY_PRESSED], 0, g_variant_get_string (parameter, NULL));
}

static void
helix_dial_pad_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HELIX_TYPE_DIAL_PAD);

  G_OBJECT_CLASS (helix_dial_pad_parent_class)->dispose (object);
}

static void
helix_dial_pad_class_init (HelixDialPadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = helix_dial_pad_dispose;

  /**
   * HelixDialPad::key-pressed:
   * @key: "0"–"9", "*" or "#"
   */
  signals[KEY_PRESSED] =
    g_signal_new ("key-pressed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "pad.press", "s", on_press);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/helixphone/HelixPhone/ui/helix-dial-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, HelixDialPad, grid);
  /* Registered (not stored) so that tests and accessibility tools can
   * address each key by its id. */
  for (guint i = 0; i < G_N_ELEMENTS (key_ids); i++)
    gtk_widget_class_bind_template_child_full (widget_class, key_ids[i], FALSE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "helix-dial-pad");
}

static void
helix_dial_pad_init (HelixDialPad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
helix_dial_pad_new (void)
{
  return g_object_new (HELIX_TYPE_DIAL_PAD, NULL);
}

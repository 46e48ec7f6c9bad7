/* test-window.c — the real main window under Xvfb, driven through its widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside `xvfb-run -a dbus-run-session`.  The test process is the
 * application: it creates HelixApplication (window, HelixPhone, SIP agent,
 * webhook) with a temp settings.json, finds widgets by their template ids
 * and clicks, types and reads them as a user would.  Real peers: SIPp
 * plays the far end, a SoupServer receives the webhooks, and a small
 * org.freedesktop.Notifications server on the private bus records the
 * notifications and can press their buttons.
 */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "helix-application.h"
#include "helix-test-notifications.h"
#include "helix-test-peers.h"
#include "helix-test-receiver.h"
#include "ui/helix-call-view.h"
#include "ui/helix-dial-pad.h"
#include "ui/helix-dialer-page.h"
#include "ui/helix-history-page.h"
#include "ui/helix-history-row.h"
#include "ui/helix-speed-dial-editor.h"
#include "ui/helix-speed-dial-page.h"
#include "ui/helix-speed-dial-row.h"
#include "ui/helix-window.h"

static HelixApplication       *app;
static HelixTestReceiver      *receiver;
static HelixTestNotifications *notifications;
static char                   *config_path;
static guint16                 phone_port;
static int                     exit_status = 1;

/* ---- finding and operating widgets ------------------------------------ */

static GtkWidget *
main_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (HELIX_IS_WINDOW (window));
  return GTK_WIDGET (window);
}

static GtkWidget *
child (GtkWidget *parent, GType type, const char *id)
{
  GObject *object = gtk_widget_get_template_child (parent, type, id);

  if (object == NULL)
    g_error ("No template child “%s” in %s", id, g_type_name (type));
  return GTK_WIDGET (object);
}

static GtkWidget *
window_child (const char *id)
{
  return child (main_window (), HELIX_TYPE_WINDOW, id);
}

static GtkWidget *
call_view_child (const char *id)
{
  return child (window_child ("call_view"), HELIX_TYPE_CALL_VIEW, id);
}

static void
settle (void)
{
  helix_test_spin (100);
}

/* What a user can do: press a button that is on screen and enabled. */
static void
click (GtkWidget *widget)
{
  settle ();
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_is_sensitive (widget));
  /* "clicked" is what a pointer click emits; GtkButton's keyboard
   * activation emits it too, only after a 250 ms press animation. */
  if (GTK_IS_BUTTON (widget))
    g_signal_emit_by_name (widget, "clicked");
  else
    g_assert_true (gtk_widget_activate (widget));
  settle ();
}

static const char *
label_text (GtkWidget *label)
{
  return gtk_label_get_text (GTK_LABEL (label));
}

typedef struct {
  GtkWidget  *widget;
  const char *text;
} LabelWait;

static gboolean
label_is (gpointer data)
{
  LabelWait *wait = data;

  return g_strcmp0 (label_text (wait->widget), wait->text) == 0;
}

static void
wait_label (GtkWidget *label, const char *text, guint timeout_ms)
{
  LabelWait wait = { label, text };

  if (!helix_test_wait_until (label_is, &wait, timeout_ms))
    g_error ("Label shows “%s”, expected “%s”", label_text (label), text);
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static void
wait_mapped (GtkWidget *widget, guint timeout_ms)
{
  g_assert_true (helix_test_wait_until (is_mapped, widget, timeout_ms));
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static const char *
visible_page (void)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (window_child ("main_stack")));
}

static gboolean
is_idle (gpointer data)
{
  return g_strcmp0 (visible_page (), "idle") == 0;
}

/* A widget with a "text" property equal to @text, below @root. */
static GtkWidget *
find_text (GtkWidget *root, const char *text)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (root), "text") != NULL)
    {
      g_autofree char *value = NULL;

      g_object_get (root, "text", &value, NULL);
      if (g_strcmp0 (value, text) == 0)
        return root;
    }

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_text (c, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Opens a menu button's popover and clicks the item labelled @item. */
static void
choose_menu_item (GtkWidget *menu_button, const char *item)
{
  GtkPopover *popover;
  GtkWidget *entry;

  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  settle ();
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  entry = find_text (GTK_WIDGET (popover), item);
  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_get_mapped (entry));
  g_signal_emit_by_name (entry, "clicked");
  settle ();
  gtk_popover_popdown (popover);
  settle ();
}

/* ---- screenshots -------------------------------------------------------- */

static char *
screenshot (const char *name)
{
  GtkWidget *window = main_window ();
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "window-output", NULL);
  g_autofree char *path = NULL;
  g_autofree guchar *pixels = NULL;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  double sum = 0, sum_sq = 0, variance;
  GHashTable *colors = g_hash_table_new (NULL, NULL);
  guint n_colors;

  settle ();
  g_assert_cmpint (width, >=, 360);
  g_assert_cmpint (height, >=, 400);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  /* Not blank: the pixels vary and there are many distinct colours. */
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  for (int i = 0; i < width * height; i++)
    {
      guchar *p = pixels + i * 4;
      double luma = 0.299 * p[2] + 0.587 * p[1] + 0.114 * p[0];

      sum += luma;
      sum_sq += luma * luma;
      g_hash_table_add (colors, GUINT_TO_POINTER (p[0] | p[1] << 8 | p[2] << 16));
    }
  variance = sum_sq / (width * height) - (sum / (width * height)) * (sum / (width * height));
  n_colors = g_hash_table_size (colors);
  g_hash_table_unref (colors);
  g_test_message ("%s: %dx%d, luminance variance %.1f, %u colours", path, width, height, variance, n_colors);
  g_assert_cmpfloat (variance, >, 100.0);
  g_assert_cmpuint (n_colors, >, 32);

  return g_steal_pointer (&path);
}

/* ---- cases -------------------------------------------------------------- */

static void
test_idle (void)
{
  g_autofree char *path = NULL;
  g_autofree char *direct = g_strdup_printf (":%u", phone_port);

  g_assert_true (helix_test_receiver_wait_statuses (receiver, "available", 10000));
  g_assert_cmpstr (visible_page (), ==, "idle");
  g_assert_true (g_str_has_prefix (label_text (window_child ("registration_label")), "Direct mode · sip:1001@"));
  g_assert_true (g_str_has_suffix (label_text (window_child ("registration_label")), direct));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (window_child ("status_button"))), ==, "Available");

  path = screenshot ("main-window-idle.png");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_status (void)
{
  GtkWidget *status_button = window_child ("status_button");
  GtkWidget *dnd_button = window_child ("dnd_button");

  g_assert_true (helix_test_receiver_wait_statuses (receiver, "available", 10000));

  choose_menu_item (status_button, "Busy");
  g_assert_true (helix_test_receiver_wait_statuses (receiver, "available busy", 5000));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (status_button)), ==, "Busy");

  /* The toggle follows app.dnd; changing the action elsewhere moves it too. */
  click (dnd_button);
  g_assert_true (helix_test_receiver_wait_statuses (receiver, "available busy do_not_disturb", 5000));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (dnd_button)));
  g_action_group_change_action_state (G_ACTION_GROUP (app), "dnd", g_variant_new_boolean (FALSE));
  g_assert_true (helix_test_receiver_wait_statuses (receiver, "available busy do_not_disturb busy", 5000));
  settle ();
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (dnd_button)));

  /* A change from D-Bus/tray shows in the window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "set-status", g_variant_new_string ("lunch"));
  g_assert_true (helix_test_receiver_wait_statuses (receiver, "available busy do_not_disturb busy lunch", 5000));
  settle ();
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (status_button)), ==, "Lunch");

  choose_menu_item (status_button, "Available");
  g_assert_true (helix_test_receiver_wait_statuses (receiver,
                                                    "available busy do_not_disturb busy lunch available", 5000));
}

static GtkWidget *
open_editor (GtkWidget *button)
{
  GList *before = gtk_window_list_toplevels ();
  GList *after;
  GtkWidget *editor = NULL;

  click (button);
  after = gtk_window_list_toplevels ();
  for (GList *l = after; l != NULL; l = l->next)
    if (HELIX_IS_SPEED_DIAL_EDITOR (l->data) && g_list_find (before, l->data) == NULL)
      editor = l->data;
  g_list_free (before);
  g_list_free (after);
  g_assert_nonnull (editor);
  wait_mapped (editor, 5000);
  return editor;
}

/* Types into the dialog and presses Save; a valid entry closes it (it is
 * destroyed), an invalid one keeps it open with the reason shown. */
static void
fill_editor (GtkWidget *editor, const char *name, const char *number, gboolean closes)
{
  gpointer pointer = editor;

  gtk_editable_set_text (GTK_EDITABLE (child (editor, HELIX_TYPE_SPEED_DIAL_EDITOR, "name_entry")), name);
  gtk_editable_set_text (GTK_EDITABLE (child (editor, HELIX_TYPE_SPEED_DIAL_EDITOR, "number_entry")), number);
  g_object_add_weak_pointer (G_OBJECT (editor), &pointer);
  click (child (editor, HELIX_TYPE_SPEED_DIAL_EDITOR, "save_button"));

  if (closes)
    {
      g_assert_true (helix_test_wait_until (is_null, &pointer, 5000));
      return;
    }

  g_assert_nonnull (pointer);
  g_object_remove_weak_pointer (G_OBJECT (editor), &pointer);
  g_assert_true (gtk_widget_get_mapped (editor));
  g_assert_true (gtk_widget_get_visible (child (editor, HELIX_TYPE_SPEED_DIAL_EDITOR, "error_label")));
}

static char *
saved_speed_dial (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *entries;
  GString *out = g_string_new (NULL);

  if (!json_parser_load_from_file (parser, config_path, NULL))
    return g_string_free (out, FALSE);
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "SpeedDial"))
    return g_string_free (out, FALSE);
  entries = json_object_get_array_member (root, "SpeedDial");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      g_string_append_printf (out, "%s%s=%s", i > 0 ? " " : "",
                              json_object_get_string_member (entry, "Name"),
                              json_object_get_string_member (entry, "Number"));
    }
  return g_string_free (out, FALSE);
}

static gboolean
speed_dial_saved_is (gpointer expected)
{
  g_autofree char *saved = saved_speed_dial ();

  return g_strcmp0 (saved, expected) == 0;
}

static void
wait_speed_dial_saved (const char *expected)
{
  if (!helix_test_wait_until (speed_dial_saved_is, (gpointer) expected, 5000))
    {
      g_autofree char *saved = saved_speed_dial ();
      g_error ("settings.json has SpeedDial “%s”, expected “%s”", saved, expected);
    }
}

static GtkWidget *
speed_dial_row (guint index)
{
  GtkWidget *page = window_child ("speed_dial_page");
  GtkListBox *list = GTK_LIST_BOX (child (page, HELIX_TYPE_SPEED_DIAL_PAGE, "list_box"));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, (int) index);

  g_assert_nonnull (row);
  return GTK_WIDGET (row);
}

static void
test_speed_dial (void)
{
  GtkWidget *page = window_child ("speed_dial_page");
  GtkWidget *add = child (page, HELIX_TYPE_SPEED_DIAL_PAGE, "add_button");
  GtkWidget *editor;
  GtkWidget *row;

  gtk_widget_activate_action (main_window (), "main.page", "s", "speed-dial");
  settle ();

  editor = open_editor (add);
  fill_editor (editor, "Support", "+1 (416) 998-7587", TRUE);
  wait_speed_dial_saved ("Support=+1 (416) 998-7587");

  /* A name that is taken is refused inline; the dialog stays. */
  editor = open_editor (add);
  fill_editor (editor, "Support", "1002", FALSE);
  fill_editor (editor, "Sales", "sip:sales@127.0.0.1", TRUE);
  wait_speed_dial_saved ("Support=+1 (416) 998-7587 Sales=sip:sales@127.0.0.1");

  row = speed_dial_row (1);
  g_assert_cmpstr (label_text (child (row, HELIX_TYPE_SPEED_DIAL_ROW, "name_label")), ==, "Sales");
  gtk_widget_activate_action (row, "row.move-up", NULL);
  wait_speed_dial_saved ("Sales=sip:sales@127.0.0.1 Support=+1 (416) 998-7587");

  row = speed_dial_row (1);
  editor = open_editor (child (row, HELIX_TYPE_SPEED_DIAL_ROW, "edit_button"));
  fill_editor (editor, "Support desk", "1001", TRUE);
  wait_speed_dial_saved ("Sales=sip:sales@127.0.0.1 Support desk=1001");
  settle ();
  g_assert_cmpstr (label_text (child (speed_dial_row (1), HELIX_TYPE_SPEED_DIAL_ROW, "name_label")),
                   ==, "Support desk");

  gtk_widget_activate_action (speed_dial_row (0), "row.remove", NULL);
  wait_speed_dial_saved ("Support desk=1001");

  gtk_widget_activate_action (main_window (), "main.page", "s", "dialer");
  settle ();
}

static void
assert_sipp_ok (HelixTestSipp *sipp)
{
  helix_test_sipp_assert_success (sipp, 20000, NULL);
}

static void
test_dial_from_pad (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HelixTestSipp) sipp = helix_test_sipp_start ("uas-answer", NULL, 0, NULL, &error);
  GtkWidget *dialer = window_child ("dialer_page");
  GtkWidget *entry = child (dialer, HELIX_TYPE_DIALER_PAGE, "number_entry");
  GtkWidget *pad = child (dialer, HELIX_TYPE_DIALER_PAGE, "dial_pad");
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  guint first = helix_test_receiver_count (receiver);
  g_autofree char *statuses = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (visible_page (), ==, "idle");

  /* The user part comes from the pad, typed at the cursor. */
  text = g_strdup_printf ("sip:@127.0.0.1:%u", helix_test_sipp_port (sipp));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_editable_set_position (GTK_EDITABLE (entry), strlen ("sip:"));
  click (child (pad, HELIX_TYPE_DIAL_PAD, "key_1"));
  click (child (pad, HELIX_TYPE_DIAL_PAD, "key_0"));
  click (child (pad, HELIX_TYPE_DIAL_PAD, "key_0"));
  click (child (pad, HELIX_TYPE_DIAL_PAD, "key_2"));
  g_free (text);
  text = g_strdup_printf ("sip:1002@127.0.0.1:%u", helix_test_sipp_port (sipp));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, text);

  click (child (dialer, HELIX_TYPE_DIALER_PAGE, "call_button"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* SIPp answers after 0.5 s: the view shows who, and the clock runs. */
  g_assert_true (helix_test_receiver_wait_for (receiver, first + 2, 10000));
  statuses = helix_test_receiver_statuses (receiver);
  g_assert_true (g_str_has_suffix (statuses, "ringing on_call"));
  g_assert_cmpstr (visible_page (), ==, "call");
  g_assert_cmpstr (label_text (call_view_child ("name_label")), ==, "1002");
  g_assert_cmpstr (label_text (call_view_child ("state_label")), ==, "Outgoing call");
  wait_label (call_view_child ("duration_label"), "0:02", 5000);
  g_assert_true (gtk_widget_get_mapped (call_view_child ("hold_button")));
  g_assert_false (gtk_widget_get_mapped (call_view_child ("answer_button")));

  path = screenshot ("main-window-call.png");

  /* Mute is the app.mute action: the button and the action agree. */
  {
    GtkWidget *mute = call_view_child ("mute_button");
    g_autoptr(GVariant) muted = NULL;

    click (mute);
    muted = g_action_group_get_action_state (G_ACTION_GROUP (app), "mute");
    g_assert_true (g_variant_get_boolean (muted));
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (mute)));
    click (mute);
    g_clear_pointer (&muted, g_variant_unref);
    muted = g_action_group_get_action_state (G_ACTION_GROUP (app), "mute");
    g_assert_false (g_variant_get_boolean (muted));
  }

  click (call_view_child ("hangup_button"));
  assert_sipp_ok (sipp);
  g_assert_true (helix_test_receiver_wait_for (receiver, first + 3, 5000));
  g_assert_true (helix_test_wait_until (is_idle, NULL, 5000));
}

static void
test_incoming_answered (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", phone_port);
  g_autoptr(HelixTestSipp) sipp = helix_test_sipp_start ("uac-answered", target, 0, NULL, &error);
  GtkWidget *answer;
  const HelixTestNotification *ringing;
  guint first = helix_test_receiver_count (receiver);
  g_autofree char *statuses = NULL;

  g_assert_no_error (error);

  answer = call_view_child ("answer_button");
  wait_mapped (answer, 10000);
  g_assert_true (gtk_widget_get_mapped (call_view_child ("decline_button")));
  g_assert_false (gtk_widget_get_mapped (call_view_child ("hangup_button")));
  g_assert_cmpstr (label_text (call_view_child ("name_label")), ==, "SIPp Caller");
  g_assert_cmpstr (label_text (call_view_child ("number_label")), ==, "sipp");
  g_assert_cmpstr (label_text (call_view_child ("state_label")), ==, "Incoming call");

  /* The notification offers the same two choices. */
  ringing = helix_test_notifications_wait (notifications, "Incoming call from SIPp Caller", 5000);
  g_assert_nonnull (ringing);
  g_assert_cmpstr (ringing->body, ==, "sipp");
  g_assert_nonnull (helix_test_notification_action (ringing, "Answer"));
  g_assert_nonnull (helix_test_notification_action (ringing, "Decline"));

  click (answer);
  g_assert_true (helix_test_receiver_wait_for (receiver, first + 2, 10000));
  statuses = helix_test_receiver_statuses (receiver);
  g_assert_true (g_str_has_suffix (statuses, "ringing on_call"));
  wait_mapped (call_view_child ("hangup_button"), 5000);
  g_assert_false (gtk_widget_get_mapped (answer));
  g_assert_true (helix_test_notifications_wait_closed (notifications, ringing->id, 5000));

  /* SIPp talks 2 s and hangs up; the window goes back to the dialer. */
  assert_sipp_ok (sipp);
  g_assert_true (helix_test_wait_until (is_idle, NULL, 8000));
}

/* Answer pressed in the notification answers the call. */
static void
test_answer_from_notification (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", phone_port);
  g_autoptr(HelixTestSipp) sipp = NULL;
  const HelixTestNotification *ringing;

  g_assert_true (helix_test_wait_until (is_idle, NULL, 8000));
  helix_test_notifications_reset (notifications);
  sipp = helix_test_sipp_start ("uac-answered", target, 0, NULL, &error);
  g_assert_no_error (error);

  ringing = helix_test_notifications_wait (notifications, "Incoming call from SIPp Caller", 10000);
  g_assert_nonnull (ringing);
  g_assert_true (gtk_widget_get_mapped (call_view_child ("answer_button")));
  helix_test_notifications_invoke (notifications, ringing, "Answer");
  wait_mapped (call_view_child ("hangup_button"), 5000);
  g_assert_false (gtk_widget_get_mapped (call_view_child ("answer_button")));
  assert_sipp_ok (sipp);
  g_assert_true (helix_test_wait_until (is_idle, NULL, 8000));
}

static void
test_missed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", phone_port);
  g_autoptr(HelixTestSipp) sipp = NULL;
  const HelixTestNotification *missed;

  g_assert_true (helix_test_wait_until (is_idle, NULL, 8000));
  helix_test_notifications_reset (notifications);
  sipp = helix_test_sipp_start ("uac-cancel", target, 0, NULL, &error);
  g_assert_no_error (error);

  wait_mapped (call_view_child ("answer_button"), 10000);
  assert_sipp_ok (sipp);
  missed = helix_test_notifications_wait (notifications, "Missed call from SIPp Caller", 5000);
  g_assert_nonnull (missed);
  g_assert_true (g_str_has_prefix (missed->body, "sipp at "));
  g_assert_true (helix_test_wait_until (is_idle, NULL, 8000));
}

/* The calls of the cases above, newest first, then Clear History. */
static void
test_history (void)
{
  GtkWidget *page = window_child ("history_page");
  GtkListBox *list = GTK_LIST_BOX (child (page, HELIX_TYPE_HISTORY_PAGE, "list_box"));
  GtkWidget *stack = child (page, HELIX_TYPE_HISTORY_PAGE, "stack");
  const char *expected[][2] = {
    { "SIPp Caller", "Missed · sipp · " },
    { "SIPp Caller", "Incoming · sipp · " },
    { "SIPp Caller", "Incoming · sipp · " },
    { "1002", "Outgoing · " },
  };

  gtk_widget_activate_action (main_window (), "main.page", "s", "history");
  settle ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "list");

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, (int) i);

      g_assert_nonnull (row);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));
      g_assert_cmpstr (label_text (child (GTK_WIDGET (row), HELIX_TYPE_HISTORY_ROW, "who_label")), ==,
                       expected[i][0]);
      g_assert_true (g_str_has_prefix (label_text (child (GTK_WIDGET (row), HELIX_TYPE_HISTORY_ROW, "detail_label")),
                                       expected[i][1]));
    }
  g_assert_null (gtk_list_box_get_row_at_index (list, G_N_ELEMENTS (expected)));
  /* Answered calls show their length: SIPp hangs up 2 s after its ACK,
   * which counts as 1 or 2 whole seconds from our 200 OK. */
  g_assert_true (g_regex_match_simple (" · 0:0[12]$",
                                       label_text (child (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 2)),
                                                          HELIX_TYPE_HISTORY_ROW, "detail_label")),
                                       0, 0));

  click (child (page, HELIX_TYPE_HISTORY_PAGE, "clear_button"));
  g_assert_null (gtk_list_box_get_row_at_index (list, 0));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_false (gtk_widget_is_sensitive (child (page, HELIX_TYPE_HISTORY_PAGE, "clear_button")));

  gtk_widget_activate_action (main_window (), "main.page", "s", "dialer");
  settle ();
}

/* ---- the application around the cases ----------------------------------- */

static gboolean
run_tests (gpointer data)
{
  exit_status = g_test_run ();
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *application)
{
  static gboolean started;

  if (!started)
    g_idle_add (run_tests, NULL);
  started = TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *url = NULL;
  g_autofree char *settings = NULL;
  g_autoptr(GError) error = NULL;
  char *args[4];

  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (&argc, &argv, NULL);

  receiver = helix_test_receiver_new ();
  notifications = helix_test_notifications_start (&error);
  g_assert_no_error (error);

  dir = g_dir_make_tmp ("helix-window-XXXXXX", &error);
  g_assert_no_error (error);
  /* The call history lives in the user data dir: keep it in ours. */
  data_dir = g_build_filename (dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  config_path = g_build_filename (dir, "settings.json", NULL);
  phone_port = helix_test_free_udp_port ();
  url = helix_test_receiver_url (receiver, "/status");
  settings = g_strdup_printf ("{ \"Sip\": { \"Username\": \"1001\", \"Port\": %u },"
                              "  \"Webhook\": { \"EndpointUrl\": \"%s\" } }", phone_port, url);
  g_assert_true (g_file_set_contents (config_path, settings, -1, &error));

  g_test_add_func ("/window/idle", test_idle);
  g_test_add_func ("/window/status", test_status);
  g_test_add_func ("/window/speed-dial", test_speed_dial);
  g_test_add_func ("/window/dial-from-pad", test_dial_from_pad);
  g_test_add_func ("/window/incoming-answered", test_incoming_answered);
  g_test_add_func ("/window/answer-from-notification", test_answer_from_notification);
  g_test_add_func ("/window/missed", test_missed);
  g_test_add_func ("/window/history", test_history);

  app = helix_application_new ();
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  args[0] = argv[0];
  args[1] = (char *) "--config";
  args[2] = config_path;
  args[3] = NULL;
  g_application_run (G_APPLICATION (app), 3, args);

  g_clear_object (&app);
  helix_test_notifications_free (notifications);
  helix_test_receiver_free (receiver);
  if (exit_status == 0)
    {
      g_autofree char *history = g_build_filename (data_dir, "HelixPhone", "call-history.json", NULL);
      g_autofree char *history_dir = g_path_get_dirname (history);

      g_unlink (history);
      g_rmdir (history_dir);
      g_rmdir (data_dir);
      g_unlink (config_path);
      g_rmdir (dir);
    }
  g_free (config_path);

  return exit_status;
}

/* helix-tray-win32.c — the tray on Windows: a notification-area icon in the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Windows has no StatusNotifierItem host and no ayatana, so there is no
 * helper process: this object lives in the app and talks to the shell with
 * Shell_NotifyIconW.  It shows the same status icons as helixphone-tray and
 * pops up the same menu: it walks the tray GMenuModel (statuses, Do Not
 * Disturb, Show HelixPhone, Quit) each time the icon is right-clicked and
 * activates the chosen item's action on the application, exactly as a
 * dbusmenu click does on Linux.  Radio marks come from `set-status`'s string
 * state, the check mark from `dnd`'s boolean state.
 *
 * A hidden top-level window receives the icon's callback messages and the
 * shell's "TaskbarCreated" broadcast (Explorer restarted: add the icon
 * again).  GDK dispatches every message of the thread, and a
 * g_io_channel_win32_new_messages() watch dispatches ours when GDK is not
 * running, so it works on the GLib main loop with or without a window.
 *
 * Compiled only when host_machine.system() == 'windows' (src/meson.build).
 */
#define G_LOG_DOMAIN "helix-tray-win32"

#include "helix-config.h"
#include "helix-tray-win32.h"

#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <shellapi.h>

#include "tray/helix-tray-icons.h"

#define TRAY_ICON_ID      1
#define WM_HELIX_TRAY     (WM_APP + 1)
#define WINDOW_CLASS_NAME L"HelixPhoneTrayWindow"

typedef struct {
  char     *action;   /* name in the application's action group */
  GVariant *target;   /* nullable */
} MenuCommand;

struct _HelixTrayWin32 {
  GObject       parent_instance;

  GApplication *application;   /* weak: the application owns us */
  GMenuModel   *menu;
  HWND          hwnd;
  UINT          taskbar_created;
  GIOChannel   *messages;
  guint         messages_watch;
  gboolean      icon_added;
  char         *icon_dir;
  GHashTable   *icons;           /* icon name -> HICON we own */
  HICON         current_icon;    /* borrowed from icons, or the stock icon */
  GArray       *commands;        /* MenuCommand, index = command id - 1 */
};

G_DEFINE_FINAL_TYPE (HelixTrayWin32, helix_tray_win32, G_TYPE_OBJECT)

static GActionGroup *
get_actions (HelixTrayWin32 *self)
{
  return G_ACTION_GROUP (self->application);
}

/* share/icons/hicolor/scalable/status beside bin/: the bundle's layout and
 * an installed prefix's. */
static char *
find_icon_dir (void)
{
  g_autofree char *prefix = g_win32_get_package_installation_directory_of_module (NULL);
  g_autofree char *dir = NULL;

  if (prefix != NULL)
    {
      dir = g_build_filename (prefix, "share", "icons", "hicolor", "scalable", "status", NULL);
      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&dir);
    }

  g_warning ("The tray icons are not installed in %s; showing the generic icon",
             dir != NULL ? dir : "share\\icons");
  return NULL;
}

/* 32-bit colour with straight alpha is what a Windows icon holds; the
 * monochrome mask is then ignored but must exist. */
static HICON
hicon_from_pixbuf (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  const guchar *pixels = gdk_pixbuf_read_pixels (pixbuf);
  BITMAPV5HEADER header = { 0 };
  g_autofree guchar *mask_bits = NULL;
  ICONINFO info = { 0 };
  HBITMAP color, mask;
  guchar *bits = NULL;
  HICON icon;
  HDC dc;

  if (gdk_pixbuf_get_colorspace (pixbuf) != GDK_COLORSPACE_RGB ||
      gdk_pixbuf_get_bits_per_sample (pixbuf) != 8 || channels < 3)
    return NULL;

  header.bV5Size = sizeof header;
  header.bV5Width = width;
  header.bV5Height = -height;   /* top-down rows, as in the pixbuf */
  header.bV5Planes = 1;
  header.bV5BitCount = 32;
  header.bV5Compression = BI_BITFIELDS;
  header.bV5RedMask = 0x00FF0000;
  header.bV5GreenMask = 0x0000FF00;
  header.bV5BlueMask = 0x000000FF;
  header.bV5AlphaMask = 0xFF000000;

  dc = GetDC (NULL);
  color = CreateDIBSection (dc, (BITMAPINFO *) &header, DIB_RGB_COLORS, (void **) &bits, NULL, 0);
  ReleaseDC (NULL, dc);
  if (color == NULL || bits == NULL)
    {
      if (color != NULL)
        DeleteObject (color);
      return NULL;
    }

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *src = pixels + (gsize) y * rowstride + (gsize) x * channels;
        guchar *dst = bits + ((gsize) y * width + x) * 4;

        dst[0] = src[2];
        dst[1] = src[1];
        dst[2] = src[0];
        dst[3] = has_alpha ? src[3] : 0xFF;
      }

  /* Rows of a monochrome bitmap are WORD-aligned. */
  mask_bits = g_malloc0 ((gsize) ((width + 15) / 16) * 2 * height);
  mask = CreateBitmap (width, height, 1, 1, mask_bits);
  if (mask == NULL)
    {
      DeleteObject (color);
      return NULL;
    }

  info.fIcon = TRUE;
  info.hbmMask = mask;
  info.hbmColor = color;
  icon = CreateIconIndirect (&info);

  DeleteObject (mask);
  DeleteObject (color);

  return icon;
}

/* Our icon by name, loaded once at the notification area's size; the
 * generic application icon when ours cannot be loaded. */
static HICON
lookup_icon (HelixTrayWin32 *self,
             const char     *name)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  int size = GetSystemMetrics (SM_CXSMICON);
  HICON icon;

  icon = g_hash_table_lookup (self->icons, name);
  if (icon != NULL)
    return icon;

  if (self->icon_dir != NULL)
    {
      file = g_strconcat (self->icon_dir, G_DIR_SEPARATOR_S, name, ".svg", NULL);
      pixbuf = gdk_pixbuf_new_from_file_at_size (file, size > 0 ? size : 16, size > 0 ? size : 16,
                                                 &error);
      if (pixbuf == NULL)
        g_warning ("Cannot load the tray icon %s: %s", file, error->message);
      else
        icon = hicon_from_pixbuf (pixbuf);
    }

  if (icon == NULL)
    return LoadIconW (NULL, (LPCWSTR) IDI_APPLICATION);   /* shared: never destroyed */

  g_hash_table_insert (self->icons, g_strdup (name), icon);
  return icon;
}

static void
fill_tip (WCHAR       *tip,
          gsize        tip_len,
          const char  *text)
{
  g_autofree gunichar2 *wide = g_utf8_to_utf16 (text, -1, NULL, NULL, NULL);
  gsize len = 0;

  tip[0] = L'\0';
  if (wide == NULL)
    return;

  while (wide[len] != 0 && len + 1 < tip_len)
    len++;
  memcpy (tip, wide, len * sizeof (WCHAR));
  tip[len] = L'\0';
}

static void
init_notify_data (HelixTrayWin32   *self,
                  NOTIFYICONDATAW  *data)
{
  memset (data, 0, sizeof *data);
  data->cbSize = sizeof *data;
  data->hWnd = self->hwnd;
  data->uID = TRAY_ICON_ID;
}

static void
update_icon (HelixTrayWin32 *self)
{
  g_autofree char *presence = helix_tray_current_presence (get_actions (self));
  HelixTrayIcon icon = helix_tray_icon_for_presence (presence);
  NOTIFYICONDATAW data;

  self->current_icon = lookup_icon (self, icon.icon);

  init_notify_data (self, &data);
  data.uFlags = NIF_MESSAGE | NIF_ICON | NIF_TIP;
  data.uCallbackMessage = WM_HELIX_TRAY;
  data.hIcon = self->current_icon;
  fill_tip (data.szTip, G_N_ELEMENTS (data.szTip), _(icon.description));

  if (self->icon_added)
    {
      if (!Shell_NotifyIconW (NIM_MODIFY, &data))
        g_debug ("Shell_NotifyIconW (NIM_MODIFY) failed");
      return;
    }

  /* Fails while the shell is not up yet (early at logon); the
   * TaskbarCreated broadcast brings us back here. */
  self->icon_added = Shell_NotifyIconW (NIM_ADD, &data);
  if (!self->icon_added)
    g_message ("The notification area is not available yet; the tray icon follows when it is");
}

static void
remove_icon (HelixTrayWin32 *self)
{
  NOTIFYICONDATAW data;

  if (!self->icon_added)
    return;

  init_notify_data (self, &data);
  Shell_NotifyIconW (NIM_DELETE, &data);
  self->icon_added = FALSE;
}

static void
clear_commands (HelixTrayWin32 *self)
{
  for (guint i = 0; i < self->commands->len; i++)
    {
      MenuCommand *command = &g_array_index (self->commands, MenuCommand, i);

      g_clear_pointer (&command->action, g_free);
      g_clear_pointer (&command->target, g_variant_unref);
    }
  g_array_set_size (self->commands, 0);
}

/* "_Quit" -> "&Quit", "R&D" -> "R&&D". */
static gunichar2 *
menu_label (const char *label)
{
  GString *text = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        {
          g_string_append_c (text, '_');
          p++;
        }
      else if (*p == '_')
        g_string_append_c (text, '&');
      else if (*p == '&')
        g_string_append (text, "&&");
      else
        g_string_append_c (text, *p);
    }

  {
    gunichar2 *wide = g_utf8_to_utf16 (text->str, -1, NULL, NULL, NULL);

    g_string_free (text, TRUE);
    return wide;
  }
}

static void append_model (HelixTrayWin32 *self, HMENU menu, GMenuModel *model);

static void
append_item (HelixTrayWin32 *self,
             HMENU           menu,
             GMenuModel     *model,
             int             index)
{
  GActionGroup *actions = get_actions (self);
  g_autofree char *label = NULL;
  g_autofree char *action = NULL;
  g_autofree gunichar2 *wide_label = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GMenuModel) submenu = NULL;
  MENUITEMINFOW info = { 0 };
  const char *name;
  MenuCommand command;

  if (!g_menu_model_get_item_attribute (model, index, G_MENU_ATTRIBUTE_LABEL, "s", &label))
    return;
  wide_label = menu_label (label);
  if (wide_label == NULL)
    return;

  info.cbSize = sizeof info;
  info.fMask = MIIM_STRING | MIIM_FTYPE | MIIM_STATE;
  info.fType = MFT_STRING;
  info.dwTypeData = (LPWSTR) wide_label;

  submenu = g_menu_model_get_item_link (model, index, G_MENU_LINK_SUBMENU);
  if (submenu != NULL)
    {
      HMENU popup = CreatePopupMenu ();

      append_model (self, popup, submenu);
      info.fMask |= MIIM_SUBMENU;
      info.hSubMenu = popup;
      InsertMenuItemW (menu, GetMenuItemCount (menu), TRUE, &info);
      return;
    }

  if (!g_menu_model_get_item_attribute (model, index, G_MENU_ATTRIBUTE_ACTION, "s", &action))
    return;
  /* Tray items name application actions: "app.set-status". */
  name = g_str_has_prefix (action, "app.") ? action + strlen ("app.") : action;
  target = g_menu_model_get_item_attribute_value (model, index, G_MENU_ATTRIBUTE_TARGET, NULL);

  if (!g_action_group_has_action (actions, name) ||
      !g_action_group_get_action_enabled (actions, name))
    info.fState |= MFS_DISABLED;
  else
    state = g_action_group_get_action_state (actions, name);

  if (state != NULL && target != NULL)
    {
      /* A target on a stateful action: a radio item, checked when equal. */
      info.fType |= MFT_RADIOCHECK;
      if (g_variant_equal (state, target))
        info.fState |= MFS_CHECKED;
    }
  else if (state != NULL && g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN) &&
           g_variant_get_boolean (state))
    info.fState |= MFS_CHECKED;

  command.action = g_strdup (name);
  command.target = target != NULL ? g_variant_ref (target) : NULL;
  g_array_append_val (self->commands, command);

  info.fMask |= MIIM_ID;
  info.wID = self->commands->len;   /* never 0: 0 is "nothing chosen" */
  InsertMenuItemW (menu, GetMenuItemCount (menu), TRUE, &info);
}

static void
append_separator (HMENU menu)
{
  int count = GetMenuItemCount (menu);

  if (count > 0 && (GetMenuState (menu, count - 1, MF_BYPOSITION) & MF_SEPARATOR) == 0)
    AppendMenuW (menu, MF_SEPARATOR, 0, NULL);
}

/* Sections become groups between separators, as GTK draws them. */
static void
append_model (HelixTrayWin32 *self,
              HMENU           menu,
              GMenuModel     *model)
{
  int n = g_menu_model_get_n_items (model);

  for (int i = 0; i < n; i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (section != NULL)
        {
          append_separator (menu);
          append_model (self, menu, section);
          append_separator (menu);
        }
      else
        append_item (self, menu, model, i);
    }

  /* No separator at the very end. */
  {
    int count = GetMenuItemCount (menu);

    if (count > 0 && (GetMenuState (menu, count - 1, MF_BYPOSITION) & MF_SEPARATOR) != 0)
      DeleteMenu (menu, count - 1, MF_BYPOSITION);
  }
}

static void
show_menu (HelixTrayWin32 *self)
{
  HMENU menu = CreatePopupMenu ();
  POINT point;
  UINT chosen;

  if (menu == NULL)
    return;

  clear_commands (self);
  append_model (self, menu, self->menu);

  GetCursorPos (&point);
  /* Without this the menu does not close when the user clicks elsewhere,
   * and the WM_NULL after it makes the next right-click work (see the
   * TrackPopupMenu documentation). */
  SetForegroundWindow (self->hwnd);
  chosen = (UINT) TrackPopupMenuEx (menu,
                                    TPM_RETURNCMD | TPM_NONOTIFY | TPM_RIGHTBUTTON |
                                    (GetSystemMetrics (SM_MENUDROPALIGNMENT) ? TPM_RIGHTALIGN
                                                                              : TPM_LEFTALIGN),
                                    point.x, point.y, self->hwnd, NULL);
  PostMessageW (self->hwnd, WM_NULL, 0, 0);
  DestroyMenu (menu);

  if (chosen > 0 && chosen <= self->commands->len)
    {
      MenuCommand *command = &g_array_index (self->commands, MenuCommand, chosen - 1);

      g_debug ("Tray menu: %s", command->action);
      g_action_group_activate_action (get_actions (self), command->action, command->target);
    }
  clear_commands (self);
}

static void
show_window (HelixTrayWin32 *self)
{
  if (g_action_group_has_action (get_actions (self), "show-window"))
    g_action_group_activate_action (get_actions (self), "show-window", NULL);
  else
    g_application_activate (self->application);
}

static LRESULT CALLBACK
window_proc (HWND   hwnd,
             UINT   message,
             WPARAM wparam,
             LPARAM lparam)
{
  HelixTrayWin32 *self = (HelixTrayWin32 *) GetWindowLongPtrW (hwnd, GWLP_USERDATA);

  if (message == WM_NCCREATE)
    {
      const CREATESTRUCTW *create = (const CREATESTRUCTW *) lparam;

      SetWindowLongPtrW (hwnd, GWLP_USERDATA, (LONG_PTR) create->lpCreateParams);
      return DefWindowProcW (hwnd, message, wparam, lparam);
    }

  if (self == NULL)
    return DefWindowProcW (hwnd, message, wparam, lparam);

  if (message == WM_HELIX_TRAY)
    {
      /* Classic callback: LOWORD (lparam) is the mouse message. */
      switch (LOWORD (lparam))
        {
        case WM_LBUTTONUP:
          show_window (self);
          break;

        case WM_RBUTTONUP:
        case WM_CONTEXTMENU:
          show_menu (self);
          break;

        default:
          break;
        }
      return 0;
    }

  if (self->taskbar_created != 0 && message == self->taskbar_created)
    {
      /* Explorer restarted: its notification area forgot us. */
      self->icon_added = FALSE;
      update_icon (self);
      return 0;
    }

  return DefWindowProcW (hwnd, message, wparam, lparam);
}

static gboolean
on_messages (GIOChannel   *channel,
             GIOCondition  condition,
             gpointer      user_data)
{
  HelixTrayWin32 *self = user_data;
  MSG message;

  while (self->hwnd != NULL && PeekMessageW (&message, self->hwnd, 0, 0, PM_REMOVE))
    {
      TranslateMessage (&message);
      DispatchMessageW (&message);
    }

  return G_SOURCE_CONTINUE;
}

static void
on_action_changed (GActionGroup   *actions,
                   const char     *name,
                   HelixTrayWin32 *self)
{
  if (g_str_equal (name, "presence") || g_str_equal (name, "dnd") ||
      g_str_equal (name, "set-status"))
    update_icon (self);
}

static void
on_action_state_changed (GActionGroup   *actions,
                         const char     *name,
                         GVariant       *state,
                         HelixTrayWin32 *self)
{
  on_action_changed (actions, name, self);
}

static gboolean
create_window (HelixTrayWin32  *self,
               GError         **error)
{
  static ATOM window_class;
  HINSTANCE instance = GetModuleHandleW (NULL);

  if (window_class == 0)
    {
      WNDCLASSEXW klass = { 0 };

      klass.cbSize = sizeof klass;
      klass.lpfnWndProc = window_proc;
      klass.hInstance = instance;
      klass.lpszClassName = WINDOW_CLASS_NAME;
      window_class = RegisterClassExW (&klass);
      if (window_class == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "Cannot register the tray window class (error %lu)", GetLastError ());
          return FALSE;
        }
    }

  /* A top-level window that is never shown: message-only windows do not
   * receive the TaskbarCreated broadcast. */
  self->hwnd = CreateWindowExW (0, WINDOW_CLASS_NAME, L"HelixPhone", WS_OVERLAPPED,
                                0, 0, 0, 0, NULL, NULL, instance, self);
  if (self->hwnd == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Cannot create the tray window (error %lu)", GetLastError ());
      return FALSE;
    }

  self->taskbar_created = RegisterWindowMessageW (L"TaskbarCreated");
  self->messages = g_io_channel_win32_new_messages ((gsize) self->hwnd);
  self->messages_watch = g_io_add_watch (self->messages, G_IO_IN, on_messages, self);

  return TRUE;
}

static void
helix_tray_win32_dispose (GObject *object)
{
  HelixTrayWin32 *self = HELIX_TRAY_WIN32 (object);

  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);

  remove_icon (self);
  g_clear_handle_id (&self->messages_watch, g_source_remove);
  g_clear_pointer (&self->messages, g_io_channel_unref);
  if (self->hwnd != NULL)
    {
      SetWindowLongPtrW (self->hwnd, GWLP_USERDATA, 0);
      DestroyWindow (self->hwnd);
      self->hwnd = NULL;
    }
  if (self->commands != NULL)
    clear_commands (self);
  g_clear_object (&self->menu);

  G_OBJECT_CLASS (helix_tray_win32_parent_class)->dispose (object);
}

static void
helix_tray_win32_finalize (GObject *object)
{
  HelixTrayWin32 *self = HELIX_TRAY_WIN32 (object);

  g_hash_table_unref (self->icons);
  g_array_unref (self->commands);
  g_free (self->icon_dir);

  G_OBJECT_CLASS (helix_tray_win32_parent_class)->finalize (object);
}

static void
helix_tray_win32_class_init (HelixTrayWin32Class *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = helix_tray_win32_dispose;
  object_class->finalize = helix_tray_win32_finalize;
}

static void
destroy_icon (gpointer icon)
{
  DestroyIcon (icon);
}

static void
helix_tray_win32_init (HelixTrayWin32 *self)
{
  self->icons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, destroy_icon);
  self->commands = g_array_new (FALSE, TRUE, sizeof (MenuCommand));
}

/**
 * helix_tray_win32_new:
 * @application: the application whose actions the menu items activate
 * @menu: the tray menu model (the one helixphone-tray shows on Linux)
 *
 * Adds the notification-area icon.  Fails only when the hidden window
 * cannot be created; a shell that is not up yet gets the icon later.
 */
HelixTrayWin32 *
helix_tray_win32_new (GApplication  *application,
                      GMenuModel    *menu,
                      GError       **error)
{
  g_autoptr(HelixTrayWin32) self = NULL;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_MENU_MODEL (menu), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (HELIX_TYPE_TRAY_WIN32, NULL);
  self->application = application;
  self->menu = g_object_ref (menu);
  self->icon_dir = find_icon_dir ();

  if (!create_window (self, error))
    return NULL;

  g_signal_connect_object (application, "action-added", G_CALLBACK (on_action_changed), self, 0);
  g_signal_connect_object (application, "action-state-changed",
                           G_CALLBACK (on_action_state_changed), self, 0);
  update_icon (self);

  return g_steal_pointer (&self);
}

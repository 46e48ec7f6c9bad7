/* helix-dialer-page.h — number entry, keypad and Call button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "helix-phone.h"

G_BEGIN_DECLS

#define HELIX_TYPE_DIALER_PAGE (helix_dialer_page_get_type ())

G_DECLARE_FINAL_TYPE (HelixDialerPage, helix_dialer_page, HELIX, DIALER_PAGE, GtkWidget)

void helix_dialer_page_focus_entry (HelixDialerPage *self);
void helix_dialer_page_insert_key  (HelixDialerPage *self,
                                    const char      *key);
/* Puts @number in the entry, e.g. to call back from the history. */
void helix_dialer_page_set_number  (HelixDialerPage *self,
                                    const char      *number);

G_END_DECLS

/* helix-call-view.h — the call in progress: who, how long, what to do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "helix-call.h"

G_BEGIN_DECLS

#define HELIX_TYPE_CALL_VIEW (helix_call_view_get_type ())

G_DECLARE_FINAL_TYPE (HelixCallView, helix_call_view, HELIX, CALL_VIEW, GtkWidget)

HelixCall *helix_call_view_get_call (HelixCallView *self);
void       helix_call_view_set_call (HelixCallView *self,
                                     HelixCall     *call);
/* A key typed anywhere in the window during a call: sent as a tone. */
void       helix_call_view_send_key (HelixCallView *self,
                                     const char    *key);

G_END_DECLS

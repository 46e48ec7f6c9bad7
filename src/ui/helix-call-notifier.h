/* helix-call-notifier.h — desktop notifications for incoming and missed calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "helix-sip-agent.h"

G_BEGIN_DECLS

#define HELIX_TYPE_CALL_NOTIFIER (helix_call_notifier_get_type ())

G_DECLARE_FINAL_TYPE (HelixCallNotifier, helix_call_notifier, HELIX, CALL_NOTIFIER, GObject)

HelixCallNotifier *helix_call_notifier_new (GApplication  *application,
                                            HelixSipAgent *agent);

G_END_DECLS

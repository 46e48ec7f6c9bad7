/* helix-signals.h — quit cleanly when the system asks the process to stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void helix_install_quit_signals (GApplication *application);

G_END_DECLS

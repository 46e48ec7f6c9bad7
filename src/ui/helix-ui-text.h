/* helix-ui-text.h — text the window shows: untrusted strings, durations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Caller names and numbers are shown at most this long. */
#define HELIX_UI_MAX_NAME_CHARS   48
#define HELIX_UI_MAX_NUMBER_CHARS 40

char       *helix_ui_clean_text        (const char *text,
                                        guint       max_chars);
char       *helix_ui_format_duration   (guint       seconds);
const char *helix_ui_describe_end      (const char *reason);

G_END_DECLS

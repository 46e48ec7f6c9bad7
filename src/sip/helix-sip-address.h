/* helix-sip-address.h — dial targets in, caller identities out, both untrusted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HELIX_MAX_NUMBER_LENGTH 64
#define HELIX_MAX_NAME_LENGTH   128

char *helix_sip_normalize_number (const char  *input);
char *helix_sip_target_uri       (const char  *target,
                                  const char  *server,
                                  guint        port,
                                  const char  *transport,
                                  GError     **error);
char *helix_sip_clean_number     (const char  *raw);
char *helix_sip_clean_name       (const char  *raw);

G_END_DECLS

/* helix-crm.h — the CRM screen-pop: Crm.LookupUrl with the caller's number
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HELIX_CRM_PLACEHOLDER "{phone}"

#define HELIX_CRM_ERROR (helix_crm_error_quark ())

typedef enum {
  HELIX_CRM_ERROR_INVALID_TEMPLATE,  /* not an http(s) URL, or {phone} outside path/query/fragment */
  HELIX_CRM_ERROR_NO_NUMBER,         /* the caller's number is unknown */
  HELIX_CRM_ERROR_UNSAFE,            /* the number would change the URL outside its slot */
} HelixCrmError;

GQuark  helix_crm_error_quark (void);

/* Percent-encodes @number as a URI component: everything but the RFC 3986
 * unreserved characters A-Z a-z 0-9 - . _ ~ becomes %XX (UTF-8 bytes
 * included), so "+1 (416) 998-7587" is "%2B1%20%28416%29%20998-7587". */
char   *helix_crm_encode_number (const char  *number);

/* Replaces every {phone} in @template (an http:// or https:// URL) with
 * the encoded @number.  The result keeps the template's scheme, user info,
 * host, port and everything outside the slots, or it is not returned. */
char   *helix_crm_build_url     (const char  *template,
                                 const char  *number,
                                 GError     **error);

/* Builds the URL and opens it with the default browser through GIO
 * (the OpenURI portal inside Flatpak); never through a shell.  Failures
 * are logged, as nobody waits for the result. */
void    helix_crm_open          (const char  *template,
                                 const char  *number);

G_END_DECLS

/* helix-sip-peer.h — who calls us and where we are, for the SIP agent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sofia-sip/sip.h>

G_BEGIN_DECLS

/* Our address as seen from @host (an IP literal), or NULL. */
char *helix_sip_local_address_towards (const char   *host);
/* The first global or site IPv4 address, else "127.0.0.1". */
char *helix_sip_primary_address       (void);
/* The caller's cleaned number and name (helix-sip-address.h). */
void  helix_sip_remote_identity       (sip_t const  *sip,
                                       char        **out_number,
                                       char        **out_name);

G_END_DECLS

/* helix-sip-peer.h — who calls us, where we are, and what the peer's
 * messages say, for the SIP agent
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

/* The status code of a REFER's message/sipfrag NOTIFY body, or 0. */
int   helix_sip_sipfrag_status        (sip_t const  *sip);
/* The digit of an INFO with application/dtmf-relay, or '\0'. */
char  helix_sip_dtmf_relay_digit      (sip_t const  *sip);

G_END_DECLS

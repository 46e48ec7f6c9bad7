/* helix-sip-peer.c — who calls us, where we are, and what the peer's
 * messages say, for the SIP agent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers the agent needs around a call: the address we advertise
 * to a peer, the caller's identity, and the payloads of INFO and NOTIFY.
 * Kept apart from the agent so that it stays about call flow.
 */
#define G_LOG_DOMAIN "helix-sip"

#include "helix-sip-peer.h"

#include <gio/gio.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/su_localinfo.h>
#include <string.h>

#include "helix-sip-address.h"

/* The address a peer at @host reaches us on: ask the routing table by
 * "connecting" a UDP socket (nothing is sent).  Only for IP literals, so
 * no blocking name lookup happens on the main loop. */
char *
helix_sip_local_address_towards (const char *host)
{
  g_autoptr(GInetAddress) remote = host != NULL ? g_inet_address_new_from_string (host) : NULL;
  g_autoptr(GSocketAddress) target = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocket) socket = NULL;

  if (remote == NULL)
    return NULL;

  socket = g_socket_new (g_inet_address_get_family (remote), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, NULL);
  target = g_inet_socket_address_new (remote, 9);
  if (socket == NULL || !g_socket_connect (socket, target, NULL, NULL))
    return NULL;

  local = g_socket_get_local_address (socket, NULL);
  if (local == NULL)
    return NULL;

  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
}

char *
helix_sip_primary_address (void)
{
  su_localinfo_t hints = { 0 };
  su_localinfo_t *info = NULL;
  char *address = NULL;

  hints.li_flags = LI_CANONNAME | LI_NUMERIC;
  hints.li_family = AF_INET;
  hints.li_scope = LI_SCOPE_GLOBAL | LI_SCOPE_SITE;

  if (su_getlocalinfo (&hints, &info) == 0 && info != NULL)
    address = g_strdup (info->li_canonname);
  su_freelocalinfo (info);

  return address != NULL ? address : g_strdup ("127.0.0.1");
}

/* Number and name of the caller: P-Asserted-Identity (set by a trusted
 * proxy) wins over From, which the caller writes himself. */
void
helix_sip_remote_identity (sip_t const  *sip,
                           char        **out_number,
                           char        **out_name)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  sip_from_t const *identity = sip != NULL ? sip->sip_from : NULL;
  sip_from_t *asserted = NULL;

  for (sip_unknown_t *u = sip != NULL ? sip->sip_unknown : NULL; u != NULL; u = u->un_next)
    if (u->un_name != NULL && g_ascii_strcasecmp (u->un_name, "P-Asserted-Identity") == 0 &&
        u->un_value != NULL && (asserted = sip_from_make (home, u->un_value)) != NULL)
      {
        identity = asserted;
        break;
      }

  if (identity != NULL)
    *out_number = helix_sip_clean_number (identity->a_url->url_user != NULL
                                          ? identity->a_url->url_user : identity->a_url->url_host);
  else
    *out_number = g_strdup ("");
  *out_name = helix_sip_clean_name (identity != NULL ? identity->a_display : NULL);

  su_home_deinit (home);
}

int
helix_sip_sipfrag_status (sip_t const *sip)
{
  const char *body;

  if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_data == NULL)
    return 0;

  body = sip->sip_payload->pl_data;
  if (sip->sip_payload->pl_len < 12 || g_ascii_strncasecmp (body, "SIP/2.0 ", 8) != 0)
    return 0;

  return (int) g_ascii_strtoll (body + 8, NULL, 10);
}

char
helix_sip_dtmf_relay_digit (sip_t const *sip)
{
  g_autofree char *body = NULL;
  const char *signal_line;

  if (sip == NULL || sip->sip_content_type == NULL || sip->sip_payload == NULL ||
      sip->sip_content_type->c_type == NULL ||
      g_ascii_strcasecmp (sip->sip_content_type->c_type, "application/dtmf-relay") != 0)
    return '\0';

  /* Only the head matters, and the body is the peer's to make huge. */
  body = g_strndup (sip->sip_payload->pl_data, MIN (sip->sip_payload->pl_len, 256));
  signal_line = strstr (body, "Signal=");
  if (signal_line == NULL || signal_line[7] == '\0' ||
      strchr ("0123456789*#ABCDabcd", signal_line[7]) == NULL)
    return '\0';

  return g_ascii_toupper (signal_line[7]);
}

/* helix-sip-transport.h — Sip.Transport: UDP, TCP, and TLS that verifies servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/su_tag.h>

G_BEGIN_DECLS

/* ";transport=tcp", ";transport=tls" or "" (UDP) for a server URI. */
const char *helix_sip_transport_param    (const char          *transport);
gboolean    helix_sip_transport_is_tls   (const char          *transport);
/* The nua_create() tags @transport needs beyond "sip:*:PORT", allocated
 * from @home: for TLS a client transport that verifies the server's
 * certificate chain (against helix_sip_tls_ca_file(), returned in
 * @ca_file), dates and host name.  NULL with @error when TLS cannot be
 * set up; NULL without it when nothing is needed. */
tagi_t     *helix_sip_transport_tags     (su_home_t           *home,
                                          const char          *transport,
                                          char               **ca_file,
                                          GError             **error);

/* Names a PEM file of CA certificates to trust instead of the system's. */
#define HELIX_SIP_CA_FILE_ENV "HELIXPHONE_SIP_CA_FILE"

/* The PEM bundle server certificates are checked against:
 * $HELIXPHONE_SIP_CA_FILE, else $SSL_CERT_FILE, else the system's bundle;
 * NULL (and @error) when none can be read. */
char     *helix_sip_tls_ca_file          (GError             **error);
/* A directory laid out as Sofia's TLS transport reads it (cafile.pem =
 * a copy of @ca_file), under the user cache dir; NULL and @error when it
 * cannot be written. */
char     *helix_sip_tls_prepare_dir      (const char          *ca_file,
                                          GError             **error);
/* Connects to @host:@port over TLS and checks the certificate the way the
 * SIP transport does (chain to @ca_file, host name, dates).  Finishes with
 * NULL when the certificate is fine or the server is not reachable, else
 * with a reason a user can act on. */
void      helix_sip_tls_diagnose_async   (const char          *host,
                                          guint                port,
                                          const char          *ca_file,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
char     *helix_sip_tls_diagnose_finish  (GAsyncResult        *result);

G_END_DECLS

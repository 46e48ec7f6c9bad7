/* helix-sip-transport.c — Sip.Transport: UDP, TCP, and TLS that verifies servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * UDP and TCP come with the "sip:*:PORT" transport every agent has; TLS
 * is a transport of its own ("sips:*:*") that is only a client here: it
 * has no certificate of its own to offer callers.
 *
 * Sofia's TLS transport reads its trust anchors from a directory holding
 * "cafile.pem" (TPTAG_CERTIFICATE) and has no notion of the system store,
 * so the phone lays out such a directory with a copy of the system bundle,
 * or of a private CA's file, in the user cache dir.
 *
 * When a handshake fails, Sofia only closes the connection: the REGISTER
 * then fails like one sent to a dead server.  To tell the user why, the
 * phone repeats the handshake with GIO and reads the verdict from there.
 */
#define G_LOG_DOMAIN "helix-sip"

#include "helix-sip-transport.h"

#include <errno.h>
#include <stdio.h>
#include <glib/gstdio.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/tport_tag.h>

/* The transport layer's log: libsofia-sip-ua exports it, but only its
 * internal header declares it. */
extern su_log_t tport_log[];

const char *
helix_sip_transport_param (const char *transport)
{
  if (g_ascii_strcasecmp (transport, "TCP") == 0)
    return ";transport=tcp";
  if (g_ascii_strcasecmp (transport, "TLS") == 0)
    return ";transport=tls";
  return "";
}

gboolean
helix_sip_transport_is_tls (const char *transport)
{
  return g_ascii_strcasecmp (transport, "TLS") == 0;
}

/* Where distributions keep the bundle OpenSSL and GnuTLS read. */
static const char * const system_bundles[] = {
  "/etc/ssl/certs/ca-certificates.crt",   /* Debian, Ubuntu, Arch, Flatpak runtimes */
  "/etc/pki/tls/certs/ca-bundle.crt",     /* Fedora, RHEL */
  "/etc/ssl/ca-bundle.pem",               /* openSUSE */
  "/etc/ssl/cert.pem",                    /* Alpine, the BSDs */
};

static gboolean
readable (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && g_access (path, R_OK) == 0;
}

char *
helix_sip_tls_ca_file (GError **error)
{
  const char *override = g_getenv (HELIX_SIP_CA_FILE_ENV);
  const char *openssl = g_getenv ("SSL_CERT_FILE");

  /* A private CA that is named but missing is an error, not a reason to
   * fall back to trusting every public CA instead. */
  if (override != NULL && *override != '\0')
    {
      if (readable (override))
        return g_strdup (override);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "%s names %s, which cannot be read", HELIX_SIP_CA_FILE_ENV, override);
      return NULL;
    }
  if (openssl != NULL && readable (openssl))
    return g_strdup (openssl);
  for (guint i = 0; i < G_N_ELEMENTS (system_bundles); i++)
    {
      if (readable (system_bundles[i]))
        return g_strdup (system_bundles[i]);
    }

  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
               "No CA certificate bundle found (install ca-certificates, or set %s)",
               HELIX_SIP_CA_FILE_ENV);
  return NULL;
}

char *
helix_sip_tls_prepare_dir (const char  *ca_file,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *target = NULL;
  gsize length;

  g_return_val_if_fail (ca_file != NULL, NULL);

  if (!g_file_get_contents (ca_file, &contents, &length, error))
    return NULL;

  /* One directory per bundle: phones trusting different CAs never share
   * (or overwrite) each other's file. */
  hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  hash[16] = '\0';
  dir = g_build_filename (g_get_user_cache_dir (), "HelixPhone", "sip-tls", hash, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Cannot create %s: %s", dir, g_strerror (saved));
      return NULL;
    }

  /* The directory is named by the bundle's hash, so a copy already there
   * holds these very bytes (it was written atomically); an updated bundle
   * gets a directory of its own. */
  target = g_build_filename (dir, "cafile.pem", NULL);
  if (!g_file_test (target, G_FILE_TEST_IS_REGULAR) &&
      !g_file_set_contents_full (target, contents, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return NULL;

  return g_steal_pointer (&dir);
}

/* A client-only TLS transport has no certificate or key of its own, and
 * Sofia says so at level 1, as if something were broken, every time one
 * is set up.  Those lines go to the debug log; everything else the
 * transport layer says still reaches stderr as before. */
static void
tport_logger (void       *stream,
              char const *format,
              va_list     ap)
{
  g_autofree char *line = g_strdup_vprintf (format, ap);

  if (g_str_has_prefix (line, "tls_init_context"))
    g_debug ("Sofia: %s", g_strchomp (line));
  else
    fputs (line, stderr);
}

tagi_t *
helix_sip_transport_tags (su_home_t   *home,
                          const char  *transport,
                          char       **ca_file,
                          GError     **error)
{
  g_autofree char *bundle = NULL;
  g_autofree char *dir = NULL;
  tagi_t *list;
  tagi_t *tags;

  if (!helix_sip_transport_is_tls (transport))
    return NULL;

  su_log_redirect (tport_log, tport_logger, NULL);
  bundle = helix_sip_tls_ca_file (error);
  if (bundle != NULL)
    dir = helix_sip_tls_prepare_dir (bundle, error);
  if (dir == NULL)
    return NULL;

  *ca_file = g_steal_pointer (&bundle);
  /* SUBJECTS_OUT: the chain must verify and the certificate must name the
   * host we connect to.  VERSION 0 lets OpenSSL negotiate TLS 1.2/1.3;
   * Sofia's default (1) means TLS 1.0 only, which OpenSSL 3 refuses. */
  list = tl_list (NUTAG_SIPS_URL ("sips:*:*"),
                  TPTAG_CERTIFICATE (dir),
                  TPTAG_TLS_VERIFY_POLICY (TPTLS_VERIFY_SUBJECTS_OUT),
                  TPTAG_TLS_VERIFY_DATE (1),
                  TPTAG_TLS_VERSION (0),
                  TAG_END ());
  /* A deep copy: @dir does not outlive this function. */
  tags = tl_adup (home, list);
  tl_vfree (list);

  return tags;
}

/* ---- why a handshake fails ---------------------------------------------- */

typedef struct {
  GTlsCertificateFlags  flags;
  char                 *host;
} Diagnosis;

static void
diagnosis_free (gpointer data)
{
  Diagnosis *diagnosis = data;

  g_free (diagnosis->host);
  g_free (diagnosis);
}

static char *
describe_flags (GTlsCertificateFlags  flags,
                const char           *host)
{
  const char *why;

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    why = "it is not signed by a trusted authority (to trust a private CA, set " HELIX_SIP_CA_FILE_ENV ")";
  else if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return g_strdup_printf ("The server's TLS certificate is not trusted: it is not valid for %s", host);
  else if (flags & G_TLS_CERTIFICATE_EXPIRED)
    why = "it has expired";
  else if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    why = "it is not valid yet";
  else if (flags & G_TLS_CERTIFICATE_REVOKED)
    why = "it has been revoked";
  else if (flags & G_TLS_CERTIFICATE_INSECURE)
    why = "it uses an insecure algorithm";
  else
    why = "it does not verify";

  return g_strdup_printf ("The server's TLS certificate is not trusted: %s", why);
}

static gboolean
on_accept_certificate (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Diagnosis *diagnosis = user_data;

  diagnosis->flags = errors;
  return FALSE;
}

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Diagnosis *diagnosis = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    g_task_return_pointer (task, NULL, NULL);
  else if (diagnosis->flags != 0)
    g_task_return_pointer (task, describe_flags (diagnosis->flags, diagnosis->host), g_free);
  else
    g_task_return_pointer (task, g_strdup_printf ("TLS with the server failed: %s", error->message), g_free);

  g_io_stream_close_async (G_IO_STREAM (source), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Diagnosis *diagnosis = g_task_get_task_data (task);
  const char *ca_file = g_object_get_data (G_OBJECT (task), "ca-file");
  g_autoptr(GSocketConnection) connection = NULL;
  GSocketConnectable *identity = g_object_get_data (G_OBJECT (task), "identity");
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  /* Unreachable is the registration's own diagnosis (no answer). */
  if (connection == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  database = g_tls_file_database_new (ca_file, &error);
  if (database != NULL)
    tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  if (tls == NULL)
    {
      g_task_return_pointer (task, g_strdup_printf ("TLS cannot be set up: %s", error->message), g_free);
      return;
    }

  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (on_accept_certificate), diagnosis);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_handshake, g_object_ref (task));
}

void
helix_sip_tls_diagnose_async (const char          *host,
                              guint                port,
                              const char          *ca_file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  GSocketConnectable *server;
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Diagnosis *diagnosis = g_new0 (Diagnosis, 1);

  g_return_if_fail (host != NULL && ca_file != NULL);

  g_task_set_source_tag (task, helix_sip_tls_diagnose_async);
  diagnosis->host = g_strdup (host);
  g_task_set_task_data (task, diagnosis, diagnosis_free);
  g_object_set_data_full (G_OBJECT (task), "ca-file", g_strdup (ca_file), g_free);
  /* A bare IPv6 literal is fine here, as it is in Sip.Server. */
  server = g_network_address_new (host, port);
  g_object_set_data_full (G_OBJECT (task), "identity", server, g_object_unref);

  g_socket_client_set_timeout (client, 5);
  g_socket_client_connect_async (client, server, cancellable, on_connected, task);
}

char *
helix_sip_tls_diagnose_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}

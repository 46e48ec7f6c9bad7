/* helix-test-tls.c — a throwaway CA and server certificate for SIP over TLS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Made with the openssl command line at run time, so no key is ever
 * committed and no certificate can expire in the repository.  P-256 keys:
 * generating them takes milliseconds, where RSA would take seconds.
 */
#define G_LOG_DOMAIN "helix-test-peers"

#include "helix-test-peers-private.h"

/* Sofia-SIP compares the host it connects to with the certificate's DNS
 * names and its CN, never with IP addresses: 127.0.0.1 is both a DNS name
 * and an IP address here, so Sofia and GIO (which reads IP addresses)
 * both accept it. */
#define SERVER_EXTENSIONS \
  "subjectAltName = DNS:127.0.0.1, IP:127.0.0.1, DNS:localhost\n" \
  "basicConstraints = critical, CA:FALSE\n" \
  "keyUsage = critical, digitalSignature\n" \
  "extendedKeyUsage = serverAuth\n"

static gboolean
run_openssl (const char          *dir,
             const char * const  *args,
             GError             **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *output = NULL;

  g_ptr_array_add (argv, (gpointer) helix_test_peers_program ("openssl", "/usr/bin/openssl"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, error))
    return FALSE;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "openssl %s failed:\n%s", args[0], output);
      return FALSE;
    }
  return TRUE;
}

HelixTestCertificates *
helix_test_certificates_new (GError **error)
{
  g_autoptr(HelixTestCertificates) certificates = g_new0 (HelixTestCertificates, 1);
  g_autofree char *extensions = NULL;
  const char * const make_ca[] = {
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=HelixPhone Test CA", NULL
  };
  const char * const make_request[] = {
    "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1", NULL
  };
  const char * const sign[] = {
    "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-out", "server.pem", "-days", "1", "-extfile", "server.ext", NULL
  };

  certificates->dir = g_dir_make_tmp ("helix-tls-XXXXXX", error);
  if (certificates->dir == NULL)
    return NULL;
  extensions = g_build_filename (certificates->dir, "server.ext", NULL);
  if (!g_file_set_contents (extensions, SERVER_EXTENSIONS, -1, error) ||
      !run_openssl (certificates->dir, make_ca, error) ||
      !run_openssl (certificates->dir, make_request, error) ||
      !run_openssl (certificates->dir, sign, error))
    return NULL;

  certificates->ca_file = g_build_filename (certificates->dir, "ca.pem", NULL);
  certificates->cert_file = g_build_filename (certificates->dir, "server.pem", NULL);
  certificates->key_file = g_build_filename (certificates->dir, "server.key", NULL);
  return g_steal_pointer (&certificates);
}

void
helix_test_certificates_free (HelixTestCertificates *certificates)
{
  if (certificates == NULL)
    return;
  helix_test_peers_dispose_dir (&certificates->dir, FALSE, "certificates");
  g_free (certificates->ca_file);
  g_free (certificates->cert_file);
  g_free (certificates->key_file);
  g_free (certificates);
}

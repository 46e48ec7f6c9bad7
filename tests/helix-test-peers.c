/* helix-test-peers.c — real SIP peers for integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Facts about the peers on this machine are in /work/shared/PEERS.md; the
 * comments below only say where this code depends on them.
 */
#define G_LOG_DOMAIN "helix-test-peers"

#include "helix-test-peers-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>


/* ---- small utilities ---------------------------------------------------- */

gboolean
helix_test_wait_until (gboolean (*condition) (gpointer user_data),
                       gpointer  user_data,
                       guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () >= deadline)
        return condition (user_data);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  return TRUE;
}

GSocketAddress *
helix_test_peers_loopback_address (guint16 port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  return g_inet_socket_address_new (loopback, port);
}

/* No SO_REUSEADDR: a TCP port in TIME_WAIT counts as taken, which is what
 * a peer that does not set it would see too. */
static gboolean
port_free (guint16 port)
{
  const GSocketType types[] = { G_SOCKET_TYPE_DATAGRAM, G_SOCKET_TYPE_STREAM };
  g_autoptr(GSocketAddress) address = helix_test_peers_loopback_address (port);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, types[i],
                                                G_SOCKET_PROTOCOL_DEFAULT, NULL);

      if (socket == NULL || !g_socket_bind (socket, address, FALSE, NULL))
        return FALSE;
      g_socket_close (socket, NULL);
    }

  return TRUE;
}

guint16
helix_test_free_udp_port (void)
{
  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                                G_SOCKET_PROTOCOL_UDP, NULL);
      g_autoptr(GSocketAddress) any = helix_test_peers_loopback_address (0);
      g_autoptr(GSocketAddress) bound = NULL;
      guint16 port;

      g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
      bound = g_socket_get_local_address (socket, NULL);
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
      g_socket_close (socket, NULL);
      if (port_free (port))
        return port;
    }
  g_error ("No free loopback port for UDP and TCP");
}

guint16
helix_test_free_port_range (guint count)
{
  for (guint attempt = 0; attempt < 100; attempt++)
    {
      guint16 base = helix_test_free_udp_port ();
      gboolean ok = (guint) base + count <= 65536;

      for (guint i = 1; ok && i < count; i++)
        ok = port_free (base + i);
      if (ok)
        return base;
    }
  g_error ("No %u consecutive free loopback ports", count);
}

char *
helix_test_peers_read_text (const char *path)
{
  char *contents = NULL;

  if (path == NULL || !g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

char *
helix_test_peers_tail_of (const char *path, gsize max)
{
  g_autofree char *text = helix_test_peers_read_text (path);
  gsize len = strlen (text);

  return g_strdup (len > max ? text + len - max : text);
}

static guint
count_occurrences (const char *haystack, const char *needle)
{
  guint count = 0;
  gsize step = MAX (strlen (needle), 1);

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + step, needle))
    count++;
  return count;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* What a failed test leaves behind is the only record of what the peer
 * saw, so it stays; HELIX_TEST_KEEP_PEERS=1 keeps it always. */
void
helix_test_peers_dispose_dir (char **dir, gboolean keep, const char *what)
{
  if (*dir == NULL)
    return;
  if (keep || g_test_failed () || g_getenv ("HELIX_TEST_KEEP_PEERS") != NULL)
    g_test_message ("%s files kept in %s", what, *dir);
  else
    remove_tree (*dir);
  g_clear_pointer (dir, g_free);
}

/* GSubprocess clears the identifier from its worker thread when the child
 * is reaped, so polling it needs no callback that could outlive us. */
gboolean
helix_test_peers_process_exited (gpointer process)
{
  return process == NULL || g_subprocess_get_identifier (process) == NULL;
}

static int
exit_code (GSubprocess *process)
{
  g_subprocess_wait (process, NULL, NULL);
  if (g_subprocess_get_if_exited (process))
    return g_subprocess_get_exit_status (process);
  if (g_subprocess_get_if_signaled (process))
    return 128 + g_subprocess_get_term_sig (process);
  return -1;
}

void
helix_test_peers_stop_process (GSubprocess *process, int signum, guint grace_ms)
{
  if (helix_test_peers_process_exited (process))
    return;
  g_subprocess_send_signal (process, signum);
  if (!helix_test_wait_until (helix_test_peers_process_exited, process, grace_ms))
    {
      g_subprocess_force_exit (process);
      helix_test_wait_until (helix_test_peers_process_exited, process, 5000);
    }
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* A test that aborts on a failed assertion runs no teardown: without this
 * its phones, registrars and SIPp would live on, in a call, using the
 * CPU and ports of every later test and benchmark. */
void
helix_test_launcher_dies_with_test (GSubprocessLauncher *launcher)
{
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
}

GSubprocessLauncher *
helix_test_peers_launcher_logging_to (const char *dir, const char *log_path, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  /* Append: a restarted peer continues the same log. */
  int fd = g_open (log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "Cannot open %s", log_path);
      return NULL;
    }
  /* Other children spawned meanwhile must not hold the log open. */
  fcntl (fd, F_SETFD, FD_CLOEXEC);
  g_subprocess_launcher_take_stdout_fd (launcher, fd);
  g_subprocess_launcher_set_cwd (launcher, dir);
  helix_test_launcher_dies_with_test (launcher);
  return g_steal_pointer (&launcher);
}

const char *
helix_test_peers_program (const char *name, const char *fallback)
{
  static GHashTable *found;
  char *path;

  if (found == NULL)
    found = g_hash_table_new (g_str_hash, g_str_equal);
  path = g_hash_table_lookup (found, name);
  if (path == NULL)
    {
      path = g_find_program_in_path (name);
      if (path == NULL)
        path = g_strdup (fallback);
      g_hash_table_insert (found, (gpointer) name, path);
    }
  return path;
}

/* ---- OPTIONS ping ------------------------------------------------------- */

gboolean
helix_test_sip_ping (guint16 port, guint timeout_ms)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GSocketAddress) any = helix_test_peers_loopback_address (0);
  g_autoptr(GSocketAddress) target = helix_test_peers_loopback_address (port);
  g_autoptr(GSocketAddress) bound = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  gint64 next_send = 0;
  guint16 local_port;
  guint32 id = g_random_int ();
  guint sent = 0;

  if (!g_socket_bind (socket, any, FALSE, NULL))
    return FALSE;
  g_socket_set_blocking (socket, FALSE);
  bound = g_socket_get_local_address (socket, NULL);
  local_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  while (g_get_monotonic_time () < deadline)
    {
      char buffer[4096];
      gssize received;

      if (g_get_monotonic_time () >= next_send)
        {
          g_autofree char *request = g_strdup_printf (
              "OPTIONS sip:127.0.0.1:%u SIP/2.0\r\n"
              "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK-ping-%08x-%u;rport\r\n"
              "Max-Forwards: 70\r\n"
              "From: <sip:ping@127.0.0.1:%u>;tag=%08x\r\n"
              "To: <sip:127.0.0.1:%u>\r\n"
              "Call-ID: ping-%08x@127.0.0.1\r\n"
              "CSeq: %u OPTIONS\r\n"
              "Content-Length: 0\r\n\r\n",
              port, local_port, id, sent, local_port, id, port, id, sent + 1);

          g_socket_send_to (socket, target, request, strlen (request), NULL, NULL);
          sent++;
          next_send = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;
        }

      received = g_socket_receive (socket, buffer, sizeof buffer - 1, NULL, NULL);
      if (received > 0)
        {
          buffer[received] = '\0';
          if (g_str_has_prefix (buffer, "SIP/2.0 200"))
            return TRUE;
          continue;
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  return FALSE;
}

/* ---- kamailio ------------------------------------------------------------ */

static gboolean
kamailio_launch (HelixTestKamailio *kamailio, GError **error)
{
  g_autofree char *define = g_strdup_printf ("SIP_PORT=%u", kamailio->port);
  g_autofree char *expires_define = g_strdup_printf ("MAX_EXPIRES=%u",
                                                      kamailio->max_expires != 0 ? kamailio->max_expires : 3600);
  g_autofree char *tls_port_define = g_strdup_printf ("TLS_PORT=%u", kamailio->tls_port);
  /* A string define keeps its quotes: modparam() takes it as a string. */
  g_autofree char *tls_config_define = g_strdup_printf ("TLS_CONFIG=\"%s\"",
                                                         kamailio->tls_config != NULL ? kamailio->tls_config : "");
  const char *config = g_test_get_filename (G_TEST_DIST, "kamailio", "kamailio.cfg", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  gint64 deadline = g_get_monotonic_time () + HELIX_TEST_PEERS_START_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  launcher = helix_test_peers_launcher_logging_to (kamailio->dir, kamailio->log_path, error);
  if (launcher == NULL)
    return FALSE;
  /* -DD keeps it in the foreground so the pid we hold is the main
   * process; -Y/-w keep everything it writes out of /var/run. */
  g_clear_object (&kamailio->process);
  kamailio->process = g_subprocess_launcher_spawn (launcher, error,
                                                   helix_test_peers_program ("kamailio", "/usr/sbin/kamailio"),
                                                   "-f", config, "-DD", "-E",
                                                   "-Y", kamailio->dir, "-w", kamailio->dir,
                                                   "-m", "64", "-M", "8", "-A", define,
                                                   "-A", expires_define,
                                                   /* argv ends here for a kamailio without TLS */
                                                   kamailio->tls_config != NULL ? "-A" : NULL, "WITH_TLS",
                                                   "-A", tls_port_define, "-A", tls_config_define, NULL);
  if (kamailio->process == NULL)
    return FALSE;

  while (g_get_monotonic_time () < deadline)
    {
      if (helix_test_peers_process_exited (kamailio->process))
        break;
      if (helix_test_sip_ping (kamailio->port, 250))
        return TRUE;
    }

  {
    g_autofree char *tail = helix_test_peers_tail_of (kamailio->log_path, 1500);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "kamailio on port %u %s; log %s ends with:\n%s", kamailio->port,
                 helix_test_peers_process_exited (kamailio->process) ? "exited" : "never answered OPTIONS",
                 kamailio->log_path, tail);
  }
  helix_test_peers_stop_process (kamailio->process, SIGTERM, 3000);
  return FALSE;
}

HelixTestKamailio *
helix_test_kamailio_start (GError **error)
{
  return helix_test_kamailio_start_full (0, error);
}

static HelixTestKamailio *
kamailio_start (guint max_expires, HelixTestCertificates *certificates, GError **error)
{
  g_autoptr(HelixTestKamailio) kamailio = g_new0 (HelixTestKamailio, 1);

  kamailio->max_expires = max_expires;

  kamailio->dir = g_dir_make_tmp ("helix-kamailio-XXXXXX", error);
  if (kamailio->dir == NULL)
    return NULL;
  kamailio->log_path = g_build_filename (kamailio->dir, "kamailio.log", NULL);

  if (certificates != NULL)
    {
      /* The tls module's own file format; verify_certificate is about
       * client certificates, which phones do not have. */
      g_autofree char *config = g_strdup_printf ("[server:default]\n"
                                                 "method = TLSv1.2+\n"
                                                 "verify_certificate = no\n"
                                                 "require_certificate = no\n"
                                                 "private_key = %s\n"
                                                 "certificate = %s\n",
                                                 certificates->key_file, certificates->cert_file);

      kamailio->tls_config = g_build_filename (kamailio->dir, "tls.cfg", NULL);
      if (!g_file_set_contents (kamailio->tls_config, config, -1, error))
        return NULL;
    }

  /* The port is only free "at call time": someone may take it before
   * kamailio binds, so a failed start is retried on a fresh port. */
  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      kamailio->port = helix_test_free_udp_port ();
      if (kamailio->tls_config != NULL)
        do
          kamailio->tls_port = helix_test_free_udp_port ();
        while (kamailio->tls_port == kamailio->port);
      if (kamailio_launch (kamailio, &local_error))
        return g_steal_pointer (&kamailio);
      if (attempt == HELIX_TEST_PEERS_START_ATTEMPTS)
        {
          g_test_message ("kamailio log: %s", kamailio->log_path);
          g_propagate_error (error, g_steal_pointer (&local_error));
          kamailio->keep_dir = TRUE;
          return NULL;
        }
    }
}

HelixTestKamailio *
helix_test_kamailio_start_full (guint max_expires, GError **error)
{
  return kamailio_start (max_expires, NULL, error);
}

HelixTestKamailio *
helix_test_kamailio_start_tls (HelixTestCertificates *certificates, GError **error)
{
  g_return_val_if_fail (certificates != NULL, NULL);

  return kamailio_start (0, certificates, error);
}

void
helix_test_kamailio_stop (HelixTestKamailio *kamailio)
{
  if (kamailio->process != NULL)
    helix_test_peers_stop_process (kamailio->process, SIGTERM, 5000);
}

gboolean
helix_test_kamailio_restart (HelixTestKamailio *kamailio, GError **error)
{
  helix_test_kamailio_stop (kamailio);
  if (kamailio_launch (kamailio, error))
    return TRUE;
  g_test_message ("kamailio log: %s", kamailio->log_path);
  kamailio->keep_dir = TRUE;
  return FALSE;
}

void
helix_test_kamailio_free (HelixTestKamailio *kamailio)
{
  if (kamailio == NULL)
    return;
  helix_test_kamailio_stop (kamailio);
  g_clear_object (&kamailio->process);
  if (g_test_failed ())
    g_test_message ("kamailio log: %s", kamailio->log_path);
  helix_test_peers_dispose_dir (&kamailio->dir, kamailio->keep_dir, "kamailio");
  g_free (kamailio->log_path);
  g_free (kamailio->tls_config);
  g_free (kamailio);
}

char *
helix_test_kamailio_uri (HelixTestKamailio *kamailio, const char *user)
{
  if (user == NULL)
    return g_strdup_printf ("sip:127.0.0.1:%u", kamailio->port);
  return g_strdup_printf ("sip:%s@127.0.0.1:%u", user, kamailio->port);
}

char *
helix_test_kamailio_log (HelixTestKamailio *kamailio)
{
  return helix_test_peers_read_text (kamailio->log_path);
}

guint
helix_test_kamailio_log_count (HelixTestKamailio *kamailio, const char *needle)
{
  g_autofree char *log = helix_test_kamailio_log (kamailio);

  return count_occurrences (log, needle);
}

gboolean
helix_test_kamailio_log_contains (HelixTestKamailio *kamailio, const char *needle)
{
  return helix_test_kamailio_log_count (kamailio, needle) > 0;
}

typedef struct {
  HelixTestKamailio *kamailio;
  const char        *needle;
  guint              count;
} LogWait;

static gboolean
log_has_enough (gpointer user_data)
{
  LogWait *wait = user_data;

  return helix_test_kamailio_log_count (wait->kamailio, wait->needle) >= wait->count;
}

gboolean
helix_test_kamailio_wait_log (HelixTestKamailio *kamailio,
                              const char        *needle,
                              guint              count,
                              guint              timeout_ms)
{
  LogWait wait = { kamailio, needle, count };

  return helix_test_wait_until (log_has_enough, &wait, timeout_ms);
}

/* ---- SIPp ----------------------------------------------------------------- */

struct _HelixTestSipp {
  char        *dir;
  guint16      port;
  GSubprocess *process;
};

static gboolean
udp_port_taken (gpointer data)
{
  g_autoptr(GSocketAddress) address = helix_test_peers_loopback_address (GPOINTER_TO_UINT (data));
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);

  if (socket == NULL || !g_socket_bind (socket, address, FALSE, NULL))
    return TRUE;
  g_socket_close (socket, NULL);
  return FALSE;
}

static char *
sipp_path (HelixTestSipp *sipp, const char *name)
{
  return g_build_filename (sipp->dir, name, NULL);
}

HelixTestSipp *
helix_test_sipp_start (const char          *scenario_name,
                       const char          *remote,
                       guint16              local_port,
                       const char * const  *extra_args,
                       GError             **error)
{
  g_autoptr(HelixTestSipp) sipp = g_new0 (HelixTestSipp, 1);
  g_autofree char *file = g_strconcat (scenario_name, ".xml", NULL);
  const char *scenario = g_test_get_filename (G_TEST_DIST, "sipp", file, NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *screen = NULL;
  gboolean has_service = FALSE;

  if (!g_file_test (scenario, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No SIPp scenario %s", scenario);
      return NULL;
    }
  sipp->dir = g_dir_make_tmp ("helix-sipp-XXXXXX", error);
  if (sipp->dir == NULL)
    return NULL;
  sipp->port = local_port != 0 ? local_port : helix_test_free_udp_port ();

#define ADD(...) g_ptr_array_add (argv, g_strdup_printf (__VA_ARGS__))
  ADD ("%s", helix_test_peers_program ("sipp", "/usr/bin/sipp"));
  ADD ("-sf"); ADD ("%s", scenario);
  ADD ("-i"); ADD ("127.0.0.1");
  ADD ("-p"); ADD ("%u", sipp->port);
  ADD ("-m"); ADD ("1");
  ADD ("-nostdin");
  ADD ("-trace_msg"); ADD ("-message_file"); g_ptr_array_add (argv, sipp_path (sipp, "messages.log"));
  ADD ("-trace_err"); ADD ("-error_file"); g_ptr_array_add (argv, sipp_path (sipp, "errors.log"));
  ADD ("-trace_logs"); ADD ("-log_file"); g_ptr_array_add (argv, sipp_path (sipp, "logs.log"));
  /* Without -timeout_error a global timeout only stops new calls and SIPp
   * keeps retransmitting into the void. */
  ADD ("-timeout"); ADD ("60s"); ADD ("-timeout_error");
  /* SIPp would otherwise take media ports from 6000 and a control port
   * from 8888 (on all interfaces). */
  ADD ("-mp"); ADD ("%u", helix_test_free_port_range (4));
  ADD ("-cp"); ADD ("%u", helix_test_free_udp_port ());
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    has_service |= g_str_equal (extra_args[i], "-s");
  /* A UAC calls the phone's user; a UAS keeps SIPp's own default. */
  if (!has_service && remote != NULL)
    {
      ADD ("-s"); ADD ("1001");
    }
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    ADD ("%s", extra_args[i]);
  if (remote != NULL)
    ADD ("%s", remote);
#undef ADD
  g_ptr_array_add (argv, NULL);

  screen = sipp_path (sipp, "screen.log");
  launcher = helix_test_peers_launcher_logging_to (sipp->dir, screen, error);
  if (launcher == NULL)
    return NULL;
  sipp->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (sipp->process == NULL)
    return NULL;

  /* A UAS must be listening before the phone dials it, or the INVITE
   * meets an ICMP port-unreachable and the call fails at once. */
  if (remote == NULL &&
      !helix_test_wait_until (udp_port_taken, GUINT_TO_POINTER (sipp->port), 10000))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "SIPp did not bind UDP port %u within 10 s; see %s", sipp->port, screen);
      return NULL;
    }

  return g_steal_pointer (&sipp);
}

guint16
helix_test_sipp_port (HelixTestSipp *sipp)
{
  return sipp->port;
}

gboolean
helix_test_sipp_wait (HelixTestSipp *sipp, guint timeout_ms, int *exit_status)
{
  int status;

  /* Only a note: a test may expect the failure.  If it does not, it
   * aborts before _free and the traces stay where this says. */
  if (!helix_test_wait_until (helix_test_peers_process_exited, sipp->process, timeout_ms))
    {
      g_test_message ("SIPp still running after %u ms; traces in %s", timeout_ms, sipp->dir);
      return FALSE;
    }

  status = exit_code (sipp->process);
  if (status != 0)
    g_test_message ("SIPp exited with %d; traces in %s", status, sipp->dir);
  if (exit_status != NULL)
    *exit_status = status;
  return TRUE;
}

static char *
sipp_read (HelixTestSipp *sipp, const char *name)
{
  g_autofree char *path = sipp_path (sipp, name);

  return helix_test_peers_read_text (path);
}

void
helix_test_sipp_assert_success (HelixTestSipp *sipp,
                                guint          timeout_ms,
                                const char    *context)
{
  int status = -1;

  g_assert_true (helix_test_sipp_wait (sipp, timeout_ms, &status));
  if (status != 0)
    {
      g_autofree char *errors = helix_test_sipp_errors (sipp);
      g_autofree char *messages = helix_test_sipp_messages (sipp);

      g_test_message ("SIPp errors:\n%s\nmessages:\n%s%s%s", errors, messages,
                      context != NULL ? "\n" : "", context != NULL ? context : "");
    }
  g_assert_cmpint (status, ==, 0);
}

char *
helix_test_sipp_messages (HelixTestSipp *sipp)
{
  return sipp_read (sipp, "messages.log");
}

char *
helix_test_sipp_errors (HelixTestSipp *sipp)
{
  return sipp_read (sipp, "errors.log");
}

char *
helix_test_sipp_logs (HelixTestSipp *sipp)
{
  return sipp_read (sipp, "logs.log");
}

void
helix_test_sipp_free (HelixTestSipp *sipp)
{
  if (sipp == NULL)
    return;
  if (sipp->process != NULL && !helix_test_peers_process_exited (sipp->process))
    {
      /* SIPp has no children and nothing to flush that a test still needs. */
      g_subprocess_force_exit (sipp->process);
      helix_test_wait_until (helix_test_peers_process_exited, sipp->process, 5000);
    }
  g_clear_object (&sipp->process);
  helix_test_peers_dispose_dir (&sipp->dir, FALSE, "SIPp");
  g_free (sipp);
}

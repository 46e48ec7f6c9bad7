/* helix-test-peers.h — real SIP peers for integration tests: kamailio as
 * registrar/proxy, SIPp scenarios, baresip as a second softphone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every peer runs on 127.0.0.1 with ports picked at run time, in a temp
 * dir of its own that is removed on _free unless the test has failed (then
 * the dir is kept and its path printed).  Every wait iterates the default
 * GMainContext, so a SoupServer receiver or the code under test keeps
 * running meanwhile.  Call g_test_init() first: files are found with
 * g_test_get_filename (G_TEST_DIST, ...), i.e. via G_TEST_SRCDIR.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Digest users provisioned in tests/kamailio/kamailio.cfg (realm helix.test):
 * 1001/secret1001, 1002/secret1002, 1003/secret1003. */
#define HELIX_TEST_REALM "helix.test"

/* A loopback port that is free for both UDP and TCP right now. */
guint16  helix_test_free_udp_port   (void);
/* The first of @count consecutive ports, all free for UDP and TCP. */
guint16  helix_test_free_port_range (guint count);

/* Children spawned through @launcher get SIGTERM when the test process
 * dies, also when it aborts on a failed assertion (Linux). */
void     helix_test_launcher_dies_with_test (GSubprocessLauncher *launcher);

/* Iterates the default main context until @condition returns TRUE or
 * @timeout_ms passes; returns the last value of @condition. */
gboolean helix_test_wait_until      (gboolean (*condition) (gpointer user_data),
                                     gpointer  user_data,
                                     guint     timeout_ms);

/* Sends an OPTIONS without user part to 127.0.0.1:@port over UDP until a
 * "SIP/2.0 200" comes back or @timeout_ms passes. */
gboolean helix_test_sip_ping        (guint16   port,
                                     guint     timeout_ms);

/* ---- kamailio --------------------------------------------------------- */

typedef struct {
  guint16      port;      /* UDP and TCP on 127.0.0.1 */
  guint16      tls_port;  /* TLS on 127.0.0.1; 0 unless started with _start_tls */
  char        *dir;       /* runtime dir, holds kamailio.log */
  char        *log_path;
  /*< private >*/
  GSubprocess *process;
  gboolean     keep_dir;
  guint        max_expires;
  char        *tls_config;
} HelixTestKamailio;

/* A throwaway CA and a server certificate it signed, made with openssl in
 * a temp dir of their own: CN 127.0.0.1, subjectAltName DNS:127.0.0.1,
 * IP:127.0.0.1, DNS:localhost (Sofia matches the host against DNS names
 * and the CN only), valid for a day. */
typedef struct {
  char        *dir;
  char        *ca_file;    /* the CA certificate: what a phone must trust */
  char        *cert_file;  /* the server's certificate */
  char        *key_file;   /* and its key */
} HelixTestCertificates;

HelixTestCertificates *helix_test_certificates_new  (GError                **error);
void                   helix_test_certificates_free (HelixTestCertificates  *certificates);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HelixTestCertificates, helix_test_certificates_free)

HelixTestKamailio *helix_test_kamailio_start    (GError            **error);
/* With @max_expires != 0 the registrar grants at most that many seconds,
 * so phones refresh (and notice a lost registrar) quickly. */
HelixTestKamailio *helix_test_kamailio_start_full (guint             max_expires,
                                                   GError          **error);
/* Also listens for SIP over TLS on tls_port (picked at run time), with
 * @certificates' server certificate and key; clients are not asked for
 * certificates. */
HelixTestKamailio *helix_test_kamailio_start_tls (HelixTestCertificates *certificates,
                                                  GError               **error);
/* SIGTERM, then SIGKILL if it lingers; the port is free again afterwards. */
void               helix_test_kamailio_stop     (HelixTestKamailio  *kamailio);
/* Starts again on the same port (registrations are lost: no database). */
gboolean           helix_test_kamailio_restart  (HelixTestKamailio  *kamailio,
                                                 GError            **error);
void               helix_test_kamailio_free     (HelixTestKamailio  *kamailio);
/* "sip:USER@127.0.0.1:PORT", or the bare host URI when @user is NULL. */
char              *helix_test_kamailio_uri      (HelixTestKamailio  *kamailio,
                                                 const char         *user);

/* The log has one line per request, e.g.
 *   HELIX-REQ REGISTER from=1001 to=1001 exp=0 auth=yes contact=... src=udp:127.0.0.1:PORT
 *     (src=tcp:… or src=tls:… for the other transports)
 *   HELIX-SAVED user=1001 exp=0 contact=...        (binding saved or removed)
 *   HELIX-REQ INVITE from=1001 to=1002 ruri=... src=...
 *   HELIX-REPLY 200 OK INVITE cseq=... from=... to=...   (relayed replies)
 * where exp is the Contact's expires, else the Expires header, else "none". */
char              *helix_test_kamailio_log        (HelixTestKamailio *kamailio);
guint              helix_test_kamailio_log_count  (HelixTestKamailio *kamailio,
                                                   const char        *needle);
gboolean           helix_test_kamailio_log_contains (HelixTestKamailio *kamailio,
                                                     const char        *needle);
/* Kamailio's workers log asynchronously: wait for @count occurrences. */
gboolean           helix_test_kamailio_wait_log   (HelixTestKamailio *kamailio,
                                                   const char        *needle,
                                                   guint              count,
                                                   guint              timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HelixTestKamailio, helix_test_kamailio_free)

/* ---- SIPp ------------------------------------------------------------- */

typedef struct _HelixTestSipp HelixTestSipp;

/* Runs `sipp -sf tests/sipp/@scenario_name.xml -i 127.0.0.1 -p @local_port
 * -m 1` with message/error/log traces in a temp dir, -timeout 60s
 * -timeout_error, then @extra_args, then @remote ("host:port") unless NULL
 * (UAS scenarios).  @local_port 0 picks a free one.  For a UAC, "-s 1001"
 * (the phone's user) is added unless @extra_args has -s.  Media and control
 * ports are picked at run time too. */
HelixTestSipp *helix_test_sipp_start    (const char          *scenario_name,
                                         const char          *remote,
                                         guint16              local_port,
                                         const char * const  *extra_args,
                                         GError             **error);
guint16        helix_test_sipp_port     (HelixTestSipp       *sipp);
/* FALSE on timeout.  @exit_status: SIPp's exit code (0: the call
 * succeeded, 1: it failed, 255: -timeout hit), or 128 + signal. */
gboolean       helix_test_sipp_wait     (HelixTestSipp       *sipp,
                                         guint                timeout_ms,
                                         int                 *exit_status);
/* Waits for SIPp and asserts it exited 0; otherwise logs its errors,
 * its messages and @context (e.g. the phone's stderr; may be NULL). */
void           helix_test_sipp_assert_success (HelixTestSipp *sipp,
                                               guint          timeout_ms,
                                               const char    *context);
/* -trace_msg: every message sent and received, as SIPp wrote them. */
char          *helix_test_sipp_messages (HelixTestSipp       *sipp);
/* -trace_err: unexpected messages and failures; "" when none. */
char          *helix_test_sipp_errors   (HelixTestSipp       *sipp);
/* <log> actions of the scenario (-trace_logs). */
char          *helix_test_sipp_logs     (HelixTestSipp       *sipp);
void           helix_test_sipp_free     (HelixTestSipp       *sipp);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HelixTestSipp, helix_test_sipp_free)

/* ---- baresip ---------------------------------------------------------- */

typedef struct _HelixTestBaresip HelixTestBaresip;

/* Starts baresip with one account for @user.  With @registrar_port != 0
 * it registers to 127.0.0.1:@registrar_port with @password; with 0 it is
 * a direct-mode UA (regint=0) reachable at helix_test_baresip_uri().
 * Audio: a 60 s 440 Hz tone as source, a sink that discards.  Returns once
 * its ctrl_tcp interface accepted our connection. */
HelixTestBaresip *helix_test_baresip_start     (const char        *user,
                                                const char        *password,
                                                guint16            registrar_port,
                                                gboolean           auto_answer,
                                                GError           **error);

typedef enum {
  HELIX_TEST_BARESIP_AUTO_ANSWER = 1 << 0,
  /* Its sndfile module writes what it plays, per call, to a WAV file
   * (16-bit mono 8 kHz with G.711): helix_test_baresip_played_path(). */
  HELIX_TEST_BARESIP_RECORD      = 1 << 1,
  /* Every SIP message it sends and receives is in helix_test_baresip_log(). */
  HELIX_TEST_BARESIP_SIP_TRACE   = 1 << 2,
} HelixTestBaresipFlags;

HelixTestBaresip *helix_test_baresip_start_full (const char             *user,
                                                 const char             *password,
                                                 guint16                 registrar_port,
                                                 HelixTestBaresipFlags   flags,
                                                 GError                **error);
guint16           helix_test_baresip_sip_port  (HelixTestBaresip  *baresip);
/* "sip:USER@127.0.0.1:SIP_PORT" — where to call it directly. */
char             *helix_test_baresip_uri       (HelixTestBaresip  *baresip);
/* Runs a ctrl_tcp command ("dial", "accept", "hangup", "hold", "resume",
 * "sndcode", "reginfo" ...) and returns its "data"; NULL and @error when
 * baresip says ok=false or does not answer within 10 s. */
char             *helix_test_baresip_command   (HelixTestBaresip  *baresip,
                                                const char        *command,
                                                const char        *params,
                                                GError           **error);
/* Waits for the first not yet returned event of @type ("REGISTER_OK",
 * "CALL_INCOMING", "CALL_RINGING", "CALL_ESTABLISHED", "CALL_CLOSED",
 * "CALL_DTMF_START" ...) and returns it as JSON text, or NULL on timeout. */
char             *helix_test_baresip_wait_event (HelixTestBaresip *baresip,
                                                 const char       *type,
                                                 guint             timeout_ms);
/* Events of @type received so far, returned or not. */
guint             helix_test_baresip_event_count (HelixTestBaresip *baresip,
                                                  const char       *type);
/* Registration may complete before ctrl_tcp is connected (its event is
 * then lost), so this also polls "reginfo". */
gboolean          helix_test_baresip_wait_registered (HelixTestBaresip *baresip,
                                                      guint             timeout_ms);
char             *helix_test_baresip_log       (HelixTestBaresip  *baresip);
/* The WAV of what it played in its latest call (HELIX_TEST_BARESIP_RECORD),
 * or NULL before any.  Its header is complete once the call has closed. */
char             *helix_test_baresip_played_path (HelixTestBaresip *baresip);
void              helix_test_baresip_free      (HelixTestBaresip  *baresip);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HelixTestBaresip, helix_test_baresip_free)

G_END_DECLS

/* helix-test-phone.h — the real helixphone binary as a test peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _HelixTestPhone HelixTestPhone;

/* Writes @settings_json to a temp settings.json and starts
 * `helixphone --headless --config` on it.  With @own_bus, the phone gets a
 * private session bus of its own (so two phones, both
 * com.helixphone.HelixPhone, can run side by side); otherwise it uses the
 * test's session bus. */
HelixTestPhone *helix_test_phone_start       (const char      *settings_json,
                                              gboolean         own_bus,
                                              GError         **error);
/* The same, with @env ("NAME=VALUE" strings, NULL-terminated, or NULL)
 * added to the phone's environment last, so it may override the defaults
 * (XDG_DATA_HOME is the phone's temp dir unless @env sets it). */
HelixTestPhone *helix_test_phone_start_full  (const char      *settings_json,
                                              gboolean         own_bus,
                                              const char * const *env,
                                              GError         **error);
/* `gapplication action com.helixphone.HelixPhone NAME [PARAMETER]` on the
 * phone's bus; asserts that it succeeded. */
void            helix_test_phone_action      (HelixTestPhone  *phone,
                                              const char      *name,
                                              const char      *parameter);
/* Sends quit and waits for the process; returns its exit status or -1. */
int             helix_test_phone_quit        (HelixTestPhone  *phone,
                                              guint            timeout_ms);
gboolean        helix_test_phone_is_running  (HelixTestPhone  *phone);
void            helix_test_phone_signal      (HelixTestPhone  *phone,
                                              int              signum);
gboolean        helix_test_phone_wait_exit   (HelixTestPhone  *phone,
                                              guint            timeout_ms);
/* Everything the phone wrote to stderr so far (complete once it exited). */
const char     *helix_test_phone_stderr      (HelixTestPhone  *phone);
/* How many times @needle is in the phone's stderr so far. */
guint           helix_test_phone_log_count   (HelixTestPhone  *phone,
                                              const char      *needle);
/* Iterates the default main context until @needle is in the phone's
 * stderr @count times; FALSE after @timeout_ms. */
gboolean        helix_test_phone_wait_log    (HelixTestPhone  *phone,
                                              const char      *needle,
                                              guint            count,
                                              guint            timeout_ms);
const char     *helix_test_phone_dir         (HelixTestPhone  *phone);
void            helix_test_phone_free        (HelixTestPhone  *phone);

/* @text as a string action parameter in GVariant text form, which is what
 * helix_test_phone_action() (gapplication) takes: "'sip:1002@…'". */
char           *helix_test_action_string     (const char      *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HelixTestPhone, helix_test_phone_free)

G_END_DECLS

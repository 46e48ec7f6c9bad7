/* helix-recording-name.h — the file name of a call recording
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HELIX_RECORDING_NUMBER_MAX 32

/* @number made safe for a file name: every character outside
 * [0-9A-Za-z+*#-] becomes '-', at most HELIX_RECORDING_NUMBER_MAX
 * characters, "unknown" when empty. */
char *helix_recording_clean_number (const char *number);

/* "{TO}_{FROM}_{YYYY}_{MM}_{DD}_{HH}_{mm}_{EPOCH_MS}.wav": the date parts
 * are @answer_time's own fields (pass a local GDateTime), EPOCH_MS is the
 * same instant in Unix milliseconds.  Never contains a directory part. */
char *helix_recording_file_name    (const char *to,
                                    const char *from,
                                    GDateTime  *answer_time);

G_END_DECLS

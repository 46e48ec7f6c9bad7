/* helix-multipart-stream.h — a multipart/form-data body read straight from disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HELIX_TYPE_MULTIPART_STREAM (helix_multipart_stream_get_type ())

G_DECLARE_FINAL_TYPE (HelixMultipartStream, helix_multipart_stream, HELIX, MULTIPART_STREAM, GInputStream)

GInputStream *helix_multipart_stream_new        (const char   *field,
                                                 const char   *filename,
                                                 const char   *content_type,
                                                 GInputStream *file,
                                                 goffset       file_size);
const char   *helix_multipart_stream_get_boundary (HelixMultipartStream *self);
goffset       helix_multipart_stream_get_length (HelixMultipartStream *self);

G_END_DECLS

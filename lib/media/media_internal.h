/* What decoding and blurring share: one libvips start-up for the library. */
#ifndef JAGA_MEDIA_INTERNAL_H
#define JAGA_MEDIA_INTERNAL_H

#include "jaga/status.h"

/* Starts libvips once (single-threaded operations, no operation cache, its warnings
 * dropped). JAGA_OK, or JAGA_ERR_NOMEM on ctx when it cannot start. */
jaga_status jaga__media_vips_start(jaga_ctx *ctx);

/* Records what failed with the libvips error text (first line) on ctx, clears that text,
 * and returns status. */
jaga_status jaga__media_vips_fail(jaga_ctx *ctx, jaga_status status, const char *what);

#endif

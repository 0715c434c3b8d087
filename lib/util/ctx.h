/* Internal: recording error details on a jaga_ctx. */
#ifndef JAGA_UTIL_CTX_H
#define JAGA_UTIL_CTX_H

#include "jaga/status.h"

/* Formats a detail message onto ctx (if not NULL) and returns status, so that error paths
 * read `return jaga_fail(ctx, JAGA_ERR_LIMIT, "width %u > %u", w, max);`. */
jaga_status jaga_fail(jaga_ctx *ctx, jaga_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears the detail message. */
void jaga_ctx_clear(jaga_ctx *ctx);

#endif

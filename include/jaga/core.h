/*
 * jaga's core helpers that callers of the library use too: recording an error on a context,
 * reading files under a size cap (secrets only when they are their owner's alone), times as
 * text, and where a value sits in a JSON text.
 *
 * Thread safety: all may be called from any thread (each ctx by one thread at a time).
 */
#ifndef JAGA_CORE_H
#define JAGA_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Formats a detail message onto ctx (if not NULL) and returns status, so that error paths
 * read `return jaga_fail(ctx, JAGA_ERR_LIMIT, "width %u > %u", w, max);`. */
jaga_status jaga_fail(jaga_ctx *ctx, jaga_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears the detail message. */
void jaga_ctx_clear(jaga_ctx *ctx);

/* Reads path into a new buffer (free()) of *len bytes. A file over max_bytes is refused with
 * JAGA_ERR_LIMIT before it is read. Returns JAGA_OK, JAGA_ERR_IO, JAGA_ERR_LIMIT or
 * JAGA_ERR_NOMEM; details on ctx. */
jaga_status jaga_file_read(jaga_ctx *ctx, const char *path, size_t max_bytes, void **data,
                           size_t *len);

/* The same for a secret (keys, webhook secrets): refused with JAGA_ERR_DENIED, unread, when
 * the file grants its group or others any access. */
jaga_status jaga_file_read_secret(jaga_ctx *ctx, const char *path, size_t max_bytes, void **data,
                                  size_t *len);

/* JAGA_OK when the open file fd (named path in messages) is its owner's alone, else
 * JAGA_ERR_DENIED saying how to fix it. */
jaga_status jaga_file_private(jaga_ctx *ctx, int fd, const char *path);

/* Unix seconds, YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ into *out. 0, or -1 on
 * anything else. */
int jaga_time_parse(const char *text, int64_t *out);

/* The 1-based line of the value at path in a JSON text that has parsed already (for messages
 * that name file:line of a field; jansson keeps no positions for values): path is
 * "/"-separated object keys and array indexes, e.g. "jurisdictions/2/deadlines/notice" (""
 * for the whole document). Where the path ends early, the line of the deepest part found; 0
 * when the text is not JSON after all. */
int jaga_json_line(const char *text, size_t len, const char *path);

#ifdef __cplusplus
}
#endif
#endif

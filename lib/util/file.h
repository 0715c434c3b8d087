/* Internal: reading a whole file under a size cap. */
#ifndef JAGA_UTIL_FILE_H
#define JAGA_UTIL_FILE_H

#include <stddef.h>

#include "jaga/status.h"

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

#endif

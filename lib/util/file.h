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

#endif

/* Request bodies spooled to disk as they arrive (bank imports), so that their size is bound
 * by the disk and max_import_bytes rather than by memory. */
#ifndef JAGA_SERVER_SPOOL_H
#define JAGA_SERVER_SPOOL_H

#include <stddef.h>

/* A new temporary file in the directory of beside (a path), already unlinked; -1 on
 * failure. */
int spool_open(const char *beside);

/* Appends n bytes at *len: 0; -1 past max bytes in all; -2 on a write error (a full disk). */
int spool_write(int fd, size_t *len, const char *data, size_t n, size_t max);

/* Maps the len bytes of the file read-only into *body (NULL when empty); 0, or -1. Unmap
 * with munmap(*body, len). */
int spool_map(int fd, size_t len, char **body, size_t *body_len);

#endif

/* Internal: snapshot streams, for the file functions and the fuzz target. */
#ifndef JAGA_INDEX_SNAPSHOT_H
#define JAGA_INDEX_SNAPSHOT_H

#include <stdint.h>
#include <stdio.h>

#include "jaga/index.h"

/* Writes the snapshot of x to f. Caller holds x's writer mutex. 0 or -1 (I/O error). */
int snapshot_write(jaga_index *x, FILE *f);

/* Reads a snapshot of file_size bytes from f into a new index. */
jaga_status snapshot_read(jaga_ctx *ctx, FILE *f, uint64_t file_size, jaga_index **out);

#endif

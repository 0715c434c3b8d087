/* Internal: snapshot images in memory, for the file functions and the fuzz target. */
#ifndef JAGA_INDEX_SNAPSHOT_H
#define JAGA_INDEX_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jaga/index.h"

/* Writes the snapshot of x to f. Caller holds x's writer mutex. 0 or -1 (I/O error). */
int jaga__snapshot_write(jaga_index *x, FILE *f);

/* The checksum trailer of a snapshot image of size bytes (the fuzz target writes its own). */
void jaga__snapshot_seal(uint8_t *data, size_t size);

/* Makes an index of the snapshot image at data (size bytes, 16-byte aligned, writable).
 * The index uses the image in place: on success it owns data and releases it with munmap
 * when mapped is set, free otherwise; on failure data stays the caller's. */
jaga_status jaga__snapshot_adopt(jaga_ctx *ctx, uint8_t *data, size_t size, int mapped,
                                 jaga_index **out);

#endif

/* Internal: a vpdq entry's features as the store keeps them, 41 bytes each: the PDQ hash
 * (32 bytes, in its hex digits' order), quality (1), timestamp in milliseconds (4, little
 * endian) and frame number (4, little endian). */
#ifndef JAGA_STORE_ENTRY_FEATURES_H
#define JAGA_STORE_ENTRY_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/bank.h"

enum { ENTRY_FEATURE_BYTES = 41 };

/* n features into a malloc'd blob of n * ENTRY_FEATURE_BYTES; NULL when out of memory. */
uint8_t *jaga__entry_features_encode(const jaga_vpdq_feature *features, size_t n);

/* A blob back into *features (malloc'd, the caller frees). JAGA_OK, JAGA_ERR_IO (a damaged store)
 * for a blob that is no whole number of features, holds none or more than
 * JAGA_VPDQ_ENTRY_FEATURES_MAX, or a quality above 100; JAGA_ERR_NOMEM. */
jaga_status jaga__entry_features_decode(jaga_ctx *ctx, const uint8_t *blob, size_t len,
                                        jaga_vpdq_feature **features, size_t *n);

#endif

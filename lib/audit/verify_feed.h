/* Internal: the leaves of the log read for jaga_audit_verify, in batches, by a thread of
 * their own on another handle of the store when there is one. */
#ifndef JAGA_VERIFY_FEED_H
#define JAGA_VERIFY_FEED_H

#include "jaga/audit.h"

enum { LEAF_HASH_DIFFERS = 1, LEAF_KIND_DIFFERS = 2 };

/* A leaf as read: its index, kind, data (in the batch) and stored hash. */
typedef struct read_leaf {
    uint64_t index;
    const char *data;
    size_t len;
    uint8_t stored[JAGA_MERKLE_HASH];
    char kind[JAGA_AUDIT_KIND_MAX];
} read_leaf;

/* The leaf's hash recomputed from its data into hash; what differs from what the store says
 * of it (LEAF_*). */
unsigned jaga__verify_leaf(const read_leaf *leaf, uint8_t hash[JAGA_MERKLE_HASH]);

typedef struct verify_feed verify_feed;

/* The leaves with index below limit, in order. */
jaga_status jaga__verify_feed_open(jaga_store *store, jaga_ctx *ctx, uint64_t limit,
                                   verify_feed **out);

/* The next batch: *leaves valid until the next call; *n 0 at the end. */
jaga_status jaga__verify_feed_next(verify_feed *f, jaga_ctx *ctx, const read_leaf **leaves,
                                   size_t *n);

/* Stops the reader (a no-op on NULL). */
void jaga__verify_feed_close(verify_feed *f);

#endif

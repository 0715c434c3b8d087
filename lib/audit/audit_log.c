/* Tree heads and proofs, read from the nodes the store keeps. */
#include <string.h>

#include "audit/audit_internal.h"
#include "jaga/core.h"

typedef struct node_reader {
    jaga_store *store;
    jaga_ctx *ctx;
} node_reader;

static int read_node(void *arg, unsigned level, uint64_t index, uint8_t out[JAGA_MERKLE_HASH])
{
    node_reader *r = arg;
    return jaga_store_audit_node(r->store, r->ctx, level, index, out) != JAGA_OK;
}

/* Fails with the store's reason when a node could not be read. */
static jaga_status proof_status(jaga_ctx *ctx, jaga_status st, const char *what)
{
    if (st == JAGA_ERR_IO)
        return jaga_fail(ctx, JAGA_ERR_IO, "audit: %s: %s", what, jaga_errmsg(ctx));
    return st;
}

static jaga_status within_log(jaga_store *store, jaga_ctx *ctx, uint64_t size)
{
    uint64_t have;
    jaga_status st = jaga_store_audit_size(store, ctx, &have);
    if (st == JAGA_OK && size > have)
        st = jaga_fail(ctx, JAGA_ERR_INVALID, "audit: the log has %llu leaves, not %llu",
                       (unsigned long long)have, (unsigned long long)size);
    return st;
}

jaga_status jaga_audit_head(jaga_store *store, const jaga_audit_key *key, jaga_ctx *ctx,
                            int64_t now, jaga_tree_head *out)
{
    uint64_t size;
    jaga_tree_head latest;
    jaga_status st = jaga_store_audit_size(store, ctx, &size);
    if (st != JAGA_OK)
        return st;
    st = jaga_store_audit_head_latest(store, ctx, &latest);
    if (st == JAGA_OK && latest.size == size) {
        *out = latest;
        return JAGA_OK;
    }
    if (st != JAGA_OK && st != JAGA_ERR_NOT_FOUND)
        return st;
    memset(out, 0, sizeof(*out));
    out->size = size;
    out->signed_at = now;
    node_reader r = {store, ctx};
    st = jaga_merkle_tree_root(read_node, &r, size, out->root);
    if (st != JAGA_OK)
        return proof_status(ctx, st, "computing the root");
    if ((st = jaga__audit_head_sign(key, ctx, out)) != JAGA_OK)
        return st;
    return jaga_store_audit_head_put(store, ctx, out);
}

jaga_status jaga_audit_inclusion(jaga_store *store, jaga_ctx *ctx, uint64_t index, uint64_t size,
                                 uint8_t (*out)[JAGA_MERKLE_HASH], size_t *n)
{
    jaga_status st = within_log(store, ctx, size);
    node_reader r = {store, ctx};
    if (st == JAGA_OK)
        st = jaga_merkle_inclusion_proof(read_node, &r, index, size, out, n);
    return proof_status(ctx, st, "an inclusion proof");
}

jaga_status jaga_audit_consistency(jaga_store *store, jaga_ctx *ctx, uint64_t old_size,
                                   uint64_t new_size, uint8_t (*out)[JAGA_MERKLE_HASH], size_t *n)
{
    jaga_status st = within_log(store, ctx, new_size);
    node_reader r = {store, ctx};
    if (st == JAGA_OK)
        st = jaga_merkle_consistency_proof(read_node, &r, old_size, new_size, out, n);
    return proof_status(ctx, st, "a consistency proof");
}

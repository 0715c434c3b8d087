/* The store interface for the audit log: the leaf of each change, and reading the log. */
#include <string.h>

#include "store/store_backend.h"
#include "jaga/core.h"

jaga_status jaga__store_leaf_append(jaga_store *s, jaga_ctx *ctx, const store_leaf *leaf)
{
    if (leaf->overflow)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "store: the audit record of %s is over %d bytes",
                         leaf->kind, JAGA_AUDIT_LEAF_MAX);
    double t0 = jaga__store_clock();
    return jaga__store_observed(s, "audit_append", t0,
                                s->ops->audit_append(s, ctx, leaf->kind, leaf->data, leaf->len));
}

jaga_status jaga__store_change_end(jaga_store *s, jaga_ctx *ctx, jaga_status st)
{
    if (st == JAGA_OK && (st = s->ops->commit(s, ctx)) == JAGA_OK)
        return JAGA_OK;
    s->ops->rollback(s);
    return st;
}

jaga_status jaga_store_audit_size(jaga_store *s, jaga_ctx *ctx, uint64_t *out)
{
    STORE_CALL(audit_size, out);
}

jaga_status jaga_store_audit_node(jaga_store *s, jaga_ctx *ctx, unsigned level, uint64_t index,
                                  uint8_t out[32])
{
    STORE_CALL(audit_node, level, index, out);
}

jaga_status jaga_store_audit_scan(jaga_store *s, jaga_ctx *ctx, unsigned level, uint64_t from,
                                  jaga_audit_scan **out)
{
    *out = NULL;
    STORE_CALL(audit_scan, level, from, out);
}

jaga_status jaga_audit_scan_next(jaga_audit_scan *scan, jaga_ctx *ctx, jaga_audit_row *row)
{
    return scan->next(scan, ctx, row);
}

void jaga_audit_scan_close(jaga_audit_scan *scan)
{
    if (scan)
        scan->close(scan);
}

jaga_status jaga_store_audit_head_put(jaga_store *s, jaga_ctx *ctx, const jaga_tree_head *h)
{
    STORE_CALL(audit_head_put, h);
}

jaga_status jaga_store_audit_head_latest(jaga_store *s, jaga_ctx *ctx, jaga_tree_head *out)
{
    STORE_CALL(audit_head_latest, out);
}

jaga_status jaga_store_audit_heads(jaga_store *s, jaga_ctx *ctx, jaga_tree_head **out, size_t *n)
{
    STORE_CALL(audit_heads, out, n);
}

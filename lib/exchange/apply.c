/* A checked batch into the local bank, with the subscription's cursor, in one transaction. */
#include <stdlib.h>
#include <string.h>

#include "jaga/exchange.h"
#include "jaga/core.h"

jaga_status jaga_exchange_batch_apply(jaga_store *store, jaga_ctx *ctx,
                                      const jaga_subscription *sub, const jaga_exchange_batch *b,
                                      void (*changed)(void *arg, const jaga_entry *entry),
                                      void *arg, size_t *applied)
{
    *applied = 0;
    int64_t *ids = b->n ? calloc(b->n, sizeof(*ids)) : NULL; /* 0: unchanged here */
    if (b->n && !ids)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory to apply a batch");
    jaga_status st = jaga_store_begin(store, ctx);
    for (size_t i = 0; st == JAGA_OK && i < b->n; i++) {
        jaga_entry e = b->items[i].entry;
        e.bank_id = sub->bank_id;
        e.id = 0;
        jaga_apply_result res;
        st = jaga_store_entry_apply(store, ctx, &e, &res);
        if (st == JAGA_OK && (res == JAGA_APPLY_ADDED || res == JAGA_APPLY_REACTIVATED ||
                              res == JAGA_APPLY_WITHDRAWN))
            ids[i] = e.id;
        else if (st != JAGA_OK)
            jaga_fail(ctx, st, "change %lld (%s %s): %s", (long long)b->items[i].seq,
                      jaga_signal_type_name(e.type), e.value, jaga_errmsg(ctx));
    }
    uint8_t digest[32];
    jaga_exchange_batch_digest(b, digest);
    if (st == JAGA_OK)
        st = jaga_store_subscription_advance(store, ctx, sub->id, b->from, b->to, b->n, digest);
    if (st == JAGA_OK)
        st = jaga_store_commit(store, ctx);
    else
        jaga_store_rollback(store);
    for (size_t i = 0; st == JAGA_OK && i < b->n; i++) {
        if (!ids[i])
            continue;
        (*applied)++;
        if (changed) {
            jaga_entry e = b->items[i].entry;
            e.bank_id = sub->bank_id;
            e.id = ids[i];
            changed(arg, &e);
        }
    }
    free(ids);
    return st;
}

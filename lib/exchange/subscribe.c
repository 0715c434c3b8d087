/* A subscription to a peer's bank, with its local bank. */
#include <stdio.h>
#include <string.h>

#include "jaga/exchange.h"
#include "jaga/core.h"

jaga_status jaga_exchange_subscribe(jaga_store *store, jaga_ctx *ctx, const char *peer,
                                    const char *remote_bank, const char *local_bank,
                                    jaga_subscription *sub)
{
    memset(sub, 0, sizeof(*sub));
    jaga_peer p;
    jaga_status st = jaga_store_peer_get(store, ctx, peer, &p);
    if (st == JAGA_OK && p.revoked_at)
        st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "peer %s is revoked", peer);
    if (st != JAGA_OK)
        return st;
    if (strlen(remote_bank) >= sizeof(sub->remote_bank) ||
        (local_bank && strlen(local_bank) >= sizeof(sub->bank)))
        return jaga_fail(ctx, JAGA_ERR_INVALID, "bank names have at most %d characters",
                         JAGA_BANK_NAME_MAX - 1);
    snprintf(sub->remote_bank, sizeof(sub->remote_bank), "%s", remote_bank);
    snprintf(sub->bank, sizeof(sub->bank), "%s", local_bank ? local_bank : remote_bank);
    snprintf(sub->peer, sizeof(sub->peer), "%s", p.name);
    sub->peer_id = p.id;
    if ((st = jaga_store_begin(store, ctx)) != JAGA_OK)
        return st;
    jaga_bank bank;
    st = jaga_store_bank_get(store, ctx, sub->bank, &bank);
    if (st == JAGA_ERR_NOT_FOUND) {
        jaga_bank_init(&bank, sub->bank);
        snprintf(bank.description, sizeof(bank.description), "from peer %s, bank %s", p.name,
                 remote_bank);
        st = jaga_store_bank_create(store, ctx, &bank);
    }
    sub->bank_id = bank.id;
    if (st == JAGA_OK)
        st = jaga_store_subscription_add(store, ctx, sub);
    if (st == JAGA_OK)
        st = jaga_store_commit(store, ctx);
    else
        jaga_store_rollback(store);
    return st;
}

/* Feed batches: building, the signed digest, the checks a subscriber makes. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/exchange.h"
#include "jaga/core.h"

static const char batch_prefix[] = "jaga-exchange-batch-v1";

jaga_status jaga_exchange_batch_new(const char *bank, int64_t from, jaga_exchange_batch **out)
{
    jaga_exchange_batch *b = calloc(1, sizeof(*b));
    if (!b)
        return JAGA_ERR_NOMEM;
    snprintf(b->bank, sizeof(b->bank), "%s", bank);
    b->from = b->to = from;
    *out = b;
    return JAGA_OK;
}

void jaga_exchange_batch_free(jaga_exchange_batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        free((void *)b->items[i].entry.features);
    free(b->items);
    free(b);
}

jaga_status jaga_exchange_batch_add(jaga_exchange_batch *b, jaga_ctx *ctx, int64_t seq,
                                    const jaga_entry *entry)
{
    if (seq <= b->to)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "change %lld does not follow %lld", (long long)seq,
                         (long long)b->to);
    if (b->n == JAGA_EXCHANGE_ITEMS_MAX ||
        entry->nfeatures > JAGA_EXCHANGE_FEATURES_MAX - b->features)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "a batch holds at most %d changes and %d features",
                         JAGA_EXCHANGE_ITEMS_MAX, JAGA_EXCHANGE_FEATURES_MAX);
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        jaga_exchange_item *grown = realloc(b->items, cap * sizeof(*grown));
        if (!grown)
            return jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory for a batch");
        b->items = grown;
        b->cap = cap;
    }
    jaga_exchange_item *it = &b->items[b->n];
    it->seq = seq;
    it->entry = *entry;
    it->entry.features = NULL;
    it->entry.nfeatures = 0;
    if (entry->withdrawn) { /* a withdrawal names the entry: its type and value say it all */
        it->entry.quality = -1;
        it->entry.labels[0] = '\0';
    } else if (entry->nfeatures) {
        jaga_vpdq_feature *copy = malloc(entry->nfeatures * sizeof(*copy));
        if (!copy)
            return jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory for a batch");
        memcpy(copy, entry->features, entry->nfeatures * sizeof(*copy));
        it->entry.features = copy;
        it->entry.nfeatures = entry->nfeatures;
        b->features += entry->nfeatures;
    }
    b->n++;
    b->to = seq;
    return JAGA_OK;
}

static void put_u64(EVP_MD_CTX *md, uint64_t v)
{
    uint8_t be[8];
    for (int i = 0; i < 8; i++)
        be[i] = (uint8_t)(v >> (56 - 8 * i));
    EVP_DigestUpdate(md, be, 8);
}

static void put_text(EVP_MD_CTX *md, const char *text)
{
    EVP_DigestUpdate(md, text, strlen(text) + 1);
}

void jaga_exchange_batch_digest(const jaga_exchange_batch *b, uint8_t out[32])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned len = 32;
    memset(out, 0, 32);
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(md);
        return; /* an all-zero digest: no signature will match it */
    }
    put_text(md, b->bank);
    put_u64(md, (uint64_t)b->from);
    put_u64(md, (uint64_t)b->to);
    put_u64(md, (uint64_t)(b->more != 0));
    put_u64(md, b->n);
    for (size_t i = 0; i < b->n; i++) {
        const jaga_entry *e = &b->items[i].entry;
        put_u64(md, (uint64_t)b->items[i].seq);
        put_u64(md, (uint64_t)(e->withdrawn != 0));
        put_text(md, jaga_signal_type_name(e->type));
        put_text(md, e->value);
        put_u64(md, (uint64_t)(int64_t)e->quality);
        put_text(md, e->labels);
        put_u64(md, e->nfeatures);
        for (size_t f = 0; f < e->nfeatures; f++) {
            char line[JAGA_VPDQ_LINE_MAX + 1];
            jaga_vpdq_feature_compact(&e->features[f], line);
            put_text(md, line);
        }
    }
    EVP_DigestFinal_ex(md, out, &len);
    EVP_MD_CTX_free(md);
}

/* The bytes signed: the prefix, a NUL, the digest. */
static size_t signed_message(const jaga_exchange_batch *b, uint8_t *msg)
{
    memcpy(msg, batch_prefix, sizeof(batch_prefix));
    jaga_exchange_batch_digest(b, msg + sizeof(batch_prefix));
    return sizeof(batch_prefix) + 32;
}

jaga_status jaga_exchange_batch_sign(jaga_exchange_batch *b, const jaga_audit_key *key,
                                     jaga_ctx *ctx)
{
    uint8_t msg[sizeof(batch_prefix) + 32];
    size_t len = signed_message(b, msg);
    jaga_audit_key_public(key, b->publisher);
    return jaga_audit_key_sign(key, ctx, msg, len, b->signature);
}

jaga_status jaga_exchange_batch_check(const jaga_exchange_batch *b, jaga_ctx *ctx,
                                      const uint8_t public_key[32], const char *bank,
                                      int64_t cursor, const char **reason)
{
    uint8_t msg[sizeof(batch_prefix) + 32];
    size_t len = signed_message(b, msg);
    *reason = "signature";
    if (!jaga_signature_check(public_key, msg, len, b->signature))
        return jaga_fail(ctx, JAGA_ERR_DECODE,
                         "the batch of %s after %lld is not signed by the peer's key", b->bank,
                         (long long)b->from);
    *reason = "order";
    if (strcmp(b->bank, bank) != 0)
        return jaga_fail(ctx, JAGA_ERR_DECODE, "a batch of bank %s came for %s", b->bank, bank);
    if (b->from != cursor)
        return jaga_fail(ctx, JAGA_ERR_DECODE, "the batch follows change %lld, not %lld",
                         (long long)b->from, (long long)cursor);
    int64_t last = b->from;
    for (size_t i = 0; i < b->n; i++) {
        if (b->items[i].seq <= last)
            return jaga_fail(ctx, JAGA_ERR_DECODE, "change %lld comes after %lld",
                             (long long)b->items[i].seq, (long long)last);
        last = b->items[i].seq;
    }
    if (b->to < last)
        return jaga_fail(ctx, JAGA_ERR_DECODE, "the batch ends at %lld, before its last change",
                         (long long)b->to);
    *reason = NULL;
    return JAGA_OK;
}

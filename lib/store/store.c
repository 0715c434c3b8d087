/* The store interface: argument checks shared by every backend, then the backend. */
#include "jaga/store.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_backend.h"
#include "util/ctx.h"

jaga_status jaga_store_open(jaga_ctx *ctx, const char *path, jaga_store **out)
{
    *out = NULL;
    if (!path || !*path)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "store: no path");
    return store_sqlite_open(ctx, path, out);
}

void jaga_store_free(jaga_store *s)
{
    if (s)
        s->ops->close(s);
}

jaga_status jaga_store_ping(jaga_store *s, jaga_ctx *ctx)
{
    return s->ops->ping(s, ctx);
}

jaga_status jaga_store_checkpoint(jaga_store *s, jaga_ctx *ctx)
{
    return s->ops->checkpoint(s, ctx);
}

jaga_status jaga_store_begin(jaga_store *s, jaga_ctx *ctx)
{
    return s->ops->begin(s, ctx);
}

jaga_status jaga_store_commit(jaga_store *s, jaga_ctx *ctx)
{
    return s->ops->commit(s, ctx);
}

void jaga_store_rollback(jaga_store *s)
{
    s->ops->rollback(s);
}

jaga_status jaga_store_bank_create(jaga_store *s, jaga_ctx *ctx, jaga_bank *bank)
{
    jaga_status st = jaga_bank_check(ctx, bank);
    return st == JAGA_OK ? s->ops->bank_create(s, ctx, bank) : st;
}

jaga_status jaga_store_bank_get(jaga_store *s, jaga_ctx *ctx, const char *name, jaga_bank *out)
{
    return s->ops->bank_get(s, ctx, name, out);
}

jaga_status jaga_store_bank_list(jaga_store *s, jaga_ctx *ctx, jaga_bank **out, size_t *n)
{
    return s->ops->bank_list(s, ctx, out, n);
}

jaga_status jaga_store_bank_update(jaga_store *s, jaga_ctx *ctx, const jaga_bank *bank)
{
    jaga_status st = jaga_bank_check(ctx, bank);
    return st == JAGA_OK ? s->ops->bank_update(s, ctx, bank) : st;
}

jaga_status jaga_store_entry_apply(jaga_store *s, jaga_ctx *ctx, jaga_entry *e,
                                   jaga_apply_result *r)
{
    char value[JAGA_SIGNAL_VALUE_MAX];
    jaga_status st = jaga_signal_normalize(ctx, e->type, e->value, value);
    if (st == JAGA_OK) {
        memcpy(e->value, value, sizeof(value));
        st = jaga_labels_check(ctx, e->labels);
    }
    if (st == JAGA_OK && (e->quality < -1 || e->quality > 100))
        st = jaga_fail(ctx, JAGA_ERR_INVALID, "quality %d is outside 0..100", e->quality);
    return st == JAGA_OK ? s->ops->entry_apply(s, ctx, e, r) : st;
}

jaga_status jaga_store_entry_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_entry *out)
{
    return s->ops->entry_get(s, ctx, id, out);
}

jaga_status jaga_store_entries_each(jaga_store *s, jaga_ctx *ctx, int64_t bank_id,
                                    int with_withdrawn, jaga_entry_fn fn, void *arg)
{
    return s->ops->entries_each(s, ctx, bank_id, with_withdrawn, fn, arg);
}

jaga_status jaga_store_key_create(jaga_store *s, jaga_ctx *ctx, jaga_key *key)
{
    jaga_status st = jaga_key_check(ctx, key);
    return st == JAGA_OK ? s->ops->key_create(s, ctx, key) : st;
}

jaga_status jaga_store_key_get(jaga_store *s, jaga_ctx *ctx, const char *prefix, jaga_key *out)
{
    return s->ops->key_get(s, ctx, prefix, out);
}

jaga_status jaga_store_key_list(jaga_store *s, jaga_ctx *ctx, jaga_key **out, size_t *n)
{
    return s->ops->key_list(s, ctx, out, n);
}

jaga_status jaga_store_key_revoke(jaga_store *s, jaga_ctx *ctx, const char *prefix)
{
    return s->ops->key_revoke(s, ctx, prefix);
}

void jaga_content_clear(jaga_content *c)
{
    free(c->matches_json);
    c->matches_json = NULL;
}

jaga_status jaga_store_content_put(jaga_store *s, jaga_ctx *ctx, jaga_content *c)
{
    if (!c->content_id[0])
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a content id is required");
    for (const char *p = c->content_id; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return jaga_fail(ctx, JAGA_ERR_INVALID, "content ids have no control characters");
    return s->ops->content_put(s, ctx, c);
}

jaga_status jaga_store_content_get(jaga_store *s, jaga_ctx *ctx, const char *id, jaga_content *out)
{
    return s->ops->content_get(s, ctx, id, out);
}

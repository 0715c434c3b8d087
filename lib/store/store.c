/* The store interface: argument checks shared by every backend, then the backend. */
#include "jaga/store.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "store/store_backend.h"
#include "jaga/core.h"

double jaga__store_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Reports an operation's duration to the observer; returns its status. Callers read the
 * start time in a statement of its own: argument order is unspecified. */
jaga_status jaga__store_observed(jaga_store *s, const char *op, double start, jaga_status st)
{
    if (s->observer)
        s->observer(s->observer_arg, op, jaga__store_clock() - start);
    return st;
}

void jaga_store_observe(jaga_store *s, jaga_store_observer fn, void *arg)
{
    s->observer = fn;
    s->observer_arg = arg;
}

jaga_status jaga_store_open(jaga_ctx *ctx, const char *path, jaga_store **out)
{
    *out = NULL;
    if (!path || !*path)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "store: no path");
    return jaga__store_sqlite_open(ctx, path, out);
}

jaga_status jaga_store_reopen(jaga_store *s, jaga_ctx *ctx, jaga_store **out)
{
    *out = NULL;
    char path[4096];
    jaga_status st = s->ops->path(s, ctx, path, sizeof(path));
    return st == JAGA_OK ? jaga_store_open(ctx, path, out) : st;
}

void jaga_store_free(jaga_store *s)
{
    if (s)
        s->ops->close(s);
}

jaga_status jaga_store_ping(jaga_store *s, jaga_ctx *ctx)
{
    double t0 = jaga__store_clock();
    return jaga__store_observed(s, "ping", t0, s->ops->ping(s, ctx));
}

jaga_status jaga_store_checkpoint(jaga_store *s, jaga_ctx *ctx)
{
    double t0 = jaga__store_clock();
    return jaga__store_observed(s, "checkpoint", t0, s->ops->checkpoint(s, ctx));
}

jaga_status jaga_store_begin(jaga_store *s, jaga_ctx *ctx)
{
    double t0 = jaga__store_clock();
    return jaga__store_observed(s, "begin", t0, s->ops->begin(s, ctx));
}

jaga_status jaga_store_commit(jaga_store *s, jaga_ctx *ctx)
{
    double t0 = jaga__store_clock();
    return jaga__store_observed(s, "commit", t0, s->ops->commit(s, ctx));
}

void jaga_store_rollback(jaga_store *s)
{
    s->ops->rollback(s);
}

jaga_status jaga_store_bank_create(jaga_store *s, jaga_ctx *ctx, jaga_bank *bank)
{
    jaga_status st = jaga_bank_check(ctx, bank);
    if (st != JAGA_OK)
        return st;
    STORE_AUDITED(bank_create, jaga__leaf_bank(&leaf, "bank.create", bank), bank);
}

jaga_status jaga_store_bank_get(jaga_store *s, jaga_ctx *ctx, const char *name, jaga_bank *out)
{
    STORE_CALL(bank_get, name, out);
}

jaga_status jaga_store_bank_list(jaga_store *s, jaga_ctx *ctx, jaga_bank **out, size_t *n)
{
    STORE_CALL(bank_list, out, n);
}

jaga_status jaga_store_bank_update(jaga_store *s, jaga_ctx *ctx, const jaga_bank *bank)
{
    jaga_status st = jaga_bank_check(ctx, bank);
    if (st != JAGA_OK)
        return st;
    STORE_AUDITED(bank_update, jaga__leaf_bank(&leaf, "bank.update", bank), bank);
}

/* A vpdq entry added comes with its features, whose digest is its value (filled in when
 * empty). */
static jaga_status vpdq_value_check(jaga_ctx *ctx, jaga_entry *e)
{
    if (e->type != JAGA_SIGNAL_VPDQ || e->withdrawn)
        return JAGA_OK;
    char value[JAGA_SIGNAL_VALUE_MAX];
    jaga_status st = jaga_vpdq_entry_value(ctx, e->features, e->nfeatures, value);
    if (st == JAGA_OK && e->value[0] && strcasecmp(e->value, value) != 0)
        st = jaga_fail(ctx, JAGA_ERR_INVALID, "vpdq value %s is not its features' digest %s",
                       e->value, value);
    if (st == JAGA_OK)
        memcpy(e->value, value, sizeof(value));
    return st;
}

jaga_status jaga_store_entry_apply(jaga_store *s, jaga_ctx *ctx, jaga_entry *e,
                                   jaga_apply_result *r)
{
    char value[JAGA_SIGNAL_VALUE_MAX];
    jaga_status st = vpdq_value_check(ctx, e);
    if (st == JAGA_OK)
        st = jaga_signal_normalize(ctx, e->type, e->value, value);
    if (st == JAGA_OK) {
        memcpy(e->value, value, sizeof(value));
        st = jaga_labels_check(ctx, e->labels);
    }
    if (st == JAGA_OK && (e->quality < -1 || e->quality > 100))
        st = jaga_fail(ctx, JAGA_ERR_INVALID, "quality %d is outside 0..100", e->quality);
    if (st != JAGA_OK)
        return st;
    STORE_AUDITED(entry_apply, jaga__leaf_entry(&leaf, e, *r), e, r);
}

jaga_status jaga_store_entry_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_entry *out)
{
    STORE_CALL(entry_get, id, out);
}

jaga_status jaga_store_entries_each(jaga_store *s, jaga_ctx *ctx, const jaga_entry_filter *f,
                                    jaga_entry_fn fn, void *arg)
{
    STORE_CALL(entries_each, f, fn, arg);
}

jaga_status jaga_store_generation(jaga_store *s, jaga_ctx *ctx, uint64_t *out)
{
    STORE_CALL(generation, out);
}

jaga_status jaga_store_key_create(jaga_store *s, jaga_ctx *ctx, jaga_key *key)
{
    jaga_status st = jaga_key_check(ctx, key);
    if (st != JAGA_OK)
        return st;
    STORE_AUDITED(key_create, jaga__leaf_key(&leaf, key), key);
}

jaga_status jaga_store_key_get(jaga_store *s, jaga_ctx *ctx, const char *prefix, jaga_key *out)
{
    STORE_CALL(key_get, prefix, out);
}

jaga_status jaga_store_key_list(jaga_store *s, jaga_ctx *ctx, jaga_key **out, size_t *n)
{
    STORE_CALL(key_list, out, n);
}

jaga_status jaga_store_key_revoke(jaga_store *s, jaga_ctx *ctx, const char *prefix)
{
    STORE_AUDITED(key_revoke, jaga__leaf_key_revoke(&leaf, prefix), prefix);
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
    STORE_AUDITED(content_put, jaga__leaf_content(&leaf, c), c);
}

jaga_status jaga_store_content_get(jaga_store *s, jaga_ctx *ctx, const char *id, jaga_content *out)
{
    STORE_CALL(content_get, id, out);
}

static int scope_ok(const char *scope)
{
    return strcmp(scope, JAGA_EVERYWHERE) == 0 ||
           (strlen(scope) == 2 && isupper((unsigned char)scope[0]) &&
            isupper((unsigned char)scope[1]));
}

jaga_status jaga_store_restriction_add(jaga_store *s, jaga_ctx *ctx, jaga_restriction *r)
{
    if (!r->content_id[0] || !scope_ok(r->scope) || r->visibility >= JAGA_VIS_COUNT)
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "a restriction needs a content, a scope and a "
                         "visibility");
    STORE_AUDITED(restriction_add, jaga__leaf_restriction(&leaf, r), r);
}

jaga_status jaga_store_restriction_lift(jaga_store *s, jaga_ctx *ctx, int64_t id)
{
    STORE_AUDITED(restriction_lift, jaga__leaf_restriction_lift(&leaf, id), id);
}

jaga_status jaga_store_restrictions_expired(jaga_store *s, jaga_ctx *ctx, int64_t now,
                                            jaga_restriction_fn fn, void *arg)
{
    STORE_CALL(restrictions_expired, now, fn, arg);
}

jaga_status jaga_store_restrictions_each(jaga_store *s, jaga_ctx *ctx, const char *content_id,
                                         jaga_restriction_fn fn, void *arg)
{
    STORE_CALL(restrictions_each, content_id, fn, arg);
}

jaga_status jaga_store_block_set(jaga_store *s, jaga_ctx *ctx, jaga_country_block *b)
{
    if (!scope_ok(b->country) || strcmp(b->country, JAGA_EVERYWHERE) == 0)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a block needs an ISO 3166-1 alpha-2 country");
    STORE_AUDITED(block_set, jaga__leaf_block(&leaf, b), b);
}

jaga_status jaga_store_block_clear(jaga_store *s, jaga_ctx *ctx, const char *country)
{
    STORE_AUDITED(block_clear, jaga__leaf_block_clear(&leaf, country), country);
}

jaga_status jaga_store_block_list(jaga_store *s, jaga_ctx *ctx, jaga_country_block **out, size_t *n)
{
    STORE_CALL(block_list, out, n);
}

jaga_status jaga_store_case_open(jaga_store *s, jaga_ctx *ctx, jaga_case *c)
{
    if (!c->content_id[0] || !scope_ok(c->jurisdiction) || c->priority < 1 || c->priority > 5)
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "a case needs a content, a jurisdiction and a "
                         "priority of 1 to 5");
    STORE_AUDITED(case_open, jaga__leaf_case(&leaf, "case.open", c), c);
}

jaga_status jaga_store_case_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_case *out)
{
    STORE_CALL(case_get, id, out);
}

jaga_status jaga_store_case_list(jaga_store *s, jaga_ctx *ctx, const char *content_id,
                                 jaga_case **out, size_t *n)
{
    STORE_CALL(case_list, content_id, out, n);
}

jaga_status jaga_store_notice_create(jaga_store *s, jaga_ctx *ctx, jaga_notice *n)
{
    if (!scope_ok(n->jurisdiction) || strcmp(n->jurisdiction, JAGA_EVERYWHERE) == 0)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a notice needs a jurisdiction");
    STORE_AUDITED(notice_create, jaga__leaf_notice(&leaf, n), n);
}

jaga_status jaga_store_notice_item_add(jaga_store *s, jaga_ctx *ctx, jaga_notice_item *it)
{
    STORE_AUDITED(notice_item_add, jaga__leaf_notice_item(&leaf, it), it);
}

jaga_status jaga_store_notice_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_notice *out)
{
    STORE_CALL(notice_get, id, out);
}

jaga_status jaga_store_notice_list(jaga_store *s, jaga_ctx *ctx, const char *jurisdiction,
                                   jaga_notice **out, size_t *n)
{
    STORE_CALL(notice_list, jurisdiction, out, n);
}

jaga_status jaga_store_notice_items(jaga_store *s, jaga_ctx *ctx, int64_t notice_id,
                                    jaga_notice_item **out, size_t *n)
{
    STORE_CALL(notice_items, notice_id, out, n);
}

jaga_status jaga_store_notice_items_naming(jaga_store *s, jaga_ctx *ctx, const char *jurisdiction,
                                           const char *kind, const char *value,
                                           jaga_notice_item **out, size_t *n)
{
    STORE_CALL(notice_items_naming, jurisdiction, kind, value, out, n);
}

jaga_status jaga_store_notice_item_withdraw(jaga_store *s, jaga_ctx *ctx, int64_t item_id,
                                            int64_t at)
{
    STORE_AUDITED(notice_item_withdraw, jaga__leaf_notice_item_withdraw(&leaf, item_id, at),
                  item_id, at);
}

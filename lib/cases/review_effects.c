/* What a review does to memory once its changes are in the store: restrictions reach the
 * visibility map, entries and banks the matcher. Inside an outer transaction (a group
 * commit) they wait in the review's effects until it commits, so that a failed commit leaves
 * memory as it leaves the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case_internal.h"
#include "jaga/matcher.h"
#include "jaga/visibility.h"
#include "jaga/core.h"

typedef struct effect {
    enum { MAP_ADD, MAP_LIFT, MATCHER_ENTRY, MATCHER_BANK } kind;
    union {
        jaga_restriction restriction; /* MAP_ADD; MAP_LIFT: its content_id and id */
        jaga_entry entry;
        jaga_bank bank;
    } u;
} effect;

struct jaga_review_effects {
    effect *all;
    size_t n, cap;
};

jaga_status jaga_review_effects_open(jaga_review_effects **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? JAGA_OK : JAGA_ERR_NOMEM;
}

void jaga_review_effects_free(jaga_review_effects *e)
{
    if (!e)
        return;
    free(e->all);
    free(e);
}

/* A new effect at the end of e, or NULL when there is no memory for it. */
static effect *push(jaga_review_effects *e)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        effect *grown = realloc(e->all, cap * sizeof(*grown));
        if (!grown)
            return NULL;
        e->all = grown, e->cap = cap;
    }
    effect *x = &e->all[e->n++];
    memset(x, 0, sizeof(*x));
    return x;
}

static jaga_status apply_one(jaga_ctx *ctx, const jaga_review *rv, const effect *x)
{
    switch (x->kind) {
    case MAP_ADD:
        return jaga_visibility_map_add(rv->map, ctx, &x->u.restriction);
    case MAP_LIFT:
        jaga_visibility_map_lift(rv->map, x->u.restriction.content_id, x->u.restriction.id);
        return JAGA_OK;
    case MATCHER_ENTRY:
        return jaga_matcher_apply(rv->matcher, ctx, &x->u.entry);
    case MATCHER_BANK:
        return jaga_matcher_set_bank(rv->matcher, ctx, rv->db, &x->u.bank);
    }
    return JAGA_OK;
}

jaga_status jaga_review_effects_apply(jaga_review_effects *e, jaga_ctx *ctx, const jaga_review *rv)
{
    jaga_status st = JAGA_OK;
    for (size_t i = 0; st == JAGA_OK && i < e->n; i++)
        st = apply_one(ctx, rv, &e->all[i]);
    e->n = 0;
    return st;
}

/* x applied now, or kept for the outer commit. */
static jaga_status effect_run(jaga_ctx *ctx, const jaga_review *rv, const effect *x)
{
    if (!rv->effects)
        return apply_one(ctx, rv, x);
    effect *kept = push(rv->effects);
    if (!kept)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "review: no memory");
    *kept = *x;
    return JAGA_OK;
}

jaga_status jaga__review_map_add(jaga_ctx *ctx, const jaga_review *rv, const jaga_restriction *r)
{
    effect x = {.kind = MAP_ADD, .u.restriction = *r};
    return effect_run(ctx, rv, &x);
}

jaga_status jaga__review_map_lift(jaga_ctx *ctx, const jaga_review *rv, const char *content_id,
                                  int64_t id)
{
    effect x = {.kind = MAP_LIFT};
    snprintf(x.u.restriction.content_id, sizeof(x.u.restriction.content_id), "%s", content_id);
    x.u.restriction.id = id;
    return effect_run(ctx, rv, &x);
}

jaga_status jaga__review_matcher_entry(jaga_ctx *ctx, const jaga_review *rv,
                                       const jaga_entry *entry)
{
    effect x = {.kind = MATCHER_ENTRY, .u.entry = *entry};
    if (rv->effects && entry->nfeatures) /* borrowed features do not outlive the call */
        return jaga_fail(ctx, JAGA_ERR_INVALID, "review: a video entry cannot wait for a commit");
    return effect_run(ctx, rv, &x);
}

jaga_status jaga__review_matcher_bank(jaga_ctx *ctx, const jaga_review *rv, const jaga_bank *bank)
{
    effect x = {.kind = MATCHER_BANK, .u.bank = *bank};
    return effect_run(ctx, rv, &x);
}

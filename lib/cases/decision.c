/* Reviewers' decisions applied: the case, the notice items it covers, the restrictions. */
#include <stdio.h>
#include <string.h>

#include "jaga/cases.h"
#include "util/ctx.h"

enum { LIFTS_MAX = 64, DECIDED_MAX = 16 };

/* The provisional restrictions a case is about: same content, same source, its scope. */
typedef struct lifts {
    const jaga_case *c;
    jaga_restriction found[LIFTS_MAX];
    size_t n;
} lifts;

static int collect_lift(void *arg, const jaga_restriction *r)
{
    lifts *l = arg;
    if (r->provisional && strcmp(r->source, l->c->source) == 0 &&
        strcmp(r->scope, l->c->jurisdiction) == 0 && l->n < LIFTS_MAX)
        l->found[l->n++] = *r;
    return 0;
}

static jaga_visibility visibility_of(const char *action)
{
    return strcmp(action, "remove") == 0     ? JAGA_VIS_REMOVED
           : strcmp(action, "withhold") == 0 ? JAGA_VIS_WITHHELD
           : strcmp(action, "blur") == 0     ? JAGA_VIS_BLUR
           : strcmp(action, "age_gate") == 0 ? JAGA_VIS_AGE_GATE
                                             : JAGA_VIS_ALLOW;
}

/* The restrictions a decision stores (none for no_violation). */
static size_t decided(const jaga_case *c, const jaga_case_decision *d, const char (*countries)[3],
                      size_t ncountries, jaga_restriction *out)
{
    jaga_visibility v = visibility_of(d->action);
    if (v == JAGA_VIS_ALLOW)
        return 0;
    int everywhere = v == JAGA_VIS_REMOVED || !ncountries;
    size_t n = everywhere ? 1 : ncountries < DECIDED_MAX ? ncountries : DECIDED_MAX;
    for (size_t i = 0; i < n; i++) {
        jaga_restriction *r = &out[i];
        memset(r, 0, sizeof(*r));
        snprintf(r->content_id, sizeof(r->content_id), "%s", c->content_id);
        snprintf(r->scope, sizeof(r->scope), "%s", everywhere ? JAGA_EVERYWHERE : countries[i]);
        r->visibility = v;
        snprintf(r->reason, sizeof(r->reason), "%s", d->category[0] ? d->category : d->action);
        snprintf(r->legal_id, sizeof(r->legal_id), "%s", d->legal_id);
        snprintf(r->source, sizeof(r->source), "decision:%lld", (long long)c->id);
        r->ground_terms = strcmp(d->ground, "terms") == 0;
    }
    return n;
}

jaga_status jaga_case_apply_decision(jaga_ctx *ctx, jaga_store *db, jaga_visibility_map *map,
                                     jaga_case_decision *d, const char (*countries)[3],
                                     size_t ncountries, jaga_decision_result *out)
{
    static __thread lifts l;
    static __thread jaga_restriction add[DECIDED_MAX];
    jaga_case c;
    memset(out, 0, sizeof(*out));
    jaga_status st = jaga_store_case_get(db, ctx, d->case_id, &c);
    if (st != JAGA_OK)
        return st;
    l.c = &c, l.n = 0;
    size_t nadd = decided(&c, d, countries, ncountries, add);
    st = jaga_store_begin(db, ctx);
    if (st == JAGA_OK)
        st = jaga_store_case_decide(db, ctx, d);
    if (st == JAGA_OK)
        st = jaga_store_restrictions_each(db, ctx, c.content_id, collect_lift, &l);
    for (size_t i = 0; st == JAGA_OK && i < l.n; i++)
        st = jaga_store_restriction_lift(db, ctx, l.found[i].id);
    for (size_t i = 0; st == JAGA_OK && i < nadd; i++)
        st = jaga_store_restriction_add(db, ctx, &add[i]);
    if (st == JAGA_OK)
        st = jaga_store_commit(db, ctx);
    if (st != JAGA_OK) {
        jaga_store_rollback(db);
        return st;
    }
    for (size_t i = 0; i < l.n; i++)
        jaga_visibility_map_lift(map, c.content_id, l.found[i].id);
    for (size_t i = 0; st == JAGA_OK && i < nadd; i++)
        st = jaga_visibility_map_add(map, ctx, &add[i]);
    out->lifted = l.n;
    out->added = nadd;
    return st;
}

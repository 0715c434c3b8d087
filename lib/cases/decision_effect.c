/* A decision's effect: what viewers in each place it touches see of the content, before and
 * after, from the content's restrictions alone (the store's, before and after the change). */
#include <stdio.h>
#include <string.h>

#include "cases/decision_internal.h"
#include "jaga/core.h"

typedef struct loading {
    jaga_visibility_map *map;
    decision_run *run;
    jaga_ctx *ctx;
    jaga_status st;
} loading;

/* A restriction's scope as a place of the effect (once). */
static void note_place(decision_run *run, const char *place)
{
    jaga_decision_result *res = &run->result;
    for (size_t i = 0; i < res->neffect; i++)
        if (strcmp(res->effect[i].place, place) == 0)
            return;
    if (res->neffect == JAGA_EFFECT_PLACES_MAX)
        return;
    jaga_decision_effect *e = &res->effect[res->neffect++];
    snprintf(e->place, sizeof(e->place), "%s", place);
    e->elsewhere = strcmp(place, JAGA_EVERYWHERE) == 0;
}

static int load_one(void *arg, const jaga_restriction *r)
{
    loading *l = arg;
    note_place(l->run, r->scope);
    l->st = jaga_visibility_map_add(l->map, l->ctx, r);
    return l->st != JAGA_OK;
}

/* A map of the content's restrictions in the store now. */
static jaga_status load(jaga_ctx *ctx, const jaga_review *rv, decision_run *run,
                        jaga_visibility_map **out)
{
    loading l = {.run = run, .ctx = ctx};
    jaga_status st = jaga_visibility_map_open(&l.map);
    if (st == JAGA_OK)
        st = jaga_store_restrictions_each(rv->db, ctx, run->c.content_id, load_one, &l);
    if (st == JAGA_OK)
        st = l.st;
    if (st != JAGA_OK) {
        jaga_visibility_map_free(l.map);
        l.map = NULL;
    }
    *out = l.map;
    return st == JAGA_ERR_NOMEM ? jaga_fail(ctx, st, "decision: no memory") : st;
}

jaga_status jaga__effect_before(jaga_ctx *ctx, const jaga_review *rv, decision_run *run)
{
    return load(ctx, rv, run, &run->before);
}

/* What a viewer in place sees: a country of its jurisdiction; a jurisdiction's viewers in
 * general (a union's, the default one's) where the place names no single country; for "*",
 * viewers wherever no restriction names. */
static jaga_visibility seen(const jaga_policy *policy, jaga_visibility_map *map,
                            const char *content_id, const char *place)
{
    jaga_visibility_answer a;
    if (strcmp(place, JAGA_EVERYWHERE) == 0) {
        jaga_visibility_map_answer(map, content_id, "", "", &a);
        return a.visibility;
    }
    const jaga_jurisdiction *j = jaga_policy_jurisdiction(policy, place);
    int general = strcmp(j->code, place) == 0 &&
                  (j->ncountries || j == jaga_policy_jurisdiction(policy, NULL));
    jaga_visibility_map_answer(map, content_id, general ? "" : place, j->code, &a);
    return a.visibility;
}

jaga_status jaga__effect_after(jaga_ctx *ctx, const jaga_review *rv, decision_run *run)
{
    for (size_t i = 0; i < run->nscopes; i++)
        note_place(run, run->scopes[i]);
    note_place(run, JAGA_EVERYWHERE);
    jaga_visibility_map *after = NULL;
    jaga_status st = load(ctx, rv, run, &after);
    jaga_decision_result *res = &run->result;
    for (size_t i = 0; st == JAGA_OK && i < res->neffect; i++) {
        res->effect[i].before =
            seen(rv->policy, run->before, run->c.content_id, res->effect[i].place);
        res->effect[i].after = seen(rv->policy, after, run->c.content_id, res->effect[i].place);
    }
    jaga_visibility_map_free(after);
    jaga_visibility_map_free(run->before);
    run->before = NULL;
    return st;
}

/* A review decision checked against its case: where it acts, who may take it, on what ground. */
#include <stdio.h>
#include <string.h>

#include "cases/decision_internal.h"
#include "jaga/geo.h"
#include "jaga/core.h"

static int one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

int jaga__decision_own_source(const decision_run *run, const char *ref)
{
    for (size_t i = 0; i < run->nsources; i++)
        if (strcmp(run->sources[i].ref, ref) == 0)
            return 1;
    return 0;
}

/* The countries of d->countries ("MY,ID"), each a known ISO code, into the run's scopes. */
static jaga_status parse_countries(jaga_ctx *ctx, decision_run *run)
{
    char copy[sizeof(run->d->countries)], *save = NULL;
    snprintf(copy, sizeof(copy), "%s", run->d->countries);
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (run->ncountries == DECISION_COUNTRIES_MAX || !jaga_country_known(t))
            return jaga_fail(ctx, JAGA_ERR_INVALID,
                             "decision: countries are at most %d ISO 3166-1 codes (\"%s\")",
                             DECISION_COUNTRIES_MAX, t);
        snprintf(run->scopes[run->ncountries++], 3, "%s", t);
    }
    run->nscopes = run->ncountries;
    return JAGA_OK;
}

/* Where the decision acts, and whether the decider's teams reach there. A local decision
 * stays in its case's jurisdiction (other jurisdictions' cases decide there); acting
 * everywhere is a platform-wide decision of its own. */
static jaga_status check_scope(jaga_ctx *ctx, const jaga_review *rv, decision_run *run)
{
    jaga_decision *d = run->d;
    const char *home = run->c.jurisdiction;
    run->everywhere =
        d->everywhere || strcmp(d->action, "remove") == 0 || strcmp(home, JAGA_EVERYWHERE) == 0;
    if (d->teams[0] &&
        !jaga_route_remit(rv->routing, d->teams, run->everywhere ? JAGA_EVERYWHERE : home))
        return run->everywhere
                   ? jaga_fail(ctx, JAGA_ERR_DENIED,
                               "case %lld: %s acts everywhere, a platform-wide decision that "
                               "needs a team whose remit is everywhere; your teams decide in %s",
                               (long long)run->c.id, d->action, home)
                   : jaga_fail(ctx, JAGA_ERR_DENIED,
                               "case %lld: jurisdiction %s is outside your teams' remit",
                               (long long)run->c.id, home);
    for (size_t i = 0; !run->everywhere && i < run->ncountries; i++) {
        const char *code = jaga_policy_jurisdiction(rv->policy, run->scopes[i])->code;
        if (strcmp(code, home) != 0)
            return jaga_fail(ctx, JAGA_ERR_INVALID,
                             "decision: case %lld decides in jurisdiction %s; %s is of %s, "
                             "whose own case decides there",
                             (long long)run->c.id, home, run->scopes[i], code);
    }
    if (!run->everywhere && !run->nscopes) {
        snprintf(run->scopes[run->nscopes++], 3, "%s", home);
        /* Said where (the jurisdiction's code), for the record and its statement. */
        snprintf(d->countries, sizeof(d->countries), "%s", home);
    }
    return JAGA_OK;
}

/* The legal references a jurisdiction's list holds, "A, B" into out. */
static void legal_choices(const jaga_jurisdiction *j, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < j->nlegal && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? ", " : "", j->legal[i].id);
    if (!j->nlegal)
        snprintf(out, cap, "none: decide on the platform's terms");
}

/* A ground in law cites a reference of every country the decision acts in. */
static jaga_status check_legal(jaga_ctx *ctx, const jaga_review *rv, decision_run *run)
{
    const char *id = run->d->legal_id;
    if (!run->nscopes)
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "decision: a ground in law names the countries whose law it applies");
    for (size_t i = 0; i < run->nscopes; i++) {
        const jaga_jurisdiction *j = jaga_policy_jurisdiction(rv->policy, run->scopes[i]);
        int found = 0;
        for (size_t k = 0; k < j->nlegal && !found; k++)
            found = strcmp(j->legal[k].id, id) == 0;
        if (found)
            continue;
        char choices[JAGA_POLICY_LEGAL_MAX * JAGA_POLICY_CODE_MAX];
        legal_choices(j, choices, sizeof(choices));
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "decision: \"%s\" is no legal reference of %s; the policy's are: %s", id,
                         run->scopes[i], choices);
    }
    return JAGA_OK;
}

jaga_status jaga__decision_check_review(jaga_ctx *ctx, const jaga_review *rv, decision_run *run)
{
    static const char *const actions[] = {"no_violation", "blur",   "age_gate",
                                          "withhold",     "remove", NULL};
    jaga_decision *d = run->d;
    if (!one_of(d->action, actions))
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "decision: action is no_violation, blur, age_gate, withhold or remove");
    jaga_status st = parse_countries(ctx, run);
    if (st == JAGA_OK && strcmp(d->action, "withhold") == 0 && !run->ncountries)
        st = jaga_fail(ctx, JAGA_ERR_INVALID, "decision: withhold names its countries");
    if (st == JAGA_OK)
        st = check_scope(ctx, rv, run);
    if (st != JAGA_OK || strcmp(d->action, "no_violation") == 0)
        return st;
    if (strcmp(d->ground, "law") != 0 && strcmp(d->ground, "terms") != 0)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "decision: ground is law or terms");
    if (strcmp(d->ground, "law") == 0 && (st = check_legal(ctx, rv, run)) != JAGA_OK)
        return st;
    if (!jaga_category_find(d->category))
        return jaga_fail(ctx, JAGA_ERR_INVALID, "decision: \"%s\" is no category", d->category);
    return JAGA_OK;
}

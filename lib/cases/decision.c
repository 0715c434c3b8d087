/* People's decisions applied: the restrictions, the notice items, the statement of reasons,
 * the case's history and a webhook, in one transaction; then the visibility map. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case_internal.h"
#include "jaga/geo.h"
#include "util/ctx.h"

enum { CHANGES_MAX = 64, COUNTRIES_MAX = 16 };

/* What one decision does, collected to reach the map after the commit. */
typedef struct decision_run {
    jaga_decision *d;
    jaga_case c;
    char countries[COUNTRIES_MAX][3];
    size_t ncountries;
    jaga_restriction lifted[CHANGES_MAX], added[CHANGES_MAX];
    size_t nlifted, nadded;
    int64_t lift_decision; /* appeals: the decision whose restrictions end */
} decision_run;

static int one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
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

/* The countries of d->countries ("MY,ID"), each a known ISO code. */
static jaga_status parse_countries(jaga_ctx *ctx, decision_run *run)
{
    char copy[sizeof(run->d->countries)], *save = NULL;
    snprintf(copy, sizeof(copy), "%s", run->d->countries);
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (run->ncountries == COUNTRIES_MAX || !jaga_country_known(t))
            return jaga_fail(ctx, JAGA_ERR_INVALID,
                             "decision: countries are at most %d ISO 3166-1 codes (\"%s\")",
                             COUNTRIES_MAX, t);
        snprintf(run->countries[run->ncountries++], 3, "%s", t);
    }
    return JAGA_OK;
}

/* Whether a review decision is complete: its action, ground, legal reference, category. */
static jaga_status check_review(jaga_ctx *ctx, const jaga_review *rv, decision_run *run)
{
    static const char *const actions[] = {"no_violation", "blur",   "age_gate",
                                          "withhold",     "remove", NULL};
    jaga_decision *d = run->d;
    if (!one_of(d->action, actions))
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "decision: action is no_violation, blur, age_gate, withhold or remove");
    jaga_status st = parse_countries(ctx, run);
    if (st != JAGA_OK || strcmp(d->action, "no_violation") == 0)
        return st;
    if (strcmp(d->action, "withhold") == 0 && !run->ncountries)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "decision: withhold names its countries");
    if (strcmp(d->ground, "law") != 0 && strcmp(d->ground, "terms") != 0)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "decision: ground is law or terms");
    if (strcmp(d->ground, "law") == 0 && !jaga_policy_legal(rv->policy, NULL, d->legal_id))
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "decision: a ground in law names a legal reference of the policy");
    if (!jaga_category_find(d->category))
        return jaga_fail(ctx, JAGA_ERR_INVALID, "decision: \"%s\" is no category", d->category);
    return JAGA_OK;
}

/* The restrictions in force that the decision ends: for a review, every one that is not a
 * person's earlier decision; for an overturned appeal, the appealed decision's. */
static int collect_lift(void *arg, const jaga_restriction *r)
{
    decision_run *run = arg;
    char mine[64];
    snprintf(mine, sizeof(mine), "decision:%lld", (long long)run->lift_decision);
    int ends =
        run->lift_decision ? strcmp(r->source, mine) == 0 : strncmp(r->source, "decision:", 9) != 0;
    if (ends && run->nlifted < CHANGES_MAX)
        run->lifted[run->nlifted++] = *r;
    return 0;
}

/* The restrictions a review decision stores (none for no_violation). */
static void decided(decision_run *run)
{
    jaga_visibility v = visibility_of(run->d->action);
    if (v == JAGA_VIS_ALLOW)
        return;
    int everywhere = v == JAGA_VIS_REMOVED || !run->ncountries;
    size_t n = everywhere ? 1 : run->ncountries;
    for (size_t i = 0; i < n; i++) {
        jaga_restriction *r = &run->added[run->nadded++];
        memset(r, 0, sizeof(*r));
        snprintf(r->content_id, sizeof(r->content_id), "%s", run->c.content_id);
        snprintf(r->scope, sizeof(r->scope), "%s",
                 everywhere ? JAGA_EVERYWHERE : run->countries[i]);
        r->visibility = v;
        snprintf(r->reason, sizeof(r->reason), "%s", run->d->category);
        snprintf(r->legal_id, sizeof(r->legal_id), "%s", run->d->legal_id);
        snprintf(r->source, sizeof(r->source), "decision:%lld", (long long)run->d->id);
        r->ground_terms = strcmp(run->d->ground, "terms") == 0;
    }
}

static json_t *decision_json(const jaga_decision *d)
{
    json_error_t err;
    json_t *statement = json_loads(d->statement, 0, &err);
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:o}", "id", (json_int_t)d->id, "kind",
                     d->kind, "action", d->action, "ground", d->ground, "legal", d->legal_id,
                     "category", d->category, "countries", d->countries, "decided_by",
                     d->decided_by, "decided_at", (json_int_t)d->decided_at, "statement_of_reasons",
                     statement ? statement : json_object());
}

/* The checks that need the case: waiting for this kind of decision, held by the decider. */
static jaga_status check_case(jaga_ctx *ctx, const jaga_review *rv, decision_run *run)
{
    jaga_decision *d = run->d;
    jaga_case *c = &run->c;
    int appeal = strcmp(c->status, "appealed") == 0;
    static const char *const outcomes[] = {"uphold", "overturn", NULL};
    if (!appeal && strcmp(c->status, "open") != 0 && strcmp(c->status, "escalated") != 0)
        return jaga_fail(ctx, JAGA_ERR_CONFLICT, "case %lld is %s already", (long long)c->id,
                         c->status);
    if (strcmp(c->claimed_by, d->decided_by) != 0 || c->lease_until <= review_now(rv))
        return jaga_fail(ctx, JAGA_ERR_CONFLICT, "case %lld is not held by you: claim it first",
                         (long long)c->id);
    snprintf(d->kind, sizeof(d->kind), "%s", appeal ? "appeal" : "review");
    if (!appeal)
        return check_review(ctx, rv, run);
    if (strcmp(c->decided_by, d->decided_by) == 0)
        return jaga_fail(ctx, JAGA_ERR_CONFLICT,
                         "case %lld: you decided it; another reviews the "
                         "appeal",
                         (long long)c->id);
    if (!one_of(d->action, outcomes))
        return jaga_fail(ctx, JAGA_ERR_INVALID, "decision: an appeal is upheld or overturned");
    d->appeal_of = c->decision_id;
    run->lift_decision = strcmp(d->action, "overturn") == 0 ? c->decision_id : -1;
    return JAGA_OK;
}

static jaga_status apply(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    decision_run *run = arg;
    jaga_decision *d = run->d;
    jaga_case *c = &run->c;
    jaga_status st = jaga_store_case_get(rv->db, ctx, d->case_id, c);
    if (st == JAGA_OK)
        st = check_case(ctx, rv, run);
    int appeal = strcmp(d->kind, "appeal") == 0;
    d->decided_at = review_now(rv);
    if (st == JAGA_OK && (appeal || strcmp(d->action, "no_violation") == 0))
        snprintf(d->statement, sizeof(d->statement), "{}");
    else if (st == JAGA_OK)
        st = statement_write(ctx, rv, c, d);
    if (st == JAGA_OK)
        st = jaga_store_decision_add(rv->db, ctx, d);
    if (st == JAGA_OK && run->lift_decision >= 0)
        st = jaga_store_restrictions_each(rv->db, ctx, c->content_id, collect_lift, run);
    for (size_t i = 0; st == JAGA_OK && i < run->nlifted; i++)
        st = jaga_store_restriction_lift(rv->db, ctx, run->lifted[i].id);
    if (st == JAGA_OK && !appeal)
        decided(run);
    for (size_t i = 0; st == JAGA_OK && i < run->nadded; i++)
        st = jaga_store_restriction_add(rv->db, ctx, &run->added[i]);
    if (st == JAGA_OK && !appeal)
        st = jaga_store_notice_items_action(rv->db, ctx, c->id, d->action, d->decided_at);
    if (st == JAGA_OK)
        st = decision_verdicts(ctx, rv, c, d);
    snprintf(c->status, sizeof(c->status), "%s", appeal ? "closed" : "decided");
    c->decision_id = d->id;
    snprintf(c->decided_by, sizeof(c->decided_by), "%s", d->decided_by);
    c->decided_at = d->decided_at;
    c->claimed_by[0] = '\0';
    c->lease_until = 0;
    if (st == JAGA_OK)
        st = jaga_store_case_put(rv->db, ctx, c);
    if (st == JAGA_OK)
        st = case_event(ctx, rv, c->id, appeal ? "appeal_decided" : "decided", d->decided_by,
                        "%s%s%s", d->action, d->countries[0] ? " in " : "", d->countries);
    if (st == JAGA_OK) {
        json_t *body =
            json_pack("{s:o,s:o}", "case", case_summary(c), "decision", decision_json(d));
        st = webhook_queue(ctx, rv, "case.decided", body);
    }
    return st;
}

jaga_status jaga_case_apply_decision(jaga_ctx *ctx, const jaga_review *rv, jaga_decision *d,
                                     jaga_decision_result *out)
{
    decision_run *run = calloc(1, sizeof(*run));
    memset(out, 0, sizeof(*out));
    if (!run)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "decision: no memory");
    run->d = d;
    jaga_status st = review_transaction(ctx, rv, apply, run);
    for (size_t i = 0; st == JAGA_OK && i < run->nlifted; i++)
        jaga_visibility_map_lift(rv->map, run->c.content_id, run->lifted[i].id);
    for (size_t i = 0; st == JAGA_OK && i < run->nadded; i++)
        st = jaga_visibility_map_add(rv->map, ctx, &run->added[i]);
    out->lifted = run->nlifted;
    out->added = run->nadded;
    free(run);
    return st;
}

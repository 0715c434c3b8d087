/* People's decisions applied: the restrictions, the notice items, the statement of reasons,
 * the case's history and a webhook, in one transaction; then the visibility map. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case_internal.h"
#include "cases/decision_internal.h"
#include "jaga/geo.h"
#include "jaga/core.h"

jaga_visibility jaga__action_visibility(const char *action)
{
    return strcmp(action, "remove") == 0     ? JAGA_VIS_REMOVED
           : strcmp(action, "withhold") == 0 ? JAGA_VIS_WITHHELD
           : strcmp(action, "blur") == 0     ? JAGA_VIS_BLUR
           : strcmp(action, "age_gate") == 0 ? JAGA_VIS_AGE_GATE
                                             : JAGA_VIS_ALLOW;
}

static int in_scopes(const decision_run *run, const char *scope)
{
    for (size_t i = 0; i < run->nscopes; i++)
        if (strcmp(run->scopes[i], scope) == 0)
            return 1;
    return 0;
}

/* The restrictions in force that the decision ends. A review ends, where it acts, those that
 * are no person's earlier decision and no other case's notice (a regulator's order ends by a
 * decision of its own jurisdiction's case, or its withdrawal); a provisional hold everywhere
 * of this case's rules outlives a local decision elsewhere. An overturned appeal ends the
 * appealed decision's. */
static int collect_lift(void *arg, const jaga_restriction *r)
{
    decision_run *run = arg;
    if (run->lift_decision) {
        char mine[64];
        snprintf(mine, sizeof(mine), "decision:%lld", (long long)run->lift_decision);
        if (strcmp(r->source, mine) == 0 && run->nlifted < DECISION_CHANGES_MAX)
            run->lifted[run->nlifted++] = *r;
        return 0;
    }
    int everywhere = strcmp(r->scope, JAGA_EVERYWHERE) == 0;
    run->held_everywhere |= everywhere && r->provisional;
    if (strncmp(r->source, "decision:", 9) == 0 ||
        (strncmp(r->source, "notice:", 7) == 0 && !jaga__decision_own_source(run, r->source)))
        return 0;
    if (run->everywhere || in_scopes(run, r->scope)) {
        if (run->nlifted < DECISION_CHANGES_MAX)
            run->lifted[run->nlifted++] = *r;
    } else if (everywhere && r->provisional && jaga__decision_own_source(run, r->source) &&
               run->nkept < DECISION_CHANGES_MAX) {
        run->kept[run->nkept++] = *r;
    }
    return 0;
}

/* The restrictions a review decision stores: its visibility where it acts (everywhere when it
 * names no country). A local no_violation under a provisional hold everywhere stores "allow"
 * there: a person's decision in a country outranks machine holds (jaga/visibility.h). */
static void decided(decision_run *run)
{
    jaga_visibility v = jaga__action_visibility(run->d->action);
    if (v == JAGA_VIS_ALLOW && (run->everywhere || !run->held_everywhere))
        return;
    size_t n = run->nscopes ? run->nscopes : 1;
    for (size_t i = 0; i < n && run->nadded < DECISION_CHANGES_MAX; i++) {
        jaga_restriction *r = &run->added[run->nadded++];
        memset(r, 0, sizeof(*r));
        snprintf(r->content_id, sizeof(r->content_id), "%s", run->c.content_id);
        snprintf(r->scope, sizeof(r->scope), "%s",
                 run->nscopes && v != JAGA_VIS_REMOVED ? run->scopes[i] : JAGA_EVERYWHERE);
        r->visibility = v;
        snprintf(r->reason, sizeof(r->reason), "%s", run->d->category);
        snprintf(r->legal_id, sizeof(r->legal_id), "%s", run->d->legal_id);
        snprintf(r->source, sizeof(r->source), "decision:%lld", (long long)run->d->id);
        r->ground_terms = strcmp(run->d->ground, "terms") == 0;
        if (v == JAGA_VIS_REMOVED)
            break;
    }
}

/* The holds everywhere a local decision left in force go on to the content's platform-wide
 * case, so that a team whose remit is everywhere decides them before they expire. */
static jaga_status pass_on(jaga_ctx *ctx, const jaga_review *rv, decision_run *run)
{
    jaga_status st = JAGA_OK;
    for (size_t i = 0; st == JAGA_OK && i < run->nkept; i++) {
        const jaga_case_source *own = NULL;
        for (size_t k = 0; k < run->nsources && !own; k++)
            if (strcmp(run->sources[k].ref, run->kept[i].source) == 0)
                own = &run->sources[k];
        jaga_case_source src = *own;
        snprintf(src.jurisdiction, sizeof(src.jurisdiction), "%s", JAGA_EVERYWHERE);
        src.id = 0;
        jaga_case wide;
        st = jaga__case_join(ctx, rv, run->c.content_id, &src, NULL, 0, 0, &wide);
        if (st == JAGA_OK)
            st = jaga__case_event(
                ctx, rv, run->c.id, "passed_on", "jaga", "%s %s everywhere else: case %lld",
                own->ref, jaga_visibility_name(run->kept[i].visibility), (long long)wide.id);
    }
    return st;
}

/* A platform-wide decision on a jurisdiction's case settles the content's platform-wide case
 * waiting for review too: the holds it waited on were this decision's to end. */
static jaga_status settle_wide(jaga_ctx *ctx, const jaga_review *rv, decision_run *run)
{
    jaga_case wide;
    if (!run->everywhere || strcmp(run->c.jurisdiction, JAGA_EVERYWHERE) == 0 ||
        strcmp(run->d->kind, "review") != 0)
        return JAGA_OK;
    jaga_status st =
        jaga_store_case_active(rv->db, NULL, run->c.content_id, JAGA_EVERYWHERE, &wide);
    if (st == JAGA_ERR_NOT_FOUND || (st == JAGA_OK && strcmp(wide.status, "appealed") == 0))
        return JAGA_OK;
    snprintf(wide.status, sizeof(wide.status), "decided");
    wide.decision_id = run->d->id;
    snprintf(wide.decided_by, sizeof(wide.decided_by), "%s", run->d->decided_by);
    wide.decided_at = run->d->decided_at;
    wide.claimed_by[0] = '\0';
    wide.lease_until = 0;
    if (st == JAGA_OK)
        st = jaga_store_case_put(rv->db, ctx, &wide);
    return st == JAGA_OK ? jaga__case_event(ctx, rv, wide.id, "decided", run->d->decided_by,
                                            "%s everywhere, on case %lld", run->d->action,
                                            (long long)run->c.id)
                         : st;
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
    if (!appeal && strcmp(c->status, "open") != 0 && strcmp(c->status, "escalated") != 0)
        return jaga_fail(ctx, JAGA_ERR_CONFLICT, "case %lld is %s already", (long long)c->id,
                         c->status);
    if (strcmp(c->claimed_by, d->decided_by) != 0 || c->lease_until <= jaga__review_now(rv))
        return jaga_fail(ctx, JAGA_ERR_CONFLICT, "case %lld is not held by you: claim it first",
                         (long long)c->id);
    snprintf(d->kind, sizeof(d->kind), "%s", appeal ? "appeal" : "review");
    if (!appeal)
        return jaga__decision_check_review(ctx, rv, run);
    if (strcmp(c->decided_by, d->decided_by) == 0)
        return jaga_fail(ctx, JAGA_ERR_CONFLICT,
                         "case %lld: you decided it; another reviews the "
                         "appeal",
                         (long long)c->id);
    if (strcmp(d->action, "uphold") != 0 && strcmp(d->action, "overturn") != 0)
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
        st = jaga_store_case_sources(rv->db, ctx, c->id, &run->sources, &run->nsources);
    if (st == JAGA_OK)
        st = check_case(ctx, rv, run);
    if (st == JAGA_OK)
        st = jaga__effect_before(ctx, rv, run);
    int appeal = strcmp(d->kind, "appeal") == 0;
    d->decided_at = jaga__review_now(rv);
    if (st == JAGA_OK && (appeal || strcmp(d->action, "no_violation") == 0))
        snprintf(d->statement, sizeof(d->statement), "{}");
    else if (st == JAGA_OK)
        st = jaga__statement_write(ctx, rv, c, d);
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
    if (st == JAGA_OK)
        st = jaga__effect_after(ctx, rv, run);
    if (st == JAGA_OK && !appeal)
        st = jaga_store_notice_items_action(rv->db, ctx, c->id, d->action, d->decided_at);
    if (st == JAGA_OK)
        st = jaga__decision_verdicts(ctx, rv, c, d);
    snprintf(c->status, sizeof(c->status), "%s", appeal ? "closed" : "decided");
    c->decision_id = d->id;
    snprintf(c->decided_by, sizeof(c->decided_by), "%s", d->decided_by);
    c->decided_at = d->decided_at;
    c->claimed_by[0] = '\0';
    c->lease_until = 0;
    if (st == JAGA_OK)
        st = jaga_store_case_put(rv->db, ctx, c);
    if (st == JAGA_OK)
        st = jaga__case_event(ctx, rv, c->id, appeal ? "appeal_decided" : "decided", d->decided_by,
                              "%s%s%s", d->action, d->countries[0] ? " in " : "", d->countries);
    if (st == JAGA_OK)
        st = pass_on(ctx, rv, run);
    if (st == JAGA_OK)
        st = settle_wide(ctx, rv, run);
    if (st == JAGA_OK) {
        json_t *body =
            json_pack("{s:o,s:o}", "case", jaga__case_summary(c), "decision", decision_json(d));
        st = jaga__webhook_queue(ctx, rv, "case.decided", body);
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
    jaga_status st;
    if (d->preview) { /* the whole decision in a transaction that is never committed */
        st = jaga_store_begin(rv->db, ctx);
        if (st == JAGA_OK)
            st = apply(ctx, rv, run);
        jaga_store_rollback(rv->db);
        d->id = 0;
    } else {
        st = jaga__review_transaction(ctx, rv, apply, run);
    }
    for (size_t i = 0; st == JAGA_OK && !d->preview && i < run->nlifted; i++)
        st = jaga__review_map_lift(ctx, rv, run->c.content_id, run->lifted[i].id);
    for (size_t i = 0; st == JAGA_OK && !d->preview && i < run->nadded; i++)
        st = jaga__review_map_add(ctx, rv, &run->added[i]);
    *out = run->result;
    out->lifted = run->nlifted;
    out->added = run->nadded;
    jaga_visibility_map_free(run->before); /* left by a failure between the two effect steps */
    free(run->sources);
    free(run);
    return st;
}

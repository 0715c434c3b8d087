/* The sweeper: cases past their deadline escalated, provisional actions nobody confirmed
 * ended. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case_internal.h"
#include "jaga/core.h"

enum { EXPIRED_MAX = 256 };

typedef struct sweep_run {
    size_t limit;
    jaga_sweep_result *out;
    jaga_restriction *expired;
    size_t nexpired;
} sweep_run;

/* Counts the breaches now passed, moves the case to its lead team, raises its priority. */
static jaga_status escalate(jaga_ctx *ctx, const jaga_review *rv, jaga_case *c)
{
    int64_t now = jaga__review_now(rv);
    unsigned passed = 0;
    if (c->first_review_at && !c->first_reviewed_at && c->first_review_at < now &&
        !(c->breached & JAGA_BREACH_FIRST_REVIEW))
        passed |= JAGA_BREACH_FIRST_REVIEW;
    if (c->deadline_at < now && !(c->breached & JAGA_BREACH_ACTION))
        passed |= JAGA_BREACH_ACTION;
    c->breaches += (passed & 1) + ((passed >> 1) & 1);
    c->breached |= passed;
    c->priority = c->priority > 1 ? c->priority - 1 : 1;
    int moved = strcmp(c->team, c->lead_team) != 0 && c->lead_team[0];
    if (moved)
        snprintf(c->team, sizeof(c->team), "%s", c->lead_team);
    if (strcmp(c->status, "open") == 0)
        snprintf(c->status, sizeof(c->status), "escalated");
    jaga_status st = jaga_store_case_put(rv->db, ctx, c);
    const char *what = passed & JAGA_BREACH_FIRST_REVIEW ? "first review" : "action";
    if (st == JAGA_OK)
        st = jaga__case_event(ctx, rv, c->id, "escalated", "jaga",
                              "%s deadline passed; to %s, priority %d", what, c->team, c->priority);
    if (st == JAGA_OK) {
        json_t *body = json_pack("{s:o,s:s}", "case", jaga__case_summary(c), "breach", what);
        st = jaga__webhook_queue(ctx, rv, "case.escalated", body);
    }
    return st;
}

static int collect_expired(void *arg, const jaga_restriction *r)
{
    sweep_run *run = arg;
    if (r->provisional && run->nexpired < EXPIRED_MAX)
        run->expired[run->nexpired++] = *r;
    return run->nexpired == EXPIRED_MAX;
}

/* The case history of an expired restriction's content, when it has a case under review. */
static jaga_status note_expiry(jaga_ctx *ctx, const jaga_review *rv, const jaga_restriction *r)
{
    jaga_case c;
    jaga_status st = jaga_store_case_active(rv->db, NULL, r->content_id, NULL, &c);
    if (st == JAGA_ERR_NOT_FOUND)
        return JAGA_OK;
    return st == JAGA_OK
               ? jaga__case_event(ctx, rv, c.id, "expired", "jaga",
                                  "provisional %s (%s) in %s ended unconfirmed",
                                  jaga_visibility_name(r->visibility), r->source, r->scope)
               : st;
}

static jaga_status sweep(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    sweep_run *run = arg;
    jaga_case *overdue = NULL;
    size_t n = 0;
    jaga_status st =
        jaga_store_case_overdue(rv->db, ctx, jaga__review_now(rv), run->limit, &overdue, &n);
    for (size_t i = 0; st == JAGA_OK && i < n; i++)
        st = escalate(ctx, rv, &overdue[i]);
    free(overdue);
    run->out->escalated = st == JAGA_OK ? n : 0;
    if (st == JAGA_OK)
        st = jaga_store_restrictions_expired(rv->db, ctx, jaga__review_now(rv), collect_expired,
                                             run);
    for (size_t i = 0; st == JAGA_OK && i < run->nexpired; i++)
        if ((st = jaga_store_restriction_lift(rv->db, ctx, run->expired[i].id)) == JAGA_OK)
            st = note_expiry(ctx, rv, &run->expired[i]);
    return st;
}

jaga_status jaga_cases_sweep(jaga_ctx *ctx, const jaga_review *rv, size_t limit,
                             jaga_sweep_result *out)
{
    memset(out, 0, sizeof(*out));
    sweep_run run = {.limit = limit, .out = out};
    run.expired = calloc(EXPIRED_MAX, sizeof(*run.expired));
    if (!run.expired)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "sweep: no memory");
    jaga_status st = jaga__review_transaction(ctx, rv, sweep, &run);
    for (size_t i = 0; st == JAGA_OK && i < run.nexpired; i++)
        st = jaga__review_map_lift(ctx, rv, run.expired[i].content_id, run.expired[i].id);
    out->expired = st == JAGA_OK ? run.nexpired : 0;
    if (st != JAGA_OK)
        out->escalated = 0;
    free(run.expired);
    return st;
}

/* Claiming cases under a lease, and giving them back. */
#include <stdio.h>
#include <string.h>

#include "cases/case_internal.h"
#include "jaga/core.h"

int jaga_case_waiting(const jaga_case *c)
{
    return strcmp(c->status, "open") == 0 || strcmp(c->status, "escalated") == 0 ||
           strcmp(c->status, "appealed") == 0;
}

/* Gives c to claimer until now + lease_s; the first claim is the first review. */
static jaga_status hold(jaga_ctx *ctx, const jaga_review *rv, jaga_case *c, const char *claimer,
                        int64_t lease_s)
{
    int64_t now = jaga__review_now(rv);
    int renewal = strcmp(c->claimed_by, claimer) == 0 && c->lease_until > now;
    snprintf(c->claimed_by, sizeof(c->claimed_by), "%s", claimer);
    c->lease_until = now + lease_s;
    if (!c->first_reviewed_at)
        c->first_reviewed_at = now;
    c->due_at = jaga__case_due(c);
    jaga_status st = jaga_store_case_put(rv->db, ctx, c);
    if (st == JAGA_OK && !renewal)
        st = jaga__case_event(ctx, rv, c->id, "claimed", claimer, "lease until %lld",
                              (long long)c->lease_until);
    return st;
}

typedef struct claim_args {
    const char *team, *claimer;
    int64_t case_id, lease_s;
    jaga_case *out;
} claim_args;

static jaga_status claim_next(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    claim_args *a = arg;
    jaga_status st =
        jaga_store_case_next(rv->db, ctx, a->team, a->claimer, jaga__review_now(rv), a->out);
    return st == JAGA_OK ? hold(ctx, rv, a->out, a->claimer, a->lease_s) : st;
}

jaga_status jaga_queue_claim(jaga_ctx *ctx, const jaga_review *rv, const char *team,
                             const char *claimer, int64_t lease_s, jaga_case *out)
{
    claim_args a = {.team = team, .claimer = claimer, .lease_s = lease_s, .out = out};
    return jaga__review_transaction(ctx, rv, claim_next, &a);
}

static jaga_status claim_one(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    claim_args *a = arg;
    jaga_case *c = a->out;
    jaga_status st = jaga_store_case_get(rv->db, ctx, a->case_id, c);
    if (st != JAGA_OK)
        return st;
    if (!jaga_case_waiting(c))
        return jaga_fail(ctx, JAGA_ERR_CONFLICT, "case %lld is %s: it waits for no one",
                         (long long)c->id, c->status);
    if (c->lease_until > jaga__review_now(rv) && strcmp(c->claimed_by, a->claimer) != 0)
        return jaga_fail(ctx, JAGA_ERR_CONFLICT, "case %lld is held by another moderator",
                         (long long)c->id);
    if (strcmp(c->status, "appealed") == 0 && strcmp(c->decided_by, a->claimer) == 0)
        return jaga_fail(ctx, JAGA_ERR_CONFLICT,
                         "case %lld: an appeal goes to a moderator other than the one who decided",
                         (long long)c->id);
    return hold(ctx, rv, c, a->claimer, a->lease_s);
}

jaga_status jaga_case_claim(jaga_ctx *ctx, const jaga_review *rv, int64_t case_id,
                            const char *claimer, int64_t lease_s, jaga_case *out)
{
    claim_args a = {.claimer = claimer, .case_id = case_id, .lease_s = lease_s, .out = out};
    return jaga__review_transaction(ctx, rv, claim_one, &a);
}

static jaga_status release(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    claim_args *a = arg;
    jaga_case c;
    jaga_status st = jaga_store_case_get(rv->db, ctx, a->case_id, &c);
    if (st != JAGA_OK)
        return st;
    if (strcmp(c.claimed_by, a->claimer) != 0 || c.lease_until <= jaga__review_now(rv))
        return jaga_fail(ctx, JAGA_ERR_CONFLICT, "case %lld is not held by you", (long long)c.id);
    c.lease_until = 0;
    c.claimed_by[0] = '\0';
    st = jaga_store_case_put(rv->db, ctx, &c);
    return st == JAGA_OK
               ? jaga__case_event(ctx, rv, c.id, "released", a->claimer, "back to %s", c.team)
               : st;
}

jaga_status jaga_case_release(jaga_ctx *ctx, const jaga_review *rv, int64_t case_id,
                              const char *claimer)
{
    claim_args a = {.claimer = claimer, .case_id = case_id};
    return jaga__review_transaction(ctx, rv, release, &a);
}

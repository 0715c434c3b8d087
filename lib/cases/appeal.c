/* Appeals: a decided case back in its team's queue for another moderator. */
#include <stdio.h>
#include <string.h>

#include "cases/case_internal.h"
#include "jaga/core.h"

typedef struct appeal_args {
    int64_t case_id;
    const char *appellant, *text;
    jaga_case *out;
} appeal_args;

static jaga_status appeal(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    appeal_args *a = arg;
    jaga_case *c = a->out;
    if (strlen(a->appellant) > 100 || strlen(a->text) > 400)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "appeal: appellant 100 bytes, text 400 at most");
    jaga_status st = jaga_store_case_get(rv->db, ctx, a->case_id, c);
    if (st != JAGA_OK)
        return st;
    if (strcmp(c->status, "decided") != 0)
        return jaga_fail(ctx, JAGA_ERR_CONFLICT, "case %lld is %s: only a decided case is appealed",
                         (long long)c->id, c->status);
    int64_t now = jaga__review_now(rv);
    snprintf(c->status, sizeof(c->status), "appealed");
    c->deadline_at = now + jaga_policy_review(rv->policy)->appeal_deadline_s;
    c->due_at = c->deadline_at;
    c->breached &= ~(unsigned)JAGA_BREACH_ACTION;
    c->claimed_by[0] = '\0';
    c->lease_until = 0;
    st = jaga_store_case_put(rv->db, ctx, c);
    if (st == JAGA_OK)
        st = jaga__case_event(ctx, rv, c->id, "appealed", "uploader", "%s: %s", a->appellant,
                              a->text);
    return st;
}

jaga_status jaga_case_appeal(jaga_ctx *ctx, const jaga_review *rv, int64_t case_id,
                             const char *appellant, const char *text, jaga_case *out)
{
    appeal_args a = {.case_id = case_id, .appellant = appellant, .text = text, .out = out};
    return jaga__review_transaction(ctx, rv, appeal, &a);
}

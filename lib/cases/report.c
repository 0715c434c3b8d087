/* User and trusted-flagger reports received: stored, joined to the content's case, with what
 * the policy's report rules do. */
#include <stdio.h>
#include <string.h>

#include "cases/case_internal.h"
#include "jaga/core.h"

enum { ACTIONS_MAX = 32 };

/* The case source of a report: its deadlines from the reporter's jurisdiction (a rapid
 * first review for deepfakes from a flagged one), its priority from the category. */
static void report_source(const jaga_review *rv, const jaga_report *r, const jaga_category *cat,
                          jaga_case_source *src)
{
    const jaga_jurisdiction *j = jaga_policy_jurisdiction(rv->policy, r->country);
    memset(src, 0, sizeof(*src));
    snprintf(src->ref, sizeof(src->ref), "report:%lld", (long long)r->id);
    snprintf(src->jurisdiction, sizeof(src->jurisdiction), "%s", j->code);
    snprintf(src->reason, sizeof(src->reason), "report_%s", cat->code);
    src->priority = cat->priority > 1 && r->trusted_flagger ? cat->priority - 1 : cat->priority;
    int64_t category_s = jaga_policy_category_deadline(j, cat->code);
    src->deadline_at = r->received_at + (category_s    ? category_s
                                         : j->report_s ? j->report_s
                                                       : j->notice_s);
    if (r->rapid)
        src->first_review_at = r->received_at + j->flagged_first_review_s;
}

/* Whether the reporter's jurisdiction is flagged and the category is a deepfake. */
static int rapid(const jaga_review *rv, const jaga_report *r, const jaga_category *cat)
{
    return cat->deepfake && r->country[0] && jaga_policy_knows(rv->policy, r->country) &&
           jaga_policy_jurisdiction(rv->policy, r->country)->flagged;
}

jaga_status jaga_report_receive(jaga_ctx *ctx, const jaga_review *rv, jaga_report *r)
{
    const jaga_category *cat = jaga_category_find(r->category);
    if (!cat)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "report: \"%s\" is no category", r->category);
    r->received_at = jaga__review_now(rv);
    r->rapid = rapid(rv, r, cat);
    jaga_content known = {0};
    jaga_status st = jaga_store_content_get(rv->db, NULL, r->content_id, &known);
    r->content_known = st == JAGA_OK;
    jaga_content_clear(&known);
    /* What the policy's report rules do to the content. */
    static __thread jaga_restriction found[ACTIONS_MAX];
    jaga_case_source rules[ACTIONS_MAX];
    const char *reports[1] = {cat->code};
    jaga_policy_input in = {.reports = reports, .nreports = 1};
    size_t nr, ns, added = 0;
    jaga_policy_act(rv->policy, r->content_id, &in, r->received_at, found, ACTIONS_MAX, &nr, rules,
                    ACTIONS_MAX, &ns);
    nr = nr < ACTIONS_MAX ? nr : ACTIONS_MAX;
    ns = ns < ACTIONS_MAX ? ns : ACTIONS_MAX;
    jaga_case_source src;
    jaga_case c;
    st = jaga_store_begin(rv->db, ctx);
    if (st == JAGA_OK)
        st = jaga_store_report_add(rv->db, ctx, r);
    if (st == JAGA_OK) {
        report_source(rv, r, cat, &src);
        /* The report rule's team (its specialty) routes the case the report opens. */
        for (size_t i = 0; i < ns && !src.team[0]; i++)
            snprintf(src.team, sizeof(src.team), "%s", rules[i].team);
        st = jaga__case_join(ctx, rv, r->content_id, &src, r->language, 1, 1, &c);
    }
    for (size_t i = 0; st == JAGA_OK && i < ns; i++) {
        jaga__source_localise(rv, &rules[i], src.jurisdiction);
        st = jaga__case_join(ctx, rv, r->content_id, &rules[i], r->language, 1, 0, &c);
    }
    r->case_id = c.id;
    if (st == JAGA_OK)
        st = jaga_store_report_link(rv->db, ctx, r->id, c.id);
    if (st == JAGA_OK)
        st = jaga__restrictions_store(ctx, rv->db, found, nr, &added);
    if (st == JAGA_OK)
        st = jaga__statements_automated(
            ctx, rv, found, added,
            r->trusted_flagger ? "SOURCE_TRUSTED_FLAGGER" : "SOURCE_ARTICLE_16", r->category);
    if (st == JAGA_OK)
        st = jaga_store_commit(rv->db, ctx);
    if (st != JAGA_OK) {
        jaga_store_rollback(rv->db);
        return st;
    }
    for (size_t i = 0; st == JAGA_OK && i < added; i++)
        st = jaga__review_map_add(ctx, rv, &found[i]);
    return st;
}

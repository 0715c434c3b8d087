/* A scan recorded with what the policy makes of its matches. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case_internal.h"
#include "jaga/core.h"

enum { MATCHES_MAX = 1000, ACTIONS_MAX = 64 };

/* The policy's view of one match. */
typedef struct seen_match {
    jaga_bank bank;
    jaga_entry entry;
} seen_match;

/* The policy on c's signals: c stored first when new, then the restrictions and cases. */
static jaga_status act(jaga_ctx *ctx, const jaga_review *rv, jaga_content *c,
                       const jaga_match *matches, size_t nmatches, int store_content)
{
    size_t n = nmatches < MATCHES_MAX ? nmatches : MATCHES_MAX;
    seen_match *seen = calloc(n ? n : 1, sizeof(*seen));
    jaga_policy_match *pm = calloc(n ? n : 1, sizeof(*pm));
    jaga_restriction *restrictions = calloc(ACTIONS_MAX, sizeof(*restrictions));
    jaga_case_source *sources = calloc(ACTIONS_MAX, sizeof(*sources));
    jaga_status st = seen && pm && restrictions && sources
                         ? JAGA_OK
                         : jaga_fail(ctx, JAGA_ERR_NOMEM, "scan: no memory");
    jaga_policy_input in = {.matches = pm};
    for (size_t i = 0; st == JAGA_OK && i < n; i++) {
        if (jaga_matcher_bank(rv->matcher, matches[i].bank_id, &seen[i].bank) != JAGA_OK ||
            jaga_store_entry_get(rv->db, NULL, matches[i].entry_id, &seen[i].entry) != JAGA_OK)
            continue; /* a bank disabled or an entry gone since the match */
        pm[in.nmatches++] =
            (jaga_policy_match){seen[i].bank.name, seen[i].entry.labels, seen[i].bank.verified};
    }
    /* The classifier's scores, as the policy's classifier rules read them. */
    enum { SCORES_MAX = 8 };
    jaga_policy_score scores[SCORES_MAX];
    json_t *parsed = c->scores[0] ? json_loads(c->scores, 0, NULL) : NULL;
    const char *name;
    json_t *v;
    json_object_foreach(parsed, name, v)
    {
        if (in.nscores < SCORES_MAX && json_is_number(v))
            scores[in.nscores++] = (jaga_policy_score){name, json_number_value(v)};
    }
    in.scores = scores;
    size_t nr = 0, ns = 0, added = 0;
    if (st == JAGA_OK)
        jaga_policy_act(rv->policy, c->content_id, &in, jaga__review_now(rv), restrictions,
                        ACTIONS_MAX, &nr, sources, ACTIONS_MAX, &ns);
    nr = nr < ACTIONS_MAX ? nr : ACTIONS_MAX;
    ns = ns < ACTIONS_MAX ? ns : ACTIONS_MAX;
    if (st == JAGA_OK)
        st = jaga_store_begin(rv->db, ctx);
    if (st == JAGA_OK && store_content)
        st = jaga_store_content_put(rv->db, ctx, c);
    if (st == JAGA_OK)
        st = jaga__restrictions_store(ctx, rv->db, restrictions, nr, &added);
    if (st == JAGA_OK)
        st = jaga__statements_automated(ctx, rv, restrictions, added,
                                        "SOURCE_TYPE_OTHER_AUTOMATED_DETECTION", NULL);
    jaga_case kase;
    for (size_t i = 0; st == JAGA_OK && i < ns; i++) {
        jaga__source_localise(rv, &sources[i], c->uploader_country);
        st = jaga__case_join(ctx, rv, c->content_id, &sources[i], NULL, 0, 0, &kase);
    }
    if (st == JAGA_OK)
        st = jaga_store_commit(rv->db, ctx);
    if (st != JAGA_OK)
        jaga_store_rollback(rv->db);
    for (size_t i = 0; st == JAGA_OK && i < added; i++)
        st = jaga__review_map_add(ctx, rv, &restrictions[i]);
    json_decref(parsed);
    free(seen);
    free(pm);
    free(restrictions);
    free(sources);
    return st;
}

jaga_status jaga_scan_record(jaga_ctx *ctx, const jaga_review *rv, jaga_content *c,
                             const jaga_match *matches, size_t nmatches)
{
    return act(ctx, rv, c, matches, nmatches, 1);
}

jaga_status jaga_scan_amend(jaga_ctx *ctx, const jaga_review *rv, const jaga_content *c,
                            const jaga_match *matches, size_t nmatches)
{
    jaga_content fresh = *c;
    fresh.matches_json = NULL;
    return act(ctx, rv, &fresh, matches, nmatches, 0);
}

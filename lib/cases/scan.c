/* A scan recorded with what the policy makes of its matches. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jaga/cases.h"
#include "util/ctx.h"

enum { MATCHES_MAX = 1000, ACTIONS_MAX = 64 };

/* The policy's view of one match. */
typedef struct seen_match {
    jaga_bank bank;
    jaga_entry entry;
} seen_match;

jaga_status jaga_scan_record(jaga_ctx *ctx, jaga_store *db, const jaga_policy *policy,
                             jaga_matcher *matcher, jaga_visibility_map *map, jaga_content *c,
                             const jaga_match *matches, size_t nmatches)
{
    size_t n = nmatches < MATCHES_MAX ? nmatches : MATCHES_MAX;
    seen_match *seen = calloc(n ? n : 1, sizeof(*seen));
    jaga_policy_match *pm = calloc(n ? n : 1, sizeof(*pm));
    jaga_restriction *restrictions = calloc(ACTIONS_MAX, sizeof(*restrictions));
    jaga_case *cases = calloc(ACTIONS_MAX, sizeof(*cases));
    jaga_status st = seen && pm && restrictions && cases
                         ? JAGA_OK
                         : jaga_fail(ctx, JAGA_ERR_NOMEM, "scan: no memory");
    jaga_policy_input in = {.matches = pm};
    for (size_t i = 0; st == JAGA_OK && i < n; i++) {
        if (jaga_matcher_bank(matcher, matches[i].bank_id, &seen[i].bank) != JAGA_OK ||
            jaga_store_entry_get(db, NULL, matches[i].entry_id, &seen[i].entry) != JAGA_OK)
            continue; /* a bank disabled or an entry gone since the match */
        pm[in.nmatches++] =
            (jaga_policy_match){seen[i].bank.name, seen[i].entry.labels, seen[i].bank.verified};
    }
    size_t nr = 0, nc = 0;
    if (st == JAGA_OK)
        jaga_policy_act(policy, c->content_id, &in, (int64_t)time(NULL), restrictions, ACTIONS_MAX,
                        &nr, cases, ACTIONS_MAX, &nc);
    nr = nr < ACTIONS_MAX ? nr : ACTIONS_MAX;
    nc = nc < ACTIONS_MAX ? nc : ACTIONS_MAX;
    if (st == JAGA_OK)
        st = jaga_store_begin(db, ctx);
    if (st == JAGA_OK)
        st = jaga_store_content_put(db, ctx, c);
    for (size_t i = 0; st == JAGA_OK && i < nr; i++)
        st = jaga_store_restriction_add(db, ctx, &restrictions[i]);
    for (size_t i = 0; st == JAGA_OK && i < nc; i++)
        st = jaga_store_case_open(db, ctx, &cases[i]);
    if (st == JAGA_OK)
        st = jaga_store_commit(db, ctx);
    if (st != JAGA_OK)
        jaga_store_rollback(db);
    for (size_t i = 0; st == JAGA_OK && i < nr; i++)
        st = jaga_visibility_map_add(map, ctx, &restrictions[i]);
    free(seen);
    free(pm);
    free(restrictions);
    free(cases);
    return st;
}

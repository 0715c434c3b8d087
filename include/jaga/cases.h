/*
 * Cases: regulators' notices received and reviewers' decisions applied, each in one store
 * transaction, then brought into memory (the matcher, the visibility map) before the caller
 * acknowledges. Callers serialize them with every other bank change, so that the matcher
 * sees changes in the store's order.
 */
#ifndef JAGA_CASES_H
#define JAGA_CASES_H

#include <stddef.h>

#include "jaga/matcher.h"
#include "jaga/policy.h"
#include "jaga/store.h"
#include "jaga/visibility.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Receives a notice of n->jurisdiction with its items (kind and value set): the notice, a
 * review case per item due at the notice's deadline (priority 2, source "notice:ID"); for
 * content items, what the policy's notice rule of that jurisdiction does there; for hashes,
 * entries in the regulator's bank NOTICES_CC (created on first use) labelled
 * "notice=ID;notice_jurisdiction=CC". A zero n->deadline_at becomes received_at plus the
 * jurisdiction's notice (or urgent notice) deadline, an empty penalty currency its penalty.
 * Fills n and the items (ids, case ids). JAGA_OK, or the store's failure (nothing written).
 */
jaga_status jaga_notice_receive(jaga_ctx *ctx, jaga_store *db, const jaga_policy *policy,
                                jaga_matcher *matcher, jaga_visibility_map *map, jaga_notice *n,
                                jaga_notice_item *items, size_t nitems);

/*
 * Records a new scan: the content (its matches_json set) with what the policy does to it
 * given its matches (bank names and verification from the matcher, entry labels from the
 * store): restrictions and review cases, all in one transaction; then the restrictions reach
 * the map. JAGA_OK, JAGA_ERR_CONFLICT when the content id is stored already (nothing
 * written), or the store's failure.
 */
jaga_status jaga_scan_record(jaga_ctx *ctx, jaga_store *db, const jaga_policy *policy,
                             jaga_matcher *matcher, jaga_visibility_map *map, jaga_content *c,
                             const jaga_match *matches, size_t nmatches);

/* What a decision changed. */
typedef struct jaga_decision_result {
    size_t lifted; /* provisional restrictions the case was about */
    size_t added;  /* restrictions decided */
} jaga_decision_result;

/*
 * Applies a reviewer's decision on a case: the case is decided (JAGA_ERR_CONFLICT if it was
 * already, JAGA_ERR_NOT_FOUND if there is none), the notice items it covers are actioned,
 * the provisional restrictions it was about (its content, its source, its scope) are lifted,
 * and the decided restriction stored, final: removed everywhere; withheld in the countries
 * given; blurred or age-gated there or everywhere; nothing for no_violation. Then the map.
 */
jaga_status jaga_case_apply_decision(jaga_ctx *ctx, jaga_store *db, jaga_visibility_map *map,
                                     jaga_case_decision *d, const char (*countries)[3],
                                     size_t ncountries, jaga_decision_result *out);

#ifdef __cplusplus
}
#endif
#endif

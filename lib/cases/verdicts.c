/* A decision's verdict on the entries its content matched, queued for the peers they came
 * from (jaga/exchange.h): a violation confirms them, no violation says they were a false
 * positive; an overturned appeal says the opposite of the decision it overturns. */
#include <jansson.h>
#include <string.h>

#include "cases/case_internal.h"
#include "jaga/exchange.h"
#include "jaga/core.h"

/* The verdict a decision gives its content's matches; 0, or -1 when it gives none (an upheld
 * appeal repeats the verdict already sent). */
static int verdict_of(const jaga_review *rv, const jaga_decision *d, jaga_feedback_verdict *out)
{
    const char *action = d->action;
    jaga_decision original;
    if (strcmp(d->kind, "appeal") == 0) {
        if (strcmp(d->action, "overturn") != 0 ||
            jaga_store_decision_get(rv->db, NULL, d->appeal_of, &original) != JAGA_OK)
            return -1;
        /* Overturned: the other verdict. */
        *out = strcmp(original.action, "no_violation") == 0 ? JAGA_FEEDBACK_CONFIRMED
                                                            : JAGA_FEEDBACK_FALSE_POSITIVE;
        return 0;
    }
    *out = strcmp(action, "no_violation") == 0 ? JAGA_FEEDBACK_FALSE_POSITIVE
                                               : JAGA_FEEDBACK_CONFIRMED;
    return 0;
}

jaga_status jaga__decision_verdicts(jaga_ctx *ctx, const jaga_review *rv, const jaga_case *c,
                                    const jaga_decision *d)
{
    jaga_feedback_verdict verdict;
    if (verdict_of(rv, d, &verdict) != 0)
        return JAGA_OK;
    jaga_content content;
    memset(&content, 0, sizeof(content));
    jaga_status st = jaga_store_content_get(rv->db, ctx, c->content_id, &content);
    if (st == JAGA_ERR_NOT_FOUND)
        return JAGA_OK; /* reported, never scanned: no matches */
    json_t *matches = st == JAGA_OK ? json_loads(content.matches_json, 0, NULL) : NULL;
    for (size_t i = 0; st == JAGA_OK && i < json_array_size(matches); i++) {
        json_t *id = json_object_get(json_array_get(matches, i), "entry_id");
        int queued;
        if (json_is_integer(id))
            st = jaga_store_verdict_queue(rv->db, ctx, (int64_t)json_integer_value(id), verdict,
                                          d->decided_at, &queued);
    }
    json_decref(matches);
    jaga_content_clear(&content);
    return st;
}

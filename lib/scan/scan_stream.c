/* A live stream's events through the pipeline: the stream's content recorded as a scan at
 * its first event, each later event's signal added to it. */
#include <stdio.h>
#include <string.h>

#include "jaga/core.h"
#include "scan/scan_internal.h"

jaga_status jaga_scan_stream_event(jaga_ctx *ctx, const jaga_scan_env *env, const jaga_content *ids,
                                   const jaga_stream_event *e, int *recorded)
{
    jaga_content c = *ids;
    c.quality = -1, c.matches_json = NULL;
    snprintf(c.format, sizeof(c.format), "live");
    jaga_match m = {0};
    size_t n = 0;
    if (e->kind == JAGA_STREAM_MATCH)
        m = jaga_vpdq_match_summary(&e->match), n = 1;
    else
        jaga_scan_scores_text(e->scores, c.scores, sizeof(c.scores));
    jaga_store *db = env->stores.take(env->stores.arg, ctx);
    if (!db)
        return JAGA_ERR_IO;
    jaga_review rv = env->review;
    rv.db = db;
    jaga_status st = !(c.matches_json = jaga_scan_matches_text(rv.matcher, db, &m, n, NULL, 0))
                         ? jaga_fail(ctx, JAGA_ERR_NOMEM, "scan: no memory for the matches")
                     : *recorded ? JAGA_ERR_CONFLICT
                                 : jaga_scan_record(ctx, &rv, &c, &m, n);
    if (st == JAGA_ERR_CONFLICT) /* recorded already: this event's signal is added */
        st = jaga_scan_amend(ctx, &rv, &c, &m, n);
    *recorded = 1;
    env->stores.give(env->stores.arg, db);
    jaga_content_clear(&c);
    return st;
}

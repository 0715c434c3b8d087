/* The record of a scan: its matches as stored (with bank names, labels and a video's frames),
 * the policy's restrictions and cases, and a stored id answered as the same scan or a
 * conflict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/bank.h"
#include "jaga/core.h"
#include "jaga/nn.h"
#include "scan/scan_internal.h"

void jaga_scan_result_clear(jaga_scan_result *result)
{
    free(result->videos);
    memset(result, 0, sizeof(*result));
}

void jaga_scan_scores_text(const float *scores, char *out, size_t cap)
{
    size_t used = 0;
    for (int k = 0; k < JAGA_NN_CLASSES && used < cap; k++)
        used += (size_t)snprintf(out + used, cap - used, "%s\"%s\":%.6f", k ? "," : "{",
                                 jaga_nn_classes()[k], scores[k]);
    if (used < cap)
        snprintf(out + used, cap - used, "}");
}

/* A stored content of c's id, on db: as jaga__scan_stored. */
static jaga_status same_or_conflict(jaga_ctx *ctx, jaga_store *db, jaga_content *c,
                                    jaga_scan_result *out)
{
    jaga_content old = {0};
    jaga_status st = jaga_store_content_get(db, ctx, c->content_id, &old);
    if (st == JAGA_OK && strcmp(old.sha256, c->sha256) != 0)
        st = jaga_fail(ctx, JAGA_ERR_CONFLICT, "content %s was scanned with other bytes",
                       c->content_id);
    else if (st == JAGA_OK) {
        jaga_content_clear(c);
        *c = old;
        out->stored_before = 1;
        return JAGA_OK;
    } else if (st != JAGA_ERR_NOT_FOUND)
        st = jaga_fail(ctx, JAGA_ERR_IO, "store: the content could not be read");
    jaga_content_clear(&old);
    return st;
}

jaga_status jaga__scan_stored(jaga_ctx *ctx, const jaga_scan_env *env, jaga_content *c,
                              jaga_scan_result *out)
{
    jaga_store *db = env->stores.take(env->stores.arg, ctx);
    if (!db)
        return JAGA_ERR_IO;
    jaga_status st = same_or_conflict(ctx, db, c, out);
    env->stores.give(env->stores.arg, db);
    return st;
}

/* A vPDQ match's shares and its first frames, onto its JSON. */
static void add_frames(json_t *m, const jaga_vpdq_match *v)
{
    json_t *frames = json_array();
    for (size_t f = 0; f < v->nframes; f++)
        json_array_append_new(
            frames, json_pack("{s:f,s:f,s:i}", "timestamp", (double)v->frames[f].query_timestamp,
                              "entry_timestamp", (double)v->frames[f].entry_timestamp, "distance",
                              v->frames[f].distance));
    json_object_set_new(m, "query_percent", json_real(v->query_percent));
    json_object_set_new(m, "compared_percent", json_real(v->compared_percent));
    json_object_set_new(m, "frames_matched", json_integer((json_int_t)v->frames_matched));
    json_object_set_new(m, "frames", frames);
}

char *jaga_scan_matches_text(jaga_matcher *matcher, jaga_store *db, const jaga_match *m, size_t n,
                             const jaga_vpdq_match *videos, size_t nv)
{
    json_t *all = json_array();
    for (size_t i = 0; all && i < n; i++) {
        jaga_bank b;
        if (jaga_matcher_bank(matcher, m[i].bank_id, &b) != JAGA_OK)
            b.name[0] = '\0';
        jaga_entry e;
        if (jaga_store_entry_get(db, NULL, m[i].entry_id, &e) != JAGA_OK)
            e.labels[0] = '\0';
        json_t *one = json_pack("{s:s,s:s,s:i,s:I,s:s}", "bank", b.name, "signal_type",
                                jaga_signal_type_name(m[i].type), "distance", m[i].distance,
                                "entry_id", (json_int_t)m[i].entry_id, "labels", e.labels);
        if (one && i >= n - nv)
            add_frames(one, &videos[i - (n - nv)]);
        json_array_append_new(all, one);
    }
    char *text = all ? json_dumps(all, JSON_COMPACT) : NULL;
    json_decref(all);
    return text;
}

jaga_status jaga__scan_commit(jaga_ctx *ctx, const jaga_scan_env *env, jaga_content *c,
                              const jaga_match *found, size_t n, const jaga_vpdq_match *videos,
                              size_t nv, jaga_scan_result *out)
{
    jaga_store *db = env->stores.take(env->stores.arg, ctx);
    if (!db)
        return JAGA_ERR_IO;
    jaga_review rv = env->review;
    rv.db = db;
    jaga_status st =
        (c->matches_json = jaga_scan_matches_text(rv.matcher, db, found, n, videos, nv))
            ? jaga_scan_record(ctx, &rv, c, found, n)
            : jaga_fail(ctx, JAGA_ERR_NOMEM, "scan: no memory for the matches");
    if (st == JAGA_ERR_CONFLICT) /* the same id, stored meanwhile by another scan */
        st = same_or_conflict(ctx, db, c, out);
    else if (st == JAGA_OK)
        out->nmatches = n;
    else if (st != JAGA_ERR_NOMEM)
        st = JAGA_ERR_IO; /* the store failed; its message stays on ctx */
    env->stores.give(env->stores.arg, db);
    return st;
}

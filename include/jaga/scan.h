/*
 * The pipeline of one upload, composed once: its signals (decoded under hard limits: an
 * image's PDQ hash with its 8 dihedral variants, SHA-256, MD5, the classifier's scores and
 * the seed of its blurred rendition; a video's digests, vPDQ features and sampled frames'
 * scores), their matches against every enabled bank of the review's matcher, and the record:
 * the content with its matches and what the policy does to it (restrictions, case sources,
 * audit leaves) in one store transaction (jaga_scan_record). The server's routes and video
 * jobs parse a request, call these, and present what they found.
 *
 * A store is taken (env->stores) only for the record, once per scan, after the signals: a
 * long decode holds none.
 *
 * Thread safety: any number of scans at once, each with its own ctx, hasher and classifier
 * runner (options->classifier).
 */
#ifndef JAGA_SCAN_H
#define JAGA_SCAN_H

#include <stddef.h>

#include "jaga/cases.h"
#include "jaga/engine.h"
#include "jaga/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* At most this many matches are kept of one scan (the closest first within each kind). */
enum { JAGA_SCAN_MATCHES_MAX = 1000 };

/* Where a scan gets a store for its record: take answers one (NULL with the reason on ctx),
 * give hands it back. */
typedef struct jaga_scan_stores {
    jaga_store *(*take)(void *arg, jaga_ctx *ctx);
    void (*give)(void *arg, jaga_store *store);
    void *arg;
} jaga_scan_stores;

typedef struct jaga_scan_env {
    jaga_review review; /* the policy, matcher, map, routing, webhooks (its db unused) */
    jaga_scan_stores stores;
    jaga_pdq_hasher *hasher;
} jaga_scan_env;

typedef struct jaga_scan_result {
    int stored_before; /* the id was stored with the same bytes: c is that content; no write */
    size_t nmatches;   /* the new scan's matches */
    /* A video's vPDQ matches (their frames, for presentation), also among the nmatches as
     * summaries; malloc'd, jaga_scan_result_clear frees them. */
    jaga_vpdq_match *videos;
    size_t nvideos;
} jaga_scan_result;

void jaga_scan_result_clear(jaga_scan_result *result);

/*
 * Whether the content c->content_id is stored already, for the len bytes at data (their
 * SHA-256 and MD5 into c): JAGA_ERR_NOT_FOUND when it is new; JAGA_OK with out->stored_before
 * and c the stored content when it was stored with the same bytes; JAGA_ERR_CONFLICT when
 * with others; JAGA_ERR_IO when the store fails. jaga_scan_image begins with it; a caller
 * that queues a scan for later asks it first.
 */
jaga_status jaga_scan_known(jaga_ctx *ctx, const jaga_scan_env *env, const void *data, size_t len,
                            jaga_content *c, jaga_scan_result *out);

/*
 * Scans one image of len bytes for the content c (content_id, uploader_id, uploader_country,
 * media_url set; the rest filled: digests, PDQ, quality, size, format, scores, blur seed,
 * matches_json, scanned_at). options->digests is ignored (always computed, first: a stored id
 * is answered before anything is decoded); options->classifier may be NULL.
 *
 * Returns JAGA_OK (recorded, or out->stored_before), JAGA_ERR_CONFLICT (the id is stored with
 * other bytes), a decode status (JAGA_ERR_DECODE, JAGA_ERR_UNSUPPORTED, JAGA_ERR_LIMIT),
 * JAGA_ERR_NOMEM, or JAGA_ERR_IO when the store fails; details on ctx. Free c's matches_json
 * with jaga_content_clear, out with jaga_scan_result_clear, whatever the status.
 */
jaga_status jaga_scan_image(jaga_ctx *ctx, const jaga_scan_env *env,
                            const jaga_signal_options *options, const void *data, size_t len,
                            jaga_content *c, jaga_scan_result *out);

/*
 * The same for a video file at path: its signals into *signals (jaga_video_signals_compute
 * with options; digests always), their matches (digests and vPDQ), and the record. When
 * options->stop interrupted the decode, signals->interrupted is set and nothing is recorded
 * (JAGA_OK). Statuses as jaga_scan_image's. Clear *signals with jaga_video_signals_clear.
 */
jaga_status jaga_scan_video(jaga_ctx *ctx, const jaga_scan_env *env,
                            const jaga_video_signal_options *options, const char *path,
                            jaga_content *c, jaga_video_signals *signals, jaga_scan_result *out);

/*
 * A live stream's event (jaga_stream_watch's) through the policy: the stream's content (ids:
 * content_id, uploader_id, uploader_country, media_url set, the rest zero; matches_json not
 * read) recorded as a scan of format "live"
 * at the first event (*recorded set), each later event's signal added to it
 * (jaga_scan_amend). Statuses as jaga_scan_record's, JAGA_ERR_IO when no store is had.
 */
jaga_status jaga_scan_stream_event(jaga_ctx *ctx, const jaga_scan_env *env, const jaga_content *ids,
                                   const jaga_stream_event *e, int *recorded);

/* Matches as the API shows and the store keeps them: a JSON array of {"bank", "signal_type",
 * "distance", "entry_id", "labels"}, bank names from the matcher and labels read through
 * store; the last nvideos of the n matches are those vPDQ matches' summaries, and carry their
 * shares and first frames too. malloc'd text, or NULL when out of memory. */
char *jaga_scan_matches_text(jaga_matcher *matcher, jaga_store *store, const jaga_match *found,
                             size_t n, const jaga_vpdq_match *videos, size_t nvideos);

/* The classifier's scores as the policy's classifier rules read them, {"drawing":0.010000,
 * ...} (jaga_nn_classes order), into out (cap bytes). */
void jaga_scan_scores_text(const float *scores, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif

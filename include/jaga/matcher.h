/*
 * The matcher: every active entry of every enabled bank, in memory, answering "which bank
 * entries does this upload match". PDQ hashes through the PDQ index (each bank at its own
 * threshold), MD5 and SHA-256 digests through a hash table.
 *
 * Thread safety: queries from any number of threads; jaga_matcher_apply and
 * jaga_matcher_set_bank from one at a time.
 */
#ifndef JAGA_MATCHER_H
#define JAGA_MATCHER_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/bank.h"
#include "jaga/pdq.h"
#include "jaga/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_matcher jaga_matcher;

/* Loads the enabled banks of store and their active entries. The matcher does not keep
 * store. With snapshot (a path, or NULL): the PDQ index comes from that file when it was
 * saved at the store's present generation (jaga_store_generation), and is built from the
 * store otherwise (a missing, stale or damaged snapshot is not an error). Free with
 * jaga_matcher_free(). */
jaga_status jaga_matcher_open(jaga_ctx *ctx, jaga_store *store, const char *snapshot,
                              jaga_matcher **out);

/* Whether the PDQ index came from the snapshot. */
int jaga_matcher_from_snapshot(jaga_matcher *matcher);

/* Saves the PDQ index to path (atomically), tagged with the store's generation. No changes
 * may be applied meanwhile. */
jaga_status jaga_matcher_save(jaga_matcher *matcher, jaga_ctx *ctx, jaga_store *store,
                              const char *path);

/* A no-op on NULL. */
void jaga_matcher_free(jaga_matcher *matcher);

typedef struct jaga_match {
    int64_t entry_id, bank_id;
    jaga_signal_type type;
    int distance;         /* PDQ: Hamming distance; digests: 0 */
    unsigned query_index; /* which of the query's PDQ hashes matched best */
} jaga_match;

typedef struct jaga_match_query {
    const jaga_pdq_hash *pdq; /* 0, 1 or JAGA_DIH_COUNT hashes */
    size_t npdq;
    const char *md5, *sha256; /* hex digests, or NULL */
    const int64_t *banks;     /* only these banks; NULL: every enabled bank */
    size_t nbanks;
} jaga_match_query;

/* All matches, digests first, then PDQ by distance; *count receives how many, of which the
 * first min(*count, cap) are written to out. JAGA_OK, JAGA_ERR_INVALID or JAGA_ERR_NOMEM. */
jaga_status jaga_matcher_match(jaga_matcher *matcher, jaga_ctx *ctx, const jaga_match_query *q,
                               jaga_match *out, size_t cap, size_t *count);

/* One frame of a vPDQ match: a query feature and the closest banked one. */
typedef struct jaga_vpdq_frame_match {
    float query_timestamp, entry_timestamp; /* seconds */
    int distance;
} jaga_vpdq_frame_match;

enum { JAGA_VPDQ_MATCH_FRAMES = 16 };

/* A video matched against a vpdq entry, with vpdq's shares (jaga/vpdq.h). */
typedef struct jaga_vpdq_match {
    int64_t entry_id, bank_id;
    double query_percent, compared_percent;
    size_t frames_matched; /* query features with a banked feature within the threshold */
    size_t entry_features, entry_frames_matched; /* the entry's kept, and those found */
    size_t nframes; /* the first min(frames_matched, JAGA_VPDQ_MATCH_FRAMES) of them: */
    jaga_vpdq_frame_match frames[JAGA_VPDQ_MATCH_FRAMES];
} jaga_vpdq_match;

/*
 * Matches a video's features against the vpdq entries of the enabled banks (banks, nbanks:
 * only those; NULL every one): each bank's PDQ threshold is its distance, options (NULL:
 * vpdq's defaults) the quality floor and the shares a match needs; its distance_max is not
 * read. Matches are ordered by query share, then compared share, highest first; *count
 * receives how many, of which the first min(*count, cap) are written to out. JAGA_OK or
 * JAGA_ERR_NOMEM.
 */
jaga_status jaga_matcher_match_vpdq(jaga_matcher *matcher, jaga_ctx *ctx,
                                    const jaga_vpdq_feature *features, size_t n,
                                    const jaga_vpdq_match_options *options, const int64_t *banks,
                                    size_t nbanks, jaga_vpdq_match *out, size_t cap, size_t *count);

/* A vPDQ match as the matches of other signals read: type vpdq, the distance of its closest
 * frame (of those kept in frames). */
jaga_match jaga_vpdq_match_summary(const jaga_vpdq_match *match);

/* A copy of the enabled bank with that id into out. JAGA_OK or JAGA_ERR_NOT_FOUND. */
jaga_status jaga_matcher_bank(jaga_matcher *matcher, int64_t bank_id, jaga_bank *out);

/* Brings a bank's settings, just stored, into the matcher: a newly enabled bank's active
 * entries are loaded from store, a disabled bank stops matching, thresholds take effect. */
jaga_status jaga_matcher_set_bank(jaga_matcher *matcher, jaga_ctx *ctx, jaga_store *store,
                                  const jaga_bank *bank);

/* Brings a change just applied to the store (an entry added, reactivated or withdrawn,
 * with its id) into the matcher. */
jaga_status jaga_matcher_apply(jaga_matcher *matcher, jaga_ctx *ctx, const jaga_entry *entry);

/* Active entries held. */
size_t jaga_matcher_count(jaga_matcher *matcher);

#ifdef __cplusplus
}
#endif
#endif

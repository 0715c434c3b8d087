/*
 * vPDQ: Meta's video hash, a PDQ hash of the frames of a video taken every so many seconds
 * (jaga/video.h selects and decodes them as vpdq does), each with its frame number, quality
 * and timestamp.
 *
 * Thread safety: as the hasher given (one per thread).
 */
#ifndef JAGA_VPDQ_H
#define JAGA_VPDQ_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/pdq.h"
#include "jaga/status.h"
#include "jaga/video.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_vpdq_feature {
    uint64_t frame; /* its number in the video, from 0 */
    int quality;    /* PDQ's, 0 to 100 */
    jaga_pdq_hash hash;
    float timestamp; /* seconds */
} jaga_vpdq_feature;

/* vpdq's line of a feature, "frame,quality,hex,timestamp" with the timestamp to the
 * millisecond: at most JAGA_VPDQ_LINE_MAX bytes with its NUL. */
enum { JAGA_VPDQ_LINE_MAX = 128 };
void jaga_vpdq_feature_line(const jaga_vpdq_feature *feature, char *out);

/* ThreatExchange's string of a feature, "hex,quality,timestamp" (timestamp to the
 * millisecond), at most JAGA_VPDQ_LINE_MAX bytes with its NUL. */
void jaga_vpdq_feature_compact(const jaga_vpdq_feature *feature, char *out);

/* Reads that string back (frame set to 0). JAGA_OK, or JAGA_ERR_INVALID when it is not
 * "hex,quality,timestamp" with 64 hex digits, a quality of 0 to 100 and a time >= 0. */
jaga_status jaga_vpdq_feature_parse_compact(const char *text, jaga_vpdq_feature *out);

/* The feature of one decoded frame (jaga_video_decode's): PDQ at full resolution. JAGA_OK or
 * a status of jaga_pdq_hash_pixels(). */
jaga_status jaga_vpdq_hash_frame(jaga_pdq_hasher *hasher, jaga_ctx *ctx,
                                 const jaga_video_frame *frame, jaga_vpdq_feature *out);

/*
 * Hashes the video at path (data NULL) or in len bytes at data (path NULL): a PDQ hash, at
 * full resolution, of every frame selected every seconds_per_hash (vpdq's default is 1; 0:
 * every frame). *features (malloc'd, the caller frees) receives *n of them in frame order;
 * info (may be NULL) what jaga_video_decode() found. Returns JAGA_OK or any status of
 * jaga_video_decode(); on failure no features are returned. Details on ctx.
 */
jaga_status jaga_vpdq_hash_video(jaga_ctx *ctx, jaga_pdq_hasher *hasher, const char *path,
                                 const void *data, size_t len, const jaga_video_limits *limits,
                                 double seconds_per_hash, jaga_vpdq_feature **features, size_t *n,
                                 jaga_video_info *info);

/* Matching as vpdq does it: features below a quality dropped, repeated hashes kept once,
 * then the share of each side's features with a feature on the other side within a
 * distance. A match when the query's share and the compared side's share reach their
 * thresholds. */
typedef struct jaga_vpdq_match_options {
    int quality_min;             /* 50 */
    int distance_max;            /* 31: within means distance <= this */
    double query_percent_min;    /* 80 */
    double compared_percent_min; /* 0 */
} jaga_vpdq_match_options;

void jaga_vpdq_match_options_default(jaga_vpdq_match_options *options);

typedef struct jaga_vpdq_comparison {
    double query_percent;    /* of the query's kept features found in the compared video */
    double compared_percent; /* of the compared video's kept features found in the query */
    size_t query_kept, compared_kept;
    int matched;
} jaga_vpdq_comparison;

/* Keeps, in place and in order, the features of quality >= quality_min, the first of each
 * distinct hash; returns how many. */
size_t jaga_vpdq_prepare(jaga_vpdq_feature *features, size_t n, int quality_min);

/* Compares two videos' features (prepared here, on copies; options NULL for the defaults).
 * Either side with no feature left gives 0% and no match. JAGA_OK or JAGA_ERR_NOMEM. */
jaga_status jaga_vpdq_compare(jaga_ctx *ctx, const jaga_vpdq_feature *query, size_t nq,
                              const jaga_vpdq_feature *compared, size_t nc,
                              const jaga_vpdq_match_options *options, jaga_vpdq_comparison *out);

/*
 * Reads features in the lines jaga vpdq writes (and vpdq's sample hash files hold),
 * "frame,quality,hex,timestamp", one a line, from len bytes of text: at most max_features
 * (0: 1 million). *features is malloc'd (the caller frees). Returns JAGA_OK, JAGA_ERR_INVALID
 * with the line that is wrong (field count, hex, quality outside 0..100, negative or
 * non-numeric frame or timestamp), JAGA_ERR_LIMIT past max_features, JAGA_ERR_NOMEM.
 */
jaga_status jaga_vpdq_parse_lines(jaga_ctx *ctx, const char *text, size_t len, size_t max_features,
                                  jaga_vpdq_feature **features, size_t *n);

#ifdef __cplusplus
}
#endif
#endif

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

#ifdef __cplusplus
}
#endif
#endif

/*
 * The signals of one upload, the first step of its scan (jaga/scan.h composes the rest:
 * matching, policy, record) and all that `jaga hash` and POST /v1/hash compute.
 *
 * Decode (with limits), exact-match digests, PDQ, given a runner the explicit-content
 * classifier's scores, and the seed of the blurred rendition; for a video, its vPDQ features
 * and the scores of frames sampled through it; for a live stream, its events.
 */
#ifndef JAGA_ENGINE_H
#define JAGA_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/blur.h"
#include "jaga/digest.h"
#include "jaga/matcher.h"
#include "jaga/media.h"
#include "jaga/nn.h"
#include "jaga/pdq.h"
#include "jaga/status.h"
#include "jaga/video.h"
#include "jaga/vpdq.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_signal_options {
    const jaga_decode_limits *limits; /* NULL: the defaults */
    int dihedral;                     /* also the 7 dihedral PDQ hashes */
    int digests;                      /* also SHA-256 and MD5 of the raw bytes */
    jaga_nn_runner *classifier;       /* NULL: no classification */
    int blur_seed;                    /* also the seed of its blurred rendition */
} jaga_signal_options;

typedef struct jaga_signals {
    uint32_t width, height;
    const char *format; /* static, e.g. "jpeg" */
    jaga_pdq_result pdq;
    jaga_digests digests; /* zero unless requested */
    int classified;       /* scores holds the classifier's (jaga_nn_classes order) */
    float scores[JAGA_NN_CLASSES];
    jaga_blur_seed blur_seed; /* len 0 unless requested */
} jaga_signals;

/*
 * Computes the signals of an encoded image. hasher holds the caller's reusable scratch (one
 * per thread). Returns JAGA_OK or any status of jaga_image_decode(); details on ctx.
 * data is borrowed for the call only.
 */
jaga_status jaga_signals_compute(jaga_ctx *ctx, jaga_pdq_hasher *hasher, const void *data,
                                 size_t len, const jaga_signal_options *options, jaga_signals *out);

typedef struct jaga_video_signal_options {
    const jaga_video_limits *limits; /* NULL: the defaults */
    double seconds_per_hash;         /* vPDQ's interval: 1 (0: every frame) */
    jaga_nn_runner *classifier;      /* NULL: no classification */
    double classify_seconds;         /* between classified frames, at first: 1 */
    int digests;                     /* also SHA-256 and MD5 of the file */
    int blur_seed;                   /* also a blurred rendition's seed (see below) */
    /* Asked before each frame; non-zero stops the decode (out->interrupted). NULL: never. */
    int (*stop)(void *arg);
    void *stop_arg;
} jaga_video_signal_options;

/* The classified frames are at most this many: past it every other one is dropped and the
 * interval doubles, so that they stay spread over the whole video. */
enum { JAGA_VIDEO_SAMPLES_MAX = 256 };

typedef struct jaga_frame_scores {
    float timestamp; /* seconds */
    float scores[JAGA_NN_CLASSES];
} jaga_frame_scores;

typedef struct jaga_video_signals {
    jaga_video_info info;
    jaga_digests digests;        /* zero unless requested */
    jaga_vpdq_feature *features; /* malloc'd, nfeatures of them, in frame order */
    size_t nfeatures;
    jaga_frame_scores *samples; /* malloc'd, the classified frames in time order */
    size_t nsamples;
    int classified;                /* scores holds each class's highest over the samples */
    float scores[JAGA_NN_CLASSES]; /* (jaga_nn_classes order) */
    jaga_blur_seed blur_seed;      /* of the sample most explicit, else of the first frame */
    int interrupted;               /* options->stop stopped it: the signals are partial */
} jaga_video_signals;

/* Frees what a jaga_video_signals holds; a no-op on zeroed ones. */
void jaga_video_signals_clear(jaga_video_signals *signals);

/*
 * The signals of a video at path (data NULL) or in len bytes at data (path NULL): decode
 * with limits (jaga/video.h), vPDQ features (jaga/vpdq.h), given a runner the classifier's
 * scores of frames every classify_seconds (taken from vPDQ's frames when the intervals
 * allow), digests and a blurred rendition's seed. Returns JAGA_OK or any status of
 * jaga_video_decode() (out cleared then); details on ctx. Clear out with
 * jaga_video_signals_clear() either way.
 */
jaga_status jaga_video_signals_compute(jaga_ctx *ctx, jaga_pdq_hasher *hasher, const char *path,
                                       const void *data, size_t len,
                                       const jaga_video_signal_options *options,
                                       jaga_video_signals *out);

/*
 * A live stream watched against the banks and the classifier: every frame taken (one every
 * seconds_per_hash) is hashed, and classified, as it arrives, and an event is raised as soon
 * as a frame completes one. A match: the last window_seconds of the stream hold
 * match_frames of a banked video's frames (vpdq's distance and quality rules), or half of a
 * banked video shorter than twice that; each banked video once a watch. Explicit: a frame
 * whose porn and hentai scores reach explicit_min, at most once a window.
 */
typedef enum jaga_stream_event_kind {
    JAGA_STREAM_MATCH,
    JAGA_STREAM_EXPLICIT
} jaga_stream_event_kind;

typedef struct jaga_stream_event {
    jaga_stream_event_kind kind;
    float stream_time;             /* the frame's: seconds from the stream's start */
    double latency;                /* seconds from the frame's arrival to the event */
    jaga_vpdq_match match;         /* MATCH: the banked video, the frames found */
    float scores[JAGA_NN_CLASSES]; /* EXPLICIT: the frame's */
} jaga_stream_event;

typedef struct jaga_stream_watch_options {
    jaga_stream_options input;  /* stall, limits, stop (jaga/video.h) */
    double seconds_per_hash;    /* 1 */
    jaga_matcher *matcher;      /* NULL: no matching */
    jaga_nn_runner *classifier; /* NULL: no classification */
    double window_seconds;      /* 60 */
    size_t match_frames;        /* 10 */
    float explicit_min;         /* 0.9 */
    void (*event)(void *arg, const jaga_stream_event *event); /* on the watching thread */
    void *event_arg;
} jaga_stream_watch_options;

/* The options above with their defaults, input zeroed (its own defaults). */
void jaga_stream_watch_options_default(jaga_stream_watch_options *options);

typedef struct jaga_stream_summary {
    jaga_video_info info;
    jaga_stream_end end;
    size_t frames_hashed, matches, explicit_events;
} jaga_stream_summary;

/* Watches url (jaga_video_watch) until it ends; the summary in out. Returns JAGA_OK when it
 * ended, stalled or was stopped (out->end says which), else the status that ended it. Memory
 * stays bounded: the window, and at most 4096 banked videos remembered as raised. */
jaga_status jaga_stream_watch(jaga_ctx *ctx, jaga_pdq_hasher *hasher, const char *url,
                              const jaga_stream_watch_options *options, jaga_stream_summary *out);

#ifdef __cplusplus
}
#endif
#endif

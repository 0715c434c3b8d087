/*
 * Decoding video from untrusted bytes, in-process through FFmpeg (libavformat, libavcodec,
 * libswscale), under hard limits.
 *
 * Containers accepted: MP4/MOV, Matroska/WebM, MPEG-TS, AVI, FLV; codecs: H.264, HEVC, VP8,
 * VP9, AV1, MPEG-4 Part 2, MPEG-1/2, Motion JPEG. Nothing else is opened (no playlists, no
 * references to other files, no network). The first video stream is decoded; frames are
 * numbered from 0 in decoding output order and selected as Meta's vpdq selects them: frame
 * n when n % every == 0, where every = (int)(seconds_per_frame * frame rate), at least 1
 * (0 seconds: every frame). Each selected frame is converted to RGB24 at full resolution
 * (swscale, area averaging) and handed to the caller with its timestamp, n / frame rate
 * (as vpdq computes it, in single precision).
 *
 * Decoding fails closed: a demuxer or decoder error anywhere stops with JAGA_ERR_DECODE and
 * the frame it was at, after the frames already handed over.
 *
 * Thread-safe: any number of threads may decode at once.
 */
#ifndef JAGA_VIDEO_H
#define JAGA_VIDEO_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_video_limits {
    size_t max_bytes;   /* encoded input */
    uint32_t max_width; /* of the frames */
    uint32_t max_height;
    double max_seconds;  /* of frames decoded (by their number and the frame rate) */
    uint64_t max_frames; /* decoded, selected or not */
} jaga_video_limits;

/* The defaults: 1 GiB, 4096 x 4096, 3 hours, 1 million frames. */
void jaga_video_limits_default(jaga_video_limits *limits);

typedef struct jaga_video_info {
    uint32_t width, height;
    double frame_rate;  /* frames a second: the stream's average, else its base rate */
    const char *codec;  /* FFmpeg's decoder name, e.g. "h264"; static */
    const char *format; /* the container's, e.g. "mov,mp4,m4a,3gp,3g2,mj2"; static */
    uint64_t frames;    /* decoded */
    uint64_t selected;  /* handed to the caller */
} jaga_video_info;

typedef struct jaga_video_frame {
    uint64_t number; /* from 0 */
    float timestamp; /* seconds: number / frame rate */
    uint32_t width, height;
    const uint8_t *rgb; /* rows of width x 3 bytes, stride bytes apart; valid for the call */
    size_t stride;
} jaga_video_frame;

/* Receives each selected frame; returns 0 to go on, anything else to stop (the decode then
 * ends with JAGA_OK). */
typedef int (*jaga_video_frame_fn)(void *arg, const jaga_video_frame *frame);

/*
 * Decodes the video in the file at path (data NULL) or in len bytes at data (path NULL),
 * calling fn with the frames selected every seconds_per_frame (0: every frame). limits may be
 * NULL for the defaults; info (may be NULL) receives what was found even on failure.
 * Returns JAGA_OK; JAGA_ERR_LIMIT (bytes, dimensions, duration or frames past the limits);
 * JAGA_ERR_UNSUPPORTED (a container or codec not accepted, or no video stream);
 * JAGA_ERR_DECODE (empty, truncated or corrupt); JAGA_ERR_IO (path unreadable);
 * JAGA_ERR_NOMEM; JAGA_ERR_INVALID (a negative or absurd seconds_per_frame). Details on ctx.
 */
jaga_status jaga_video_decode(jaga_ctx *ctx, const char *path, const void *data, size_t len,
                              const jaga_video_limits *limits, double seconds_per_frame,
                              jaga_video_frame_fn fn, void *arg, jaga_video_info *info);

#ifdef __cplusplus
}
#endif
#endif

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
    double arrived; /* live input: when its last packet was read (CLOCK_MONOTONIC s); else 0 */
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

/*
 * Live input: a stream that is watched as it comes, for as long as it lasts.
 */
typedef struct jaga_stream_options {
    uint32_t max_width, max_height; /* of the frames; 0: 4096 */
    double stall_seconds;           /* no data for this long ends the watch, stalled; 0: 10 */
    double max_seconds;             /* of video; 0: no limit */
    int allow_files; /* a path (a named pipe, a growing file) may be watched: the CLI's
                      * choice, never the server's (a network peer must not name files) */
    /* Asked while waiting for data and before each frame; non-zero stops the watch. */
    int (*stop)(void *arg);
    void *stop_arg;
} jaga_stream_options;

typedef enum jaga_stream_end {
    JAGA_STREAM_ENDED,        /* the input ended (end of stream, the sender went away) */
    JAGA_STREAM_DISCONNECTED, /* reading failed after it had begun (a connection reset) */
    JAGA_STREAM_STALLED,      /* no data for stall_seconds */
    JAGA_STREAM_STOPPED,      /* stop, or the frame function, asked to stop */
    JAGA_STREAM_FAILED        /* the input could not be opened or decoded (the status says why) */
} jaga_stream_end;

/* "ended", "disconnected", "stalled", "stopped", "failed". */
const char *jaga_stream_end_name(jaga_stream_end end);

/*
 * Watches a live input, calling fn with a frame every seconds_per_frame as frames arrive:
 * url "-" (standard input: MPEG-TS, FLV, Matroska), tcp:// and udp:// URLs (MPEG-TS), an
 * http:// HLS playlist (or MPEG-TS over HTTP), rtmp://; containers and decoders are held to
 * the allowlists, memory stays bounded however long the stream runs. *end says how it
 * ended; the status is JAGA_OK when it ended, stalled or stopped, else what
 * jaga_video_decode() would return (JAGA_ERR_UNSUPPORTED also for a URL of another kind).
 */
jaga_status jaga_video_watch(jaga_ctx *ctx, const char *url, const jaga_stream_options *options,
                             double seconds_per_frame, jaga_video_frame_fn fn, void *arg,
                             jaga_video_info *info, jaga_stream_end *end);

#ifdef __cplusplus
}
#endif
#endif

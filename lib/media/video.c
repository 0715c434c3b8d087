/* Video decoding through FFmpeg, restricted to allowlists of containers and decoders, with
 * hard limits, from a file, from memory, or from a live input as it arrives. */
#include "jaga/video.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jaga/core.h"

/* Demuxers by their FFmpeg names (one of a demuxer's names suffices) and decoders. */
static const char containers[] = "mov,mp4,matroska,webm,mpegts,avi,flv";
static const char live_containers[] = "mpegts,hls,flv,live_flv,matroska,webm";
/* Network protocols of live inputs; never file: a playlist must not reach local files. */
static const char live_protocols[] = "tcp,udp,http,https,tls,rtmp,crypto,httpproxy";
static const char *const decoders[] = {"h264",       "hevc",  "vp8",    "vp9",
                                       "libdav1d",   "av1",   "mpeg4",  "mpeg1video",
                                       "mpeg2video", "mjpeg", "libvpx", "libvpx-vp9"};

enum { IO_BUFFER = 64 * 1024 };

void jaga_video_limits_default(jaga_video_limits *limits)
{
    limits->max_bytes = (size_t)1 << 30;
    limits->max_width = 4096;
    limits->max_height = 4096;
    limits->max_seconds = 3 * 3600;
    limits->max_frames = 1000000;
}

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

/* The library never prints: FFmpeg's own messages are silenced, errors come back as codes. */
static void quiet(void)
{
    av_log_set_level(AV_LOG_QUIET);
}

/* Bytes in memory as FFmpeg's input, seekable. */
typedef struct mem_input {
    const uint8_t *data;
    size_t len, pos;
} mem_input;

static int mem_read(void *opaque, uint8_t *buf, int size)
{
    mem_input *m = opaque;
    size_t n = m->len - m->pos < (size_t)size ? m->len - m->pos : (size_t)size;
    if (n == 0)
        return AVERROR_EOF;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (int)n;
}

static int64_t mem_seek(void *opaque, int64_t offset, int whence)
{
    mem_input *m = opaque;
    whence &= ~AVSEEK_FORCE;
    if (whence == AVSEEK_SIZE)
        return (int64_t)m->len;
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
        return -1;
    int64_t base = whence == SEEK_CUR ? (int64_t)m->pos : whence == SEEK_END ? (int64_t)m->len : 0;
    int64_t to = base + offset;
    if (to < 0 || to > (int64_t)m->len)
        return -1;
    m->pos = (size_t)to;
    return to;
}

/* One decode's state. */
typedef struct video {
    jaga_ctx *ctx;
    const jaga_video_limits *limits;
    AVFormatContext *fc;
    AVCodecContext *cc;
    AVIOContext *io;
    mem_input mem;
    struct SwsContext *sws;
    AVFrame *frame;
    AVPacket *packet;
    uint8_t *rgb;
    size_t rgb_size;
    int stream;
    uint64_t every;
    jaga_video_frame_fn fn;
    void *arg;
    jaga_video_info *info;
    int stopped; /* the caller asked to stop */
    /* Live input. */
    const jaga_stream_options *live; /* NULL: a file or bytes */
    int fd;                          /* standard input or a named pipe, read by poll; or -1 */
    double last_data, arrived;       /* when data last came; when the packet being decoded did */
    int stalled, stop_asked, began;
} video;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* FFmpeg asks this while it waits for a live input: non-zero gives up the wait. */
static int interrupted(void *opaque)
{
    video *v = opaque;
    const jaga_stream_options *o = v->live;
    if (o->stop && o->stop(o->stop_arg))
        v->stop_asked = 1;
    else if (now_s() - v->last_data > o->stall_seconds)
        v->stalled = 1;
    return v->stop_asked || v->stalled;
}

/* A descriptor's bytes as FFmpeg's input, waited for in slices so that stalls and stops are
 * seen (a plain read would block for good on a quiet pipe). */
static int fd_read(void *opaque, uint8_t *buf, int size)
{
    video *v = opaque;
    for (;;) {
        if (interrupted(v))
            return AVERROR_EXIT;
        struct pollfd p = {.fd = v->fd, .events = POLLIN};
        int ready = poll(&p, 1, 100);
        if (ready < 0)
            return AVERROR(EIO);
        if (ready == 0)
            continue;
        ssize_t n = read(v->fd, buf, (size_t)size);
        if (n > 0) {
            v->last_data = now_s();
            return (int)n;
        }
        return n == 0 ? AVERROR_EOF : AVERROR(EIO);
    }
}

static jaga_status av_fail(video *v, jaga_status st, const char *what, int err)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(err, text, sizeof(text));
    return jaga_fail(v->ctx, st, "%s%s%s", what, *text ? ": " : "", text);
}

/* FFmpeg's input through read (and seek, NULL: none) on opaque instead of a protocol. */
static jaga_status custom_input(video *v, void *opaque, int (*read)(void *, uint8_t *, int),
                                int64_t (*seek)(void *, int64_t, int))
{
    uint8_t *buf = av_malloc(IO_BUFFER);
    v->io = buf ? avio_alloc_context(buf, IO_BUFFER, 0, opaque, read, NULL, seek) : NULL;
    if (!v->io) {
        av_free(buf);
        return JAGA_ERR_NOMEM;
    }
    v->fc->pb = v->io;
    v->fc->flags |= AVFMT_FLAG_CUSTOM_IO;
    return JAGA_OK;
}

/* The container: from memory through v->io, or the file, demuxers and protocols held to
 * the allowlists. */
static jaga_status open_input(video *v, const char *path, const void *data, size_t len)
{
    const jaga_video_limits *lim = v->limits;
    if (path) {
        struct stat sb;
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            return jaga_fail(v->ctx, JAGA_ERR_IO, "%s: not a readable file", path);
        len = (size_t)sb.st_size;
    }
    if (len == 0)
        return jaga_fail(v->ctx, JAGA_ERR_DECODE, "empty input");
    if (len > lim->max_bytes)
        return jaga_fail(v->ctx, JAGA_ERR_LIMIT, "%zu bytes exceeds the limit of %zu", len,
                         lim->max_bytes);
    if (!(v->fc = avformat_alloc_context()))
        return jaga_fail(v->ctx, JAGA_ERR_NOMEM, "no memory for the container");
    AVDictionary *opts = NULL;
    av_dict_set(&opts, "format_whitelist", containers, 0);
    av_dict_set(&opts, "protocol_whitelist", "file", 0);
    if (!path) {
        v->mem = (mem_input){data, len, 0};
        if (custom_input(v, &v->mem, mem_read, mem_seek) != JAGA_OK) {
            av_dict_free(&opts);
            return jaga_fail(v->ctx, JAGA_ERR_NOMEM, "no memory for the input");
        }
    }
    int err = avformat_open_input(&v->fc, path ? path : "", NULL, &opts);
    av_dict_free(&opts);
    if (err == AVERROR(EINVAL)) /* a container off the allowlist */
        return jaga_fail(
            v->ctx, JAGA_ERR_UNSUPPORTED,
            "not a container jaga reads (MP4, MOV, Matroska, WebM, MPEG-TS, AVI, FLV)");
    if (err < 0) /* avformat_open_input frees the context on failure */
        return av_fail(v, JAGA_ERR_DECODE, "not a readable video (truncated, corrupt or no video)",
                       err);
    if ((err = avformat_find_stream_info(v->fc, NULL)) < 0)
        return av_fail(v, JAGA_ERR_DECODE, "unreadable streams", err);
    if (v->info)
        v->info->format = v->fc->iformat->name;
    return JAGA_OK;
}

static int decoder_allowed(const char *name)
{
    for (size_t i = 0; i < sizeof(decoders) / sizeof(decoders[0]); i++)
        if (strcmp(name, decoders[i]) == 0)
            return 1;
    return 0;
}

/* The first video stream's decoder, on one thread (jaga runs decodes side by side). */
static jaga_status open_decoder(video *v, double seconds_per_frame)
{
    const jaga_video_limits *lim = v->limits;
    v->stream = av_find_best_stream(v->fc, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (v->stream < 0)
        return jaga_fail(v->ctx, JAGA_ERR_UNSUPPORTED, "no video stream");
    AVStream *s = v->fc->streams[v->stream];
    const AVCodec *codec = avcodec_find_decoder(s->codecpar->codec_id);
    if (!codec || !decoder_allowed(codec->name))
        return jaga_fail(v->ctx, JAGA_ERR_UNSUPPORTED, "unsupported video codec (%s)",
                         avcodec_get_name(s->codecpar->codec_id));
    uint32_t w = (uint32_t)s->codecpar->width, h = (uint32_t)s->codecpar->height;
    if (!w || !h)
        return jaga_fail(v->ctx, JAGA_ERR_DECODE, "the video stream has no dimensions");
    if (w > lim->max_width || h > lim->max_height)
        return jaga_fail(v->ctx, JAGA_ERR_LIMIT, "%ux%u exceeds the limit of %ux%u", w, h,
                         lim->max_width, lim->max_height);
    AVRational rate =
        s->avg_frame_rate.num && s->avg_frame_rate.den ? s->avg_frame_rate : s->r_frame_rate;
    double fps = rate.num && rate.den ? av_q2d(rate) : 0;
    if (!(fps > 0 && fps <= 1000))
        return jaga_fail(v->ctx, JAGA_ERR_DECODE, "no usable frame rate (%d/%d)", rate.num,
                         rate.den);
    int64_t every = (int64_t)(seconds_per_frame * fps);
    v->every = every > 0 ? (uint64_t)every : 1;
    if (v->info) {
        v->info->width = w, v->info->height = h, v->info->frame_rate = fps;
        v->info->codec = codec->name;
    }
    if (!(v->cc = avcodec_alloc_context3(codec)) ||
        avcodec_parameters_to_context(v->cc, s->codecpar) < 0)
        return jaga_fail(v->ctx, JAGA_ERR_NOMEM, "no memory for the decoder");
    v->cc->thread_count = 1;
    int err = avcodec_open2(v->cc, codec, NULL);
    if (err < 0)
        return av_fail(v, JAGA_ERR_DECODE, "the decoder would not open", err);
    if (!(v->frame = av_frame_alloc()) || !(v->packet = av_packet_alloc()))
        return jaga_fail(v->ctx, JAGA_ERR_NOMEM, "no memory for frames");
    return JAGA_OK;
}

/* The decoded frame as RGB24 at its own size, handed to the caller. */
static jaga_status hand_over(video *v, uint64_t number)
{
    const jaga_video_limits *lim = v->limits;
    AVFrame *f = v->frame;
    uint32_t w = (uint32_t)f->width, h = (uint32_t)f->height;
    if (!w || !h || w > lim->max_width || h > lim->max_height)
        return jaga_fail(v->ctx, JAGA_ERR_LIMIT, "frame %llu is %ux%u, past the limit of %ux%u",
                         (unsigned long long)number, w, h, lim->max_width, lim->max_height);
    /* Area averaging as vpdq asks, with accurate rounding: swscale then computes the same
     * RGB on every CPU (its SIMD paths round otherwise, and differently from its C code),
     * so that a video hashes the same wherever jaga runs. */
    v->sws =
        sws_getCachedContext(v->sws, (int)w, (int)h, (enum AVPixelFormat)f->format, (int)w, (int)h,
                             AV_PIX_FMT_RGB24, SWS_AREA | SWS_ACCURATE_RND, NULL, NULL, NULL);
    size_t stride = (size_t)w * 3, need = stride * h;
    if (need > v->rgb_size) {
        av_free(v->rgb);
        v->rgb_size = 0;
        if (!(v->rgb = av_malloc(need)))
            return jaga_fail(v->ctx, JAGA_ERR_NOMEM, "no memory for a %ux%u frame", w, h);
        v->rgb_size = need;
    }
    uint8_t *dst[4] = {v->rgb, NULL, NULL, NULL};
    int dst_stride[4] = {(int)stride, 0, 0, 0};
    if (!v->sws || sws_scale(v->sws, (const uint8_t *const *)f->data, f->linesize, 0, (int)h, dst,
                             dst_stride) != (int)h)
        return jaga_fail(v->ctx, JAGA_ERR_DECODE, "frame %llu could not be converted to RGB",
                         (unsigned long long)number);
    jaga_video_frame out = {.number = number,
                            .timestamp = (float)number / (float)v->info->frame_rate,
                            .width = w,
                            .height = h,
                            .rgb = v->rgb,
                            .stride = stride,
                            .arrived = v->arrived};
    v->info->selected++;
    v->stopped = v->fn(v->arg, &out) != 0;
    return JAGA_OK;
}

/* Sends a packet (NULL: the end) and takes every frame the decoder has for it. */
static jaga_status decode(video *v, const AVPacket *packet)
{
    const jaga_video_limits *lim = v->limits;
    int err = avcodec_send_packet(v->cc, packet);
    if (err == AVERROR_INVALIDDATA && v->live)
        return JAGA_OK; /* a damaged packet in a live stream: the next key frame recovers */
    if (err < 0)
        return av_fail(v, JAGA_ERR_DECODE, "corrupt video data", err);
    while (!v->stopped) {
        err = avcodec_receive_frame(v->cc, v->frame);
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF || (err == AVERROR_INVALIDDATA && v->live))
            return JAGA_OK;
        if (err < 0)
            return av_fail(v, JAGA_ERR_DECODE, "corrupt video data", err);
        uint64_t number = v->info->frames++;
        if (v->info->frames > lim->max_frames)
            return jaga_fail(v->ctx, JAGA_ERR_LIMIT, "more than %llu frames",
                             (unsigned long long)lim->max_frames);
        if ((double)number / v->info->frame_rate > lim->max_seconds)
            return jaga_fail(v->ctx, JAGA_ERR_LIMIT, "longer than %.0f seconds", lim->max_seconds);
        jaga_status st = number % v->every == 0 ? hand_over(v, number) : JAGA_OK;
        av_frame_unref(v->frame);
        if (st != JAGA_OK)
            return st;
    }
    return JAGA_OK;
}

/* Whether every frame the container declares was decoded: some demuxers (Matroska among
 * them) end quietly where a file was cut. The stream's frame count when the container has
 * one, else its duration, else the whole file's when the video is its only stream. */
static jaga_status complete(video *v)
{
    AVStream *s = v->fc->streams[v->stream];
    uint64_t got = v->info->frames;
    double seconds = -1, fps = v->info->frame_rate;
    if (s->nb_frames > 0) {
        if (got < (uint64_t)s->nb_frames)
            return jaga_fail(v->ctx, JAGA_ERR_DECODE, "truncated: %llu of %lld frames decoded",
                             (unsigned long long)got, (long long)s->nb_frames);
        return JAGA_OK;
    }
    if (s->duration > 0 && s->duration != AV_NOPTS_VALUE)
        seconds = (double)s->duration * av_q2d(s->time_base);
    else if (v->fc->nb_streams == 1 && v->fc->duration > 0 && v->fc->duration != AV_NOPTS_VALUE)
        seconds = (double)v->fc->duration / AV_TIME_BASE;
    /* Two frames' slack: durations are rounded, and a last frame may be shown short. */
    if (seconds > 0 && (double)got / fps + 2 / fps < seconds)
        return jaga_fail(v->ctx, JAGA_ERR_DECODE, "truncated: %.3f of %.3f seconds decoded",
                         (double)got / fps, seconds);
    return JAGA_OK;
}

/* Demuxes and decodes to the end (or until the caller stops). */
static jaga_status run(video *v)
{
    jaga_status st = JAGA_OK;
    int err = 0;
    while (st == JAGA_OK && !v->stopped && (err = av_read_frame(v->fc, v->packet)) >= 0) {
        if (v->packet->stream_index == v->stream)
            st = decode(v, v->packet);
        av_packet_unref(v->packet);
    }
    if (st != JAGA_OK || v->stopped)
        return st;
    if (err != AVERROR_EOF)
        return av_fail(v, JAGA_ERR_DECODE, "truncated or corrupt container", err);
    if (v->fc->pb && v->fc->pb->error < 0)
        return av_fail(v, JAGA_ERR_DECODE, "the input could not be read to its end",
                       v->fc->pb->error);
    st = decode(v, NULL);
    return st == JAGA_OK && !v->stopped ? complete(v) : st;
}

/* Frees what a decode holds. */
static void video_close(video *v)
{
    sws_freeContext(v->sws);
    av_free(v->rgb);
    av_frame_free(&v->frame);
    av_packet_free(&v->packet);
    avcodec_free_context(&v->cc);
    avformat_close_input(&v->fc);
    if (v->io) {
        av_freep(&v->io->buffer);
        avio_context_free(&v->io);
    }
    if (v->fd > 0) /* standard input (0) stays open */
        close(v->fd);
}

jaga_status jaga_video_decode(jaga_ctx *ctx, const char *path, const void *data, size_t len,
                              const jaga_video_limits *limits, double seconds_per_frame,
                              jaga_video_frame_fn fn, void *arg, jaga_video_info *info)
{
    jaga_video_limits defaults;
    jaga_video_info scratch;
    if (!limits) {
        jaga_video_limits_default(&defaults);
        limits = &defaults;
    }
    info = info ? info : &scratch;
    memset(info, 0, sizeof(*info));
    if (!(seconds_per_frame >= 0 && seconds_per_frame <= 3600) || !fn || (!path == !data))
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "a video decode needs a file or bytes, a frame function and 0 to 3600 "
                         "seconds between frames");
    pthread_once(&quiet_once, quiet);
    video v = {.ctx = ctx, .limits = limits, .fn = fn, .arg = arg, .info = info, .fd = -1};
    jaga_status st = open_input(&v, path, data, len);
    if (st == JAGA_OK)
        st = open_decoder(&v, seconds_per_frame);
    if (st == JAGA_OK)
        st = run(&v);
    video_close(&v);
    return st;
}

const char *jaga_stream_end_name(jaga_stream_end end)
{
    static const char *const names[] = {"ended", "disconnected", "stalled", "stopped", "failed"};
    return (unsigned)end < sizeof(names) / sizeof(names[0]) ? names[end] : "unknown";
}

static int network_url(const char *url)
{
    static const char *const schemes[] = {"tcp://", "udp://", "http://", "https://", "rtmp://"};
    for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
        if (strncmp(url, schemes[i], strlen(schemes[i])) == 0)
            return 1;
    return 0;
}

/* A live input: standard input, or a path when allowed, through fd_read; a network URL
 * through FFmpeg's protocols on the live allowlist. Waits give up on a stall or a stop. */
static jaga_status open_live(video *v, const char *url)
{
    int network = network_url(url);
    if (!network && strcmp(url, "-") == 0)
        v->fd = 0;
    else if (!network && v->live->allow_files && (v->fd = open(url, O_RDONLY | O_CLOEXEC)) < 0)
        return jaga_fail(v->ctx, JAGA_ERR_IO, "%s: cannot be opened", url);
    else if (!network && !v->live->allow_files)
        return jaga_fail(v->ctx, JAGA_ERR_UNSUPPORTED,
                         "a live input is a tcp://, udp://, http(s):// or rtmp:// URL");
    if (!(v->fc = avformat_alloc_context()))
        return jaga_fail(v->ctx, JAGA_ERR_NOMEM, "no memory for the container");
    v->fc->interrupt_callback = (AVIOInterruptCB){interrupted, v};
    /* Start within a second or two: a short probe (its packets are kept and decoded). */
    v->fc->probesize = 1 << 20;
    v->fc->max_analyze_duration = 2 * AV_TIME_BASE;
    AVDictionary *opts = NULL;
    av_dict_set(&opts, "format_whitelist", live_containers, 0);
    av_dict_set(&opts, "protocol_whitelist", live_protocols, 0);
    if (!network && custom_input(v, v, fd_read, NULL) != JAGA_OK) {
        av_dict_free(&opts);
        return jaga_fail(v->ctx, JAGA_ERR_NOMEM, "no memory for the input");
    }
    v->last_data = now_s();
    int err = avformat_open_input(&v->fc, network ? url : "", NULL, &opts);
    av_dict_free(&opts);
    if (err >= 0 && !v->stalled && !v->stop_asked)
        err = avformat_find_stream_info(v->fc, NULL);
    if (v->stalled || v->stop_asked)
        return JAGA_OK; /* the watch ends before it began */
    if (err == AVERROR(EINVAL))
        return jaga_fail(v->ctx, JAGA_ERR_UNSUPPORTED,
                         "not a live container jaga reads (MPEG-TS, HLS, FLV, Matroska, WebM)");
    if (err < 0)
        return av_fail(v, JAGA_ERR_DECODE, "not a readable live stream", err);
    if (v->info)
        v->info->format = v->fc->iformat->name;
    return JAGA_OK;
}

/* Demuxes and decodes as packets arrive, until the input ends, stalls or is stopped. */
static jaga_status run_live(video *v, jaga_stream_end *end)
{
    jaga_status st = JAGA_OK;
    int err = 0;
    while (st == JAGA_OK && !v->stopped && (err = av_read_frame(v->fc, v->packet)) >= 0) {
        v->last_data = v->arrived = now_s();
        v->began = 1;
        if (v->packet->stream_index == v->stream)
            st = decode(v, v->packet);
        av_packet_unref(v->packet);
        if (v->live->stop && v->live->stop(v->live->stop_arg))
            v->stop_asked = 1, v->stopped = 1;
    }
    if (st != JAGA_OK)
        *end = JAGA_STREAM_FAILED;
    else if (v->stopped || v->stop_asked)
        *end = JAGA_STREAM_STOPPED;
    else if (v->stalled)
        *end = JAGA_STREAM_STALLED;
    else if (err == AVERROR_EOF || !v->began)
        *end = JAGA_STREAM_ENDED;
    else
        *end = JAGA_STREAM_DISCONNECTED;
    if (*end == JAGA_STREAM_ENDED || *end == JAGA_STREAM_DISCONNECTED ||
        *end == JAGA_STREAM_STALLED)
        st = decode(v, NULL); /* the frames the decoder still holds */
    if (st != JAGA_OK)
        *end = JAGA_STREAM_FAILED;
    return st;
}

jaga_status jaga_video_watch(jaga_ctx *ctx, const char *url, const jaga_stream_options *options,
                             double seconds_per_frame, jaga_video_frame_fn fn, void *arg,
                             jaga_video_info *info, jaga_stream_end *end)
{
    jaga_video_info scratch;
    info = info ? info : &scratch;
    memset(info, 0, sizeof(*info));
    *end = JAGA_STREAM_FAILED;
    if (!url || !options || !fn || !(seconds_per_frame >= 0 && seconds_per_frame <= 3600))
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "a watch needs a URL, options, a frame function and 0 to 3600 seconds "
                         "between frames");
    jaga_stream_options o = *options;
    o.max_width = o.max_width ? o.max_width : 4096;
    o.max_height = o.max_height ? o.max_height : 4096;
    o.stall_seconds = o.stall_seconds > 0 ? o.stall_seconds : 10;
    jaga_video_limits limits = {.max_bytes = SIZE_MAX,
                                .max_width = o.max_width,
                                .max_height = o.max_height,
                                .max_seconds = o.max_seconds > 0 ? o.max_seconds : 1e300,
                                .max_frames = UINT64_MAX};
    pthread_once(&quiet_once, quiet);
    video v = {
        .ctx = ctx, .limits = &limits, .fn = fn, .arg = arg, .info = info, .live = &o, .fd = -1};
    jaga_status st = open_live(&v, url);
    if (st == JAGA_OK && (v.stalled || v.stop_asked))
        *end = v.stalled ? JAGA_STREAM_STALLED : JAGA_STREAM_STOPPED;
    else if (st == JAGA_OK && (st = open_decoder(&v, seconds_per_frame)) == JAGA_OK)
        st = run_live(&v, end);
    video_close(&v);
    return st;
}

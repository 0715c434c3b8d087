/* A live stream watched against the banks and the classifier, frame by frame. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine_internal.h"
#include "jaga/core.h"

enum { RAISED_MAX = 4096, FOUND_MAX = 64 };

typedef struct watch {
    jaga_ctx *ctx;
    jaga_pdq_hasher *hasher;
    const jaga_stream_watch_options *o;
    jaga_stream_summary *out;
    jaga_vpdq_feature *window; /* the last window_seconds, oldest first */
    size_t n, cap;
    int64_t raised[RAISED_MAX]; /* banked videos already raised, oldest overwritten */
    size_t nraised;
    double last_explicit; /* stream time of the last explicit event */
    jaga_vpdq_match found[FOUND_MAX];
    uint8_t *packed;
    size_t packed_cap;
    jaga_status status;
} watch;

void jaga_stream_watch_options_default(jaga_stream_watch_options *o)
{
    memset(o, 0, sizeof(*o));
    o->seconds_per_hash = 1;
    o->window_seconds = 60;
    o->match_frames = 10;
    o->explicit_min = 0.9f;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int was_raised(const watch *w, int64_t entry_id)
{
    size_t n = w->nraised < RAISED_MAX ? w->nraised : RAISED_MAX;
    for (size_t i = 0; i < n; i++)
        if (w->raised[i] == entry_id)
            return 1;
    return 0;
}

/* The frame's feature into the window, and the features older than the window out. */
static jaga_status keep(watch *w, const jaga_vpdq_feature *f)
{
    size_t old = 0;
    while (old < w->n && w->window[old].timestamp < f->timestamp - w->o->window_seconds)
        old++;
    if (old) {
        memmove(w->window, w->window + old, (w->n - old) * sizeof(*w->window));
        w->n -= old;
    }
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        jaga_vpdq_feature *grown = realloc(w->window, cap * sizeof(*grown));
        if (!grown)
            return jaga_fail(w->ctx, JAGA_ERR_NOMEM, "no memory for the stream's window");
        w->window = grown, w->cap = cap;
    }
    w->window[w->n++] = *f;
    return JAGA_OK;
}

static jaga_status match_window(watch *w, const jaga_video_frame *f)
{
    jaga_vpdq_match_options any = {.quality_min = JAGA_PDQ_QUALITY_MIN};
    size_t count;
    jaga_status st = jaga_matcher_match_vpdq(w->o->matcher, w->ctx, w->window, w->n, &any, NULL, 0,
                                             w->found, FOUND_MAX, &count);
    for (size_t i = 0; st == JAGA_OK && i < count && i < FOUND_MAX; i++) {
        const jaga_vpdq_match *m = &w->found[i];
        size_t half = (m->entry_features + 1) / 2;
        size_t needed = w->o->match_frames < half ? w->o->match_frames : half;
        if (m->entry_frames_matched < (needed ? needed : 1) || was_raised(w, m->entry_id))
            continue;
        w->raised[w->nraised++ % RAISED_MAX] = m->entry_id;
        w->out->matches++;
        jaga_stream_event e = {.kind = JAGA_STREAM_MATCH,
                               .stream_time = f->timestamp,
                               .latency = f->arrived ? now_s() - f->arrived : 0,
                               .match = *m};
        if (w->o->event)
            w->o->event(w->o->event_arg, &e);
    }
    return st;
}

static jaga_status classify(watch *w, const jaga_video_frame *f)
{
    const uint8_t *pixels = jaga__frame_packed(f, &w->packed, &w->packed_cap);
    if (!pixels)
        return jaga_fail(w->ctx, JAGA_ERR_NOMEM, "no memory for a frame");
    jaga_stream_event e = {.kind = JAGA_STREAM_EXPLICIT, .stream_time = f->timestamp};
    jaga_status st =
        jaga_nn_classify(w->o->classifier, w->ctx, pixels, f->width, f->height, 3, e.scores);
    if (st != JAGA_OK || jaga__explicit_score(e.scores) < w->o->explicit_min ||
        f->timestamp - w->last_explicit < w->o->window_seconds)
        return st;
    w->last_explicit = f->timestamp;
    w->out->explicit_events++;
    e.latency = f->arrived ? now_s() - f->arrived : 0;
    if (w->o->event)
        w->o->event(w->o->event_arg, &e);
    return JAGA_OK;
}

static int on_frame(void *arg, const jaga_video_frame *f)
{
    watch *w = arg;
    jaga_vpdq_feature feature;
    w->status = jaga_vpdq_hash_frame(w->hasher, w->ctx, f, &feature);
    if (w->status == JAGA_OK) {
        w->out->frames_hashed++;
        w->status = keep(w, &feature);
    }
    if (w->status == JAGA_OK && w->o->matcher)
        w->status = match_window(w, f);
    if (w->status == JAGA_OK && w->o->classifier)
        w->status = classify(w, f);
    return w->status != JAGA_OK;
}

jaga_status jaga_stream_watch(jaga_ctx *ctx, jaga_pdq_hasher *hasher, const char *url,
                              const jaga_stream_watch_options *o, jaga_stream_summary *out)
{
    memset(out, 0, sizeof(*out));
    watch *w = calloc(1, sizeof(*w));
    if (!w)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory for a watch");
    *w = (watch){.ctx = ctx,
                 .hasher = hasher,
                 .o = o,
                 .out = out,
                 .last_explicit = -1e300,
                 .status = JAGA_OK};
    jaga_status st = jaga_video_watch(ctx, url, &o->input, o->seconds_per_hash, on_frame, w,
                                      &out->info, &out->end);
    if (st == JAGA_OK && w->status != JAGA_OK) { /* a frame failed: the watch fails with it */
        st = w->status;
        out->end = JAGA_STREAM_FAILED;
    }
    free(w->window);
    free(w->packed);
    free(w);
    return st;
}

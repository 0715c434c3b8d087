/* The pipeline of one video: vPDQ features, sampled classifier scores, digests, a seed. */
#include "jaga/engine.h"

#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "jaga/core.h"

typedef struct video_run {
    jaga_ctx *ctx;
    jaga_pdq_hasher *hasher;
    const jaga_video_signal_options *o;
    jaga_video_signals *out;
    size_t features_cap;
    double interval, next_sample; /* seconds */
    float seed_score;             /* of the frame the seed was drawn from; -1: none yet */
    uint8_t *packed;              /* a frame's rows without padding, for the classifier */
    size_t packed_cap;
    jaga_status status;
} video_run;

/* Keeps every other sample once the samples are full, and samples half as often after. */
static void thin_samples(video_run *r)
{
    jaga_video_signals *out = r->out;
    size_t kept = 0;
    for (size_t i = 0; i < out->nsamples; i += 2)
        out->samples[kept++] = out->samples[i];
    out->nsamples = kept;
    r->interval *= 2;
}

static jaga_status sample(video_run *r, const jaga_video_frame *f, const uint8_t *pixels)
{
    jaga_video_signals *out = r->out;
    if (out->nsamples == JAGA_VIDEO_SAMPLES_MAX)
        thin_samples(r);
    jaga_frame_scores *s = &out->samples[out->nsamples];
    jaga_status st =
        jaga_nn_classify(r->o->classifier, r->ctx, pixels, f->width, f->height, 3, s->scores);
    if (st != JAGA_OK)
        return st;
    s->timestamp = f->timestamp;
    out->nsamples++;
    for (int k = 0; k < JAGA_NN_CLASSES; k++)
        if (!out->classified || s->scores[k] > out->scores[k])
            out->scores[k] = s->scores[k];
    out->classified = 1;
    r->next_sample = f->timestamp + r->interval;
    float e = jaga__explicit_score(s->scores);
    if (r->o->blur_seed && e > r->seed_score) {
        r->seed_score = e;
        st = jaga_blur_seed_compute(r->ctx, pixels, f->width, f->height, 3, 1, &out->blur_seed);
    }
    return st;
}

static jaga_status take_frame(video_run *r, const jaga_video_frame *f)
{
    jaga_video_signals *out = r->out;
    if (out->nfeatures == r->features_cap) {
        size_t cap = r->features_cap ? 2 * r->features_cap : 256;
        jaga_vpdq_feature *grown = realloc(out->features, cap * sizeof(*grown));
        if (!grown)
            return jaga_fail(r->ctx, JAGA_ERR_NOMEM, "no memory for %zu frame hashes", cap);
        out->features = grown, r->features_cap = cap;
    }
    jaga_status st = jaga_vpdq_hash_frame(r->hasher, r->ctx, f, &out->features[out->nfeatures]);
    if (st != JAGA_OK)
        return st;
    out->nfeatures++;
    int classify = r->o->classifier && f->timestamp >= r->next_sample;
    int seed = r->o->blur_seed && !classify && r->seed_score < 0;
    if (!classify && !seed)
        return JAGA_OK;
    const uint8_t *pixels = jaga__frame_packed(f, &r->packed, &r->packed_cap);
    if (!pixels)
        return jaga_fail(r->ctx, JAGA_ERR_NOMEM, "no memory for a frame");
    if (classify)
        return sample(r, f, pixels);
    r->seed_score = 0; /* the first frame's, until a sample is more explicit */
    return jaga_blur_seed_compute(r->ctx, pixels, f->width, f->height, 3, 1, &out->blur_seed);
}

static int on_frame(void *arg, const jaga_video_frame *f)
{
    video_run *r = arg;
    if (r->o->stop && r->o->stop(r->o->stop_arg)) {
        r->out->interrupted = 1;
        return 1;
    }
    r->status = take_frame(r, f);
    return r->status != JAGA_OK;
}

void jaga_video_signals_clear(jaga_video_signals *s)
{
    free(s->features);
    free(s->samples);
    memset(s, 0, sizeof(*s));
}

jaga_status jaga_video_signals_compute(jaga_ctx *ctx, jaga_pdq_hasher *hasher, const char *path,
                                       const void *data, size_t len,
                                       const jaga_video_signal_options *o, jaga_video_signals *out)
{
    memset(out, 0, sizeof(*out));
    video_run r = {.ctx = ctx,
                   .hasher = hasher,
                   .o = o,
                   .out = out,
                   .interval = o->classify_seconds > 0 ? o->classify_seconds : 1,
                   .seed_score = -1,
                   .status = JAGA_OK};
    if (o->classifier && !(out->samples = malloc(JAGA_VIDEO_SAMPLES_MAX * sizeof(*out->samples))))
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory for frame scores");
    jaga_status st = jaga_video_decode(ctx, path, data, len, o->limits, o->seconds_per_hash,
                                       on_frame, &r, &out->info);
    if (st == JAGA_OK)
        st = r.status;
    free(r.packed);
    if (st == JAGA_OK && o->digests && data)
        st = jaga_digest_bytes(ctx, data, len, &out->digests);
    else if (st == JAGA_OK && o->digests)
        st = jaga_digest_file(ctx, path, &out->digests);
    if (st != JAGA_OK) {
        jaga_video_info info = out->info;
        jaga_video_signals_clear(out);
        out->info = info;
    }
    return st;
}

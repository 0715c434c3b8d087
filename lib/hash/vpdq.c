/* vPDQ: PDQ over the frames jaga_video_decode selects. */
#include "jaga/vpdq.h"

#include <stdio.h>
#include <stdlib.h>

#include "jaga/core.h"

void jaga_vpdq_feature_line(const jaga_vpdq_feature *f, char *out)
{
    char hex[JAGA_PDQ_HEX_LEN + 1];
    jaga_pdq_to_hex(&f->hash, hex);
    snprintf(out, JAGA_VPDQ_LINE_MAX, "%llu,%d,%s,%.3f", (unsigned long long)f->frame, f->quality,
             hex, (double)f->timestamp);
}

void jaga_vpdq_feature_compact(const jaga_vpdq_feature *f, char *out)
{
    char hex[JAGA_PDQ_HEX_LEN + 1];
    jaga_pdq_to_hex(&f->hash, hex);
    snprintf(out, JAGA_VPDQ_LINE_MAX, "%s,%d,%.3f", hex, f->quality, (double)f->timestamp);
}

jaga_status jaga_vpdq_hash_frame(jaga_pdq_hasher *hasher, jaga_ctx *ctx,
                                 const jaga_video_frame *frame, jaga_vpdq_feature *out)
{
    jaga_pdq_result r;
    jaga_status st = jaga_pdq_hash_pixels(hasher, ctx, frame->rgb, frame->width, frame->height,
                                          frame->stride, JAGA_PIXELS_RGB, 0, &r);
    if (st == JAGA_OK)
        *out = (jaga_vpdq_feature){.frame = frame->number,
                                   .quality = r.quality,
                                   .hash = r.hash[JAGA_DIH_ORIG],
                                   .timestamp = frame->timestamp};
    return st;
}

typedef struct collect {
    jaga_ctx *ctx;
    jaga_pdq_hasher *hasher;
    jaga_vpdq_feature *features;
    size_t n, cap;
    jaga_status status; /* of the first frame that failed */
} collect;

static int hash_frame(void *arg, const jaga_video_frame *frame)
{
    collect *c = arg;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        jaga_vpdq_feature *grown = realloc(c->features, cap * sizeof(*grown));
        if (!grown) {
            c->status = jaga_fail(c->ctx, JAGA_ERR_NOMEM, "no memory for %zu frame hashes", cap);
            return 1;
        }
        c->features = grown, c->cap = cap;
    }
    c->status = jaga_vpdq_hash_frame(c->hasher, c->ctx, frame, &c->features[c->n]);
    c->n += c->status == JAGA_OK;
    return c->status != JAGA_OK;
}

jaga_status jaga_vpdq_hash_video(jaga_ctx *ctx, jaga_pdq_hasher *hasher, const char *path,
                                 const void *data, size_t len, const jaga_video_limits *limits,
                                 double seconds_per_hash, jaga_vpdq_feature **features, size_t *n,
                                 jaga_video_info *info)
{
    collect c = {.ctx = ctx, .hasher = hasher, .status = JAGA_OK};
    jaga_status st =
        jaga_video_decode(ctx, path, data, len, limits, seconds_per_hash, hash_frame, &c, info);
    if (st == JAGA_OK)
        st = c.status;
    if (st != JAGA_OK) {
        free(c.features);
        c.features = NULL, c.n = 0;
    }
    *features = c.features, *n = c.n;
    return st;
}

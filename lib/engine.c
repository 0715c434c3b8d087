/* The pipeline of one upload. */
#include "jaga/engine.h"

#include <string.h>

jaga_status jaga_signals_compute(jaga_ctx *ctx, jaga_pdq_hasher *hasher, const void *data,
                                 size_t len, const jaga_signal_options *options, jaga_signals *out)
{
    memset(out, 0, sizeof(*out));
    jaga_image *image = NULL;
    jaga_status st = jaga_image_decode(ctx, data, len, options->limits, &image);
    if (st != JAGA_OK)
        return st;
    out->width = jaga_image_width(image);
    out->height = jaga_image_height(image);
    out->format = jaga_image_format(image);
    jaga_pixels layout = jaga_image_layout(image);
    st = jaga_pdq_hash_pixels(hasher, ctx, jaga_image_pixels(image), out->width, out->height,
                              (size_t)out->width * layout, layout, options->dihedral, &out->pdq);
    if (st == JAGA_OK && options->classifier)
        st = jaga_nn_classify(options->classifier, ctx, jaga_image_pixels(image), out->width,
                              out->height, layout == JAGA_PIXELS_RGB ? 3 : 1, out->scores);
    out->classified = st == JAGA_OK && options->classifier;
    if (st == JAGA_OK && options->blur_seed)
        st = jaga_blur_seed_compute(ctx, jaga_image_pixels(image), out->width, out->height,
                                    layout == JAGA_PIXELS_RGB ? 3 : 1,
                                    jaga_image_orientation(image), &out->blur_seed);
    jaga_image_free(image);
    if (st == JAGA_OK && options->digests)
        st = jaga_digest_bytes(ctx, data, len, &out->digests);
    return st;
}

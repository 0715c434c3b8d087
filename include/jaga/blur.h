/*
 * Blurred renditions: what a viewer with the sensitive-content filter on, or a moderator
 * before clicking, sees of an image.
 *
 * A rendition is drawn from a seed: the image reduced to at most JAGA_BLUR_SEED_SIDE pixels
 * on its longer side (each the mean of its block), in display orientation (EXIF applied).
 * The seed is all a rendition ever knows of the image, so no rendition can show more than
 * 16 x 16 colours, smoothed: faces, text and bodies cannot be made out. Seeds are small
 * (at most JAGA_BLUR_SEED_MAX bytes), so the store keeps one per scanned image and jaga never
 * keeps the media itself.
 *
 * Thread-safe: any number of threads may compute and render at once.
 */
#ifndef JAGA_BLUR_H
#define JAGA_BLUR_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/status.h"
#include "jaga/store.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { JAGA_BLUR_SEED_SIDE = 16 };

/* A seed, packed: version 1, width, height (1..16), the display width and height (16 bits
 * each, big-endian), then width x height RGB pixels, row by row. */
typedef struct jaga_blur_seed {
    uint8_t bytes[JAGA_BLUR_SEED_MAX];
    size_t len;
} jaga_blur_seed;

/*
 * The seed of decoded pixels: width x height rows of channels (1 grey, 3 RGB) bytes,
 * packed, stored as the file has them, and the EXIF orientation (1..8; anything else is 1)
 * that displays them. Returns JAGA_OK, or JAGA_ERR_INVALID for empty or oversized
 * dimensions (more than 65535 on a side) or another channel count.
 */
jaga_status jaga_blur_seed_compute(jaga_ctx *ctx, const uint8_t *pixels, uint32_t width,
                                   uint32_t height, int channels, int orientation,
                                   jaga_blur_seed *out);

/*
 * Renders a packed seed (len bytes, e.g. as the store kept it) as a JPEG of the display
 * aspect, at most max_side pixels on its longer side and never larger than the image was
 * (max_side 0: 480). Returns JAGA_OK with *jpeg (malloc'd, the caller frees) and *jpeg_len;
 * JAGA_ERR_INVALID for a malformed seed; JAGA_ERR_NOMEM. Details on ctx.
 */
jaga_status jaga_blur_render(jaga_ctx *ctx, const uint8_t *seed, size_t len, uint32_t max_side,
                             uint8_t **jpeg, size_t *jpeg_len);

/* The rendition's dimensions for a packed seed and max_side, as jaga_blur_render draws it;
 * JAGA_ERR_INVALID for a malformed seed. */
jaga_status jaga_blur_size(jaga_ctx *ctx, const uint8_t *seed, size_t len, uint32_t max_side,
                           uint32_t *width, uint32_t *height);

#ifdef __cplusplus
}
#endif
#endif

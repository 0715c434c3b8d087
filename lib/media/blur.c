/* Blurred renditions: block means of the image as the seed, smoothed and enlarged by
 * libvips, encoded as JPEG. */
#include "jaga/blur.h"

#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "media/media_internal.h"
#include "jaga/core.h"

enum {
    SEED_HEADER = 7,
    SEED_VERSION = 1,
    SIDE_MAX = 65535,      /* display sides travel in 16 bits */
    SAMPLES_PER_SIDE = 16, /* per seed cell: the mean of about 16 x 16 samples is plenty */
    DEFAULT_SIDE = 480,
    JPEG_QUALITY = 80
};

_Static_assert(SEED_HEADER + JAGA_BLUR_SEED_SIDE * JAGA_BLUR_SEED_SIDE * 3 == JAGA_BLUR_SEED_MAX,
               "the store's seed size follows the seed's layout");

/* The seed's sides for an image of sides w x h (display orientation): the longer one
 * JAGA_BLUR_SEED_SIDE, or the image's own when it is smaller. */
static void seed_sides(uint32_t w, uint32_t h, uint32_t *sw, uint32_t *sh)
{
    uint32_t longer = w > h ? w : h, side = JAGA_BLUR_SEED_SIDE;
    if (longer <= side) {
        *sw = w, *sh = h;
        return;
    }
    uint32_t shorter = w > h ? h : w;
    uint32_t scaled = (uint32_t)(((uint64_t)shorter * side + longer / 2) / longer);
    scaled = scaled ? scaled : 1;
    *sw = w > h ? side : scaled;
    *sh = w > h ? scaled : side;
}

/* The stored cell (x, y) of a grid sw x sh (stored orientation) that display cell (dx, dy)
 * shows under EXIF orientation o. */
static void stored_cell(int o, uint32_t sw, uint32_t sh, uint32_t dx, uint32_t dy, uint32_t *x,
                        uint32_t *y)
{
    switch (o) {
    case 2:
        *x = sw - 1 - dx, *y = dy;
        break;
    case 3:
        *x = sw - 1 - dx, *y = sh - 1 - dy;
        break;
    case 4:
        *x = dx, *y = sh - 1 - dy;
        break;
    case 5:
        *x = dy, *y = dx;
        break;
    case 6:
        *x = dy, *y = sh - 1 - dx;
        break;
    case 7:
        *x = sw - 1 - dy, *y = sh - 1 - dx;
        break;
    case 8:
        *x = sw - 1 - dy, *y = dx;
        break;
    default:
        *x = dx, *y = dy;
        break;
    }
}

static void put_u16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static uint32_t get_u16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

jaga_status jaga_blur_seed_compute(jaga_ctx *ctx, const uint8_t *pixels, uint32_t width,
                                   uint32_t height, int channels, int orientation,
                                   jaga_blur_seed *out)
{
    memset(out, 0, sizeof(*out));
    if (!pixels || !width || !height || width > SIDE_MAX || height > SIDE_MAX)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a seed needs an image of 1 to %d pixels a side",
                         SIDE_MAX);
    if (channels != 1 && channels != 3)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a seed needs grey or RGB pixels");
    int o = orientation >= 1 && orientation <= 8 ? orientation : 1, swap = o >= 5;
    uint32_t dw = swap ? height : width, dh = swap ? width : height, cw, ch;
    seed_sides(dw, dh, &cw, &ch);
    uint32_t gw = swap ? ch : cw, gh = swap ? cw : ch; /* the grid over the stored pixels */

    /* Sums of a sample of each cell's pixels: every step-th column and row. */
    uint32_t cell = width / gw < height / gh ? width / gw : height / gh;
    uint32_t step = cell / SAMPLES_PER_SIDE ? cell / SAMPLES_PER_SIDE : 1;
    step -= step > 1 && step % 2 == 0; /* odd: an even one sees one parity of a fine pattern */
    uint64_t sums[JAGA_BLUR_SEED_SIDE * JAGA_BLUR_SEED_SIDE][3] = {{0}};
    uint32_t counts[JAGA_BLUR_SEED_SIDE * JAGA_BLUR_SEED_SIDE] = {0};
    size_t stride = (size_t)width * (size_t)channels;
    for (uint32_t y = step / 2; y < height; y += step) {
        const uint8_t *row = pixels + (size_t)y * stride;
        uint32_t gy = (uint32_t)((uint64_t)y * gh / height);
        for (uint32_t x = step / 2; x < width; x += step) {
            uint32_t c = gy * gw + (uint32_t)((uint64_t)x * gw / width);
            const uint8_t *p = row + (size_t)x * (size_t)channels;
            for (int k = 0; k < 3; k++)
                sums[c][k] += p[channels == 3 ? k : 0];
            counts[c]++;
        }
    }
    uint8_t *b = out->bytes;
    b[0] = SEED_VERSION, b[1] = (uint8_t)cw, b[2] = (uint8_t)ch;
    put_u16(b + 3, dw), put_u16(b + 5, dh);
    uint8_t *rgb = b + SEED_HEADER;
    for (uint32_t dy = 0; dy < ch; dy++)
        for (uint32_t dx = 0; dx < cw; dx++) {
            uint32_t x, y;
            stored_cell(o, gw, gh, dx, dy, &x, &y);
            uint32_t c = y * gw + x, n = counts[c] ? counts[c] : 1;
            for (int k = 0; k < 3; k++)
                *rgb++ = (uint8_t)((sums[c][k] + n / 2) / n);
        }
    out->len = SEED_HEADER + (size_t)cw * ch * 3;
    return JAGA_OK;
}

/* The seed's grid and display sides; JAGA_ERR_INVALID when it is not a well-formed seed. */
static jaga_status seed_read(jaga_ctx *ctx, const uint8_t *seed, size_t len, uint32_t *sw,
                             uint32_t *sh, uint32_t *dw, uint32_t *dh)
{
    if (!seed || len < SEED_HEADER || seed[0] != SEED_VERSION)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "not a blurred rendition's seed");
    *sw = seed[1], *sh = seed[2], *dw = get_u16(seed + 3), *dh = get_u16(seed + 5);
    uint32_t cw = 0, ch = 0;
    if (*dw && *dh)
        seed_sides(*dw, *dh, &cw, &ch);
    if (!*dw || !*dh || cw != *sw || ch != *sh || len != SEED_HEADER + (size_t)cw * ch * 3)
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "a blurred rendition's seed with sides that do"
                         " not agree with its length");
    return JAGA_OK;
}

/* The rendition's sides for an image shown dw x dh, at most max_side (0: the default). */
static void rendition_sides(uint32_t dw, uint32_t dh, uint32_t max_side, uint32_t *width,
                            uint32_t *height)
{
    uint32_t side = max_side ? max_side : DEFAULT_SIDE, longer = dw > dh ? dw : dh;
    if (longer <= side) {
        *width = dw, *height = dh;
        return;
    }
    uint32_t w = (uint32_t)(((uint64_t)dw * side + longer / 2) / longer);
    uint32_t h = (uint32_t)(((uint64_t)dh * side + longer / 2) / longer);
    *width = w ? w : 1, *height = h ? h : 1;
}

jaga_status jaga_blur_size(jaga_ctx *ctx, const uint8_t *seed, size_t len, uint32_t max_side,
                           uint32_t *width, uint32_t *height)
{
    uint32_t sw = 0, sh = 0, dw = 0, dh = 0;
    jaga_status st = seed_read(ctx, seed, len, &sw, &sh, &dw, &dh);
    if (st == JAGA_OK)
        rendition_sides(dw, dh, max_side, width, height);
    return st;
}

/* The seed's cells, smoothed (a Gaussian of 0.7 cells, so that no cell edge survives) and
 * enlarged to w x h by bicubic interpolation; NULL with the libvips error set. */
static VipsImage *smooth_enlarged(const uint8_t *rgb, uint32_t sw, uint32_t sh, uint32_t w,
                                  uint32_t h)
{
    VipsImage *cells = vips_image_new_from_memory(rgb, (size_t)sw * sh * 3, (int)sw, (int)sh, 3,
                                                  VIPS_FORMAT_UCHAR);
    VipsImage *soft = NULL, *big = NULL, *fitted = NULL;
    if (cells && vips_gaussblur(cells, &soft, 0.7, NULL) == 0 &&
        vips_resize(soft, &big, (double)w / sw, "vscale", (double)h / sh, NULL) == 0)
        vips_embed(big, &fitted, 0, 0, (int)w, (int)h, "extend", VIPS_EXTEND_COPY, NULL);
    if (cells)
        g_object_unref(cells);
    if (soft)
        g_object_unref(soft);
    if (big)
        g_object_unref(big);
    return fitted;
}

jaga_status jaga_blur_render(jaga_ctx *ctx, const uint8_t *seed, size_t len, uint32_t max_side,
                             uint8_t **jpeg, size_t *jpeg_len)
{
    *jpeg = NULL, *jpeg_len = 0;
    uint32_t sw = 0, sh = 0, dw = 0, dh = 0, w = 0, h = 0;
    jaga_status st = seed_read(ctx, seed, len, &sw, &sh, &dw, &dh);
    if (st == JAGA_OK)
        rendition_sides(dw, dh, max_side, &w, &h), st = jaga__media_vips_start(ctx);
    if (st != JAGA_OK)
        return st;
    VipsImage *img = smooth_enlarged(seed + SEED_HEADER, sw, sh, w, h);
    void *buf = NULL;
    size_t n = 0;
    int rc = img ? vips_jpegsave_buffer(img, &buf, &n, "Q", JPEG_QUALITY, "strip", TRUE, NULL) : -1;
    if (img)
        g_object_unref(img);
    if (rc != 0)
        return jaga__media_vips_fail(ctx, JAGA_ERR_NOMEM, "drawing the blurred rendition");
    *jpeg = malloc(n);
    if (*jpeg)
        memcpy(*jpeg, buf, n), *jpeg_len = n;
    g_free(buf);
    return *jpeg ? JAGA_OK : jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory for the rendition");
}

/* Image decoding through libvips, restricted to an allowlist of loaders and hard limits. */
#include "jaga/media.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "media/media_internal.h"
#include "jaga/core.h"

struct jaga_image {
    uint32_t width, height;
    jaga_pixels layout;
    int orientation; /* EXIF, 1..8 */
    const char *format;
    void *pixels; /* g_malloc'd by libvips */
};

/* libvips loaders jaga accepts, by GType name, and the format names it reports. */
static const struct {
    const char *loader;
    const char *format;
} accepted_loaders[] = {
    {"VipsForeignLoadJpegBuffer", "jpeg"}, {"VipsForeignLoadPngBuffer", "png"},
    {"VipsForeignLoadSpngBuffer", "png"},  {"VipsForeignLoadWebpBuffer", "webp"},
    {"VipsForeignLoadNsgifBuffer", "gif"}, {"VipsForeignLoadGifBuffer", "gif"},
    {"VipsForeignLoadTiffBuffer", "tiff"},
};

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static int vips_ready;

/* The library never prints: libvips warnings about damaged files are dropped here, and the
 * errors that matter come back through the error buffer. */
static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
    (void)domain, (void)level, (void)message, (void)data;
}

static void vips_start_once(void)
{
    if (VIPS_INIT("jaga") != 0)
        return;
    /* jaga parallelises across images; one libvips worker per decode avoids oversubscription
     * and an operation cache would only hold on to decoded pixels. */
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO,
                      drop_log, NULL);
    vips_ready = 1;
}

jaga_status jaga__media_vips_start(jaga_ctx *ctx)
{
    pthread_once(&vips_once, vips_start_once);
    return vips_ready ? JAGA_OK
                      : jaga_fail(ctx, JAGA_ERR_NOMEM, "the image decoder failed to start");
}

void jaga_decode_limits_default(jaga_decode_limits *limits)
{
    limits->max_bytes = (size_t)64 << 20;
    limits->max_pixels = 100000000;
    limits->max_width = 20000;
    limits->max_height = 20000;
}

/* The decoder's own words name its internals (loaders, classes): what failed is said in
 * jaga's alone, and the decoder's error buffer is cleared for the thread's next image. */
jaga_status jaga__media_vips_fail(jaga_ctx *ctx, jaga_status status, const char *what)
{
    vips_error_clear();
    return jaga_fail(ctx, status, "%s", what);
}

static const char *accepted_format(const char *loader)
{
    for (size_t i = 0; loader && i < sizeof(accepted_loaders) / sizeof(accepted_loaders[0]); i++)
        if (strcmp(loader, accepted_loaders[i].loader) == 0)
            return accepted_loaders[i].format;
    return NULL;
}

static jaga_status check_header(jaga_ctx *ctx, VipsImage *in, const jaga_decode_limits *lim)
{
    uint32_t w = (uint32_t)vips_image_get_width(in), h = (uint32_t)vips_image_get_height(in);
    if (w > lim->max_width)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "width %u exceeds the limit of %u", w,
                         lim->max_width);
    if (h > lim->max_height)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "height %u exceeds the limit of %u", h,
                         lim->max_height);
    if ((uint64_t)w * h > lim->max_pixels)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "%ux%u = %llu pixels exceeds the limit of %llu", w, h,
                         (unsigned long long)w * h, (unsigned long long)lim->max_pixels);
    return JAGA_OK;
}

/* Replaces *img by op's output (unreffing the input); returns 0 or -1 with *img untouched. */
#define VIPS_STEP(img, call)                                                                       \
    do {                                                                                           \
        VipsImage *step_out_ = NULL;                                                               \
        VipsImage *step_in_ = *(img);                                                              \
        if ((call) != 0)                                                                           \
            return -1;                                                                             \
        g_object_unref(step_in_);                                                                  \
        *(img) = step_out_;                                                                        \
    } while (0)

/* CMYK (libvips hands out ink amounts, Adobe's inverted JPEG samples already flipped) to RGB
 * as the PDQ reference's decoder does it: each channel is the white left by its ink, scaled by
 * the white left by the key, in integer arithmetic. In place, 4 bytes a pixel to 3. */
static void cmyk_to_rgb(uint8_t *px, size_t pixels)
{
    for (size_t i = 0; i < pixels; i++) {
        const uint8_t *s = px + 4 * i;
        unsigned white_k = 255u - s[3];
        uint8_t rgb[3];
        for (int c = 0; c < 3; c++)
            rgb[c] = (uint8_t)((255u - s[c]) * white_k / 255u);
        memcpy(px + 3 * i, rgb, 3);
    }
}

static int is_cmyk(VipsImage *img)
{
    return vips_image_get_interpretation(img) == VIPS_INTERPRETATION_CMYK &&
           vips_image_get_bands(img) >= 4;
}

/* Brings any decoded layout to 8 bits and 1 (grey), 3 (RGB) or 4 (CMYK) bands.
 * Returns 0 or -1 (libvips error set). */
static int to_8bit_bands(VipsImage **img)
{
    int cmyk = is_cmyk(*img);
    switch (vips_image_get_format(*img)) {
    case VIPS_FORMAT_UCHAR:
        break;
    case VIPS_FORMAT_USHORT:
        VIPS_STEP(img, vips_rshift_const1(step_in_, &step_out_, 8, NULL));
        VIPS_STEP(img, vips_cast_uchar(step_in_, &step_out_, NULL));
        break;
    default:
        VIPS_STEP(img, vips_cast_uchar(step_in_, &step_out_, NULL));
        break;
    }
    int bands = vips_image_get_bands(*img), keep = cmyk ? 4 : bands == 2 ? 1 : 3;
    if (bands > keep)
        VIPS_STEP(img, vips_extract_band(step_in_, &step_out_, 0, "n", keep, NULL));
    return 0;
}

jaga_status jaga_image_decode(jaga_ctx *ctx, const void *data, size_t len,
                              const jaga_decode_limits *limits, jaga_image **out)
{
    jaga_decode_limits defaults;
    *out = NULL;
    if (!limits) {
        jaga_decode_limits_default(&defaults);
        limits = &defaults;
    }
    if (len == 0 || !data)
        return jaga_fail(ctx, JAGA_ERR_DECODE, "empty input");
    if (len > limits->max_bytes)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "%zu bytes exceeds the limit of %zu", len,
                         limits->max_bytes);
    jaga_status st = jaga__media_vips_start(ctx);
    if (st != JAGA_OK)
        return st;

    const char *loader = vips_foreign_find_load_buffer(data, len);
    const char *format = accepted_format(loader);
    if (!loader) {
        vips_error_clear();
        return jaga_fail(ctx, JAGA_ERR_DECODE, "not a recognised image format");
    }
    if (!format)
        return jaga_fail(ctx, JAGA_ERR_UNSUPPORTED,
                         "unsupported image format: JPEG, PNG, WebP, GIF and TIFF are taken");

    VipsImage *img = vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_SEQUENTIAL,
                                                "fail_on", VIPS_FAIL_ON_WARNING, NULL);
    if (!img)
        return jaga__media_vips_fail(ctx, JAGA_ERR_DECODE, "bad image header");
    st = check_header(ctx, img, limits);
    if (st != JAGA_OK) {
        g_object_unref(img);
        return st;
    }
    int cmyk = is_cmyk(img), orientation = vips_image_get_orientation(img);
    if (to_8bit_bands(&img) != 0) {
        g_object_unref(img);
        return jaga__media_vips_fail(ctx, JAGA_ERR_UNSUPPORTED, "unsupported pixel layout");
    }
    size_t size = 0;
    void *pixels = vips_image_write_to_memory(img, &size);
    jaga_image *im = pixels ? calloc(1, sizeof(*im)) : NULL;
    if (!im) {
        g_free(pixels);
        g_object_unref(img);
        return pixels ? jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory for the image")
                      : jaga__media_vips_fail(ctx, JAGA_ERR_DECODE, "corrupt or truncated image");
    }
    im->width = (uint32_t)vips_image_get_width(img);
    im->height = (uint32_t)vips_image_get_height(img);
    im->layout = vips_image_get_bands(img) == 1 ? JAGA_PIXELS_GREY : JAGA_PIXELS_RGB;
    if (cmyk)
        cmyk_to_rgb(pixels, (size_t)im->width * im->height);
    im->orientation = orientation >= 1 && orientation <= 8 ? orientation : 1;
    im->format = format;
    im->pixels = pixels;
    g_object_unref(img);
    *out = im;
    return JAGA_OK;
}

jaga_status jaga_image_decode_file(jaga_ctx *ctx, const char *path,
                                   const jaga_decode_limits *limits, jaga_image **out)
{
    jaga_decode_limits defaults;
    if (!limits) {
        jaga_decode_limits_default(&defaults);
        limits = &defaults;
    }
    void *data = NULL;
    size_t len = 0;
    *out = NULL;
    jaga_status st = jaga_file_read(ctx, path, limits->max_bytes, &data, &len);
    if (st == JAGA_OK)
        st = jaga_image_decode(ctx, data, len, limits, out);
    free(data);
    return st;
}

void jaga_image_free(jaga_image *image)
{
    if (!image)
        return;
    g_free(image->pixels);
    free(image);
}

uint32_t jaga_image_width(const jaga_image *image)
{
    return image->width;
}

uint32_t jaga_image_height(const jaga_image *image)
{
    return image->height;
}

jaga_pixels jaga_image_layout(const jaga_image *image)
{
    return image->layout;
}

const uint8_t *jaga_image_pixels(const jaga_image *image)
{
    return image->pixels;
}

int jaga_image_orientation(const jaga_image *image)
{
    return image->orientation;
}

const char *jaga_image_format(const jaga_image *image)
{
    return image->format;
}

/* Blurred renditions: seeds are block means in display orientation, renditions keep no edge
 * or detail, have the image's aspect within the size cap, and malformed seeds are refused. */
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "jaga/blur.h"
#include "jaga/engine.h"
#include "jaga/media.h"
#include "test_support.h"

static jaga_blur_seed seed_of(const uint8_t *px, uint32_t w, uint32_t h, int channels, int o)
{
    jaga_ctx *ctx;
    jaga_blur_seed seed;
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    if (jaga_blur_seed_compute(ctx, px, w, h, channels, o, &seed) != JAGA_OK)
        fail_msg("seed: %s", jaga_errmsg(ctx));
    jaga_ctx_free(ctx);
    return seed;
}

/* The rendition of a seed, decoded back. */
static jaga_image *render(const jaga_blur_seed *seed, uint32_t side)
{
    jaga_ctx *ctx;
    uint8_t *jpeg = NULL;
    size_t len = 0;
    jaga_image *img = NULL;
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    if (jaga_blur_render(ctx, seed->bytes, seed->len, side, &jpeg, &len) != JAGA_OK)
        fail_msg("render: %s", jaga_errmsg(ctx));
    assert_true(len > 100 && jpeg[0] == 0xff && jpeg[1] == 0xd8);
    assert_int_equal(jaga_image_decode(ctx, jpeg, len, NULL, &img), JAGA_OK);
    assert_string_equal(jaga_image_format(img), "jpeg");
    free(jpeg);
    jaga_ctx_free(ctx);
    return img;
}

static uint8_t *solid(uint32_t w, uint32_t h, const uint8_t rgb[3])
{
    uint8_t *px = malloc((size_t)w * h * 3);
    assert_non_null(px);
    for (size_t i = 0; i < (size_t)w * h; i++)
        memcpy(px + 3 * i, rgb, 3);
    return px;
}

/* The largest difference between horizontally or vertically neighbouring samples. */
static int largest_step(const jaga_image *img)
{
    uint32_t w = jaga_image_width(img), h = jaga_image_height(img);
    const uint8_t *px = jaga_image_pixels(img);
    int most = 0;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            for (int k = 0; k < 3; k++) {
                int v = px[((size_t)y * w + x) * 3 + k];
                if (x > 0 && abs(v - px[((size_t)y * w + x - 1) * 3 + k]) > most)
                    most = abs(v - px[((size_t)y * w + x - 1) * 3 + k]);
                if (y > 0 && abs(v - px[((size_t)(y - 1) * w + x) * 3 + k]) > most)
                    most = abs(v - px[((size_t)(y - 1) * w + x) * 3 + k]);
            }
    return most;
}

static void test_solid_colour_everywhere(void **state)
{
    (void)state;
    const uint8_t colour[3] = {50, 100, 150};
    uint8_t *px = solid(300, 200, colour);
    jaga_blur_seed seed = seed_of(px, 300, 200, 3, 1);
    assert_int_equal(seed.bytes[1], 16);
    assert_int_equal(seed.bytes[2], 11);
    assert_int_equal(seed.len, 7 + 16 * 11 * 3);
    for (size_t i = 7; i < seed.len; i++)
        assert_int_equal(seed.bytes[i], colour[(i - 7) % 3]);
    jaga_image *img = render(&seed, 0);
    assert_int_equal(jaga_image_width(img), 300); /* never enlarged past the image */
    assert_int_equal(jaga_image_height(img), 200);
    const uint8_t *out = jaga_image_pixels(img);
    for (size_t i = 0; i < 300 * 200 * 3; i++) /* corners and borders included */
        if (abs(out[i] - colour[i % 3]) > 3)
            fail_msg("sample %zu is %d, not %d", i, out[i], colour[i % 3]);
    jaga_image_free(img);
    free(px);
}

static void test_edges_are_gone(void **state)
{
    (void)state;
    uint32_t w = 640, h = 480;
    const uint8_t black[3] = {0, 0, 0};
    uint8_t *px = solid(w, h, black);
    for (uint32_t y = 0; y < h; y++)
        memset(px + ((size_t)y * w + w / 2) * 3, 255, (size_t)w / 2 * 3);
    jaga_blur_seed seed = seed_of(px, w, h, 3, 1);
    jaga_image *img = render(&seed, 0);
    assert_int_equal(jaga_image_width(img), 480);
    assert_int_equal(jaga_image_height(img), 360);
    int step = largest_step(img);
    if (step > 12)
        fail_msg("a step of %d between neighbours (the original has 255)", step);
    const uint8_t *out = jaga_image_pixels(img);
    assert_true(out[0] < 40 && out[(480 * 360 - 1) * 3] > 215); /* still dark left, light right */
    jaga_image_free(img);
    free(px);
}

/* Fine detail (a checkerboard) leaves nothing but its mean. */
static void test_detail_is_gone(void **state)
{
    (void)state;
    uint32_t w = 1024, h = 1024; /* cells of 64 pixels: sampled, not all summed */
    for (uint32_t square = 1; square <= 8; square *= 2) {
        uint8_t *px = malloc((size_t)w * h);
        for (uint32_t y = 0; y < h; y++)
            for (uint32_t x = 0; x < w; x++)
                px[(size_t)y * w + x] = ((x / square + y / square) & 1) ? 255 : 0;
        jaga_blur_seed seed = seed_of(px, w, h, 1, 1);
        jaga_image *img = render(&seed, 256);
        const uint8_t *out = jaga_image_pixels(img);
        for (size_t i = 0; i < (size_t)256 * 256 * 3; i++)
            if (abs(out[i] - 128) > 6)
                fail_msg("squares of %u: sample %zu is %d", square, i, out[i]);
        jaga_image_free(img);
        free(px);
    }
}

/* An image whose quadrants differ, stored under each EXIF orientation: its seed is that of
 * the pixels libvips turns upright. */
static void test_orientation_applied(void **state)
{
    (void)state;
    uint32_t w = 64, h = 32;
    uint8_t *px = malloc((size_t)w * h * 3);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            uint8_t *p = px + ((size_t)y * w + x) * 3;
            p[0] = x < w / 2 ? 250 : 10, p[1] = y < h / 2 ? 240 : 20, p[2] = (uint8_t)(x * 3);
        }
    if (VIPS_INIT("test_blur") != 0)
        fail_msg("libvips failed to start");
    for (int o = 1; o <= 8; o++) {
        VipsImage *in =
            vips_image_new_from_memory(px, (size_t)w * h * 3, (int)w, (int)h, 3, VIPS_FORMAT_UCHAR);
        VipsImage *tagged = NULL, *loaded = NULL, *upright = NULL;
        assert_int_equal(vips_copy(in, &tagged, NULL), 0);
        vips_image_set_int(tagged, VIPS_META_ORIENTATION, o);
        void *file = NULL;
        size_t len = 0;
        assert_int_equal(vips_jpegsave_buffer(tagged, &file, &len, "Q", 95, NULL), 0);
        assert_non_null(loaded = vips_image_new_from_buffer(file, len, "", NULL));
        assert_int_equal(vips_autorot(loaded, &upright, NULL), 0);
        size_t n = 0;
        uint8_t *up = vips_image_write_to_memory(upright, &n);
        jaga_blur_seed expect = seed_of(up, (uint32_t)vips_image_get_width(upright),
                                        (uint32_t)vips_image_get_height(upright), 3, 1);

        jaga_ctx *ctx;
        jaga_image *img = NULL;
        assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
        assert_int_equal(jaga_image_decode(ctx, file, len, NULL, &img), JAGA_OK);
        assert_int_equal(jaga_image_orientation(img), o);
        assert_int_equal(jaga_image_width(img), w); /* pixels as stored */
        jaga_blur_seed got = seed_of(jaga_image_pixels(img), w, h, 3, o);
        assert_int_equal(got.len, expect.len);
        if (memcmp(got.bytes, expect.bytes, got.len) != 0)
            fail_msg("orientation %d: the seed is not the upright image's", o);
        jaga_image_free(img);
        jaga_ctx_free(ctx);
        g_free(up), g_free(file);
        g_object_unref(upright), g_object_unref(loaded), g_object_unref(tagged);
        g_object_unref(in);
    }
    free(px);
}

static void test_sizes(void **state)
{
    (void)state;
    static const struct {
        uint32_t w, h, side, rw, rh;
    } cases[] = {{1920, 1080, 0, 480, 270}, {1080, 1920, 0, 270, 480}, {100, 50, 0, 100, 50},
                 {5000, 10, 0, 480, 1},     {7, 3, 0, 7, 3},           {1920, 1080, 64, 64, 36}};
    const uint8_t grey[3] = {90, 90, 90};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t *px = solid(cases[i].w, cases[i].h, grey);
        jaga_blur_seed seed = seed_of(px, cases[i].w, cases[i].h, 3, 1);
        uint32_t w = 0, h = 0;
        assert_int_equal(jaga_blur_size(NULL, seed.bytes, seed.len, cases[i].side, &w, &h),
                         JAGA_OK);
        assert_int_equal(w, cases[i].rw);
        assert_int_equal(h, cases[i].rh);
        jaga_image *img = render(&seed, cases[i].side);
        assert_int_equal(jaga_image_width(img), w);
        assert_int_equal(jaga_image_height(img), h);
        jaga_image_free(img);
        free(px);
    }
}

/* The pipeline's seed is the one of its decoded pixels. */
static void test_signals_carry_the_seed(void **state)
{
    (void)state;
    uint8_t *px = test_make_image(200, 120, 3, 9);
    size_t len;
    void *png = test_encode(px, 200, 120, 3, ".png", &len);
    jaga_ctx *ctx;
    jaga_pdq_hasher *hasher;
    jaga_signals sig;
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    assert_int_equal(jaga_pdq_hasher_open(&hasher), JAGA_OK);
    jaga_signal_options opt = {.blur_seed = 1};
    assert_int_equal(jaga_signals_compute(ctx, hasher, png, len, &opt, &sig), JAGA_OK);
    jaga_blur_seed expect = seed_of(px, 200, 120, 3, 1);
    assert_int_equal(sig.blur_seed.len, expect.len);
    assert_memory_equal(sig.blur_seed.bytes, expect.bytes, expect.len);
    opt.blur_seed = 0;
    assert_int_equal(jaga_signals_compute(ctx, hasher, png, len, &opt, &sig), JAGA_OK);
    assert_int_equal(sig.blur_seed.len, 0);
    jaga_pdq_hasher_free(hasher);
    jaga_ctx_free(ctx);
    g_free(png);
    free(px);
}

static void render_refused(const uint8_t *seed, size_t len, const char *what)
{
    jaga_ctx *ctx;
    uint8_t *jpeg = (uint8_t *)&jpeg;
    size_t n = 1;
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    jaga_status st = jaga_blur_render(ctx, seed, len, 0, &jpeg, &n);
    if (st != JAGA_ERR_INVALID)
        fail_msg("%s: %s", what, jaga_status_str(st));
    assert_null(jpeg);
    assert_int_equal(n, 0);
    assert_non_null(strstr(jaga_errmsg(ctx), "seed"));
    jaga_ctx_free(ctx);
}

static void test_malformed_seeds(void **state)
{
    (void)state;
    const uint8_t grey[3] = {1, 2, 3};
    uint8_t *px = solid(100, 50, grey);
    jaga_blur_seed good = seed_of(px, 100, 50, 3, 1); /* 16 x 8, display 100 x 50 */
    free(px);
    uint8_t b[JAGA_BLUR_SEED_MAX + 8];
    render_refused(NULL, 0, "no seed");
    render_refused(good.bytes, 6, "a header cut short");
    render_refused(good.bytes, good.len - 1, "pixels cut short");
    memcpy(b, good.bytes, good.len), b[good.len] = 0;
    render_refused(b, good.len + 1, "a byte too many");
    memcpy(b, good.bytes, good.len), b[0] = 2;
    render_refused(b, good.len, "another version");
    memcpy(b, good.bytes, good.len), b[1] = 0;
    render_refused(b, good.len, "no width");
    memcpy(b, good.bytes, good.len), b[1] = 17;
    render_refused(b, good.len, "wider than a seed");
    memcpy(b, good.bytes, good.len), b[3] = b[4] = 0;
    render_refused(b, good.len, "no display width");
    memcpy(b, good.bytes, good.len), b[2] = 16;
    render_refused(b, good.len, "sides that do not fit the display's");
    memset(b, 0xff, sizeof(b));
    render_refused(b, JAGA_BLUR_SEED_MAX, "all ones");
}

static void test_bad_pixels_refused(void **state)
{
    (void)state;
    uint8_t px[12] = {0};
    jaga_blur_seed seed;
    assert_int_equal(jaga_blur_seed_compute(NULL, px, 2, 2, 2, 1, &seed), JAGA_ERR_INVALID);
    assert_int_equal(jaga_blur_seed_compute(NULL, px, 0, 2, 3, 1, &seed), JAGA_ERR_INVALID);
    assert_int_equal(jaga_blur_seed_compute(NULL, px, 70000, 1, 1, 1, &seed), JAGA_ERR_INVALID);
    assert_int_equal(jaga_blur_seed_compute(NULL, NULL, 2, 2, 3, 1, &seed), JAGA_ERR_INVALID);
    assert_int_equal(seed.len, 0);
    /* An orientation out of range reads as upright. */
    assert_int_equal(jaga_blur_seed_compute(NULL, px, 2, 2, 3, 42, &seed), JAGA_OK);
    assert_int_equal(seed.bytes[1], 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_solid_colour_everywhere),
        cmocka_unit_test(test_edges_are_gone),
        cmocka_unit_test(test_detail_is_gone),
        cmocka_unit_test(test_orientation_applied),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_signals_carry_the_seed),
        cmocka_unit_test(test_malformed_seeds),
        cmocka_unit_test(test_bad_pixels_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

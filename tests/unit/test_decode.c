/* Decoding: every accepted format and pixel layout, the limits, and malformed input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "jaga/engine.h"
#include "jaga/media.h"
#include "test_support.h"

static jaga_image *decode_ok(const void *data, size_t len, const char *what)
{
    jaga_ctx *ctx;
    jaga_image *image = NULL;
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    if (jaga_image_decode(ctx, data, len, NULL, &image) != JAGA_OK)
        fail_msg("%s: %s", what, jaga_errmsg(ctx));
    jaga_ctx_free(ctx);
    return image;
}

/* Decoding fails with the expected status and a message that says something. */
static void decode_fails(const void *data, size_t len, const jaga_decode_limits *limits,
                         jaga_status expect, const char *what)
{
    jaga_ctx *ctx;
    jaga_image *image = (jaga_image *)&image;
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    jaga_status st = jaga_image_decode(ctx, data, len, limits, &image);
    if (st != expect)
        fail_msg("%s: status %s (%s), expected %s", what, jaga_status_str(st), jaga_errmsg(ctx),
                 jaga_status_str(expect));
    assert_null(image);
    assert_true(strlen(jaga_errmsg(ctx)) > 5);
    jaga_ctx_free(ctx);
}

static void test_formats_round_trip(void **state)
{
    (void)state;
    static const struct {
        const char *suffix, *format;
        int lossless;
    } formats[] = {
        {".png", "png", 1},  {".webp[lossless]", "webp", 1},
        {".tif", "tiff", 1}, {".jpg[Q=95]", "jpeg", 0},
        {".gif", "gif", 0},
    };
    const uint32_t w = 97, h = 61;
    uint8_t *px = test_make_image(w, h, 3, 3);
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        size_t len;
        void *enc = test_encode(px, w, h, 3, formats[i].suffix, &len);
        jaga_image *im = decode_ok(enc, len, formats[i].suffix);
        assert_string_equal(jaga_image_format(im), formats[i].format);
        assert_int_equal(jaga_image_width(im), w);
        assert_int_equal(jaga_image_height(im), h);
        assert_int_equal(jaga_image_layout(im), JAGA_PIXELS_RGB);
        if (formats[i].lossless)
            assert_memory_equal(jaga_image_pixels(im), px, (size_t)w * h * 3);
        jaga_image_free(im);
        g_free(enc);
    }
    free(px);
}

static void test_grey_and_alpha_layouts(void **state)
{
    (void)state;
    const uint32_t w = 40, h = 30;
    for (int bands = 1; bands <= 4; bands++) {
        uint8_t *px = test_make_image(w, h, bands, (uint32_t)bands);
        size_t len;
        void *enc = test_encode(px, w, h, bands, ".png", &len);
        jaga_image *im = decode_ok(enc, len, "png");
        /* Alpha is dropped: grey+alpha gives grey, RGBA gives RGB. */
        int keep = bands <= 2 ? 1 : 3;
        assert_int_equal(jaga_image_layout(im), keep);
        const uint8_t *out = jaga_image_pixels(im);
        for (size_t p = 0; p < (size_t)w * h; p++)
            for (int c = 0; c < keep; c++)
                assert_int_equal(out[p * keep + c], px[p * bands + c]);
        jaga_image_free(im);
        g_free(enc);
        free(px);
    }
}

static void *encode_vips(VipsImage *im, const char *suffix, size_t *len)
{
    void *buf = NULL;
    if (vips_image_write_to_buffer(im, suffix, &buf, len, NULL) != 0)
        fail_msg("encoding %s: %s", suffix, vips_error_buffer());
    return buf;
}

/* A libvips image of the given pixels (copied) and interpretation. */
static VipsImage *vips_from(const void *px, uint32_t w, uint32_t h, int bands,
                            VipsBandFormat format, VipsInterpretation type)
{
    size_t size = (size_t)w * h * bands * (format == VIPS_FORMAT_USHORT ? 2 : 1);
    VipsImage *im = vips_image_new_from_memory_copy(px, size, (int)w, (int)h, bands, format);
    assert_non_null(im);
    im->Type = type;
    return im;
}

/* im encoded to suffix by libvips, then decoded by jaga. */
static jaga_image *round_trip(VipsImage *im, const char *suffix)
{
    size_t len;
    void *enc = encode_vips(im, suffix, &len);
    jaga_image *out = decode_ok(enc, len, suffix);
    g_free(enc);
    return out;
}

static void test_sixteen_bit_keeps_high_byte(void **state)
{
    (void)state;
    const uint32_t w = 33, h = 17;
    uint16_t *px = malloc(sizeof(uint16_t) * w * h * 3);
    assert_non_null(px);
    for (size_t i = 0; i < (size_t)w * h * 3; i++)
        px[i] = (uint16_t)(i * 2654435761u >> 7);
    VipsImage *im = vips_from(px, w, h, 3, VIPS_FORMAT_USHORT, VIPS_INTERPRETATION_RGB16);
    jaga_image *out = round_trip(im, ".png");
    for (size_t i = 0; i < (size_t)w * h * 3; i++)
        assert_int_equal(jaga_image_pixels(out)[i], px[i] >> 8);
    jaga_image_free(out);
    g_object_unref(im);
    free(px);
}

static void test_cmyk_converted_like_the_reference(void **state)
{
    (void)state;
    const uint32_t w = 24, h = 16;
    uint8_t *px = test_make_image(w, h, 4, 9);
    VipsImage *im = vips_from(px, w, h, 4, VIPS_FORMAT_UCHAR, VIPS_INTERPRETATION_CMYK);
    jaga_image *out = round_trip(im, ".tif");
    assert_int_equal(jaga_image_layout(out), JAGA_PIXELS_RGB);
    for (size_t p = 0; p < (size_t)w * h; p++)
        for (int c = 0; c < 3; c++)
            assert_int_equal(jaga_image_pixels(out)[p * 3 + c],
                             (255 - px[p * 4 + c]) * (255 - px[p * 4 + 3]) / 255);
    jaga_image_free(out);
    g_object_unref(im);
    free(px);
}

static void test_exif_orientation_not_applied(void **state)
{
    (void)state;
    const uint32_t w = 64, h = 32;
    uint8_t *px = test_make_image(w, h, 3, 4);
    VipsImage *im = vips_from(px, w, h, 3, VIPS_FORMAT_UCHAR, VIPS_INTERPRETATION_sRGB);
    vips_image_set_int(im, VIPS_META_ORIENTATION, 6);
    jaga_image *out = round_trip(im, ".jpg");
    assert_int_equal(jaga_image_width(out), w);
    assert_int_equal(jaga_image_height(out), h);
    jaga_image_free(out);
    g_object_unref(im);
    free(px);
}

/* Animated GIF and multi-page TIFF: the first frame, black here, over a white second one. */
static void test_first_frame_only(void **state)
{
    (void)state;
    const uint32_t w = 32, h = 24;
    uint8_t *px = calloc((size_t)w * h * 2, 3);
    assert_non_null(px);
    memset(px + (size_t)w * h * 3, 255, (size_t)w * h * 3);
    VipsImage *im = vips_from(px, w, h * 2, 3, VIPS_FORMAT_UCHAR, VIPS_INTERPRETATION_sRGB);
    vips_image_set_int(im, VIPS_META_PAGE_HEIGHT, (int)h);
    const char *suffixes[] = {".gif", ".tif"};
    for (int i = 0; i < 2; i++) {
        jaga_image *out = round_trip(im, suffixes[i]);
        assert_int_equal(jaga_image_width(out), w);
        assert_int_equal(jaga_image_height(out), h);
        for (size_t p = 0; p < (size_t)w * h * 3; p++)
            assert_int_equal(jaga_image_pixels(out)[p], 0);
        jaga_image_free(out);
    }
    g_object_unref(im);
    free(px);
}

static void test_limits(void **state)
{
    (void)state;
    const uint32_t w = 120, h = 80;
    uint8_t *px = test_make_image(w, h, 3, 2);
    size_t len;
    void *enc = test_encode(px, w, h, 3, ".png", &len);
    jaga_decode_limits lim;
    jaga_decode_limits_default(&lim);
    lim.max_bytes = len - 1;
    decode_fails(enc, len, &lim, JAGA_ERR_LIMIT, "max_bytes");
    jaga_decode_limits_default(&lim);
    lim.max_width = w - 1;
    decode_fails(enc, len, &lim, JAGA_ERR_LIMIT, "max_width");
    jaga_decode_limits_default(&lim);
    lim.max_height = h - 1;
    decode_fails(enc, len, &lim, JAGA_ERR_LIMIT, "max_height");
    jaga_decode_limits_default(&lim);
    lim.max_pixels = (uint64_t)w * h - 1;
    decode_fails(enc, len, &lim, JAGA_ERR_LIMIT, "max_pixels");
    /* Exactly at every limit is fine. */
    lim.max_bytes = len, lim.max_width = w, lim.max_height = h, lim.max_pixels = (uint64_t)w * h;
    jaga_image *im = NULL;
    assert_int_equal(jaga_image_decode(NULL, enc, len, &lim, &im), JAGA_OK);
    jaga_image_free(im);
    g_free(enc);
    free(px);
}

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8),
    p[3] = (uint8_t)v;
}

/* Small files whose headers claim huge images: refused from the header alone. */
static void test_decompression_bombs(void **state)
{
    (void)state;
    uint8_t *px = test_make_image(16, 16, 3, 1);
    size_t len;
    uint8_t *png = test_encode(px, 16, 16, 3, ".png", &len);
    /* IHDR: 8-byte signature, length, "IHDR", width, height, ..., CRC over type+data. */
    put_be32(png + 16, 60000);
    put_be32(png + 20, 60000);
    put_be32(png + 29, crc32_of(png + 12, 17));
    decode_fails(png, len, NULL, JAGA_ERR_LIMIT, "png bomb");
    g_free(png);

    uint8_t *jpg = test_encode(px, 16, 16, 3, ".jpg", &len);
    for (size_t i = 2; i + 9 < len; i++)
        if (jpg[i] == 0xff && jpg[i + 1] == 0xc0) { /* SOF0: height, width at +5, +7 */
            jpg[i + 5] = 0xfd, jpg[i + 6] = 0xe8, jpg[i + 7] = 0xfd, jpg[i + 8] = 0xe8;
            break;
        }
    decode_fails(jpg, len, NULL, JAGA_ERR_LIMIT, "jpeg bomb");
    g_free(jpg);
    free(px);
}

static void test_malformed_input(void **state)
{
    (void)state;
    const uint32_t w = 200, h = 150;
    uint8_t *px = test_make_image(w, h, 3, 6);
    size_t jlen, plen;
    uint8_t *jpg = test_encode(px, w, h, 3, ".jpg", &jlen);
    uint8_t *png = test_encode(px, w, h, 3, ".png", &plen);

    decode_fails("", 0, NULL, JAGA_ERR_DECODE, "empty");
    decode_fails("hello, this is not an image\n", 28, NULL, JAGA_ERR_DECODE, "text");
    uint8_t noise[4096];
    for (size_t i = 0; i < sizeof(noise); i++)
        noise[i] = (uint8_t)(i * 7919u >> 3);
    decode_fails(noise, sizeof(noise), NULL, JAGA_ERR_DECODE, "noise");
    decode_fails(jpg, jlen / 2, NULL, JAGA_ERR_DECODE, "truncated jpeg");
    decode_fails(png, plen / 2, NULL, JAGA_ERR_DECODE, "truncated png");
    decode_fails(jpg, 3, NULL, JAGA_ERR_DECODE, "jpeg magic only");
    /* Scrambled entropy-coded data and a broken PNG chunk CRC. */
    uint8_t *bad = malloc(jlen);
    assert_non_null(bad);
    memcpy(bad, jpg, jlen);
    for (size_t i = jlen / 3; i < jlen - 2; i += 5)
        bad[i] = 0xff;
    decode_fails(bad, jlen, NULL, JAGA_ERR_DECODE, "corrupt jpeg");
    free(bad);
    bad = malloc(plen);
    assert_non_null(bad);
    memcpy(bad, png, plen);
    for (size_t i = plen / 2; i < plen / 2 + 64; i++)
        bad[i] ^= 0x5a;
    decode_fails(bad, plen, NULL, JAGA_ERR_DECODE, "corrupt png");
    free(bad);

    static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" "
                              "height=\"10\"><rect width=\"10\" height=\"10\"/></svg>";
    decode_fails(svg, sizeof(svg) - 1, NULL, JAGA_ERR_UNSUPPORTED, "svg");
    static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n";
    jaga_image *im = NULL;
    assert_int_not_equal(jaga_image_decode(NULL, pdf, sizeof(pdf) - 1, NULL, &im), JAGA_OK);
    assert_null(im);
    g_free(jpg);
    g_free(png);
    free(px);
}

/* The pipeline of one upload: digests of the raw bytes and the PDQ hash of the pixels. */
static void test_signals_of_an_upload(void **state)
{
    (void)state;
    jaga_pdq_hasher *hasher;
    jaga_ctx *ctx;
    assert_int_equal(jaga_pdq_hasher_open(&hasher), JAGA_OK);
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    uint8_t *px = test_make_image(300, 200, 3, 8);
    size_t len;
    void *png = test_encode(px, 300, 200, 3, ".png", &len);
    jaga_signals sig;
    jaga_signal_options opt = {.digests = 1, .dihedral = 1};
    assert_int_equal(jaga_signals_compute(ctx, hasher, png, len, &opt, &sig), JAGA_OK);
    jaga_digests expect;
    assert_int_equal(jaga_digest_bytes(NULL, png, len, &expect), JAGA_OK);
    assert_memory_equal(&sig.digests, &expect, sizeof(expect));
    jaga_pdq_result direct;
    assert_int_equal(
        jaga_pdq_hash_pixels(hasher, NULL, px, 300, 200, 900, JAGA_PIXELS_RGB, 1, &direct),
        JAGA_OK);
    assert_memory_equal(&sig.pdq, &direct, sizeof(direct));
    assert_int_equal(sig.width, 300);
    assert_string_equal(sig.format, "png");
    assert_int_equal(jaga_signals_compute(ctx, hasher, png, len / 3, &opt, &sig), JAGA_ERR_DECODE);
    g_free(png);
    free(px);
    jaga_ctx_free(ctx);
    jaga_pdq_hasher_free(hasher);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats_round_trip),
        cmocka_unit_test(test_grey_and_alpha_layouts),
        cmocka_unit_test(test_sixteen_bit_keeps_high_byte),
        cmocka_unit_test(test_cmyk_converted_like_the_reference),
        cmocka_unit_test(test_exif_orientation_not_applied),
        cmocka_unit_test(test_first_frame_only),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_decompression_bombs),
        cmocka_unit_test(test_malformed_input),
        cmocka_unit_test(test_signals_of_an_upload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

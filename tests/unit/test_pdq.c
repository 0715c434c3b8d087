/* PDQ on data the tests make themselves: hex form, distance, argument checks, the SIMD and
 * generic kernels against each other and against the reference-style baseline, dihedral
 * hashes against hashes of transformed pixels. */
#include <stdlib.h>
#include <string.h>

#include "hash/pdq_internal.h"
#include "pdq_baseline.h"
#include "test_support.h"

static void test_hex_round_trip(void **state)
{
    (void)state;
    const char *hex = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    jaga_pdq_hash h;
    char out[JAGA_PDQ_HEX_LEN + 1];
    assert_int_equal(jaga_pdq_from_hex(hex, &h), JAGA_OK);
    /* The last four hex digits are word 0, DCT row 0. */
    assert_int_equal(h.w[0], 0x9b22);
    assert_int_equal(h.w[15], 0xf8f8);
    jaga_pdq_to_hex(&h, out);
    assert_string_equal(out, hex);
    assert_int_equal(
        jaga_pdq_from_hex("F8F8F0CEE0F4A84F06370A22038F63F0B36E2ED596621E1D33E6B39C4E9C9B22", &h),
        JAGA_OK);
    jaga_pdq_to_hex(&h, out);
    assert_string_equal(out, hex);
}

static void test_hex_rejects_malformed(void **state)
{
    (void)state;
    jaga_pdq_hash h;
    const char *bad[] = {
        "",
        "f8f8",
        "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b2",   /* 63 */
        "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b222", /* 65 */
        "g8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22",
        "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b2 ",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(jaga_pdq_from_hex(bad[i], &h), JAGA_ERR_INVALID);
    assert_int_equal(jaga_pdq_from_hex(NULL, &h), JAGA_ERR_INVALID);
}

static void test_distance(void **state)
{
    (void)state;
    jaga_pdq_hash zero = {{0}}, ones, one_bit = {{0}};
    memset(&ones, 0xff, sizeof(ones));
    one_bit.w[7] = 0x0100;
    assert_int_equal(jaga_pdq_distance(&zero, &zero), 0);
    assert_int_equal(jaga_pdq_distance(&zero, &ones), 256);
    assert_int_equal(jaga_pdq_distance(&zero, &one_bit), 1);
    assert_int_equal(jaga_pdq_distance(&ones, &one_bit), 255);
}

static void test_too_small_gives_zero_hash(void **state)
{
    (void)state;
    jaga_pdq_hasher *h;
    jaga_pdq_result r;
    assert_int_equal(jaga_pdq_hasher_open(&h), JAGA_OK);
    uint8_t *px = test_make_image(100, 100, 3, 1);
    const uint32_t sizes[][2] = {{4, 100}, {100, 4}, {1, 1}, {0, 0}};
    for (size_t i = 0; i < 4; i++) {
        memset(&r, 0xaa, sizeof(r));
        assert_int_equal(jaga_pdq_hash_pixels(h, NULL, px, sizes[i][0], sizes[i][1], 300,
                                              JAGA_PIXELS_RGB, 1, &r),
                         JAGA_OK);
        jaga_pdq_result zero;
        memset(&zero, 0, sizeof(zero));
        assert_memory_equal(&r, &zero, sizeof(r));
    }
    assert_int_equal(jaga_pdq_hash_pixels(h, NULL, px, 5, 5, 300, JAGA_PIXELS_RGB, 0, &r), JAGA_OK);
    free(px);
    jaga_pdq_hasher_free(h);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    jaga_pdq_hasher *h;
    jaga_ctx *ctx;
    jaga_pdq_result r;
    uint8_t px[64 * 64 * 3] = {0};
    assert_int_equal(jaga_pdq_hasher_open(&h), JAGA_OK);
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    assert_int_equal(jaga_pdq_hash_pixels(h, ctx, NULL, 64, 64, 192, JAGA_PIXELS_RGB, 0, &r),
                     JAGA_ERR_INVALID);
    assert_int_equal(jaga_pdq_hash_pixels(h, ctx, px, 64, 64, 191, JAGA_PIXELS_RGB, 0, &r),
                     JAGA_ERR_INVALID);
    assert_non_null(strstr(jaga_errmsg(ctx), "stride"));
    assert_int_equal(jaga_pdq_hash_pixels(h, ctx, px, 64, 64, 192, (jaga_pixels)2, 0, &r),
                     JAGA_ERR_INVALID);
    jaga_ctx_free(ctx);
    jaga_pdq_hasher_free(h);
    jaga_pdq_hasher_free(NULL);
}

/* Sizes that exercise every edge of the pipeline: windows of 1, partial strips, fewer
 * columns than 64 (repeated decimation indices), widths not a multiple of 8. */
static const uint32_t odd_sizes[][2] = {
    {5, 5},     {7, 13},    {13, 7},   {64, 64},  {100, 37},  {127, 129}, {129, 127},
    {257, 255}, {640, 480}, {1000, 9}, {9, 1000}, {333, 257}, {34, 42},   {1021, 769},
};

static void test_kernels_agree_bit_for_bit(void **state)
{
    (void)state;
    const pdq_kernels *simd = jaga__pdq_kernels_avx2();
    if (!simd) {
        print_message("skipped: this CPU has no AVX2, only the generic kernels run\n");
        skip();
    }
    pdq_blur_scratch a = {0}, b = {0};
    float out_a[PDQ_DIM * PDQ_DIM], out_b[PDQ_DIM * PDQ_DIM];
    for (size_t i = 0; i < sizeof(odd_sizes) / sizeof(odd_sizes[0]); i++)
        for (int channels = 1; channels <= 3; channels += 2) {
            uint32_t w = odd_sizes[i][0], h = odd_sizes[i][1];
            uint8_t *px = test_make_image(w, h, channels, (uint32_t)i);
            assert_int_equal(jaga__pdq_blur_decimate(&a, jaga__pdq_kernels_generic(), px, w, h,
                                                     (size_t)w * channels, (jaga_pixels)channels,
                                                     out_a),
                             0);
            assert_int_equal(jaga__pdq_blur_decimate(&b, simd, px, w, h, (size_t)w * channels,
                                                     (jaga_pixels)channels, out_b),
                             0);
            if (memcmp(out_a, out_b, sizeof(out_a)) != 0)
                fail_msg("%ux%u x%d: generic and %s kernels differ", w, h, channels, simd->name);
            free(px);
        }
    jaga__pdq_blur_scratch_free(&a);
    jaga__pdq_blur_scratch_free(&b);
}

static void test_matches_reference_style_baseline(void **state)
{
    (void)state;
    jaga_pdq_hasher *h;
    assert_int_equal(jaga_pdq_hasher_open(&h), JAGA_OK);
    for (size_t i = 0; i < sizeof(odd_sizes) / sizeof(odd_sizes[0]); i++)
        for (int channels = 1; channels <= 3; channels += 2) {
            uint32_t w = odd_sizes[i][0], hgt = odd_sizes[i][1];
            uint8_t *px = test_make_image(w, hgt, channels, (uint32_t)i + 100);
            uint16_t expect[16];
            int quality;
            jaga_pdq_result r;
            assert_int_equal(pdq_baseline_hash(px, (int)w, (int)hgt, channels, expect, &quality),
                             0);
            assert_int_equal(jaga_pdq_hash_pixels(h, NULL, px, w, hgt, (size_t)w * channels,
                                                  (jaga_pixels)channels, 0, &r),
                             JAGA_OK);
            if (memcmp(expect, r.hash[0].w, sizeof(expect)) != 0 || quality != r.quality)
                fail_msg("%ux%u x%d differs from the baseline", w, hgt, channels);
            free(px);
        }
    jaga_pdq_hasher_free(h);
}

static void test_stride_is_honoured(void **state)
{
    (void)state;
    const uint32_t w = 301, hgt = 203;
    const size_t stride = w * 3 + 17;
    uint8_t *packed = test_make_image(w, hgt, 3, 5);
    uint8_t *padded = malloc(stride * hgt);
    assert_non_null(padded);
    memset(padded, 0xff, stride * hgt);
    for (uint32_t y = 0; y < hgt; y++)
        memcpy(padded + y * stride, packed + (size_t)y * w * 3, w * 3);
    jaga_pdq_hasher *h;
    jaga_pdq_result a, b;
    assert_int_equal(jaga_pdq_hasher_open(&h), JAGA_OK);
    assert_int_equal(jaga_pdq_hash_pixels(h, NULL, packed, w, hgt, w * 3, JAGA_PIXELS_RGB, 1, &a),
                     JAGA_OK);
    assert_int_equal(jaga_pdq_hash_pixels(h, NULL, padded, w, hgt, stride, JAGA_PIXELS_RGB, 1, &b),
                     JAGA_OK);
    assert_memory_equal(&a, &b, sizeof(a));
    assert_true(a.quality > 50);
    free(packed);
    free(padded);
    jaga_pdq_hasher_free(h);
}

/* Pixels of a square image transformed as dihedral variant d. */
static uint8_t *transform(const uint8_t *px, uint32_t n, jaga_dihedral d)
{
    uint8_t *out = malloc((size_t)n * n);
    assert_non_null(out);
    for (uint32_t y = 0; y < n; y++)
        for (uint32_t x = 0; x < n; x++) {
            uint32_t sx = x, sy = y, m = n - 1;
            switch (d) {
            case JAGA_DIH_ROT90: /* counter-clockwise, as the reference names it */
                sx = m - y, sy = x;
                break;
            case JAGA_DIH_ROT180:
                sx = m - x, sy = m - y;
                break;
            case JAGA_DIH_ROT270:
                sx = y, sy = m - x;
                break;
            case JAGA_DIH_FLIPX: /* upside down */
                sy = m - y;
                break;
            case JAGA_DIH_FLIPY: /* mirrored left to right */
                sx = m - x;
                break;
            case JAGA_DIH_FLIP_PLUS1:
                sx = y, sy = x;
                break;
            case JAGA_DIH_FLIP_MINUS1:
                sx = m - y, sy = m - x;
                break;
            default:
                break;
            }
            out[(size_t)y * n + x] = px[(size_t)sy * n + sx];
        }
    return out;
}

/* The hash derived from the DCT matches the hash of the transformed pixels up to the bits
 * that the box filter's asymmetric window and the decimation grid move (12 to 18 here),
 * and stands far from the original's. */
static void test_dihedral_matches_transformed_pixels(void **state)
{
    (void)state;
    const uint32_t n = 512;
    uint8_t *px = test_make_image(n, n, 1, 42);
    jaga_pdq_hasher *h;
    jaga_pdq_result all, one;
    assert_int_equal(jaga_pdq_hasher_open(&h), JAGA_OK);
    assert_int_equal(jaga_pdq_hash_pixels(h, NULL, px, n, n, n, JAGA_PIXELS_GREY, 1, &all),
                     JAGA_OK);
    for (int d = JAGA_DIH_ROT90; d < JAGA_DIH_COUNT; d++) {
        uint8_t *t = transform(px, n, (jaga_dihedral)d);
        assert_int_equal(jaga_pdq_hash_pixels(h, NULL, t, n, n, n, JAGA_PIXELS_GREY, 0, &one),
                         JAGA_OK);
        int dist = jaga_pdq_distance(&all.hash[d], &one.hash[JAGA_DIH_ORIG]);
        int to_orig = jaga_pdq_distance(&all.hash[JAGA_DIH_ORIG], &one.hash[JAGA_DIH_ORIG]);
        if (dist > 24 || to_orig < 64)
            fail_msg("%s: %d bits from the transformed image's hash, %d from the original",
                     jaga_dihedral_name((jaga_dihedral)d), dist, to_orig);
        free(t);
    }
    free(px);
    jaga_pdq_hasher_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex_round_trip),
        cmocka_unit_test(test_hex_rejects_malformed),
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_too_small_gives_zero_hash),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_kernels_agree_bit_for_bit),
        cmocka_unit_test(test_matches_reference_style_baseline),
        cmocka_unit_test(test_stride_is_honoured),
        cmocka_unit_test(test_dihedral_matches_transformed_pixels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

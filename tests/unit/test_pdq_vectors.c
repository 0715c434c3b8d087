/* PDQ conformance against the shared reference vectors (../shared/vectors/pdq): stage by
 * stage on the reference's own decoded pixels, end to end on its expected hashes. Each test
 * reports itself skipped where the shared data is absent. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash/pdq_internal.h"
#include "jaga/engine.h"
#include "test_support.h"

#define VECTORS "vectors/pdq/"

typedef struct stages {
    char input[256];
    uint32_t rows, cols;
    char hash[65];
    int quality;
    float buf64[PDQ_DIM * PDQ_DIM];
    float dct[256];
    char dihedral[JAGA_DIH_COUNT][65];
} stages;

static void read_floats(FILE *f, float *out, int n)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(fscanf(f, "%f", &out[i]), 1);
}

static void skip_comment(FILE *f)
{
    char line[512];
    assert_non_null(fgets(line, sizeof(line), f));
    if (line[0] != '#' && line[0] != '\n')
        fail_msg("expected a comment line, got %s", line);
}

static void read_stages(const char *path, stages *s)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    memset(s, 0, sizeof(*s));
    assert_int_equal(
        fscanf(f, "# mode=%*s input=%255s rows=%u cols=%u%*[^\n]\n", s->input, &s->rows, &s->cols),
        3);
    assert_int_equal(fscanf(f, "hash=%64s\nquality=%d\n", s->hash, &s->quality), 2);
    skip_comment(f);
    read_floats(f, s->buf64, PDQ_DIM * PDQ_DIM);
    fgetc(f);
    skip_comment(f);
    read_floats(f, s->dct, 256);
    fgetc(f);
    skip_comment(f);
    for (int d = 0; d < JAGA_DIH_COUNT; d++)
        assert_int_equal(fscanf(f, "%*[a-z0-9]=%64s\n", s->dihedral[d]), 1);
    fclose(f);
}

/* Every stage of one image against the reference's dump of it. */
static void check_stages(const stages *s, const uint8_t *px, int channels)
{
    pdq_blur_scratch scratch = {0};
    float buf[PDQ_DIM * PDQ_DIM], dct[256], variant[256];
    const pdq_kernels *all[] = {jaga__pdq_kernels_generic(), jaga__pdq_kernels_avx2()};
    for (int k = 0; k < 2 && all[k]; k++) {
        assert_int_equal(jaga__pdq_blur_decimate(&scratch, all[k], px, s->cols, s->rows,
                                                 (size_t)s->cols * channels, (jaga_pixels)channels,
                                                 buf),
                         0);
        for (int i = 0; i < PDQ_DIM * PDQ_DIM; i++)
            if (buf[i] != s->buf64[i])
                fail_msg("%s (%s): 64x64 buffer [%d][%d] = %.9g, reference %.9g", s->input,
                         all[k]->name, i / PDQ_DIM, i % PDQ_DIM, buf[i], s->buf64[i]);
    }
    jaga__pdq_blur_scratch_free(&scratch);
    assert_int_equal(jaga__pdq_quality(buf), s->quality);
    jaga__pdq_dct16(buf, dct);
    for (int i = 0; i < 256; i++)
        if (dct[i] != s->dct[i])
            fail_msg("%s: DCT [%d][%d] = %.9g, reference %.9g", s->input, i / 16, i % 16, dct[i],
                     s->dct[i]);
    for (int d = 0; d < JAGA_DIH_COUNT; d++) {
        jaga_pdq_hash h;
        char hex[65];
        jaga__pdq_dct16_dihedral(dct, (jaga_dihedral)d, variant);
        jaga__pdq_dct16_to_hash(variant, &h);
        jaga_pdq_to_hex(&h, hex);
        if (strcmp(hex, s->dihedral[d]) != 0)
            fail_msg("%s: %s hash %s, reference %s", s->input, jaga_dihedral_name(d), hex,
                     s->dihedral[d]);
    }
    assert_string_equal(s->dihedral[JAGA_DIH_ORIG], s->hash);
}

static void test_stages_on_reference_pixels(void **state)
{
    (void)state;
    static const char *names[] = {
        "bridge-1-original_ref512", "q0003_lowquality", "q0122", "small", "square-512x512", "wee"};
    char path[1024];
    SKIP_WITHOUT_SHARED(VECTORS "intermediates", path);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        stages s;
        uint32_t w, h;
        int channels;
        snprintf(path, sizeof(path), "%s/%s.stages.txt", "", names[i]);
        char stages_path[1024], ppm_path[1024], rel[256];
        snprintf(rel, sizeof(rel), VECTORS "intermediates/%s.stages.txt", names[i]);
        assert_non_null(test_shared_file(rel, stages_path, sizeof(stages_path)));
        snprintf(rel, sizeof(rel), VECTORS "intermediates/%s.ppm", names[i]);
        assert_non_null(test_shared_file(rel, ppm_path, sizeof(ppm_path)));
        read_stages(stages_path, &s);
        uint8_t *px = test_read_pnm(ppm_path, &w, &h, &channels);
        assert_int_equal(w, s.cols);
        assert_int_equal(h, s.rows);
        check_stages(&s, px, channels);
        free(px);
    }
}

/* jaga's decoder gives the reference decoder's pixels (libjpeg-turbo), for the images the
 * reference dumped without resizing them. */
static void test_decoded_pixels_match_reference(void **state)
{
    (void)state;
    static const struct {
        const char *image, *ppm;
    } pairs[] = {{"images/labelme-subset/q0122.jpg", "q0122"},
                 {"images/labelme-subset/q0003.jpg", "q0003_lowquality"},
                 {"images/misc/small.jpg", "small"},
                 {"images/misc/wee.jpg", "wee"},
                 {"images/bridge-mods/square-512x512.jpg", "square-512x512"}};
    char path[1024];
    SKIP_WITHOUT_SHARED(VECTORS "intermediates", path);
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        char rel[256], img_path[1024], ppm_path[1024];
        snprintf(rel, sizeof(rel), VECTORS "%s", pairs[i].image);
        assert_non_null(test_shared_file(rel, img_path, sizeof(img_path)));
        snprintf(rel, sizeof(rel), VECTORS "intermediates/%s.ppm", pairs[i].ppm);
        assert_non_null(test_shared_file(rel, ppm_path, sizeof(ppm_path)));
        uint32_t w, h;
        int channels;
        uint8_t *expect = test_read_pnm(ppm_path, &w, &h, &channels);
        size_t len;
        void *data = test_read_file(img_path, &len);
        jaga_image *image;
        assert_int_equal(jaga_image_decode(NULL, data, len, NULL, &image), JAGA_OK);
        assert_int_equal(jaga_image_width(image), w);
        assert_int_equal(jaga_image_height(image), h);
        assert_int_equal((int)jaga_image_layout(image), channels);
        if (memcmp(jaga_image_pixels(image), expect, (size_t)w * h * channels) != 0)
            fail_msg("%s: decoded pixels differ from the reference's", pairs[i].image);
        jaga_image_free(image);
        free(data);
        free(expect);
    }
}

/* The full-resolution dump: pixels from jaga's own decoder. */
static void test_stages_full_resolution_decode(void **state)
{
    (void)state;
    char path[1024], img_path[1024], rel[512];
    SKIP_WITHOUT_SHARED(VECTORS "intermediates/bridge-1-original_fullres.stages.txt", path);
    stages s;
    read_stages(path, &s);
    snprintf(rel, sizeof(rel), VECTORS "%s", s.input);
    assert_non_null(test_shared_file(rel, img_path, sizeof(img_path)));
    size_t len;
    void *data = test_read_file(img_path, &len);
    jaga_image *image;
    assert_int_equal(jaga_image_decode(NULL, data, len, NULL, &image), JAGA_OK);
    assert_int_equal(jaga_image_width(image), s.cols);
    assert_int_equal(jaga_image_height(image), s.rows);
    check_stages(&s, jaga_image_pixels(image), (int)jaga_image_layout(image));
    jaga_image_free(image);
    free(data);
}

/* Decoded by jaga, every expected hash within 2 bits with the same quality; 90% exact. */
static void test_full_resolution_hashes(void **state)
{
    (void)state;
    char path[1024];
    SKIP_WITHOUT_SHARED(VECTORS "expected/cpp_fullres.csv", path);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    jaga_pdq_hasher *hasher;
    jaga_ctx *ctx;
    assert_int_equal(jaga_pdq_hasher_open(&hasher), JAGA_OK);
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    char line[1024];
    int total = 0, exact = 0;
    while (fgets(line, sizeof(line), f)) {
        char expect[65], rel[512], file[1024], got[65];
        int quality;
        if (line[0] == '#' ||
            sscanf(line, "%64[0-9a-f],%d,%400[^\n]", expect, &quality, rel + strlen(VECTORS)) != 3)
            continue;
        memcpy(rel, VECTORS, strlen(VECTORS));
        assert_non_null(test_shared_file(rel, file, sizeof(file)));
        size_t len;
        void *data = test_read_file(file, &len);
        jaga_signals sig;
        jaga_signal_options opt = {0};
        jaga_status st = jaga_signals_compute(ctx, hasher, data, len, &opt, &sig);
        free(data);
        if (st != JAGA_OK)
            fail_msg("%s: %s", rel, jaga_errmsg(ctx));
        jaga_pdq_to_hex(&sig.pdq.hash[JAGA_DIH_ORIG], got);
        int d = test_hex_distance(got, expect);
        if (d > 2 || sig.pdq.quality != quality)
            fail_msg("%s: %s q%d, reference %s q%d (%d bits)", rel, got, sig.pdq.quality, expect,
                     quality, d);
        if (d != 0)
            print_message("%s: %d bits from the reference\n", rel, d);
        total++;
        exact += d == 0;
    }
    fclose(f);
    jaga_pdq_hasher_free(hasher);
    jaga_ctx_free(ctx);
    print_message("full-resolution vectors: %d of %d bit-exact\n", exact, total);
    assert_true(total >= 39);
    assert_true(exact * 10 >= total * 9);
}

/* pdq-photo-hasher --pdqdih-across on the pixels in intermediates/. */
static void test_dihedral_reference(void **state)
{
    (void)state;
    static const struct {
        const char *image, *ppm;
    } map[] = {{"images/dih/bridge-1-original.jpg", "bridge-1-original_ref512"},
               {"images/labelme-subset/q0122.jpg", "q0122"},
               {"images/misc/wee.jpg", "wee"}};
    char path[1024];
    SKIP_WITHOUT_SHARED(VECTORS "expected/cpp_cli_dihedral.txt", path);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    jaga_pdq_hasher *hasher;
    assert_int_equal(jaga_pdq_hasher_open(&hasher), JAGA_OK);
    char line[2048];
    int checked = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#')
            continue;
        const char *name = strstr(line, "filename=");
        assert_non_null(name);
        for (size_t m = 0; m < sizeof(map) / sizeof(map[0]); m++) {
            if (strncmp(name + 9, map[m].image, strlen(map[m].image)) != 0)
                continue;
            char rel[256], ppm[1024], hex[65];
            snprintf(rel, sizeof(rel), VECTORS "intermediates/%s.ppm", map[m].ppm);
            assert_non_null(test_shared_file(rel, ppm, sizeof(ppm)));
            uint32_t w, h;
            int channels;
            uint8_t *px = test_read_pnm(ppm, &w, &h, &channels);
            jaga_pdq_result r;
            assert_int_equal(jaga_pdq_hash_pixels(hasher, NULL, px, w, h, (size_t)w * channels,
                                                  (jaga_pixels)channels, 1, &r),
                             JAGA_OK);
            free(px);
            static const char *keys[JAGA_DIH_COUNT] = {
                "orig=", "rot90=", "rot180=", "rot270=", "flipx=", "flipy=", "flipp=", "flipm="};
            for (int d = 0; d < JAGA_DIH_COUNT; d++) {
                const char *at = strstr(line, keys[d]);
                assert_non_null(at);
                jaga_pdq_to_hex(&r.hash[d], hex);
                if (strncmp(at + strlen(keys[d]), hex, 64) != 0)
                    fail_msg("%s %s: %s, reference %.64s", map[m].image, keys[d], hex,
                             at + strlen(keys[d]));
            }
            checked++;
        }
    }
    fclose(f);
    jaga_pdq_hasher_free(hasher);
    assert_int_equal(checked, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stages_on_reference_pixels),
        cmocka_unit_test(test_decoded_pixels_match_reference),
        cmocka_unit_test(test_stages_full_resolution_decode),
        cmocka_unit_test(test_full_resolution_hashes),
        cmocka_unit_test(test_dihedral_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

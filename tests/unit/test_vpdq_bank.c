/* vPDQ entries in banks: te lines with features, the store's copy of them, the matcher's
 * shares, thresholds, withdrawals, export and malformed values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/bank_io.h"
#include "jaga/matcher.h"
#include "test_support.h"

enum { FEATURES = 40 };

typedef struct fixture {
    test_store t;
    jaga_bank bank;
    jaga_vpdq_feature video[FEATURES];
} fixture;

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

static void random_features(jaga_vpdq_feature *f, size_t n, uint64_t seed)
{
    for (size_t i = 0; i < n; i++) {
        for (int w = 0; w < 16; w++)
            f[i].hash.w[w] = (uint16_t)next_random(&seed);
        f[i].frame = i * 30;
        f[i].quality = 90;
        f[i].timestamp = (float)i;
    }
}

/* The hash with its first bits bits flipped. */
static void flip(jaga_vpdq_feature *f, int bits)
{
    for (int b = 0; b < bits; b++)
        f->hash.w[b / 16] ^= (uint16_t)(1u << (b % 16));
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    test_store_open(&f->t);
    jaga_bank_init(&f->bank, "NCII_VIDEOS");
    assert_int_equal(jaga_store_bank_create(f->t.store, f->t.ctx, &f->bank), JAGA_OK);
    random_features(f->video, FEATURES, 0x5eed);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    test_store_close(&f->t);
    free(f);
    return 0;
}

/* The te line of features, in a malloc'd string. */
static char *te_line(const jaga_vpdq_feature *features, size_t n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    jaga_entry e = {.type = JAGA_SIGNAL_VPDQ, .features = features, .nfeatures = n};
    assert_int_equal(jaga_bank_export_write(JAGA_BANK_TE, &e, out), 0);
    fclose(out);
    return text;
}

static jaga_status jaga__import_te(fixture *f, const jaga_bank *bank, const char *text,
                                   jaga_import_report *r)
{
    return jaga_bank_import(f->t.store, f->t.ctx, bank, JAGA_BANK_TE, text, strlen(text), 0, NULL,
                            r);
}

static size_t match(jaga_matcher *m, const jaga_vpdq_feature *q, size_t n,
                    const jaga_vpdq_match_options *o, jaga_vpdq_match *out)
{
    size_t count;
    assert_int_equal(jaga_matcher_match_vpdq(m, NULL, q, n, o, NULL, 0, out, 4, &count), JAGA_OK);
    return count;
}

static void test_te_lines_bank_a_video(void **state)
{
    fixture *f = *state;
    char *line = te_line(f->video, FEATURES);
    assert_non_null(strstr(line, "vpdq [\""));
    jaga_import_report r;
    assert_int_equal(jaga__import_te(f, &f->bank, line, &r), JAGA_OK);
    assert_int_equal(r.added, 1);
    assert_int_equal(jaga__import_te(f, &f->bank, line, &r), JAGA_OK);
    assert_int_equal(r.present, 1); /* the value is the features' digest: the same entry */

    char value[JAGA_SIGNAL_VALUE_MAX];
    assert_int_equal(jaga_vpdq_entry_value(NULL, f->video, FEATURES, value), JAGA_OK);
    jaga_entry e;
    assert_int_equal(jaga_store_entry_get(f->t.store, NULL, 1, &e), JAGA_OK);
    assert_int_equal(e.type, JAGA_SIGNAL_VPDQ);
    assert_string_equal(e.value, value);

    /* Exported as te, the features come back as they went in. */
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_int_equal(jaga_bank_export(f->t.store, NULL, &f->bank, JAGA_BANK_TE, 0, out), JAGA_OK);
    fclose(out);
    assert_string_equal(text, line);
    free(text);
    out = open_memstream(&text, &len);
    assert_int_equal(jaga_bank_export(f->t.store, NULL, &f->bank, JAGA_BANK_CSV, 0, out), JAGA_OK);
    fclose(out);
    char csv_row[128];
    snprintf(csv_row, sizeof(csv_row), "\nvpdq,%s,,,active,", value);
    assert_non_null(strstr(text, csv_row));
    free(text);
    free(line);
}

static void test_store_checks_the_value(void **state)
{
    fixture *f = *state;
    jaga_entry e = {.bank_id = f->bank.id, .type = JAGA_SIGNAL_VPDQ, .quality = -1};
    jaga_apply_result r;
    assert_int_equal(jaga_store_entry_apply(f->t.store, f->t.ctx, &e, &r), JAGA_ERR_INVALID);
    e.features = f->video, e.nfeatures = FEATURES;
    strcpy(e.value, "00000000000000000000000000000000000000000000000000000000000000aa");
    assert_int_equal(jaga_store_entry_apply(f->t.store, f->t.ctx, &e, &r), JAGA_ERR_INVALID);
    assert_non_null(strstr(jaga_errmsg(f->t.ctx), "digest"));
    jaga_vpdq_feature bad = f->video[0];
    bad.quality = 101;
    jaga_entry b = {.bank_id = f->bank.id, .type = JAGA_SIGNAL_VPDQ, .quality = -1};
    b.features = &bad, b.nfeatures = 1;
    assert_int_equal(jaga_store_entry_apply(f->t.store, f->t.ctx, &b, &r), JAGA_ERR_INVALID);
    e.value[0] = '\0'; /* filled in */
    assert_int_equal(jaga_store_entry_apply(f->t.store, f->t.ctx, &e, &r), JAGA_OK);
    assert_int_equal(r, JAGA_APPLY_ADDED);
}

static void test_matcher_shares(void **state)
{
    fixture *f = *state;
    char *line = te_line(f->video, FEATURES);
    jaga_import_report r;
    assert_int_equal(jaga__import_te(f, &f->bank, line, &r), JAGA_OK);
    free(line);
    jaga_matcher *m;
    assert_int_equal(jaga_matcher_open(f->t.ctx, f->t.store, NULL, &m), JAGA_OK);
    assert_int_equal(jaga_matcher_count(m), 1);
    jaga_vpdq_match out[4];

    assert_int_equal(match(m, f->video, FEATURES, NULL, out), 1);
    assert_int_equal(out[0].entry_id, 1);
    assert_int_equal(out[0].bank_id, f->bank.id);
    assert_true(out[0].query_percent == 100.0 && out[0].compared_percent == 100.0);
    assert_int_equal(out[0].frames_matched, FEATURES);
    assert_int_equal(out[0].nframes, JAGA_VPDQ_MATCH_FRAMES);
    assert_true(out[0].frames[3].query_timestamp == 3.0f);
    assert_true(out[0].frames[3].entry_timestamp == 3.0f);
    assert_int_equal(out[0].frames[3].distance, 0);

    /* Re-encoded: every frame 10 bits off still matches (31), 40 bits off does not. */
    jaga_vpdq_feature q[FEATURES + 10];
    memcpy(q, f->video, sizeof(f->video));
    for (int i = 0; i < FEATURES; i++)
        flip(&q[i], 10);
    assert_int_equal(match(m, q, FEATURES, NULL, out), 1);
    assert_int_equal(out[0].frames[0].distance, 10);
    memcpy(q, f->video, sizeof(f->video));
    for (int i = 0; i < FEATURES; i++)
        flip(&q[i], 40);
    assert_int_equal(match(m, q, FEATURES, NULL, out), 0);

    /* Half the banked clip among other frames: 20 of 25 query frames is 80%, 20 of 26 is
     * not; the compared side's share is 50% either way. */
    memcpy(q, f->video, 20 * sizeof(*q));
    random_features(q + 20, 6, 77);
    assert_int_equal(match(m, q, 25, NULL, out), 1);
    assert_true(out[0].query_percent == 80.0 && out[0].compared_percent == 50.0);
    assert_int_equal(match(m, q, 26, NULL, out), 0);
    jaga_vpdq_match_options live;
    jaga_vpdq_match_options_default(&live);
    live.query_percent_min = 0, live.compared_percent_min = 50;
    assert_int_equal(match(m, q, 26, &live, out), 1);

    /* Low-quality query frames are dropped before the shares are taken. */
    for (int i = 20; i < 26; i++)
        q[i].quality = 10;
    assert_int_equal(match(m, q, 26, NULL, out), 1);
    assert_true(out[0].query_percent == 100.0);

    /* Only the banks asked; a bank's own threshold is the distance. */
    int64_t other = f->bank.id + 1;
    size_t count;
    assert_int_equal(
        jaga_matcher_match_vpdq(m, NULL, f->video, FEATURES, NULL, &other, 1, out, 4, &count),
        JAGA_OK);
    assert_int_equal(count, 0);
    f->bank.pdq_threshold = 5;
    assert_int_equal(jaga_store_bank_update(f->t.store, f->t.ctx, &f->bank), JAGA_OK);
    assert_int_equal(jaga_matcher_set_bank(m, f->t.ctx, f->t.store, &f->bank), JAGA_OK);
    memcpy(q, f->video, sizeof(f->video));
    for (int i = 0; i < FEATURES; i++)
        flip(&q[i], 10);
    assert_int_equal(match(m, q, FEATURES, NULL, out), 0);
    assert_int_equal(match(m, f->video, FEATURES, NULL, out), 1);
    jaga_matcher_free(m);
}

static void test_withdraw_reactivate_reload(void **state)
{
    fixture *f = *state;
    char *line = te_line(f->video, FEATURES);
    jaga_import_report r;
    assert_int_equal(jaga__import_te(f, &f->bank, line, &r), JAGA_OK);
    jaga_matcher *m;
    assert_int_equal(jaga_matcher_open(f->t.ctx, f->t.store, NULL, &m), JAGA_OK);
    jaga_vpdq_match out[4];

    jaga_entry e;
    assert_int_equal(jaga_store_entry_get(f->t.store, NULL, 1, &e), JAGA_OK);
    e.withdrawn = 1;
    jaga_apply_result res;
    assert_int_equal(jaga_store_entry_apply(f->t.store, f->t.ctx, &e, &res), JAGA_OK);
    assert_int_equal(res, JAGA_APPLY_WITHDRAWN);
    assert_int_equal(jaga_matcher_apply(m, f->t.ctx, &e), JAGA_OK);
    assert_int_equal(match(m, f->video, FEATURES, NULL, out), 0);
    assert_int_equal(jaga_matcher_count(m), 0);

    /* A matcher opened now never saw it; the import that brings it back carries it. */
    jaga_matcher *fresh;
    assert_int_equal(jaga_matcher_open(f->t.ctx, f->t.store, NULL, &fresh), JAGA_OK);
    assert_int_equal(match(fresh, f->video, FEATURES, NULL, out), 0);
    jaga_entry back = {0};
    assert_int_equal(jaga__import_te(f, &f->bank, line, &r), JAGA_OK);
    assert_int_equal(r.reactivated, 1);
    assert_int_equal(jaga_store_entry_get(f->t.store, NULL, 1, &back), JAGA_OK);
    assert_int_equal(jaga_matcher_apply(m, f->t.ctx, &back), JAGA_OK); /* known: no features */
    assert_int_equal(match(m, f->video, FEATURES, NULL, out), 1);
    back.features = f->video, back.nfeatures = FEATURES;
    assert_int_equal(jaga_matcher_apply(fresh, f->t.ctx, &back), JAGA_OK);
    assert_int_equal(match(fresh, f->video, FEATURES, NULL, out), 1);

    /* Reopened from the store, the features come from it. */
    jaga_matcher *reloaded;
    assert_int_equal(jaga_matcher_open(f->t.ctx, f->t.store, NULL, &reloaded), JAGA_OK);
    assert_int_equal(match(reloaded, f->video, FEATURES, NULL, out), 1);
    assert_true(out[0].query_percent == 100.0);
    jaga_matcher_free(reloaded);
    jaga_matcher_free(fresh);
    jaga_matcher_free(m);
    free(line);
}

static void test_low_quality_entries_never_match(void **state)
{
    fixture *f = *state;
    jaga_vpdq_feature dim[FEATURES];
    memcpy(dim, f->video, sizeof(dim));
    for (int i = 0; i < FEATURES; i++)
        dim[i].quality = 20;
    char *line = te_line(dim, FEATURES);
    jaga_import_report r;
    assert_int_equal(jaga__import_te(f, &f->bank, line, &r), JAGA_OK);
    free(line);
    jaga_matcher *m;
    assert_int_equal(jaga_matcher_open(f->t.ctx, f->t.store, NULL, &m), JAGA_OK);
    jaga_vpdq_match out[4];
    assert_int_equal(match(m, f->video, FEATURES, NULL, out), 0);
    jaga_matcher_free(m);
}

static void test_malformed_vpdq_lines(void **state)
{
    fixture *f = *state;
    const char *hex = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    char bad[8][256];
    snprintf(bad[0], 256, "vpdq []\n");
    snprintf(bad[1], 256, "vpdq [1]\n");
    snprintf(bad[2], 256, "vpdq [\"zz,90,0\"]\n");
    snprintf(bad[3], 256, "vpdq [\"%s,101,0\"]\n", hex);
    snprintf(bad[4], 256, "vpdq [\"%s,90,-1\"]\n", hex);
    snprintf(bad[5], 256, "vpdq not json\n");
    snprintf(bad[6], 256, "vpdq [\"%s,90\"]\n", hex);
    snprintf(bad[7], 256, "vpdq {\"a\": 1}\n");
    for (int i = 0; i < 8; i++) {
        char text[2400];
        snprintf(text, sizeof(text), "vpdq [\"%s,90,0.000\"]\n%s", hex, bad[i]);
        jaga_import_report r;
        assert_int_equal(jaga__import_te(f, &f->bank, text, &r), JAGA_ERR_INVALID);
        assert_int_equal(r.bad, 1);
    }
    jaga_bank fresh;
    assert_int_equal(jaga_store_bank_get(f->t.store, NULL, f->bank.name, &fresh), JAGA_OK);
    assert_int_equal(fresh.active, 0); /* all or nothing */

    /* A bank that holds no vpdq refuses the line. */
    jaga_bank pdq_only;
    jaga_bank_init(&pdq_only, "PDQ_ONLY");
    pdq_only.signal_types = 1u << JAGA_SIGNAL_PDQ;
    assert_int_equal(jaga_store_bank_create(f->t.store, f->t.ctx, &pdq_only), JAGA_OK);
    char text[256];
    snprintf(text, sizeof(text), "vpdq [\"%s,90,0.000\"]\n", hex);
    jaga_import_report r;
    assert_int_equal(jaga__import_te(f, &pdq_only, text, &r), JAGA_ERR_INVALID);
    assert_int_equal(r.bad, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_te_lines_bank_a_video, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_checks_the_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matcher_shares, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdraw_reactivate_reload, setup, teardown),
        cmocka_unit_test_setup_teardown(test_low_quality_entries_never_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_vpdq_lines, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* vPDQ matching as vpdq does it (quality filter, repeated hashes once, shares within 31
 * bits, thresholds) and the hash lines jaga vpdq writes, malformed ones included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/vpdq.h"
#include "test_support.h"

/* A feature whose hash has its first bits set, the rest zero. */
static jaga_vpdq_feature feature(uint64_t frame, int quality, int bits)
{
    jaga_vpdq_feature f = {.frame = frame, .quality = quality, .timestamp = (float)frame};
    for (int b = 0; b < bits; b++)
        f.hash.w[b / 16] |= (uint16_t)(1u << (b % 16));
    return f;
}

static void test_prepare(void **state)
{
    (void)state;
    jaga_vpdq_feature f[6] = {feature(0, 100, 10), feature(1, 49, 20),  feature(2, 50, 10),
                              feature(3, 90, 30),  feature(4, 100, 20), feature(5, 80, 30)};
    size_t n = jaga_vpdq_prepare(f, 6, 50);
    /* Quality 49 dropped; frame 2 and 5 repeat the hashes of 0 and 3. */
    assert_int_equal(n, 3);
    assert_true(f[0].frame == 0 && f[1].frame == 3 && f[2].frame == 4);
}

static void test_compare(void **state)
{
    (void)state;
    jaga_vpdq_feature q[4] = {feature(0, 100, 0), feature(1, 100, 100), feature(2, 100, 200),
                              feature(3, 100, 256)};
    jaga_vpdq_feature c[3] = {feature(0, 100, 31), feature(1, 100, 100), feature(2, 10, 200)};
    jaga_vpdq_comparison r;
    assert_int_equal(jaga_vpdq_compare(NULL, q, 4, c, 3, NULL, &r), JAGA_OK);
    /* 0 bits is within 31 of 31 bits; 100 of 100; 200 only of the low-quality frame; 256
     * of none: 2 of 4. The compared side keeps 2 frames, both found. */
    assert_int_equal(r.query_kept, 4);
    assert_int_equal(r.compared_kept, 2);
    assert_true(r.query_percent == 50.0 && r.compared_percent == 100.0);
    assert_false(r.matched); /* 50% < 80% */
    jaga_vpdq_match_options o;
    jaga_vpdq_match_options_default(&o);
    o.query_percent_min = 50;
    assert_int_equal(jaga_vpdq_compare(NULL, q, 4, c, 3, &o, &r), JAGA_OK);
    assert_true(r.matched);
    o.distance_max = 30; /* 31 bits apart no longer counts */
    assert_int_equal(jaga_vpdq_compare(NULL, q, 4, c, 3, &o, &r), JAGA_OK);
    assert_true(r.query_percent == 25.0 && !r.matched);
    o = (jaga_vpdq_match_options){50, 31, 0, 100};
    c[2].quality = 100; /* now the compared side has a frame the query lacks within 31 */
    c[2].hash = feature(0, 100, 150).hash;
    assert_int_equal(jaga_vpdq_compare(NULL, q, 4, c, 3, &o, &r), JAGA_OK);
    assert_false(r.matched); /* compared 66.7% < 100% */
    /* Nothing left on one side: 0%, no match. */
    jaga_vpdq_feature dim = feature(0, 10, 0);
    assert_int_equal(jaga_vpdq_compare(NULL, &dim, 1, c, 3, NULL, &r), JAGA_OK);
    assert_true(r.query_kept == 0 && r.query_percent == 0 && !r.matched);
    assert_int_equal(jaga_vpdq_compare(NULL, q, 4, NULL, 0, NULL, &r), JAGA_OK);
    assert_false(r.matched);
}

static void test_lines_round_trip(void **state)
{
    (void)state;
    jaga_vpdq_feature f[3] = {feature(0, 100, 5), feature(30, 68, 77), feature(60, 0, 256)};
    f[1].timestamp = 1.0f, f[2].timestamp = 2.0f;
    char text[3 * JAGA_VPDQ_LINE_MAX + 8] = "", line[JAGA_VPDQ_LINE_MAX];
    for (int i = 0; i < 3; i++) {
        jaga_vpdq_feature_line(&f[i], line);
        strcat(text, line);
        strcat(text, i == 1 ? "\r\n\n" : "\n"); /* CRLF and blank lines are fine */
    }
    jaga_vpdq_feature *back = NULL;
    size_t n = 0;
    assert_int_equal(jaga_vpdq_parse_lines(NULL, text, strlen(text), 0, &back, &n), JAGA_OK);
    assert_int_equal(n, 3);
    for (int i = 0; i < 3; i++) {
        assert_true(back[i].frame == f[i].frame && back[i].quality == f[i].quality);
        assert_memory_equal(&back[i].hash, &f[i].hash, sizeof(f[i].hash));
        assert_true(back[i].timestamp == f[i].timestamp);
    }
    free(back);
    assert_int_equal(jaga_vpdq_parse_lines(NULL, text, strlen(text), 2, &back, &n), JAGA_ERR_LIMIT);
    assert_null(back);
}

static void test_malformed_lines(void **state)
{
    (void)state;
    const char *hex = "dadb999c25266273529cadac89cb52c22324ad3bce99726c38668d93c799f07c";
    char bad[8][200];
    snprintf(bad[0], 200, "0,100,%s", hex);                    /* three fields */
    snprintf(bad[1], 200, "0,100,%s,0.000,9", hex);            /* five */
    snprintf(bad[2], 200, "0,101,%s,0.000", hex);              /* quality */
    snprintf(bad[3], 200, "-1,100,%s,0.000", hex);             /* frame */
    snprintf(bad[4], 200, "0,100,%.63s,0.000", hex);           /* short hex */
    snprintf(bad[5], 200, "0,100,%s,-1", hex);                 /* timestamp */
    snprintf(bad[6], 200, "0,100,%s,zero", hex);               /* timestamp */
    snprintf(bad[7], 200, "0,100,%s,0.0\n1,1,%s,x", hex, hex); /* the second line */
    for (int i = 0; i < 8; i++) {
        jaga_ctx *ctx;
        jaga_ctx_open(&ctx);
        jaga_vpdq_feature *f = (jaga_vpdq_feature *)&f;
        size_t n = 9;
        if (jaga_vpdq_parse_lines(ctx, bad[i], strlen(bad[i]), 0, &f, &n) != JAGA_ERR_INVALID)
            fail_msg("accepted: %s", bad[i]);
        assert_true(f == NULL && n == 0);
        assert_non_null(strstr(jaga_errmsg(ctx), i == 7 ? "line 2" : "line 1"));
        jaga_ctx_free(ctx);
    }
    char nul[] = "0,100,0\0,0";
    jaga_vpdq_feature *f = NULL;
    size_t n = 0;
    assert_int_equal(jaga_vpdq_parse_lines(NULL, nul, sizeof(nul) - 1, 0, &f, &n),
                     JAGA_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prepare),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_lines_round_trip),
        cmocka_unit_test(test_malformed_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

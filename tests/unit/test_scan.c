/* The pipeline of lib/scan on a test store: an image scanned once is recorded with its
 * matches and what the policy does; the same bytes again are the stored scan, other bytes
 * under the id a conflict, undecodable bytes nothing at all; a stream's events record its
 * content, then add to it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vips/vips.h>

#include "jaga/jaga.h"
#include "test_support.h"

/* The test store for every take: a scan takes one, and gives it back, per record. */
static int taken;
static jaga_store *take(void *arg, jaga_ctx *ctx)
{
    (void)ctx;
    taken++;
    return ((test_review *)arg)->t.store;
}

static void give(void *arg, jaga_store *store)
{
    (void)arg, (void)store;
    taken--;
}

static void env_of(test_review *r, jaga_scan_env *env)
{
    memset(env, 0, sizeof(*env));
    env->review = r->rv;
    env->stores = (jaga_scan_stores){.take = take, .give = give, .arg = r};
    assert_int_equal(jaga_pdq_hasher_open(&env->hasher), JAGA_OK);
}

static jaga_content ids(const char *content)
{
    jaga_content c = {0};
    snprintf(c.content_id, sizeof(c.content_id), "%s", content);
    snprintf(c.uploader_country, sizeof(c.uploader_country), "MY");
    return c;
}

/* A PNG of a synthetic image (seed), and a bank NCII_PDQ holding its PDQ hash. */
static void *image_banked(test_review *r, uint32_t seed, size_t *len)
{
    uint8_t *pixels = test_make_image(256, 192, 3, seed);
    void *png = test_encode(pixels, 256, 192, 3, ".png", len);
    free(pixels);
    jaga_pdq_hasher *h = NULL;
    jaga_signals sig;
    jaga_signal_options opt = {0};
    assert_int_equal(jaga_pdq_hasher_open(&h), JAGA_OK);
    assert_int_equal(jaga_signals_compute(r->t.ctx, h, png, *len, &opt, &sig), JAGA_OK);
    jaga_pdq_hasher_free(h);
    jaga_bank bank;
    jaga_bank_init(&bank, "NCII_PDQ");
    assert_int_equal(jaga_store_bank_create(r->t.store, r->t.ctx, &bank), JAGA_OK);
    assert_int_equal(jaga_matcher_set_bank(r->matcher, r->t.ctx, r->t.store, &bank), JAGA_OK);
    jaga_entry e = {.bank_id = bank.id, .type = JAGA_SIGNAL_PDQ, .quality = 100};
    jaga_pdq_to_hex(&sig.pdq.hash[JAGA_DIH_ORIG], e.value);
    strcpy(e.labels, "category=ncii_deepfake");
    jaga_apply_result ar;
    assert_int_equal(jaga_store_entry_apply(r->t.store, r->t.ctx, &e, &ar), JAGA_OK);
    assert_int_equal(jaga_matcher_apply(r->matcher, r->t.ctx, &e), JAGA_OK);
    return png;
}

static void test_image_scanned_once(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    size_t len;
    void *png = image_banked(&r, 7, &len);
    jaga_scan_env env;
    env_of(&r, &env);
    jaga_signal_options opt = {0};
    jaga_content c = ids("up-1");
    jaga_scan_result res;
    assert_int_equal(jaga_scan_image(r.t.ctx, &env, &opt, png, len, &c, &res), JAGA_OK);
    assert_int_equal(taken, 0);
    assert_int_equal(res.stored_before, 0);
    assert_int_equal(res.nmatches, 1);
    assert_string_equal(c.format, "png");
    assert_int_equal(c.width, 256);
    assert_non_null(strstr(c.matches_json, "\"bank\":\"NCII_PDQ\""));
    assert_non_null(strstr(c.matches_json, "\"labels\":\"category=ncii_deepfake\""));
    /* Stored, with what the policy does to a bank match in MY. */
    jaga_content stored = {0};
    assert_int_equal(jaga_store_content_get(r.t.store, r.t.ctx, "up-1", &stored), JAGA_OK);
    assert_string_equal(stored.sha256, c.sha256);
    assert_string_equal(stored.pdq, c.pdq);
    assert_int_not_equal(test_seen(r.map, "up-1", "MY"), JAGA_VIS_ALLOW);
    jaga_content_clear(&stored);
    jaga_content_clear(&c);
    jaga_scan_result_clear(&res);

    /* The same bytes again: the stored scan, nothing decoded or written. */
    uint64_t size_before = 0, size_after = 0;
    assert_int_equal(jaga_store_audit_size(r.t.store, r.t.ctx, &size_before), JAGA_OK);
    c = ids("up-1");
    assert_int_equal(jaga_scan_image(r.t.ctx, &env, &opt, png, len, &c, &res), JAGA_OK);
    assert_int_equal(res.stored_before, 1);
    assert_int_equal(jaga_store_audit_size(r.t.store, r.t.ctx, &size_after), JAGA_OK);
    assert_int_equal(size_after, size_before);
    jaga_content_clear(&c);
    jaga_scan_result_clear(&res);

    /* Other bytes under the id: a conflict, before anything is decoded. */
    c = ids("up-1");
    assert_int_equal(jaga_scan_image(r.t.ctx, &env, &opt, "not an image", 12, &c, &res),
                     JAGA_ERR_CONFLICT);
    jaga_content_clear(&c);
    jaga_scan_result_clear(&res);
    jaga_pdq_hasher_free(env.hasher);
    g_free(png);
    test_review_close(&r);
}

static void test_undecodable_stores_nothing(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    jaga_scan_env env;
    env_of(&r, &env);
    jaga_signal_options opt = {0};
    jaga_content c = ids("bad-1");
    jaga_scan_result res;
    static const char junk[] = "\x89PNG\r\n\x1a\n but then nothing";
    jaga_status st = jaga_scan_image(r.t.ctx, &env, &opt, junk, sizeof(junk) - 1, &c, &res);
    assert_true(st == JAGA_ERR_DECODE || st == JAGA_ERR_UNSUPPORTED);
    assert_int_equal(taken, 0);
    jaga_content stored = {0};
    assert_int_equal(jaga_store_content_get(r.t.store, r.t.ctx, "bad-1", &stored),
                     JAGA_ERR_NOT_FOUND);
    uint64_t size = 9;
    assert_int_equal(jaga_store_audit_size(r.t.store, r.t.ctx, &size), JAGA_OK);
    assert_int_equal(size, 0);
    jaga_content_clear(&c);
    jaga_scan_result_clear(&res);
    jaga_pdq_hasher_free(env.hasher);
    test_review_close(&r);
}

/* A stream's first event records its content ("live"), a later one adds to it. */
static void test_stream_events(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    jaga_scan_env env;
    env_of(&r, &env);
    jaga_content c = ids("live-1");
    jaga_stream_event e = {.kind = JAGA_STREAM_EXPLICIT, .stream_time = 3};
    e.scores[0] = 0.01f, e.scores[3] = 0.98f; /* porn */
    int recorded = 0;
    assert_int_equal(jaga_scan_stream_event(r.t.ctx, &env, &c, &e, &recorded), JAGA_OK);
    assert_int_equal(recorded, 1);
    jaga_content stored = {0};
    assert_int_equal(jaga_store_content_get(r.t.store, r.t.ctx, "live-1", &stored), JAGA_OK);
    assert_string_equal(stored.format, "live");
    jaga_content_clear(&stored);
    /* Recorded already: the next event amends the content instead of conflicting. */
    e.stream_time = 9;
    assert_int_equal(jaga_scan_stream_event(r.t.ctx, &env, &c, &e, &recorded), JAGA_OK);
    recorded = 0; /* as if the stream did not know: the record conflicts, then amends */
    assert_int_equal(jaga_scan_stream_event(r.t.ctx, &env, &c, &e, &recorded), JAGA_OK);
    assert_int_equal(taken, 0);
    jaga_pdq_hasher_free(env.hasher);
    test_review_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_scanned_once),
        cmocka_unit_test(test_undecodable_stores_nothing),
        cmocka_unit_test(test_stream_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

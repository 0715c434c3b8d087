/* The PDQ index against a linear scan: exact at every radius, with incremental changes,
 * dihedral queries, bank filters, nearest-k and concurrent readers. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jaga/index.h"
#include "synth_hash.h"
#include "test_support.h"

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rnd(void)
{
    return synth_next(&rng_state);
}

static void random_hash(jaga_pdq_hash *h)
{
    synth_random_hash(&rng_state, h);
}

static jaga_pdq_hash flipped(const jaga_pdq_hash *h, int bits)
{
    return synth_flipped(&rng_state, h, bits);
}

enum { ENTRIES = 30000, MAXM = ENTRIES };

/* An index of ENTRIES hashes in 3 banks, a third of them near-duplicates of others. */
static jaga_index *make_index(jaga_pdq_hash *hashes)
{
    jaga_index *x;
    assert_int_equal(jaga_index_open(&x), JAGA_OK);
    for (int i = 0; i < ENTRIES; i++) {
        if (i > 100 && i % 3 == 0)
            hashes[i] = flipped(&hashes[rnd() % (uint64_t)i], (int)(rnd() % 48));
        else
            random_hash(&hashes[i]);
        assert_int_equal(jaga_index_add(x, NULL, 1000 + (uint64_t)i, (uint32_t)(i % 3), &hashes[i]),
                         JAGA_OK);
    }
    return x;
}

static jaga_index_match got[MAXM], want[MAXM];

/* The index's answer equals the scan's, match for match. */
static void check_same(jaga_index *x, const jaga_index_query *q)
{
    size_t n_got, n_want;
    assert_int_equal(jaga_index_query_pdq(x, NULL, q, got, MAXM, &n_got), JAGA_OK);
    assert_int_equal(jaga_index_scan_pdq(x, NULL, q, want, MAXM, &n_want), JAGA_OK);
    if (n_got != n_want)
        fail_msg("radius %d: index found %zu, scan %zu", q->radius, n_got, n_want);
    for (size_t i = 0; i < n_got && i < MAXM; i++)
        if (got[i].entry_id != want[i].entry_id || got[i].distance != want[i].distance ||
            got[i].bank_id != want[i].bank_id)
            fail_msg("radius %d: match %zu differs", q->radius, i);
}

static void test_exact_at_every_radius(void **state)
{
    (void)state;
    static jaga_pdq_hash hashes[ENTRIES];
    jaga_index *x = make_index(hashes);
    assert_int_equal(jaga_index_compact(x, NULL), JAGA_OK);
    /* A tail of recent additions after the compaction. */
    for (int i = 0; i < 500; i++) {
        jaga_pdq_hash h = flipped(&hashes[rnd() % ENTRIES], (int)(rnd() % 20));
        assert_int_equal(jaga_index_add(x, NULL, 900000 + (uint64_t)i, 7, &h), JAGA_OK);
    }
    size_t total_matches = 0;
    for (int radius = 0; radius <= 64; radius++)
        for (int k = 0; k < 6; k++) {
            jaga_pdq_hash q = flipped(&hashes[rnd() % ENTRIES], (int)(rnd() % (radius + 8)));
            if (k == 5)
                random_hash(&q);
            jaga_index_query query = {.hashes = &q, .nhashes = 1, .radius = radius};
            check_same(x, &query);
            size_t n;
            assert_int_equal(jaga_index_query_pdq(x, NULL, &query, got, MAXM, &n), JAGA_OK);
            total_matches += n;
        }
    assert_true(total_matches > 300);
    const int big[] = {96, 128, 200, 256};
    for (int i = 0; i < 4; i++) {
        jaga_index_query query = {.hashes = &hashes[5], .nhashes = 1, .radius = big[i]};
        check_same(x, &query);
    }
    jaga_index_free(x);
}

static void test_dihedral_banks_and_nearest(void **state)
{
    (void)state;
    static jaga_pdq_hash hashes[ENTRIES];
    jaga_index *x = make_index(hashes);
    jaga_pdq_hash qs[JAGA_DIH_COUNT];
    for (int d = 0; d < JAGA_DIH_COUNT; d++)
        qs[d] = flipped(&hashes[rnd() % ENTRIES], 10 + d);
    jaga_index_query query = {.hashes = qs, .nhashes = JAGA_DIH_COUNT, .radius = 31};
    check_same(x, &query);
    size_t n_all, n;
    assert_int_equal(jaga_index_query_pdq(x, NULL, &query, got, MAXM, &n_all), JAGA_OK);
    assert_true(n_all >= JAGA_DIH_COUNT);
    /* Each planted variant is found through its own query hash. */
    for (size_t i = 0; i < n_all; i++)
        assert_true(got[i].distance <= 31);
    const uint32_t only[] = {1};
    query.banks = only, query.nbanks = 1;
    check_same(x, &query);
    assert_int_equal(jaga_index_query_pdq(x, NULL, &query, got, MAXM, &n), JAGA_OK);
    assert_true(n < n_all);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(got[i].bank_id, 1);
    query.banks = NULL, query.nbanks = 0, query.k = 3;
    assert_int_equal(jaga_index_query_pdq(x, NULL, &query, got, MAXM, &n), JAGA_OK);
    assert_int_equal(n, 3);
    assert_true(got[0].distance <= got[1].distance && got[1].distance <= got[2].distance);
    /* cap smaller than the answer: count still says how many. */
    query.k = 0;
    assert_int_equal(jaga_index_query_pdq(x, NULL, &query, got, 2, &n), JAGA_OK);
    assert_int_equal(n, n_all);
    jaga_index_free(x);
}

static void test_add_and_withdraw(void **state)
{
    (void)state;
    jaga_index *x;
    jaga_ctx *ctx;
    assert_int_equal(jaga_index_open(&x), JAGA_OK);
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    jaga_pdq_hash h, near;
    random_hash(&h);
    near = flipped(&h, 5);
    jaga_index_query query = {.hashes = &near, .nhashes = 1, .radius = 31};
    size_t n;
    assert_int_equal(jaga_index_query_pdq(x, ctx, &query, got, MAXM, &n), JAGA_OK);
    assert_int_equal(n, 0);
    assert_int_equal(jaga_index_add(x, ctx, 42, 1, &h), JAGA_OK);
    assert_int_equal(jaga_index_query_pdq(x, ctx, &query, got, MAXM, &n), JAGA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].entry_id, 42);
    assert_int_equal(got[0].distance, 5);
    assert_int_equal(jaga_index_add(x, ctx, 42, 1, &h), JAGA_ERR_INVALID);
    assert_non_null(strstr(jaga_errmsg(ctx), "already"));
    /* Into the multi-index, then withdrawn: gone at once, and the id stays taken. */
    for (uint64_t i = 0; i < 5000; i++) {
        jaga_pdq_hash r;
        random_hash(&r);
        assert_int_equal(jaga_index_add(x, ctx, 100 + i, 2, &r), JAGA_OK);
    }
    assert_int_equal(jaga_index_compact(x, ctx), JAGA_OK);
    assert_int_equal(jaga_index_count(x), 5001);
    assert_int_equal(jaga_index_withdraw(x, ctx, 42), JAGA_OK);
    assert_int_equal(jaga_index_query_pdq(x, ctx, &query, got, MAXM, &n), JAGA_OK);
    assert_int_equal(n, 0);
    assert_int_equal(jaga_index_count(x), 5000);
    assert_int_equal(jaga_index_withdraw(x, ctx, 42), JAGA_ERR_INVALID);
    assert_int_equal(jaga_index_withdraw(x, ctx, 7), JAGA_ERR_INVALID);
    assert_int_equal(jaga_index_add(x, ctx, 42, 1, &h), JAGA_ERR_INVALID);
    assert_true(jaga_index_memory(x) > 5000 * 100);
    assert_true(jaga_index_memory(x) < 5001 * 300 + 5000000);
    /* Bad queries. */
    query.radius = 257;
    assert_int_equal(jaga_index_query_pdq(x, ctx, &query, got, MAXM, &n), JAGA_ERR_INVALID);
    query.radius = 31, query.nhashes = 0;
    assert_int_equal(jaga_index_query_pdq(x, ctx, &query, got, MAXM, &n), JAGA_ERR_INVALID);
    jaga_ctx_free(ctx);
    jaga_index_free(x);
}

/* Readers keep finding the entries no one withdraws while a writer adds and withdraws
 * others and the multi-index is rebuilt under them. */
typedef struct reader_args {
    jaga_index *x;
    const jaga_pdq_hash *keep;
    int nkeep;
    volatile int *stop;
    int failures, queries;
} reader_args;

static void *reader(void *arg)
{
    reader_args *a = arg;
    static __thread jaga_index_match out[64];
    while (!*a->stop) {
        for (int i = 0; i < a->nkeep; i++) {
            jaga_index_query q = {.hashes = &a->keep[i], .nhashes = 1, .radius = 10};
            size_t n;
            if (jaga_index_query_pdq(a->x, NULL, &q, out, 64, &n) != JAGA_OK || n < 1 ||
                out[0].distance != 0)
                a->failures++;
            a->queries++;
        }
    }
    return NULL;
}

static void test_concurrent_readers(void **state)
{
    (void)state;
    jaga_index *x;
    assert_int_equal(jaga_index_open(&x), JAGA_OK);
    enum { KEEP = 50, READERS = 3 };
    static jaga_pdq_hash keep[KEEP];
    for (int i = 0; i < KEEP; i++) {
        random_hash(&keep[i]);
        assert_int_equal(jaga_index_add(x, NULL, (uint64_t)i, 0, &keep[i]), JAGA_OK);
    }
    volatile int stop = 0;
    pthread_t tid[READERS];
    reader_args args[READERS];
    for (int t = 0; t < READERS; t++) {
        args[t] = (reader_args){.x = x, .keep = keep, .nkeep = KEEP, .stop = &stop};
        assert_int_equal(pthread_create(&tid[t], NULL, reader, &args[t]), 0);
    }
    for (uint64_t i = 0; i < 40000; i++) {
        jaga_pdq_hash r;
        random_hash(&r);
        assert_int_equal(jaga_index_add(x, NULL, 1000 + i, 1, &r), JAGA_OK);
        if (i % 3 == 0)
            assert_int_equal(jaga_index_withdraw(x, NULL, 1000 + i), JAGA_OK);
    }
    stop = 1;
    int queries = 0;
    for (int t = 0; t < READERS; t++) {
        pthread_join(tid[t], NULL);
        assert_int_equal(args[t].failures, 0);
        queries += args[t].queries;
    }
    assert_true(queries > 0);
    jaga_index_free(x);
}

static void write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* A snapshot loads into an index with the same answers; every damaged copy is refused. */
static void test_snapshot_round_trip_and_damage(void **state)
{
    (void)state;
    static jaga_pdq_hash hashes[ENTRIES];
    jaga_index *x = make_index(hashes);
    /* Past MIH_BUCKETS entries, so that the file carries the multi-index too. */
    for (uint64_t i = 0; i < 40000; i++) {
        jaga_pdq_hash r;
        random_hash(&r);
        assert_int_equal(jaga_index_add(x, NULL, 2000000 + i, 4, &r), JAGA_OK);
    }
    assert_int_equal(jaga_index_compact(x, NULL), JAGA_OK);
    for (uint64_t i = 0; i < 300; i++)
        assert_int_equal(jaga_index_withdraw(x, NULL, 1000 + 7 * i), JAGA_OK);
    jaga_pdq_hash extra;
    random_hash(&extra);
    assert_int_equal(jaga_index_add(x, NULL, 5, 9, &extra), JAGA_OK); /* in the tail */
    char path[] = "/tmp/jaga-test-snapshot-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    jaga_ctx *ctx;
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    assert_int_equal(jaga_index_save(x, ctx, path), JAGA_OK);
    jaga_index *y;
    assert_int_equal(jaga_index_load(ctx, path, &y), JAGA_OK);
    assert_int_equal(jaga_index_count(y), jaga_index_count(x));
    for (int i = 0; i < 200; i++) {
        jaga_pdq_hash q = flipped(&hashes[rnd() % ENTRIES], (int)(rnd() % 40));
        jaga_index_query query = {.hashes = &q, .nhashes = 1, .radius = i % 2 ? 31 : 12};
        size_t na, nb;
        assert_int_equal(jaga_index_query_pdq(x, NULL, &query, got, MAXM, &na), JAGA_OK);
        assert_int_equal(jaga_index_query_pdq(y, NULL, &query, want, MAXM, &nb), JAGA_OK);
        assert_int_equal(na, nb);
        assert_memory_equal(got, want, na * sizeof(got[0]));
        check_same(y, &query);
    }
    /* The loaded index takes further changes. */
    assert_int_equal(jaga_index_withdraw(y, NULL, 5), JAGA_OK);
    assert_int_equal(jaga_index_add(y, NULL, 6, 9, &extra), JAGA_OK);
    assert_int_equal(jaga_index_add(y, NULL, 1000, 9, &extra), JAGA_ERR_INVALID);
    jaga_index_free(y);

    size_t len;
    uint8_t *good = test_read_file(path, &len);
    uint8_t *bad = malloc(len + 1);
    assert_non_null(bad);
    const size_t cuts[] = {0, 10, 64, 100, len / 2, len - 33, len - 1};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        write_bytes(path, good, cuts[i]);
        assert_int_equal(jaga_index_load(ctx, path, &y), JAGA_ERR_DECODE);
        assert_null(y);
    }
    const size_t flips[] = {3, 20, 70, len / 3, len / 2, len - 40, len - 5};
    for (size_t i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
        memcpy(bad, good, len);
        bad[flips[i]] ^= 0x10;
        write_bytes(path, bad, len);
        assert_int_equal(jaga_index_load(ctx, path, &y), JAGA_ERR_DECODE);
        assert_true(strlen(jaga_errmsg(ctx)) > 10);
    }
    memcpy(bad, good, len);
    bad[len] = 0;
    write_bytes(path, bad, len + 1);
    assert_int_equal(jaga_index_load(ctx, path, &y), JAGA_ERR_DECODE);
    unlink(path);
    assert_int_equal(jaga_index_load(ctx, path, &y), JAGA_ERR_IO);
    free(good);
    free(bad);
    jaga_ctx_free(ctx);
    jaga_index_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_at_every_radius),
        cmocka_unit_test(test_dihedral_banks_and_nearest),
        cmocka_unit_test(test_add_and_withdraw),
        cmocka_unit_test(test_concurrent_readers),
        cmocka_unit_test(test_snapshot_round_trip_and_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

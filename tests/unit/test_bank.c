/* Banks: the SQLite store, the import formats (good, malformed, all-or-nothing), export and
 * the matcher with per-bank thresholds, withdrawals and digests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jaga/bank_io.h"
#include "jaga/matcher.h"
#include "test_support.h"

static const char *const H1 = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
static const char *const H2 = "30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af";
static const char *const MD5 = "d41d8cd98f00b204e9800998ecf8427e";

typedef struct fixture {
    test_store t;
    jaga_bank bank;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    test_store_open(&f->t);
    jaga_bank_init(&f->bank, "NCII_DEEPFAKES");
    assert_int_equal(jaga_store_bank_create(f->t.store, f->t.ctx, &f->bank), JAGA_OK);
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

typedef struct problems {
    size_t lines[16];
    int n;
} problems;

static void collect(void *arg, size_t line, const char *message)
{
    problems *p = arg;
    (void)message;
    if (p->n < 16)
        p->lines[p->n++] = line;
}

static jaga_status import(fixture *f, jaga_bank_format fmt, const char *text, int skip_bad,
                          problems *p, jaga_import_report *r)
{
    jaga_import_hooks hooks = {.problem = collect, .arg = p};
    return jaga_bank_import(f->t.store, f->t.ctx, &f->bank, fmt, text, strlen(text), skip_bad,
                            &hooks, r);
}

static void test_banks_in_the_store(void **state)
{
    fixture *f = *state;
    jaga_bank b;
    jaga_bank_init(&b, "NCII_DEEPFAKES");
    assert_int_equal(jaga_store_bank_create(f->t.store, f->t.ctx, &b), JAGA_ERR_CONFLICT);
    const char *bad[] = {"lower", "1ABC", "", "A-B", "ÄBC"};
    for (int i = 0; i < 5; i++) {
        jaga_bank_init(&b, bad[i]);
        assert_int_equal(jaga_store_bank_create(f->t.store, f->t.ctx, &b), JAGA_ERR_INVALID);
    }
    jaga_bank_init(&b, "MY_MCMC_NOTICES");
    b.pdq_threshold = 64;
    assert_int_equal(jaga_store_bank_create(f->t.store, f->t.ctx, &b), JAGA_ERR_INVALID);
    b.pdq_threshold = 20;
    b.verified = 1;
    b.signal_types = 1u << JAGA_SIGNAL_PDQ;
    assert_int_equal(jaga_store_bank_create(f->t.store, f->t.ctx, &b), JAGA_OK);
    jaga_bank got;
    assert_int_equal(jaga_store_bank_get(f->t.store, f->t.ctx, "MY_MCMC_NOTICES", &got), JAGA_OK);
    assert_int_equal(got.pdq_threshold, 20);
    assert_int_equal(got.verified, 1);
    assert_int_equal(jaga_store_bank_get(f->t.store, f->t.ctx, "NOPE", &got), JAGA_ERR_NOT_FOUND);
    got.enabled = 0;
    assert_int_equal(jaga_store_bank_update(f->t.store, f->t.ctx, &got), JAGA_OK);
    jaga_bank *all;
    size_t n;
    assert_int_equal(jaga_store_bank_list(f->t.store, f->t.ctx, &all, &n), JAGA_OK);
    assert_int_equal(n, 2);
    assert_string_equal(all[0].name, "MY_MCMC_NOTICES");
    assert_int_equal(all[0].enabled, 0);
    free(all);
    /* Durable: another handle on the same file sees it. */
    jaga_store *again;
    assert_int_equal(jaga_store_open(f->t.ctx, f->t.path, &again), JAGA_OK);
    assert_int_equal(jaga_store_bank_get(again, f->t.ctx, "MY_MCMC_NOTICES", &got), JAGA_OK);
    jaga_store_free(again);
}

static void test_csv_import_and_export(void **state)
{
    fixture *f = *state;
    char text[2048];
    snprintf(text, sizeof(text),
             "signal_type,signal,quality,labels,extra\r\n"
             "pdq,%s,100,category=ncii_deepfake;notice=MY-1,x\r\n"
             "pdq,\"%s\",,source=stopncii,\n"
             "\n"
             "md5,%s,,,\n"
             "pdq,%s,30,low\n",
             H1, H2, MD5, H2);
    problems p = {0};
    jaga_import_report r;
    assert_int_equal(import(f, JAGA_BANK_CSV, text, 0, &p, &r), JAGA_OK);
    assert_int_equal(r.added, 3);
    assert_int_equal(r.low_quality, 1); /* refused before anything else is looked at */
    assert_int_equal(r.present + r.bad, 0);
    /* Re-import: nothing new. */
    p.n = 0;
    snprintf(text, sizeof(text), "signal,signal_type\n%s,pdq\n", H1);
    assert_int_equal(import(f, JAGA_BANK_CSV, text, 0, &p, &r), JAGA_OK);
    assert_int_equal(r.present, 1);
    assert_int_equal(r.added, 0);

    char *buf;
    size_t len;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(jaga_bank_export(f->t.store, f->t.ctx, &f->bank, JAGA_BANK_CSV, 1, out),
                     JAGA_OK);
    fclose(out);
    assert_non_null(strstr(buf, "signal_type,signal,quality,labels,status,added_at\n"));
    assert_non_null(strstr(buf, "category=ncii_deepfake;notice=MY-1,active"));
    /* The export imports into another bank as is. */
    jaga_bank copy;
    jaga_bank_init(&copy, "COPY");
    assert_int_equal(jaga_store_bank_create(f->t.store, f->t.ctx, &copy), JAGA_OK);
    assert_int_equal(
        jaga_bank_import(f->t.store, f->t.ctx, &copy, JAGA_BANK_CSV, buf, len, 0, NULL, &r),
        JAGA_OK);
    assert_int_equal(r.added, 3);
    free(buf);
    out = open_memstream(&buf, &len);
    assert_int_equal(jaga_bank_export(f->t.store, f->t.ctx, &f->bank, JAGA_BANK_TE, 0, out),
                     JAGA_OK);
    fclose(out);
    char line[128];
    snprintf(line, sizeof(line), "pdq %s\n", H1);
    assert_non_null(strstr(buf, line));
    free(buf);
}

static void test_malformed_rows_roll_back(void **state)
{
    fixture *f = *state;
    char text[2048];
    snprintf(text, sizeof(text),
             "signal_type,signal,quality,labels\n"
             "pdq,%s,100,ok\n"       /* 2: fine */
             "pdq,%.63s,100,short\n" /* 3: 63 digits */
             "pdq,%.63sg,100,nothex\n"
             "sha1,%s,,\n"         /* 5: unknown type */
             "pdq,%s,101,\n"       /* 6: quality */
             "pdq,\"%s,100,\n"     /* 7: quoting */
             "md5,%s,,a,b\n"       /* 8: fine (extra field ignored) */
             "pdq,%s,100,again\n", /* 9: duplicate of line 2 */
             H1, H2, H2, MD5, H2, H2, MD5, H1);
    problems p = {0};
    jaga_import_report r;
    assert_int_equal(import(f, JAGA_BANK_CSV, text, 0, &p, &r), JAGA_ERR_INVALID);
    assert_int_equal(r.bad, 6);
    const size_t expect[] = {3, 4, 5, 6, 7, 9};
    assert_int_equal(p.n, 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(p.lines[i], expect[i]);
    jaga_bank b;
    assert_int_equal(jaga_store_bank_get(f->t.store, f->t.ctx, f->bank.name, &b), JAGA_OK);
    assert_int_equal(b.active, 0); /* all or nothing */
    p.n = 0;
    assert_int_equal(import(f, JAGA_BANK_CSV, text, 1, &p, &r), JAGA_OK);
    assert_int_equal(r.added, 2);
    assert_int_equal(jaga_store_bank_get(f->t.store, f->t.ctx, f->bank.name, &b), JAGA_OK);
    assert_int_equal(b.active, 2);
    /* Whole-document problems. */
    assert_int_equal(import(f, JAGA_BANK_CSV, "pdq,abc\n", 0, &p, &r), JAGA_ERR_INVALID);
    assert_int_equal(import(f, JAGA_BANK_CSV, "", 0, &p, &r), JAGA_ERR_INVALID);
    /* A bank that holds only PDQ refuses digests. */
    jaga_bank pdq_only;
    jaga_bank_init(&pdq_only, "PDQ_ONLY");
    pdq_only.signal_types = 1u << JAGA_SIGNAL_PDQ;
    assert_int_equal(jaga_store_bank_create(f->t.store, f->t.ctx, &pdq_only), JAGA_OK);
    snprintf(text, sizeof(text), "md5 %s\n", MD5);
    assert_int_equal(jaga_bank_import(f->t.store, f->t.ctx, &pdq_only, JAGA_BANK_TE, text,
                                      strlen(text), 0, NULL, &r),
                     JAGA_ERR_INVALID);
}

static void test_te_and_stopncii(void **state)
{
    fixture *f = *state;
    char text[2048];
    snprintf(text, sizeof(text), "# a comment\npdq %s\n\n  md5\t%s  \nvideo_md5 %s\nsha1 abc\n", H1,
             MD5, MD5);
    problems p = {0};
    jaga_import_report r;
    assert_int_equal(import(f, JAGA_BANK_TE, text, 1, &p, &r), JAGA_OK);
    assert_int_equal(r.added, 2);
    assert_int_equal(r.bad, 2); /* the repeated md5 on line 5, sha1 on line 6 */
    assert_int_equal(p.lines[0], 5);
    assert_int_equal(p.lines[1], 6);

    snprintf(text, sizeof(text),
             "{\"hashRecords\": ["
             "{\"signalType\": \"ImagePDQ\", \"hashValue\": \"%s\", \"hashStatus\": \"Active\","
             " \"lastModtimestamp\": 1767225600000},"
             "{\"signalType\": \"ImagePDQ\", \"hashValue\": \"%s\", \"hashStatus\": \"Withdrawn\"},"
             "{\"signalType\": \"VideoMD5\", \"hashValue\": \"%s\", \"hashStatus\": \"Deleted\"},"
             "{\"signalType\": \"ImageMD5\", \"hashValue\": \"%s\", \"hashStatus\": \"Active\"}"
             "], \"nextPageToken\": \"abc\"}",
             H2, H1, MD5, MD5);
    p.n = 0;
    assert_int_equal(import(f, JAGA_BANK_STOPNCII, text, 0, &p, &r), JAGA_ERR_INVALID);
    assert_int_equal(p.lines[0], 4);
    assert_int_equal(import(f, JAGA_BANK_STOPNCII, text, 1, &p, &r), JAGA_OK);
    assert_int_equal(r.added, 1);
    assert_int_equal(r.withdrawn, 2);
    jaga_bank b;
    assert_int_equal(jaga_store_bank_get(f->t.store, f->t.ctx, f->bank.name, &b), JAGA_OK);
    assert_int_equal(b.active, 1);
    assert_int_equal(b.withdrawn, 2);
    /* Active again: reactivated. */
    snprintf(text, sizeof(text),
             "{\"hashRecords\": [{\"signalType\": \"ImagePDQ\", \"hashValue\": \"%s\","
             " \"hashStatus\": \"Received\"}]}",
             H1);
    assert_int_equal(import(f, JAGA_BANK_STOPNCII, text, 0, &p, &r), JAGA_OK);
    assert_int_equal(r.reactivated, 1);
    const char *broken[] = {"", "{", "[]", "{\"hashRecords\": 5}", "{\"a\":1,\"a\":2}"};
    for (int i = 0; i < 5; i++)
        assert_int_equal(import(f, JAGA_BANK_STOPNCII, broken[i], 0, &p, &r), JAGA_ERR_INVALID);
}

static void test_matcher(void **state)
{
    fixture *f = *state;
    jaga_bank strict;
    jaga_bank_init(&strict, "STRICT");
    strict.pdq_threshold = 4;
    assert_int_equal(jaga_store_bank_create(f->t.store, f->t.ctx, &strict), JAGA_OK);
    jaga_bank off;
    jaga_bank_init(&off, "OFF");
    off.enabled = 0;
    assert_int_equal(jaga_store_bank_create(f->t.store, f->t.ctx, &off), JAGA_OK);
    char text[512];
    jaga_import_report r;
    snprintf(text, sizeof(text), "pdq %s\nmd5 %s\n", H1, MD5);
    jaga_bank *banks[] = {&f->bank, &strict, &off};
    for (int i = 0; i < 3; i++)
        assert_int_equal(jaga_bank_import(f->t.store, f->t.ctx, banks[i], JAGA_BANK_TE, text,
                                          strlen(text), 0, NULL, &r),
                         JAGA_OK);
    jaga_matcher *m;
    assert_int_equal(jaga_matcher_open(f->t.ctx, f->t.store, NULL, &m), JAGA_OK);
    assert_int_equal(jaga_matcher_count(m), 4);
    /* 10 bits away: within 31 for NCII_DEEPFAKES, not within 4 for STRICT, OFF ignored. */
    jaga_pdq_hash q;
    assert_int_equal(jaga_pdq_from_hex(H1, &q), JAGA_OK);
    for (int b = 0; b < 10; b++)
        q.w[b] ^= 1;
    jaga_match found[8];
    size_t n;
    jaga_match_query query = {.pdq = &q, .npdq = 1};
    assert_int_equal(jaga_matcher_match(m, f->t.ctx, &query, found, 8, &n), JAGA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(found[0].bank_id, f->bank.id);
    assert_int_equal(found[0].distance, 10);
    jaga_pdq_from_hex(H1, &q);
    assert_int_equal(jaga_matcher_match(m, f->t.ctx, &query, found, 8, &n), JAGA_OK);
    assert_int_equal(n, 2);
    int64_t only = strict.id;
    query.banks = &only, query.nbanks = 1;
    assert_int_equal(jaga_matcher_match(m, f->t.ctx, &query, found, 8, &n), JAGA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(found[0].bank_id, strict.id);
    /* Digests, exactly. */
    jaga_match_query dq = {.md5 = MD5};
    assert_int_equal(jaga_matcher_match(m, f->t.ctx, &dq, found, 8, &n), JAGA_OK);
    assert_int_equal(n, 2);
    assert_int_equal(found[0].type, JAGA_SIGNAL_MD5);
    dq.md5 = "d41d8cd98f00b204e9800998ecf8427f";
    assert_int_equal(jaga_matcher_match(m, f->t.ctx, &dq, found, 8, &n), JAGA_OK);
    assert_int_equal(n, 0);
    dq.md5 = "xyz";
    assert_int_equal(jaga_matcher_match(m, f->t.ctx, &dq, found, 8, &n), JAGA_ERR_INVALID);
    /* A withdrawal applied to the store and the matcher stops matching at once. */
    jaga_entry e = {.bank_id = f->bank.id, .type = JAGA_SIGNAL_PDQ, .withdrawn = 1};
    strcpy(e.value, H1);
    jaga_apply_result res;
    assert_int_equal(jaga_store_entry_apply(f->t.store, f->t.ctx, &e, &res), JAGA_OK);
    assert_int_equal(res, JAGA_APPLY_WITHDRAWN);
    assert_int_equal(jaga_matcher_apply(m, f->t.ctx, &e), JAGA_OK);
    query.banks = NULL, query.nbanks = 0;
    assert_int_equal(jaga_matcher_match(m, f->t.ctx, &query, found, 8, &n), JAGA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(found[0].bank_id, strict.id);
    e.withdrawn = 0;
    assert_int_equal(jaga_store_entry_apply(f->t.store, f->t.ctx, &e, &res), JAGA_OK);
    assert_int_equal(res, JAGA_APPLY_REACTIVATED);
    assert_int_equal(jaga_matcher_apply(m, f->t.ctx, &e), JAGA_OK);
    assert_int_equal(jaga_matcher_match(m, f->t.ctx, &query, found, 8, &n), JAGA_OK);
    assert_int_equal(n, 2);
    /* Bank settings: OFF enabled (its entries load), STRICT disabled, a threshold lowered. */
    off.enabled = 1;
    assert_int_equal(jaga_matcher_set_bank(m, f->t.ctx, f->t.store, &off), JAGA_OK);
    strict.enabled = 0;
    assert_int_equal(jaga_matcher_set_bank(m, f->t.ctx, f->t.store, &strict), JAGA_OK);
    assert_int_equal(jaga_matcher_match(m, f->t.ctx, &query, found, 8, &n), JAGA_OK);
    assert_int_equal(n, 2);
    assert_true(found[0].bank_id != strict.id && found[1].bank_id != strict.id);
    for (int b = 0; b < 3; b++)
        q.w[b] ^= 1;
    off.pdq_threshold = 2;
    assert_int_equal(jaga_matcher_set_bank(m, f->t.ctx, f->t.store, &off), JAGA_OK);
    assert_int_equal(jaga_matcher_match(m, f->t.ctx, &query, found, 8, &n), JAGA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(found[0].bank_id, f->bank.id);
    jaga_bank copy;
    assert_int_equal(jaga_matcher_bank(m, off.id, &copy), JAGA_OK);
    assert_int_equal(copy.pdq_threshold, 2);
    assert_int_equal(jaga_matcher_bank(m, strict.id, &copy), JAGA_ERR_NOT_FOUND);
    jaga_matcher_free(m);
}

static int count_entry(void *arg, const jaga_entry *e)
{
    int64_t *ids = arg;
    ids[++ids[0]] = e->id;
    return 0;
}

/* Filters of an entry walk, and the generation that every change moves. */
static void test_entry_filters_and_generation(void **state)
{
    fixture *f = *state;
    uint64_t g0, g1, g2;
    assert_int_equal(jaga_store_generation(f->t.store, f->t.ctx, &g0), JAGA_OK);
    char text[512];
    jaga_import_report r;
    snprintf(text, sizeof(text), "pdq %s\npdq %s\nmd5 %s\n", H1, H2, MD5);
    assert_int_equal(jaga_bank_import(f->t.store, f->t.ctx, &f->bank, JAGA_BANK_TE, text,
                                      strlen(text), 0, NULL, &r),
                     JAGA_OK);
    assert_int_equal(jaga_store_generation(f->t.store, f->t.ctx, &g1), JAGA_OK);
    assert_true(g1 != g0);
    /* Reading changes nothing; a present entry re-imported changes nothing. */
    assert_int_equal(jaga_bank_import(f->t.store, f->t.ctx, &f->bank, JAGA_BANK_TE, text,
                                      strlen(text), 0, NULL, &r),
                     JAGA_OK);
    assert_int_equal(jaga_store_generation(f->t.store, f->t.ctx, &g2), JAGA_OK);
    assert_true(g2 == g1);
    int64_t ids[8] = {0};
    jaga_entry_filter all = {0};
    assert_int_equal(jaga_store_entries_each(f->t.store, f->t.ctx, &all, count_entry, ids),
                     JAGA_OK);
    assert_int_equal(ids[0], 3);
    memset(ids, 0, sizeof(ids));
    jaga_entry_filter digests = {.types = 1u << JAGA_SIGNAL_MD5};
    assert_int_equal(jaga_store_entries_each(f->t.store, f->t.ctx, &digests, count_entry, ids),
                     JAGA_OK);
    assert_int_equal(ids[0], 1);
    /* Paging: after the first id, at most one. */
    int64_t first = 0;
    memset(ids, 0, sizeof(ids));
    jaga_entry_filter page = {.bank_id = f->bank.id, .limit = 1};
    assert_int_equal(jaga_store_entries_each(f->t.store, f->t.ctx, &page, count_entry, ids),
                     JAGA_OK);
    assert_int_equal(ids[0], 1);
    first = ids[1];
    memset(ids, 0, sizeof(ids));
    page.after_id = first, page.limit = 5;
    assert_int_equal(jaga_store_entries_each(f->t.store, f->t.ctx, &page, count_entry, ids),
                     JAGA_OK);
    assert_int_equal(ids[0], 2);
    assert_true(ids[1] > first && ids[2] > ids[1]);
    /* A withdrawal leaves the walk of active entries and moves the generation. */
    jaga_entry e = {.bank_id = f->bank.id, .type = JAGA_SIGNAL_PDQ, .withdrawn = 1};
    strcpy(e.value, H1);
    jaga_apply_result res;
    assert_int_equal(jaga_store_entry_apply(f->t.store, f->t.ctx, &e, &res), JAGA_OK);
    assert_int_equal(jaga_store_generation(f->t.store, f->t.ctx, &g2), JAGA_OK);
    assert_true(g2 != g1);
    memset(ids, 0, sizeof(ids));
    assert_int_equal(jaga_store_entries_each(f->t.store, f->t.ctx, &all, count_entry, ids),
                     JAGA_OK);
    assert_int_equal(ids[0], 2);
    memset(ids, 0, sizeof(ids));
    all.with_withdrawn = 1;
    assert_int_equal(jaga_store_entries_each(f->t.store, f->t.ctx, &all, count_entry, ids),
                     JAGA_OK);
    assert_int_equal(ids[0], 3);
    /* A bank setting moves it too. */
    f->bank.pdq_threshold = 20;
    assert_int_equal(jaga_store_bank_update(f->t.store, f->t.ctx, &f->bank), JAGA_OK);
    assert_int_equal(jaga_store_generation(f->t.store, f->t.ctx, &g1), JAGA_OK);
    assert_true(g1 != g2);
}

static size_t pdq_matches(jaga_matcher *m, const char *hex)
{
    jaga_pdq_hash q;
    assert_int_equal(jaga_pdq_from_hex(hex, &q), JAGA_OK);
    jaga_match found[4];
    size_t n;
    jaga_match_query query = {.pdq = &q, .npdq = 1};
    assert_int_equal(jaga_matcher_match(m, NULL, &query, found, 4, &n), JAGA_OK);
    return n;
}

/* The matcher's snapshot is used while the store is at its generation, and only then. */
static void test_matcher_snapshot(void **state)
{
    fixture *f = *state;
    char text[512], snap[96];
    snprintf(snap, sizeof(snap), "%s.index", f->t.path);
    jaga_import_report r;
    snprintf(text, sizeof(text), "pdq %s\nmd5 %s\n", H1, MD5);
    assert_int_equal(jaga_bank_import(f->t.store, f->t.ctx, &f->bank, JAGA_BANK_TE, text,
                                      strlen(text), 0, NULL, &r),
                     JAGA_OK);
    jaga_matcher *m;
    assert_int_equal(jaga_matcher_open(f->t.ctx, f->t.store, snap, &m), JAGA_OK);
    assert_false(jaga_matcher_from_snapshot(m)); /* there is none yet */
    assert_int_equal(jaga_matcher_save(m, f->t.ctx, f->t.store, snap), JAGA_OK);
    jaga_matcher_free(m);
    assert_int_equal(jaga_matcher_open(f->t.ctx, f->t.store, snap, &m), JAGA_OK);
    assert_true(jaga_matcher_from_snapshot(m));
    assert_int_equal(jaga_matcher_count(m), 2); /* digests come from the store */
    assert_int_equal(pdq_matches(m, H1), 1);
    /* Changes after the load apply to the loaded index. */
    jaga_entry e = {.bank_id = f->bank.id, .type = JAGA_SIGNAL_PDQ, .quality = -1};
    strcpy(e.value, H2);
    jaga_apply_result res;
    assert_int_equal(jaga_store_entry_apply(f->t.store, f->t.ctx, &e, &res), JAGA_OK);
    assert_int_equal(jaga_matcher_apply(m, f->t.ctx, &e), JAGA_OK);
    assert_int_equal(pdq_matches(m, H2), 1);
    jaga_matcher_free(m);
    /* The store moved on: the snapshot is stale and the index is built from the store. */
    assert_int_equal(jaga_matcher_open(f->t.ctx, f->t.store, snap, &m), JAGA_OK);
    assert_false(jaga_matcher_from_snapshot(m));
    assert_int_equal(pdq_matches(m, H2), 1);
    /* A fresh snapshot, then damaged: not used either. */
    assert_int_equal(jaga_matcher_save(m, f->t.ctx, f->t.store, snap), JAGA_OK);
    jaga_matcher_free(m);
    FILE *out = fopen(snap, "r+b");
    assert_non_null(out);
    fseek(out, 5000, SEEK_SET);
    fputc('x', out);
    fclose(out);
    assert_int_equal(jaga_matcher_open(f->t.ctx, f->t.store, snap, &m), JAGA_OK);
    assert_false(jaga_matcher_from_snapshot(m));
    assert_int_equal(pdq_matches(m, H1), 1);
    jaga_matcher_free(m);
    unlink(snap);
}

static void test_store_refuses_foreign_files(void **state)
{
    (void)state;
    char path[] = "/tmp/jaga-test-notdb-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char junk[] = "this is not an SQLite database, just some text of sufficient length "
                        "to fill a header page of it..........................................";
    assert_int_equal(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
    close(fd);
    jaga_ctx *ctx;
    jaga_store *s;
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    assert_int_equal(jaga_store_open(ctx, path, &s), JAGA_ERR_DECODE);
    unlink(path);
    assert_int_equal(jaga_store_open(ctx, "/nonexistent/dir/x.db", &s), JAGA_ERR_IO);
    jaga_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_banks_in_the_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_import_and_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_rows_roll_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_te_and_stopncii, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matcher, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_filters_and_generation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matcher_snapshot, setup, teardown),
        cmocka_unit_test(test_store_refuses_foreign_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

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

/* The labels of the active entry with that value, or "" when none is active. */
typedef struct label_find {
    const char *value;
    char labels[JAGA_LABELS_MAX];
} label_find;

static int find_labels(void *arg, const jaga_entry *e)
{
    label_find *l = arg;
    if (strcmp(e->value, l->value) == 0)
        snprintf(l->labels, sizeof(l->labels), "%s", e->labels);
    return 0;
}

static const char *active_labels(fixture *f, const char *value, label_find *l)
{
    jaga_entry_filter filter = {.bank_id = f->bank.id};
    l->value = value;
    l->labels[0] = '\0';
    assert_int_equal(jaga_store_entries_each(f->t.store, f->t.ctx, &filter, find_labels, l),
                     JAGA_OK);
    return l->labels;
}

static void test_threatexchange_and_ncmec(void **state)
{
    fixture *f = *state;
    char text[4096];
    snprintf(text, sizeof(text),
             "{\"data\": ["
             "{\"id\": \"101\", \"indicator\": \"%s\", \"type\": \"HASH_PDQ\", \"last_updated\":"
             " 1700000000, \"should_delete\": false, \"descriptors\": {\"data\": [{\"tags\":"
             " [\"media_type_photo\", \"bad;tag\"]}]}},"
             "{\"id\": \"102\", \"indicator\": \"%s\", \"type\": \"HASH_VIDEO_MD5\","
             " \"should_delete\": false, \"descriptors\": {\"data\": []}},"
             "{\"id\": \"103\", \"indicator\": \"00ff\", \"type\": \"HASH_TMK\","
             " \"should_delete\": false, \"descriptors\": {\"data\": []}}"
             "], \"paging\": {\"cursors\": {\"after\": \"x\"}}}",
             H1, MD5);
    problems p = {0};
    jaga_import_report r;
    label_find l;
    assert_int_equal(import(f, JAGA_BANK_THREATEXCHANGE, text, 0, &p, &r), JAGA_ERR_INVALID);
    assert_int_equal(p.lines[0], 3); /* TMK is not held */
    assert_int_equal(import(f, JAGA_BANK_THREATEXCHANGE, text, 1, &p, &r), JAGA_OK);
    assert_int_equal(r.added, 2);
    assert_string_equal(active_labels(f, H1, &l),
                        "source=threatexchange;te_id=101;tag=media_type_photo");
    /* A deletion: should_delete, or a record without descriptors. */
    snprintf(text, sizeof(text),
             "{\"data\": [{\"id\": \"101\", \"indicator\": \"%s\", \"type\": \"HASH_PDQ\","
             " \"should_delete\": true},"
             "{\"id\": \"102\", \"indicator\": \"%s\", \"type\": \"HASH_VIDEO_MD5\","
             " \"should_delete\": false}]}",
             H1, MD5);
    assert_int_equal(import(f, JAGA_BANK_THREATEXCHANGE, text, 0, &p, &r), JAGA_OK);
    assert_int_equal(r.withdrawn, 2);
    const char *te_broken[] = {"", "{}", "{\"data\": {}}", "[1]"};
    for (int i = 0; i < 4; i++)
        assert_int_equal(import(f, JAGA_BANK_THREATEXCHANGE, te_broken[i], 0, &p, &r),
                         JAGA_ERR_INVALID);
    snprintf(text, sizeof(text),
             "{\"data\": [{\"indicator\": \"%s\", \"type\": \"HASH_PDQ\", \"should_delete\": 1,"
             " \"descriptors\": {}}]}",
             H2);
    assert_int_equal(import(f, JAGA_BANK_THREATEXCHANGE, text, 0, &p, &r), JAGA_ERR_INVALID);

    /* NCMEC: md5 and pdq fingerprints are entries, sha1 and PhotoDNA are passed over; a deleted
     * image withdraws the entries of its id, here and in an earlier import. */
    snprintf(text, sizeof(text),
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<queryResult xmlns=\"https://hashsharing.ncmec.org/hashsharing/v2\">\n"
             " <images count=\"2\" maxTimestamp=\"2017-10-24T15:10:00Z\">\n"
             "  <image><member id=\"42\">M</member><timestamp>2017-10-24T15:00:00Z</timestamp>\n"
             "   <id>image1</id><classification>A1</classification>\n"
             "   <fingerprints><md5> 0123456789abcdef0123456789abcdef </md5><sha1>a1</sha1>\n"
             "    <pdq>%s</pdq><pdna>a1a1</pdna></fingerprints></image>\n"
             "  <image><id>image2</id><fingerprints><sha1>a1</sha1></fingerprints></image>\n"
             " </images>\n"
             " <videos count=\"1\"><video><id>video1</id><fingerprints><md5>%s</md5>"
             "</fingerprints></video></videos>\n"
             "</queryResult>\n",
             H2, MD5);
    assert_int_equal(import(f, JAGA_BANK_NCMEC, text, 0, &p, &r), JAGA_ERR_INVALID);
    assert_int_equal(import(f, JAGA_BANK_NCMEC, text, 1, &p, &r), JAGA_OK);
    assert_int_equal(r.added, 2);
    assert_int_equal(r.reactivated, 1); /* the md5 the threatexchange page withdrew */
    assert_int_equal(r.bad, 1);         /* image2: no fingerprint jaga holds */
    assert_string_equal(active_labels(f, H2, &l), "source=ncmec;ncmec_id=image1;classification=A1");
    assert_string_equal(active_labels(f, "0123456789abcdef0123456789abcdef", &l),
                        "source=ncmec;ncmec_id=image1;classification=A1");
    snprintf(text, sizeof(text),
             "<queryResult><images>"
             "<image><id>image3</id><fingerprints><md5>%032x</md5></fingerprints></image>"
             "<deletedImage><id>image1</id></deletedImage>"
             "<deletedImage><id>image3</id></deletedImage>"
             "<deletedImage><id>image9</id></deletedImage>"
             "</images></queryResult>",
             0xabc);
    assert_int_equal(import(f, JAGA_BANK_NCMEC, text, 0, &p, &r), JAGA_OK);
    assert_int_equal(r.added, 1);
    assert_int_equal(r.withdrawn, 3); /* image1's two, image3 added in this very page */
    assert_int_equal(r.unknown, 1);   /* image9 */
    assert_string_equal(active_labels(f, H2, &l), "");
    const char *xml_broken[] = {
        "", "<queryResult>", "<other/>", "not xml",
        "<!DOCTYPE q [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><queryResult><images><image>"
        "<id>&e;</id><fingerprints><md5>0123456789abcdef0123456789abcdef</md5></fingerprints>"
        "</image></images></queryResult>"};
    for (int i = 0; i < 4; i++)
        assert_int_equal(import(f, JAGA_BANK_NCMEC, xml_broken[i], 0, &p, &r), JAGA_ERR_INVALID);
    /* An external entity is never read: the record has no usable id. */
    assert_int_equal(import(f, JAGA_BANK_NCMEC, xml_broken[4], 0, &p, &r), JAGA_ERR_INVALID);
    assert_int_equal(r.bad, 1);
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
        cmocka_unit_test_setup_teardown(test_threatexchange_and_ncmec, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matcher, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_filters_and_generation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matcher_snapshot, setup, teardown),
        cmocka_unit_test(test_store_refuses_foreign_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Helpers shared by the unit tests: reference data lookup, synthetic images, encoding. */
#ifndef JAGA_TEST_SUPPORT_H
#define JAGA_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

/* The path of a file under the shared reference data (JAGA_SHARED_DIR, else ../shared beside
 * the source tree) in out, or NULL when that data is absent. */
const char *test_shared_file(const char *rel, char *out, size_t cap);

/* Skips the calling test, visibly, when the shared reference data is absent. */
#define SKIP_WITHOUT_SHARED(rel, buf)                                                              \
    do {                                                                                           \
        if (!test_shared_file((rel), (buf), sizeof(buf))) {                                        \
            print_message("skipped: shared reference data %s not found\n", (rel));                 \
            skip();                                                                                \
        }                                                                                          \
    } while (0)

/* Whole file into a malloc'd buffer; fails the test when unreadable. */
void *test_read_file(const char *path, size_t *len);

/* A binary PPM (P6) or PGM (P5) with maxval 255; channels 3 or 1. malloc'd pixels. */
uint8_t *test_read_pnm(const char *path, uint32_t *width, uint32_t *height, int *channels);

/* synth_image() that fails the test when out of memory. */
uint8_t *test_make_image(uint32_t width, uint32_t height, int channels, uint32_t seed);

/* The image encoded by libvips to the format of suffix (".jpg", ".png[bitdepth=16]", ...).
 * bands may be 1..4. g_free() the result; fails the test on error. */
void *test_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int bands,
                  const char *suffix, size_t *len);

/* A store in a new temporary file, with a context. test_store_close frees both and removes
 * the file with its WAL and shared-memory files. Fails the test when it cannot open. */
typedef struct jaga_store jaga_store;
typedef struct jaga_ctx jaga_ctx;
typedef struct test_store {
    char path[64];
    jaga_store *store;
    jaga_ctx *ctx;
} test_store;
void test_store_open(test_store *t);
void test_store_close(test_store *t);

/* The review queue over a test store with the shipped default policy, an empty matcher and
 * visibility map, and a fixed clock (rv.now) that tests move. */
#include "jaga/cases.h"
typedef struct test_review {
    test_store t;
    jaga_policy *policy;
    jaga_matcher *matcher;
    jaga_visibility_map *map;
    jaga_review rv;
} test_review;
void test_review_open(test_review *r);
void test_review_close(test_review *r);

/* The audit key beside a test store (made when missing), its public key into pub; fails the
 * test when it cannot. jaga_audit_key_free it. */
#include "jaga/audit.h"
jaga_audit_key *test_audit_key(test_store *t, uint8_t pub[32]);

/* What a viewer in country sees of content. */
jaga_visibility test_seen(jaga_visibility_map *map, const char *content, const char *country);

/* Files a report (failing the test if it is refused); returns its case's id. */
int64_t test_report(test_review *r, const char *content, const char *category, const char *country,
                    int trusted);

/* Applies a decision, failing the test unless it answers want. */
void test_decide(test_review *r, jaga_decision *d, jaga_status want);

/* A decision by who withholding the case's content in country, on the law legal, category
 * ncii. */
jaga_decision test_withhold(int64_t case_id, const char *country, const char *legal,
                            const char *who);

/* Claims a case for who for 10 minutes, failing the test if it cannot. */
void test_claim(test_review *r, int64_t case_id, const char *who);

/* Scans content (uploaded from country, or "") matching an MD5 in the unverified bank NCII
 * (made on first use, labelled category=ncii_deepfake): a provisional hold everywhere and a
 * case in the uploader's jurisdiction. A second scan of it is refused. */
void test_scan_ncii(test_review *r, const char *content, const char *country);

/* Hamming distance between two hex hashes. */
int test_hex_distance(const char *a, const char *b);

#endif

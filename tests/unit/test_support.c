#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

#include "jaga/pdq.h"
#include "jaga/store.h"
#include "synth_image.h"

const char *test_shared_file(const char *rel, char *out, size_t cap)
{
    const char *root = getenv("JAGA_SHARED_DIR");
    if (!root || !*root)
        root = JAGA_DEFAULT_SHARED_DIR;
    struct stat st;
    if ((size_t)snprintf(out, cap, "%s/%s", root, rel) >= cap || stat(out, &st) != 0)
        return NULL;
    return out;
}

void *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *buf = malloc(size > 0 ? (size_t)size : 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    *len = (size_t)size;
    return buf;
}

static int pnm_number(FILE *f)
{
    int c, v = 0;
    while ((c = fgetc(f)) == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '#')
        if (c == '#')
            while ((c = fgetc(f)) != '\n' && c != EOF)
                ;
    for (; c >= '0' && c <= '9'; c = fgetc(f))
        v = v * 10 + (c - '0');
    return v;
}

uint8_t *test_read_pnm(const char *path, uint32_t *width, uint32_t *height, int *channels)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char magic[3] = {0};
    assert_int_equal(fread(magic, 1, 2, f), 2);
    *channels = strcmp(magic, "P6") == 0 ? 3 : 1;
    *width = (uint32_t)pnm_number(f);
    *height = (uint32_t)pnm_number(f);
    assert_int_equal(pnm_number(f), 255);
    size_t n = (size_t)*width * *height * *channels;
    uint8_t *px = malloc(n);
    assert_non_null(px);
    assert_int_equal(fread(px, 1, n, f), n);
    fclose(f);
    return px;
}

uint8_t *test_make_image(uint32_t width, uint32_t height, int channels, uint32_t seed)
{
    uint8_t *px = synth_image(width, height, channels, seed);
    assert_non_null(px);
    return px;
}

void *test_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int bands,
                  const char *suffix, size_t *len)
{
    if (VIPS_INIT("jaga-test") != 0)
        fail_msg("libvips failed to start");
    VipsImage *im = vips_image_new_from_memory_copy(
        pixels, (size_t)width * height * bands, (int)width, (int)height, bands, VIPS_FORMAT_UCHAR);
    assert_non_null(im);
    void *buf = NULL;
    if (vips_image_write_to_buffer(im, suffix, &buf, len, NULL) != 0)
        fail_msg("encoding %s failed: %s", suffix, vips_error_buffer());
    g_object_unref(im);
    return buf;
}

int test_hex_distance(const char *a, const char *b)
{
    jaga_pdq_hash ha, hb;
    assert_int_equal(jaga_pdq_from_hex(a, &ha), JAGA_OK);
    assert_int_equal(jaga_pdq_from_hex(b, &hb), JAGA_OK);
    return jaga_pdq_distance(&ha, &hb);
}

void test_store_open(test_store *t)
{
    snprintf(t->path, sizeof(t->path), "/tmp/jaga-test-store-XXXXXX");
    int fd = mkstemp(t->path);
    assert_true(fd >= 0);
    close(fd);
    unlink(t->path);
    assert_int_equal(jaga_ctx_open(&t->ctx), JAGA_OK);
    if (jaga_store_open(t->ctx, t->path, &t->store) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(t->ctx));
}

void test_store_close(test_store *t)
{
    jaga_store_free(t->store);
    jaga_ctx_free(t->ctx);
    char side[96];
    unlink(t->path);
    snprintf(side, sizeof(side), "%s-wal", t->path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", t->path);
    unlink(side);
    snprintf(side, sizeof(side), "%s.audit-key", t->path);
    unlink(side);
}

jaga_audit_key *test_audit_key(test_store *t, uint8_t pub[32])
{
    char path[128];
    jaga_audit_key *key = NULL;
    assert_int_equal(jaga_audit_key_path(t->path, path, sizeof(path)), 0);
    if (jaga_audit_key_open(t->store, t->ctx, path, &key) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(t->ctx));
    jaga_audit_key_public(key, pub);
    return key;
}

void test_review_open(test_review *r)
{
    memset(r, 0, sizeof(*r));
    test_store_open(&r->t);
    assert_int_equal(jaga_policy_load(r->t.ctx, JAGA_SOURCE_DIR "/policy/default.json", &r->policy),
                     JAGA_OK);
    assert_int_equal(jaga_matcher_open(r->t.ctx, r->t.store, NULL, &r->matcher), JAGA_OK);
    assert_int_equal(jaga_visibility_map_open(&r->map), JAGA_OK);
    r->rv = (jaga_review){.db = r->t.store,
                          .policy = r->policy,
                          .matcher = r->matcher,
                          .map = r->map,
                          .now = 1800000000};
}

void test_review_close(test_review *r)
{
    jaga_visibility_map_free(r->map);
    jaga_matcher_free(r->matcher);
    jaga_policy_free(r->policy);
    test_store_close(&r->t);
}

jaga_visibility test_seen(jaga_visibility_map *map, const char *content, const char *country)
{
    jaga_visibility_answer a;
    jaga_visibility_map_answer(map, content, country, country, &a);
    return a.visibility;
}

int64_t test_report(test_review *r, const char *content, const char *category, const char *country,
                    int trusted)
{
    jaga_report rep = {.trusted_flagger = trusted};
    snprintf(rep.content_id, sizeof(rep.content_id), "%s", content);
    snprintf(rep.category, sizeof(rep.category), "%s", category);
    snprintf(rep.country, sizeof(rep.country), "%s", country);
    snprintf(rep.key_prefix, sizeof(rep.key_prefix), "%s",
             trusted ? "flagger00001" : "platform0001");
    if (jaga_report_receive(r->t.ctx, &r->rv, &rep) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(r->t.ctx));
    return rep.case_id;
}

void test_decide(test_review *r, jaga_decision *d, jaga_status want)
{
    jaga_decision_result res;
    jaga_status st = jaga_case_apply_decision(r->t.ctx, &r->rv, d, &res);
    if (st != want)
        fail_msg("decision %s on case %lld: %d (%s), wanted %d", d->action, (long long)d->case_id,
                 st, jaga_errmsg(r->t.ctx), want);
}

jaga_decision test_withhold(int64_t case_id, const char *country, const char *legal,
                            const char *who)
{
    jaga_decision d = {
        .case_id = case_id, .action = "withhold", .ground = "law", .category = "ncii"};
    snprintf(d.countries, sizeof(d.countries), "%s", country);
    snprintf(d.legal_id, sizeof(d.legal_id), "%s", legal);
    snprintf(d.decided_by, sizeof(d.decided_by), "%s", who);
    return d;
}

void test_claim(test_review *r, int64_t case_id, const char *who)
{
    jaga_case c;
    if (jaga_case_claim(r->t.ctx, &r->rv, case_id, who, 600, &c) != JAGA_OK)
        fail_msg("claim of %lld by %s: %s", (long long)case_id, who, jaga_errmsg(r->t.ctx));
}

/* An NCII match on an unverified bank of an upload from country (or ""): a provisional hold
 * everywhere that expires, and a case in the uploader's jurisdiction. */
void test_scan_ncii(test_review *r, const char *content, const char *country)
{
    jaga_ctx *ctx = r->t.ctx;
    jaga_bank ncii;
    if (jaga_store_bank_get(r->t.store, ctx, "NCII", &ncii) != JAGA_OK) {
        jaga_bank_init(&ncii, "NCII");
        assert_int_equal(jaga_store_bank_create(r->t.store, ctx, &ncii), JAGA_OK);
    }
    if (ncii.active == 0) { /* made here, or by a subscription */
        assert_int_equal(jaga_matcher_set_bank(r->matcher, ctx, r->t.store, &ncii), JAGA_OK);
        jaga_entry e = {.bank_id = ncii.id, .type = JAGA_SIGNAL_MD5, .quality = -1};
        strcpy(e.value, "d41d8cd98f00b204e9800998ecf8427e");
        strcpy(e.labels, "category=ncii_deepfake");
        jaga_apply_result ar;
        assert_int_equal(jaga_store_entry_apply(r->t.store, ctx, &e, &ar), JAGA_OK);
        assert_int_equal(jaga_matcher_apply(r->matcher, ctx, &e), JAGA_OK);
    }
    jaga_match found[4];
    size_t count;
    jaga_match_query dq = {.md5 = "d41d8cd98f00b204e9800998ecf8427e"};
    assert_int_equal(jaga_matcher_match(r->matcher, ctx, &dq, found, 4, &count), JAGA_OK);
    assert_int_equal(count, 1);
    char matches[96];
    snprintf(matches, sizeof(matches), "[{\"bank\":\"NCII\",\"entry_id\":%lld}]",
             (long long)found[0].entry_id);
    jaga_content c = {.pdq = "", .matches_json = strdup(matches)};
    snprintf(c.content_id, sizeof(c.content_id), "%s", content);
    snprintf(c.uploader_country, sizeof(c.uploader_country), "%s", country);
    assert_int_equal(jaga_scan_record(ctx, &r->rv, &c, found, count), JAGA_OK);
    assert_int_equal(jaga_scan_record(ctx, &r->rv, &c, found, count), JAGA_ERR_CONFLICT);
    jaga_content_clear(&c);
}

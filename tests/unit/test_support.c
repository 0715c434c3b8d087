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

/* libFuzzer target: transparency reports over audit leaves edited behind jaga's back. Each
 * input line becomes a leaf (its kind taken from the line's start, as the store keeps it) of
 * a fresh store in memory; the report over them, in every format, must come out whatever the
 * leaves say (absurd ids, wrong types, missing members) or fail with a status. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/audit.h"
#include "jaga/transparency.h"
#include "store/store_backend.h"

enum { LINES_MAX = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The kind a leaf line names: {"kind":"KIND", ...; else "case.open". */
static void kind_of(const char *line, size_t len, char kind[JAGA_AUDIT_KIND_MAX])
{
    snprintf(kind, JAGA_AUDIT_KIND_MAX, "case.open");
    if (len > 9 && memcmp(line, "{\"kind\":\"", 9) == 0) {
        const char *end = memchr(line + 9, '"', len - 9);
        size_t n = end ? (size_t)(end - line - 9) : 0;
        if (end && n < JAGA_AUDIT_KIND_MAX) {
            memcpy(kind, line + 9, n);
            kind[n] = '\0';
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jaga_ctx *ctx = NULL;
    jaga_store *store = NULL;
    if (size > 64 * 1024 || jaga_ctx_open(&ctx) != JAGA_OK ||
        jaga_store_open(ctx, ":memory:", &store) != JAGA_OK) {
        jaga_ctx_free(ctx);
        return 0;
    }
    const char *p = (const char *)data, *end = p + size;
    int lines = 0;
    jaga_store_begin(store, ctx);
    while (p < end && lines++ < LINES_MAX) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char kind[JAGA_AUDIT_KIND_MAX];
        kind_of(p, len, kind);
        store->ops->audit_append(store, ctx, kind, p, len);
        p += len + 1;
    }
    jaga_store_commit(store, ctx);
    uint64_t n = 0;
    jaga_store_audit_size(store, ctx, &n);
    jaga_tree_head head = {.size = n, .signed_at = 1800000000};
    uint8_t pub[32] = {0};
    jaga_transparency_query q = {.from = 0};
    for (int fmt = 0; fmt < 3; fmt++) {
        char *text = NULL;
        size_t len = 0;
        jaga_transparency_report(store, ctx, &q, &head, pub, (jaga_transparency_format)fmt, &text,
                                 &len);
        free(text);
    }
    jaga_store_free(store);
    jaga_ctx_free(ctx);
    return 0;
}

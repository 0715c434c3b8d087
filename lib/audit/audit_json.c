/* Tree heads and proofs read back from the API's JSON (what an auditor's watcher receives). */
#include <jansson.h>
#include <string.h>

#include "jaga/audit.h"
#include "jaga/digest.h"
#include "jaga/core.h"

enum { ANSWER_MAX = 64 * 1024 };

/* n bytes from a JSON string of 2n hex digits: 0, or -1. */
static int hex_into(const char *text, uint8_t *out, size_t n)
{
    return text && jaga_hex_decode(text, out, n) == JAGA_OK ? 0 : -1;
}

static json_t *load(jaga_ctx *ctx, const char *json, size_t len, jaga_status *st)
{
    json_error_t err;
    json_t *doc = len <= ANSWER_MAX ? json_loadb(json, len, JSON_REJECT_DUPLICATES, &err) : NULL;
    *st = JAGA_OK;
    if (len > ANSWER_MAX)
        *st = jaga_fail(ctx, JAGA_ERR_DECODE, "audit: an answer over %d bytes", ANSWER_MAX);
    else if (!json_is_object(doc))
        *st = jaga_fail(ctx, JAGA_ERR_DECODE, "audit: not a JSON object%s%s", doc ? "" : ": ",
                        doc ? "" : err.text);
    if (*st != JAGA_OK) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

jaga_status jaga_tree_head_parse(jaga_ctx *ctx, const char *json, size_t len, jaga_tree_head *out)
{
    jaga_status st;
    json_t *doc = load(ctx, json, len, &st);
    if (!doc)
        return st;
    memset(out, 0, sizeof(*out));
    json_t *size = json_object_get(doc, "size"), *at = json_object_get(doc, "signed_at");
    if (!json_is_integer(size) || json_integer_value(size) < 0 || !json_is_integer(at) ||
        hex_into(json_string_value(json_object_get(doc, "root")), out->root, 32) != 0 ||
        hex_into(json_string_value(json_object_get(doc, "signature")), out->signature, 64) != 0)
        st = jaga_fail(ctx, JAGA_ERR_DECODE,
                       "audit: a tree head has a size, a root (64 hex digits), a signed_at and "
                       "a signature (128 hex digits)");
    else {
        out->size = (uint64_t)json_integer_value(size);
        out->signed_at = (int64_t)json_integer_value(at);
    }
    json_decref(doc);
    return st;
}

jaga_status jaga_audit_proof_parse(jaga_ctx *ctx, const char *json, size_t len,
                                   uint8_t (*out)[JAGA_MERKLE_HASH], size_t *n)
{
    jaga_status st;
    json_t *doc = load(ctx, json, len, &st);
    if (!doc)
        return st;
    json_t *list = json_object_get(doc, "proof");
    *n = json_array_size(list);
    if (!json_is_array(list) || *n > JAGA_MERKLE_LEVELS)
        st = jaga_fail(ctx, JAGA_ERR_DECODE, "audit: a proof is an array of at most %d hashes",
                       JAGA_MERKLE_LEVELS);
    for (size_t i = 0; st == JAGA_OK && i < *n; i++)
        if (hex_into(json_string_value(json_array_get(list, i)), out[i], JAGA_MERKLE_HASH) != 0)
            st = jaga_fail(ctx, JAGA_ERR_DECODE, "audit: proof hash %zu is not 64 hex digits", i);
    if (st != JAGA_OK)
        *n = 0;
    json_decref(doc);
    return st;
}

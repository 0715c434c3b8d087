/* The audit log over HTTP: the public key (for anyone), and for auditors the signed tree
 * head, inclusion and consistency proofs, and the leaves themselves. */
#include <errno.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "whole_number.h"
#include "jaga/audit.h"

enum { LEAVES_PAGE_MAX = 1000 };

static void public_key(server_state *s, http_request *req, http_response *r)
{
    (void)req;
    uint8_t pub[32], id[SHA256_DIGEST_LENGTH];
    jaga_audit_key_public(s->audit_key, pub);
    SHA256(pub, sizeof(pub), id);
    respond_json(r, 200,
                 json_pack("{s:s,s:o,s:o,s:s}", "algorithm", "Ed25519", "public_key",
                           hex_string(pub, 32), "key_id", hex_string(id, sizeof(id)),
                           "signed_message",
                           "\"jaga-tree-head-v1\" NUL, size and signed_at as 64-bit"
                           " big-endian, root"));
}

/* Fails the request with a status that fits the library's. */
static void respond_status(http_response *r, jaga_status st, jaga_ctx *ctx)
{
    if (st == JAGA_ERR_INVALID)
        respond_error(r, 400, "invalid", "%s", jaga_errmsg(ctx));
    else
        respond_error(r, 503, "store_unavailable", "%s", jaga_errmsg(ctx));
}

static void head(server_state *s, http_request *req, http_response *r)
{
    (void)req;
    jaga_ctx *ctx = NULL;
    jaga_store *db = jaga_ctx_open(&ctx) == JAGA_OK ? store_take(s, r) : NULL;
    jaga_tree_head h;
    if (db) {
        jaga_status st = audit_head_now(s, db, ctx, &h);
        if (st == JAGA_OK)
            respond_json(r, 200, tree_head_json(&h));
        else
            respond_status(r, st, ctx);
    }
    store_give(s, db);
    jaga_ctx_free(ctx);
}

/* A query argument as a count: 0 with *out set, or -1 with a 400 answered. */
static int number_arg(http_request *req, http_response *r, const char *name, uint64_t *out)
{
    if (whole_number(request_arg(req, name), UINT64_MAX, out) != 0) {
        respond_error(r, 400, "invalid", "%s must be a whole number", name);
        return -1;
    }
    return 0;
}

static json_t *proof_json(const uint8_t (*proof)[JAGA_MERKLE_HASH], size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, hex_string(proof[i], JAGA_MERKLE_HASH));
    return a;
}

static void inclusion(server_state *s, http_request *req, http_response *r)
{
    uint64_t index, size;
    if (number_arg(req, r, "index", &index) != 0 || number_arg(req, r, "size", &size) != 0)
        return;
    jaga_ctx *ctx = NULL;
    jaga_store *db = jaga_ctx_open(&ctx) == JAGA_OK ? store_take(s, r) : NULL;
    uint8_t proof[JAGA_MERKLE_LEVELS][JAGA_MERKLE_HASH], leaf[32];
    size_t n = 0;
    if (db) {
        jaga_status st = jaga_audit_inclusion(db, ctx, index, size, proof, &n);
        if (st == JAGA_OK)
            st = jaga_store_audit_node(db, ctx, 0, index, leaf);
        if (st == JAGA_OK)
            respond_json(r, 200,
                         json_pack("{s:I,s:I,s:o,s:o}", "index", (json_int_t)index, "size",
                                   (json_int_t)size, "leaf_hash", hex_string(leaf, 32), "proof",
                                   proof_json(proof, n)));
        else
            respond_status(r, st, ctx);
    }
    store_give(s, db);
    jaga_ctx_free(ctx);
}

static void consistency(server_state *s, http_request *req, http_response *r)
{
    uint64_t from, to;
    if (number_arg(req, r, "from", &from) != 0 || number_arg(req, r, "to", &to) != 0)
        return;
    jaga_ctx *ctx = NULL;
    jaga_store *db = jaga_ctx_open(&ctx) == JAGA_OK ? store_take(s, r) : NULL;
    uint8_t proof[JAGA_MERKLE_LEVELS][JAGA_MERKLE_HASH];
    size_t n = 0;
    if (db) {
        jaga_status st = jaga_audit_consistency(db, ctx, from, to, proof, &n);
        if (st == JAGA_OK)
            respond_json(r, 200,
                         json_pack("{s:I,s:I,s:o}", "from", (json_int_t)from, "to", (json_int_t)to,
                                   "proof", proof_json(proof, n)));
        else
            respond_status(r, st, ctx);
    }
    store_give(s, db);
    jaga_ctx_free(ctx);
}

/* A leaf as served. Data that is no UTF-8 text (a store written before identifiers were
 * checked) comes as data_hex, so that no leaf is ever left out of the answer. */
static json_t *leaf_json(const jaga_audit_row *row)
{
    json_t *out =
        json_pack("{s:I,s:I,s:s,s:o}", "index", (json_int_t)row->index, "logged_at",
                  (json_int_t)row->logged_at, "kind", row->kind, "hash", hex_string(row->hash, 32));
    json_t *data = json_stringn(row->data, row->len);
    if (!data) {
        static const char digits[] = "0123456789abcdef";
        char *hex = malloc(2 * row->len + 1);
        for (size_t i = 0; hex && i < row->len; i++) {
            hex[2 * i] = digits[(unsigned char)row->data[i] >> 4];
            hex[2 * i + 1] = digits[(unsigned char)row->data[i] & 15];
        }
        if (hex)
            hex[2 * row->len] = '\0';
        json_object_set_new(out, "data_hex", json_string(hex ? hex : ""));
        free(hex);
    } else {
        json_object_set_new(out, "data", data);
    }
    return out;
}

/* GET /v1/audit/leaves?start=S&count=C: the leaves' data as stored (what their hashes cover). */
static void leaves(server_state *s, http_request *req, http_response *r)
{
    uint64_t start, count = 100;
    if (number_arg(req, r, "start", &start) != 0 ||
        (request_arg(req, "count") && number_arg(req, r, "count", &count) != 0))
        return;
    if (count == 0 || count > LEAVES_PAGE_MAX) {
        respond_error(r, 400, "invalid", "count is 1 to %d", LEAVES_PAGE_MAX);
        return;
    }
    jaga_ctx *ctx = NULL;
    jaga_store *db = jaga_ctx_open(&ctx) == JAGA_OK ? store_take(s, r) : NULL;
    jaga_audit_scan *scan = NULL;
    jaga_status st = db ? jaga_store_audit_scan(db, ctx, 0, start, &scan) : JAGA_ERR_IO;
    json_t *list = json_array();
    jaga_audit_row row;
    while (st == JAGA_OK && json_array_size(list) < count &&
           (st = jaga_audit_scan_next(scan, ctx, &row)) == JAGA_OK)
        json_array_append_new(list, leaf_json(&row));
    jaga_audit_scan_close(scan);
    if (st == JAGA_OK || st == JAGA_ERR_NOT_FOUND)
        respond_json(r, 200, json_pack("{s:I,s:o}", "start", (json_int_t)start, "leaves", list));
    else {
        json_decref(list);
        if (db)
            respond_status(r, st, ctx);
    }
    store_give(s, db);
    jaga_ctx_free(ctx);
}

static const route table[] = {
    {"GET", "/v1/audit/key", PUBLIC, public_key, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"GET", "/v1/audit/head", AUDIT_ROLES, head, BODY_IN_MEMORY, RUN_ON_WORKER, NULL},
    {"GET", "/v1/audit/proof/inclusion", AUDIT_ROLES, inclusion, BODY_IN_MEMORY, RUN_ON_WORKER,
     "index size"},
    {"GET", "/v1/audit/proof/consistency", AUDIT_ROLES, consistency, BODY_IN_MEMORY, RUN_ON_WORKER,
     "from to"},
    {"GET", "/v1/audit/leaves", AUDIT_ROLES, leaves, BODY_IN_MEMORY, RUN_ON_WORKER, "start count"}};

const route *routes_audit(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

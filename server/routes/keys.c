/* API keys over HTTP, for admins: create (the key is in this answer only), list, revoke. */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "key_cache.h"
#include "key_request.h"

static json_t *key_json(const void *item)
{
    const jaga_key *k = item;
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "prefix", k->prefix, "role",
                     jaga_role_name(k->role), "jurisdiction", k->jurisdiction, "teams", k->teams,
                     "name", k->name, "created_at", (json_int_t)k->created_at, "revoked_at",
                     (json_int_t)k->revoked_at);
}

static void create(server_state *s, http_request *req, http_response *r)
{
    jaga_key k;
    const char *problem = key_request_parse(req->body, req->body_len, &k);
    if (problem) {
        respond_error(r, 400, "bad_request", "%s", problem);
        return;
    }
    char text[JAGA_KEY_TEXT_LEN + 1];
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_status st = jaga_key_check(ctx, &k);
    if (st == JAGA_OK)
        st = jaga_key_generate(ctx, &k, text);
    jaga_store *db = st == JAGA_OK ? store_take(s, r) : NULL;
    if (db)
        st = jaga_store_key_create(db, ctx, &k);
    store_give(s, db);
    if (st == JAGA_OK && !db) {
        /* store_take answered */
    } else if (st == JAGA_OK) {
        json_t *out = key_json(&k);
        json_object_set_new(out, "key", json_string(text));
        respond_json(r, 201, out);
    } else {
        respond_error(r, st == JAGA_ERR_INVALID ? 400 : 503,
                      st == JAGA_ERR_INVALID ? "bad_request" : "store_unavailable", "%s",
                      jaga_errmsg(ctx));
    }
    memset(text, 0, sizeof(text));
    jaga_ctx_free(ctx);
}

static void list(server_state *s, http_request *req, http_response *r)
{
    (void)req;
    jaga_key *keys;
    size_t n;
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_status st = jaga_store_key_list(db, NULL, &keys, &n);
    store_give(s, db);
    respond_list(r, st, "keys", keys, n, sizeof(*keys), key_json);
}

static void revoke(server_state *s, http_request *req, http_response *r)
{
    char prefix[JAGA_KEY_PREFIX_LEN + 1];
    path_segment(req->path, 2, prefix, sizeof(prefix));
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_status st = jaga_store_key_revoke(db, NULL, prefix);
    store_give(s, db);
    key_cache_evict(s->keys, prefix); /* in force no longer, from this answer on */
    if (st == JAGA_OK)
        respond_json(r, 200, json_pack("{s:s,s:b}", "prefix", prefix, "revoked", 1));
    else if (st == JAGA_ERR_NOT_FOUND)
        respond_error(r, 404, "not_found", "no key %s in force", prefix);
    else
        respond_error(r, 503, "store_unavailable", "the store could not be written");
}

static const route table[] = {
    {"POST", "/v1/keys", ADMIN_ROLES, create, BODY_JSON, RUN_INLINE, NULL},
    {"GET", "/v1/keys", ADMIN_ROLES, list, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"DELETE", "/v1/keys/*", ADMIN_ROLES, revoke, BODY_IN_MEMORY, RUN_INLINE, NULL}};

const route *routes_keys(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

/* Store handles for requests. */
#include "http.h"

jaga_store *store_take(server_state *s, http_response *r)
{
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_store *db = store_pool_take(s->stores, ctx);
    if (!db)
        respond_error(r, 503, "store_unavailable", "%s", jaga_errmsg(ctx));
    jaga_ctx_free(ctx);
    return db;
}

void store_give(server_state *s, jaga_store *db)
{
    store_pool_give(s->stores, db);
}

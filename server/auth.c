/* Authentication (Bearer API keys), role checks and per-key rate limits. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "key_cache.h"
#include "rate_limit.h"

int require_role(server_state *s, http_request *req, http_response *r, unsigned roles)
{
    const char *auth = request_header(req, "Authorization");
    if (!auth || strncmp(auth, "Bearer ", 7) != 0) {
        respond_error(r, 401, "unauthenticated",
                      "an API key is required: Authorization: Bearer KEY");
        return 0;
    }
    char prefix[JAGA_KEY_PREFIX_LEN + 1];
    uint8_t hash[32];
    if (jaga_key_parse(auth + 7, prefix, hash) != JAGA_OK) {
        respond_error(r, 401, "unauthenticated", "the API key is malformed");
        return 0;
    }
    jaga_status st = JAGA_OK;
    if (!key_cache_get(s->keys, prefix, &req->key)) {
        jaga_store *db = store_take(s, r);
        if (!db)
            return 0;
        st = jaga_store_key_get(db, NULL, prefix, &req->key);
        store_give(s, db);
        if (st == JAGA_OK)
            key_cache_put(s->keys, &req->key);
    }
    if (st != JAGA_OK || req->key.revoked_at ||
        !jaga_key_secret_equal(hash, req->key.secret_hash)) {
        if (st != JAGA_OK && st != JAGA_ERR_NOT_FOUND)
            respond_error(r, 503, "store_unavailable", "the key store could not be read");
        else
            respond_error(r, 401, "unauthenticated", "the API key is unknown or revoked");
        return 0;
    }
    req->authenticated = 1;
    if (!(roles & (1u << req->key.role))) {
        respond_error(r, 403, "forbidden", "%s keys may not call %s %s",
                      jaga_role_name(req->key.role), req->method, req->path);
        return 0;
    }
    double wait = rate_limit_take(s->limiter, prefix);
    if (wait > 0) {
        r->retry_after = (unsigned)ceil(wait);
        respond_error(r, 429, "rate_limited", "too many requests for this key");
        return 0;
    }
    return 1;
}

int key_has_team(const jaga_key *key, const char *team)
{
    if (key->role == JAGA_ROLE_ADMIN)
        return 1;
    size_t n = strlen(team);
    for (const char *t = key->teams; n && *t;) {
        const char *end = strchr(t, ',');
        size_t len = end ? (size_t)(end - t) : strlen(t);
        if (len == n && strncmp(t, team, n) == 0)
            return 1;
        t += len + (end != NULL);
    }
    return 0;
}

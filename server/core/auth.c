/* Authentication (Bearer API keys, peers' signed requests), role checks and rate limits. */
#include <arpa/inet.h>
#include <math.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "key_cache.h"
#include "rate_limit.h"
#include "replay_guard.h"

/* Tokens a request with a bad peer signature takes from its source's bucket. */
enum { PEER_BAD_SIGNATURE_COST = 10 };

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

/* A peer's rate is counted per source address: a flood that names a peer's public key (which
 * is public) from elsewhere spends its own tokens, never the peer's. */
static const char *peer_bucket(const http_request *req, char out[RATE_KEY_MAX])
{
    char addr[INET6_ADDRSTRLEN] = "?";
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(req->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof(addr));
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr, sizeof(addr));
    snprintf(out, RATE_KEY_MAX, "peer:%s@%s", req->peer.name, addr);
    return out;
}

int peer_begin(server_state *s, http_request *req, http_response *r)
{
    if (jaga_exchange_request_parse(request_header(req, "Authorization"), &req->peer_auth) !=
        JAGA_OK) {
        respond_error(r, 401, "unauthenticated",
                      "a peer's signature is required: Authorization: JagaPeer KEY TIME NONCE "
                      "SIGNATURE");
        return 0;
    }
    int64_t now = (int64_t)time(NULL);
    if (req->peer_auth.time < now - JAGA_PEER_REQUEST_SKEW ||
        req->peer_auth.time > now + JAGA_PEER_REQUEST_SKEW) {
        respond_error(r, 401, "unauthenticated",
                      "the request's time is over %d s from the server's clock",
                      JAGA_PEER_REQUEST_SKEW);
        return 0;
    }
    jaga_store *db = store_take(s, r);
    if (!db)
        return 0;
    jaga_status st = jaga_store_peer_by_key(db, NULL, req->peer_auth.key, &req->peer);
    store_give(s, db);
    if (st != JAGA_OK || req->peer.revoked_at) {
        if (st != JAGA_OK && st != JAGA_ERR_NOT_FOUND)
            respond_error(r, 503, "store_unavailable", "the peer registry could not be read");
        else
            respond_error(r, 401, "unauthenticated", "the key is no peer's in force");
        req->peer.id = 0;
        return 0;
    }
    char bucket[RATE_KEY_MAX];
    double wait = rate_limit_take(s->limiter, peer_bucket(req, bucket));
    if (wait > 0) {
        r->retry_after = (unsigned)ceil(wait);
        respond_error(r, 429, "rate_limited", "too many requests from peer %s", req->peer.name);
        return 0;
    }
    return 1;
}

typedef struct query_text {
    char text[1024];
    size_t len;
    int overflow;
} query_text;

static enum MHD_Result add_argument(void *arg, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    query_text *q = arg;
    int n = snprintf(q->text + q->len, sizeof(q->text) - q->len, "%s%s%s%s", q->len ? "&" : "?",
                     key, value ? "=" : "", value ? value : "");
    if (n < 0 || (size_t)n >= sizeof(q->text) - q->len)
        q->overflow = 1;
    else
        q->len += (size_t)n;
    return q->overflow ? MHD_NO : MHD_YES;
}

int peer_verify(server_state *s, http_request *req, http_response *r)
{
    /* The target as signed: the path, then the query's arguments in the order they came. */
    query_text q = {{0}, 0, 0};
    MHD_get_connection_values(req->connection, MHD_GET_ARGUMENT_KIND, add_argument, &q);
    char target[2048];
    snprintf(target, sizeof(target), "%s%s", req->path, q.text);
    if (q.overflow || !jaga_exchange_request_check(&req->peer_auth, req->method, target, req->body,
                                                   req->body_len, (int64_t)time(NULL))) {
        /* A bad signature costs its source more than a request: guessing is slowed. */
        char bucket[RATE_KEY_MAX];
        rate_limit_charge(s->limiter, peer_bucket(req, bucket), PEER_BAD_SIGNATURE_COST);
        respond_error(r, 401, "unauthenticated", "the request is not signed by peer %s",
                      req->peer.name);
        req->peer.id = 0;
        return 0;
    }
    int seen = replay_guard_check(s->replays, req->peer_auth.signature, req->peer_auth.time,
                                  (int64_t)time(NULL));
    if (seen == 1)
        respond_error(r, 401, "unauthenticated",
                      "this signed request was served already: a replay is refused");
    else if (seen < 0) {
        r->retry_after = 1;
        respond_error(r, 429, "rate_limited", "too many signed requests at once: try again");
    }
    if (seen != 0)
        req->peer.id = 0;
    return seen == 0;
}

/* Hash exchange over HTTP: the feeds peers pull (signed batches, long polls) and the verdicts
 * they send back; for admins the peer registry, the subscriptions and the verdicts received. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exchange_feed.h"
#include "exchange_request.h"
#include "http.h"
#include "jaga/digest.h"
#include "jaga/core.h"
#include "whole_number.h"

enum { FEED_LIMIT_DEFAULT = 500 };

/* A failed store call's answer: 400, 404, 409 or 503 with ctx's message. */
static void respond_failure(http_response *r, jaga_status st, jaga_ctx *ctx)
{
    static const struct {
        jaga_status st;
        unsigned http;
        const char *code;
    } map[] = {{JAGA_ERR_INVALID, 400, "bad_request"},
               {JAGA_ERR_NOT_FOUND, 404, "not_found"},
               {JAGA_ERR_CONFLICT, 409, "conflict"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (map[i].st == st) {
            respond_error(r, map[i].http, map[i].code, "%s", jaga_errmsg(ctx));
            return;
        }
    respond_error(r, 503, "store_unavailable", "%s", jaga_errmsg(ctx));
}

/* A query argument as a whole number of at most max (def when absent): 0, or -1 with a 400. */
static int number_arg(http_request *req, http_response *r, const char *name, uint64_t max,
                      uint64_t def, uint64_t *out)
{
    const char *text = request_arg(req, name);
    *out = def;
    if (!text || whole_number(text, max, out) == 0)
        return 0;
    respond_error(r, 400, "bad_request", "%s is a whole number up to %llu", name,
                  (unsigned long long)max);
    return -1;
}

typedef struct feed_fill {
    jaga_exchange_batch *b;
    size_t limit;
    jaga_ctx *ctx;
    jaga_status st;
} feed_fill;

static int add_change(void *arg, int64_t seq, const jaga_entry *e)
{
    feed_fill *f = arg;
    if (f->b->n == f->limit) {
        f->b->more = 1;
        return 1;
    }
    jaga_status st = jaga_exchange_batch_add(f->b, f->ctx, seq, e);
    if (st == JAGA_ERR_LIMIT) {
        f->b->more = 1; /* full of features: the rest in the next batch */
        return 1;
    }
    f->st = st;
    return st != JAGA_OK;
}

/* The bank's changes after cursor into a new batch; JAGA_OK or the failure (on ctx). */
static jaga_status read_batch(server_state *s, const jaga_bank *bank, int64_t cursor, size_t limit,
                              jaga_ctx *ctx, jaga_exchange_batch **out)
{
    jaga_store *db = store_pool_take(s->stores, ctx);
    if (!db)
        return JAGA_ERR_IO;
    feed_fill f = {.limit = limit, .ctx = ctx};
    jaga_status st = jaga_exchange_batch_new(bank->name, cursor, &f.b);
    if (st == JAGA_OK)
        st = jaga_store_changes(db, ctx, bank->id, cursor, limit + 1, add_change, &f);
    store_pool_give(s->stores, db);
    st = st == JAGA_OK ? f.st : st;
    if (st != JAGA_OK)
        jaga_exchange_batch_free(f.b), f.b = NULL;
    *out = f.b;
    return st;
}

static void feed(server_state *s, http_request *req, http_response *r)
{
    char name[JAGA_BANK_NAME_MAX];
    path_segment(req->path, 2, name, sizeof(name));
    if (!jaga_peer_may_read(&req->peer, name)) {
        respond_error(r, 403, "forbidden", "peer %s may not read bank %s", req->peer.name, name);
        return;
    }
    uint64_t cursor, limit, wait;
    if (number_arg(req, r, "cursor", INT64_MAX, 0, &cursor) != 0 ||
        number_arg(req, r, "limit", JAGA_EXCHANGE_ITEMS_MAX, FEED_LIMIT_DEFAULT, &limit) != 0 ||
        number_arg(req, r, "wait", EXCHANGE_WAIT_MAX, 0, &wait) != 0)
        return;
    if (limit == 0)
        limit = FEED_LIMIT_DEFAULT;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_bank bank;
    int64_t head = 0;
    jaga_store *db = store_take(s, r);
    if (!db) {
        jaga_ctx_free(ctx);
        return;
    }
    jaga_status st = jaga_store_bank_get(db, ctx, name, &bank);
    if (st == JAGA_OK)
        st = jaga_store_changes_head(db, ctx, bank.id, &head);
    store_give(s, db);
    if (st == JAGA_OK && (int64_t)cursor > head)
        st = jaga_fail(ctx, JAGA_ERR_CONFLICT, "cursor %llu is past the feed's last change %lld",
                       (unsigned long long)cursor, (long long)head);
    jaga_exchange_batch *b = NULL;
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (st == JAGA_OK) {
        uint64_t seen = exchange_news(s); /* before the read: news after it wakes the wait */
        st = read_batch(s, &bank, (int64_t)cursor, (size_t)limit, ctx, &b);
        clock_gettime(CLOCK_MONOTONIC, &now);
        double left =
            (double)wait - ((double)(now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) * 1e-9);
        if (st != JAGA_OK || b->n || left <= 0 || s->exchange_stopping)
            break;
        jaga_exchange_batch_free(b), b = NULL;
        /* Changes made by another process reach no news: a second is the longest they wait. */
        exchange_wait(s, seen, left < 1 ? left : 1);
    }
    if (st == JAGA_OK)
        st = jaga_exchange_batch_sign(b, s->audit_key, ctx);
    size_t len = 0;
    char *text = st == JAGA_OK ? jaga_exchange_batch_json(b, &len) : NULL;
    if (text) {
        r->status = 200;
        r->body = text;
        r->body_len = len;
    } else if (st == JAGA_OK) {
        respond_error(r, 503, "overloaded", "no memory for the batch");
    } else {
        respond_failure(r, st, ctx);
    }
    jaga_exchange_batch_free(b);
    jaga_ctx_free(ctx);
}

static void feedback_post(server_state *s, http_request *req, http_response *r)
{
    char name[JAGA_BANK_NAME_MAX], err[256];
    path_segment(req->path, 2, name, sizeof(name));
    if (!jaga_peer_may_read(&req->peer, name)) {
        respond_error(r, 403, "forbidden", "peer %s may not read bank %s", req->peer.name, name);
        return;
    }
    size_t n;
    jaga_feedback *verdicts = exchange_verdicts_parse(req->body, req->body_len, (int64_t)time(NULL),
                                                      &n, err, sizeof(err));
    if (!verdicts) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_store *db = store_take(s, r);
    jaga_bank bank;
    jaga_status st = db ? jaga_store_bank_get(db, ctx, name, &bank) : JAGA_ERR_IO;
    size_t stored = 0, unknown = 0;
    int began = st == JAGA_OK && (st = jaga_store_begin(db, ctx)) == JAGA_OK;
    for (size_t i = 0; st == JAGA_OK && i < n; i++) {
        jaga_feedback *fb = &verdicts[i];
        fb->bank_id = bank.id, fb->peer_id = req->peer.id;
        st = jaga_store_feedback_put(db, ctx, fb);
        if (st == JAGA_ERR_NOT_FOUND)
            unknown++, st = JAGA_OK;
        else
            stored += st == JAGA_OK;
    }
    if (began && st == JAGA_OK)
        st = jaga_store_commit(db, ctx);
    if (began && st != JAGA_OK)
        jaga_store_rollback(db);
    store_give(s, db);
    if (st == JAGA_OK && unknown == n)
        respond_error(r, 404, "not_found", "bank %s holds none of those entries", name);
    else if (st == JAGA_OK)
        respond_json(
            r, 200,
            json_pack("{s:I,s:I}", "stored", (json_int_t)stored, "unknown", (json_int_t)unknown));
    else if (db)
        respond_failure(r, st, ctx);
    free(verdicts);
    jaga_ctx_free(ctx);
}

static json_t *feedback_json(const void *item)
{
    const jaga_feedback *fb = item;
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:I}", "entry_id", (json_int_t)fb->entry_id,
                     "signal_type", jaga_signal_type_name(fb->type), "value", fb->value, "peer",
                     fb->peer, "verdict", jaga_feedback_verdict_name(fb->verdict), "at",
                     (json_int_t)fb->at);
}

static void feedback_list(server_state *s, http_request *req, http_response *r)
{
    char name[JAGA_BANK_NAME_MAX];
    path_segment(req->path, 2, name, sizeof(name));
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_store *db = store_take(s, r);
    jaga_bank bank;
    jaga_feedback *items = NULL;
    size_t n = 0;
    jaga_status st = db ? jaga_store_bank_get(db, ctx, name, &bank) : JAGA_ERR_IO;
    if (st == JAGA_OK)
        st = jaga_store_feedback_list(db, ctx, bank.id, &items, &n);
    store_give(s, db);
    if (st == JAGA_OK)
        respond_list(r, st, "verdicts", items, n, sizeof(*items), feedback_json);
    else if (db)
        respond_failure(r, st, ctx);
    jaga_ctx_free(ctx);
}

static json_t *peer_json(const void *item)
{
    const jaga_peer *p = item;
    char key[65];
    jaga_hex_encode(p->public_key, 32, key);
    return json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "name", p->name, "public_key", key, "url", p->url,
                     "banks", p->banks, "created_at", (json_int_t)p->created_at, "revoked_at",
                     (json_int_t)p->revoked_at);
}

/* Every row a store list gives, answered as {"name": [...]}. */
static void list_all(server_state *s, http_response *r, const char *name, size_t size,
                     jaga_status (*read)(jaga_store *db, void **out, size_t *n),
                     json_t *(*to_json)(const void *item))
{
    void *items = NULL;
    size_t n = 0;
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_status st = read(db, &items, &n);
    store_give(s, db);
    respond_list(r, st, name, items, n, size, to_json);
}

static jaga_status read_peers(jaga_store *db, void **out, size_t *n)
{
    return jaga_store_peer_list(db, NULL, (jaga_peer **)out, n);
}

static void peers_list(server_state *s, http_request *req, http_response *r)
{
    (void)req;
    list_all(s, r, "peers", sizeof(jaga_peer), read_peers, peer_json);
}

static void peers_add(server_state *s, http_request *req, http_response *r)
{
    jaga_peer p = {0};
    char err[256];
    if (exchange_peer_parse(req->body, req->body_len, &p, err, sizeof(err)) != 0) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_store *db = store_take(s, r);
    jaga_status st = db ? jaga_store_peer_add(db, ctx, &p) : JAGA_ERR_IO;
    store_give(s, db);
    if (st == JAGA_OK)
        respond_json(r, 201, peer_json(&p));
    else if (db)
        respond_failure(r, st, ctx);
    jaga_ctx_free(ctx);
}

static void peers_revoke(server_state *s, http_request *req, http_response *r)
{
    char name[JAGA_PEER_NAME_MAX];
    path_segment(req->path, 3, name, sizeof(name));
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_store *db = store_take(s, r);
    jaga_status st = db ? jaga_store_peer_revoke(db, ctx, name) : JAGA_ERR_IO;
    store_give(s, db);
    if (st == JAGA_OK)
        respond_json(r, 200, json_pack("{s:s,s:b}", "name", name, "revoked", 1));
    else if (db)
        respond_failure(r, st, ctx);
    jaga_ctx_free(ctx);
}

static json_t *subscription_json(const void *item)
{
    const jaga_subscription *sub = item;
    return json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:s}", "id", (json_int_t)sub->id, "peer",
                     sub->peer, "remote_bank", sub->remote_bank, "bank", sub->bank, "cursor",
                     (json_int_t)sub->cursor, "pulled_at", (json_int_t)sub->pulled_at, "rejected",
                     (json_int_t)sub->rejected, "last_error", sub->last_error);
}

static jaga_status read_subscriptions(jaga_store *db, void **out, size_t *n)
{
    return jaga_store_subscription_list(db, NULL, (jaga_subscription **)out, n);
}

static void subscriptions_list(server_state *s, http_request *req, http_response *r)
{
    (void)req;
    list_all(s, r, "subscriptions", sizeof(jaga_subscription), read_subscriptions,
             subscription_json);
}

static void subscribe(server_state *s, http_request *req, http_response *r)
{
    exchange_subscribe_request q;
    char err[256];
    if (exchange_subscribe_parse(req->body, req->body_len, &q, err, sizeof(err)) != 0) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_subscription sub;
    pthread_mutex_lock(&s->bank_lock); /* it may make a bank */
    jaga_store *db = store_take(s, r);
    jaga_status st = db ? jaga_exchange_subscribe(db, ctx, q.peer, q.bank,
                                                  q.local_bank[0] ? q.local_bank : NULL, &sub)
                        : JAGA_ERR_IO;
    store_give(s, db);
    pthread_mutex_unlock(&s->bank_lock);
    if (st == JAGA_OK)
        respond_json(r, 201, subscription_json(&sub));
    else if (db)
        respond_failure(r, st, ctx);
    jaga_ctx_free(ctx);
}

#define EXCHANGE_READERS AUDIT_ROLES

static const route table[] = {
    {"GET", "/v1/exchange/*/feed", PEER_ROUTE, feed, BODY_IN_MEMORY, RUN_WAITING,
     "cursor limit wait"},
    {"POST", "/v1/exchange/*/feedback", PEER_ROUTE, feedback_post, BODY_JSON, RUN_ON_WORKER, NULL},
    {"GET", "/v1/exchange/*/feedback", EXCHANGE_READERS, feedback_list, BODY_IN_MEMORY, RUN_INLINE,
     NULL},
    {"GET", "/v1/exchange/peers", EXCHANGE_READERS, peers_list, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"POST", "/v1/exchange/peers", ADMIN_ROLES, peers_add, BODY_JSON, RUN_INLINE, NULL},
    {"DELETE", "/v1/exchange/peers/*", ADMIN_ROLES, peers_revoke, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"GET", "/v1/exchange/subscriptions", EXCHANGE_READERS, subscriptions_list, BODY_IN_MEMORY,
     RUN_INLINE, NULL},
    {"POST", "/v1/exchange/subscriptions", ADMIN_ROLES, subscribe, BODY_JSON, RUN_INLINE, NULL},
};

const route *routes_exchange(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

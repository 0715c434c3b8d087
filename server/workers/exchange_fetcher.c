/* The fetcher: every subscription pulled from its peer on a thread of its own, each change
 * reaching the store and then the matcher under the bank lock; reviewers' verdicts on entries
 * that came from peers sent back to them. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exchange_feed.h"
#include "jaga/exchange.h"
#include "store_pool.h"

/* Subscriptions pulled at once; more wait for a restart (and are said so). */
enum { PULLERS_MAX = 32, LOOK_EVERY_S = 2, BACKOFF_MAX_S = 60 };

typedef struct puller {
    server_state *s;
    int64_t id;
    char peer[JAGA_PEER_NAME_MAX], bank[JAGA_BANK_NAME_MAX];
    char local[JAGA_BANK_NAME_MAX]; /* the local bank, and its id */
    int64_t bank_id;
    size_t changed; /* entries changed under the current lock */
    pthread_t thread;
} puller;

struct exchange_fetcher {
    pthread_t manager;
    puller pullers[PULLERS_MAX];
    size_t n;
    int told_full;
};

/* Sleeps seconds, waking early when the exchange stops; 1 when it did. */
static int nap(server_state *s, unsigned seconds)
{
    for (unsigned i = 0; i < seconds * 10 && !s->exchange_stopping; i++)
        usleep(100000);
    return s->exchange_stopping;
}

static int pull_stopped(void *arg)
{
    return ((puller *)arg)->s->exchange_stopping;
}

static void pull_lock(void *arg)
{
    puller *p = arg;
    pthread_mutex_lock(&p->s->bank_lock);
    p->changed = 0;
    /* A local bank made since the matcher loaded (a subscription made meanwhile). */
    jaga_bank bank;
    if (jaga_matcher_bank(p->s->matcher, p->bank_id, &bank) == JAGA_OK)
        return;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_store *db = store_pool_take(p->s->stores, ctx);
    jaga_status st = db ? JAGA_OK : JAGA_ERR_IO;
    if (st == JAGA_OK && (st = jaga_store_bank_get(db, ctx, p->local, &bank)) == JAGA_OK)
        st = jaga_matcher_set_bank(p->s->matcher, ctx, db, &bank);
    store_pool_give(p->s->stores, db);
    if (st != JAGA_OK)
        fprintf(stderr, "jaga serve: exchange %s/%s: bank %s not matched: %s\n", p->peer, p->bank,
                p->local, jaga_errmsg(ctx));
    jaga_ctx_free(ctx);
}

static void pull_unlock(void *arg)
{
    puller *p = arg;
    pthread_mutex_unlock(&p->s->bank_lock);
    if (p->changed)
        exchange_notify(p->s); /* the bank may be published onwards */
}

static void pull_changed(void *arg, const jaga_entry *e)
{
    puller *p = arg;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    if (jaga_matcher_apply(p->s->matcher, ctx, e) != JAGA_OK)
        fprintf(stderr, "jaga serve: exchange %s/%s: the matcher could not take entry %lld: %s\n",
                p->peer, p->bank, (long long)e->id, jaga_errmsg(ctx));
    jaga_ctx_free(ctx);
    p->changed++;
}

static void *pull_loop(void *arg)
{
    puller *p = arg;
    server_state *s = p->s;
    jaga_ctx *ctx = NULL;
    jaga_store *db = NULL;
    jaga_ctx_open(&ctx);
    if (jaga_store_open(ctx, s->config->db, &db) != JAGA_OK) {
        fprintf(stderr, "jaga serve: exchange %s/%s: %s\n", p->peer, p->bank, jaga_errmsg(ctx));
        jaga_ctx_free(ctx);
        return NULL;
    }
    unsigned backoff = 1;
    jaga_pull_options opt = {.wait_s = s->config->exchange_wait_s,
                             .limit = s->config->exchange_batch,
                             .lock = pull_lock,
                             .unlock = pull_unlock,
                             .changed = pull_changed,
                             .stopped = pull_stopped,
                             .arg = p};
    while (!s->exchange_stopping) {
        jaga_subscription sub;
        jaga_peer peer;
        jaga_pull_report rep;
        jaga_status st = jaga_store_subscription_get(db, ctx, p->peer, p->bank, &sub);
        if (st == JAGA_OK)
            st = jaga_store_peer_get(db, ctx, p->peer, &peer);
        if (st == JAGA_OK && peer.revoked_at)
            st = JAGA_ERR_NOT_FOUND; /* idle until a restart drops it */
        if (st == JAGA_OK)
            st = jaga_exchange_pull(db, ctx, s->audit_key, &peer, &sub, &opt, &rep);
        if (st == JAGA_OK || st == JAGA_ERR_LIMIT) {
            /* Caught up; or the peer's rate limit: a second's pause, no backoff. */
            backoff = 1;
            if (st == JAGA_ERR_LIMIT && nap(s, 1))
                break;
            continue;
        }
        if (st != JAGA_ERR_NOT_FOUND)
            fprintf(stderr, "jaga serve: exchange %s/%s: %s (again in %u s)\n", p->peer, p->bank,
                    jaga_errmsg(ctx), backoff);
        if (nap(s, st == JAGA_ERR_NOT_FOUND ? BACKOFF_MAX_S : backoff))
            break;
        backoff = backoff * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S : backoff * 2;
    }
    jaga_store_free(db);
    jaga_ctx_free(ctx);
    return NULL;
}

/* Starts a puller for each subscription that has none. */
static void look(server_state *s, jaga_ctx *ctx)
{
    exchange_fetcher *f = s->fetcher;
    jaga_store *db = store_pool_take(s->stores, ctx);
    jaga_subscription *subs = NULL;
    size_t n = 0;
    if (!db || jaga_store_subscription_list(db, ctx, &subs, &n) != JAGA_OK)
        n = 0;
    store_pool_give(s->stores, db);
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < f->n && f->pullers[j].id != subs[i].id)
            j++;
        if (j < f->n)
            continue;
        if (f->n == PULLERS_MAX) {
            if (!f->told_full++)
                fprintf(stderr, "jaga serve: exchange: over %d subscriptions, the rest wait\n",
                        PULLERS_MAX);
            break;
        }
        puller *p = &f->pullers[f->n];
        *p = (puller){.s = s, .id = subs[i].id};
        snprintf(p->peer, sizeof(p->peer), "%s", subs[i].peer);
        snprintf(p->bank, sizeof(p->bank), "%s", subs[i].remote_bank);
        snprintf(p->local, sizeof(p->local), "%s", subs[i].bank);
        p->bank_id = subs[i].bank_id;
        if (pthread_create(&p->thread, NULL, pull_loop, p) == 0)
            f->n++;
    }
    free(subs);
}

/* Sends the reviewers' verdicts waiting for their peers, one request each; a failed one is
 * tried again later, up to JAGA_VERDICT_ATTEMPTS_MAX times (never again when the peer does not
 * hold the entry). */
static void send_verdicts(server_state *s, jaga_ctx *ctx)
{
    int64_t now = (int64_t)time(NULL);
    jaga_outgoing_verdict *due = NULL;
    size_t n = 0;
    jaga_store *db = store_pool_take(s->stores, ctx);
    if (!db || jaga_store_verdicts_due(db, ctx, now, 100, &due, &n) != JAGA_OK)
        n = 0;
    store_pool_give(s->stores, db);
    for (size_t i = 0; i < n && !s->exchange_stopping; i++) {
        jaga_outgoing_verdict *v = &due[i];
        jaga_peer peer;
        jaga_status st = JAGA_ERR_IO;
        if ((db = store_pool_take(s->stores, ctx))) {
            st = jaga_store_peer_get(db, ctx, v->peer, &peer);
            store_pool_give(s->stores, db);
        }
        if (st == JAGA_OK)
            st = jaga_exchange_feedback_send(ctx, s->audit_key, &peer, v->remote_bank, v->type,
                                             v->value, v->verdict, v->at);
        unsigned wait = 10u << (v->attempts < 8 ? v->attempts : 8);
        int64_t next = st == JAGA_ERR_NOT_FOUND || v->attempts + 1 >= JAGA_VERDICT_ATTEMPTS_MAX
                           ? 0
                           : now + wait;
        if (st != JAGA_OK)
            fprintf(stderr, "jaga serve: exchange %s/%s: verdict on %s not sent: %s%s\n", v->peer,
                    v->remote_bank, v->value, jaga_errmsg(ctx), next ? "" : " (given up)");
        if ((db = store_pool_take(s->stores, ctx))) {
            jaga_store_verdict_done(db, ctx, v->id, st == JAGA_OK ? NULL : jaga_errmsg(ctx), next);
            store_pool_give(s->stores, db);
        }
    }
    free(due);
}

static void *manage(void *arg)
{
    server_state *s = arg;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    do {
        look(s, ctx);
        send_verdicts(s, ctx);
    } while (!nap(s, LOOK_EVERY_S));
    jaga_ctx_free(ctx);
    return NULL;
}

int exchange_fetcher_start(server_state *s)
{
    if (!(s->fetcher = calloc(1, sizeof(*s->fetcher))))
        return -1;
    if (pthread_create(&s->fetcher->manager, NULL, manage, s) != 0) {
        free(s->fetcher);
        s->fetcher = NULL;
        return -1;
    }
    return 0;
}

void exchange_fetcher_stop(server_state *s)
{
    exchange_fetcher *f = s->fetcher;
    if (!f)
        return;
    pthread_join(f->manager, NULL);
    for (size_t i = 0; i < f->n; i++)
        pthread_join(f->pullers[i].thread, NULL);
    free(f);
    s->fetcher = NULL;
}

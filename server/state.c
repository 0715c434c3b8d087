/* The server's shared state: store pool, matcher and its snapshot, rate limiter, metrics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "metrics.h"
#include "rate_limit.h"
#include "work_queue.h"

/* Where the snapshot lives: the config's path, DB.index by default, none for "off". */
static void snapshot_path(server_state *s, const server_config *config)
{
    if (strcmp(config->index_snapshot, "off") == 0)
        s->snapshot[0] = '\0';
    else if (config->index_snapshot[0])
        snprintf(s->snapshot, sizeof(s->snapshot), "%s", config->index_snapshot);
    else
        snprintf(s->snapshot, sizeof(s->snapshot), "%s.index", config->db);
}

int server_state_open(server_state *s, const server_config *config)
{
    jaga_ctx *ctx = NULL;
    if (jaga_ctx_open(&ctx) != JAGA_OK)
        return -1;
    s->config = config;
    pthread_mutex_init(&s->bank_lock, NULL);
    snapshot_path(s, config);
    /* A handle for each worker and for the main thread. */
    int rc = (s->stores =
                  store_pool_open(ctx, config->db, config->threads + 1, metrics_store, s->metrics))
                 ? 0
                 : -1;
    jaga_store *db = rc == 0 ? store_pool_take(s->stores, ctx) : NULL;
    if (db &&
        jaga_matcher_open(ctx, db, s->snapshot[0] ? s->snapshot : NULL, &s->matcher) != JAGA_OK)
        rc = -1;
    store_pool_give(s->stores, db);
    if (rc != 0 || !db)
        fprintf(stderr, "jaga serve: %s\n", *jaga_errmsg(ctx) ? jaga_errmsg(ctx) : "no memory");
    else
        fprintf(stderr, "jaga serve: %zu bank entries, PDQ index %s\n",
                jaga_matcher_count(s->matcher),
                jaga_matcher_from_snapshot(s->matcher) ? "loaded from its snapshot"
                                                       : "built from the store");
    jaga_ctx_free(ctx);
    if (rc == 0 && db &&
        (!(s->limiter = rate_limit_open(config->rate_per_key, config->burst_per_key)) ||
         !(s->workers = work_queue_open(config->threads))))
        rc = -1;
    return rc == 0 && db ? 0 : -1;
}

/* Saves the index for the next start; no change can come in meanwhile (the server has
 * stopped taking requests). */
static void save_snapshot(server_state *s, jaga_ctx *ctx, jaga_store *db)
{
    if (!s->snapshot[0] || !s->matcher)
        return;
    if (jaga_matcher_save(s->matcher, ctx, db, s->snapshot) != JAGA_OK)
        fprintf(stderr, "jaga serve: %s\n", jaga_errmsg(ctx));
}

void server_state_close(server_state *s)
{
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_store *db = s->stores ? store_pool_take(s->stores, ctx) : NULL;
    if (db) {
        save_snapshot(s, ctx, db);
        if (jaga_store_checkpoint(db, ctx) != JAGA_OK)
            fprintf(stderr, "jaga serve: %s\n", jaga_errmsg(ctx));
        store_pool_give(s->stores, db);
    }
    jaga_ctx_free(ctx);
    work_queue_free(s->workers);
    jaga_matcher_free(s->matcher);
    store_pool_free(s->stores);
    rate_limit_free(s->limiter);
    metrics_free(s->metrics);
    free(s->routes);
    free(s->route_labels[0]);
    free(s->route_labels[1]);
    if (s->config)
        pthread_mutex_destroy(&s->bank_lock);
}

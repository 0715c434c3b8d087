/* The server's shared state: store pool, matcher and its snapshot, policy, geo database,
 * visibility map, rate limiter, workers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classifier_pool.h"
#include "rendition_cache.h"
#include "commit_group.h"
#include "jaga/audit.h"
#include "compliance_page.h"
#include "exchange_feed.h"
#include "http.h"
#include "key_cache.h"
#include "metrics.h"
#include "rate_limit.h"
#include "replay_guard.h"
#include "jaga/core.h"
#include "store_pool.h"
#include "work_queue.h"

/* Threads for grouped routes: they wait on the group commit more than they work, and a group
 * is as large as the requests in flight. */
enum { INTAKE_THREADS = 64 };
/* Feed requests waiting for news at once; more wait in line for a thread. */
enum { LONG_POLL_THREADS = 16 };
/* Blurred renditions kept drawn: about 5 to 30 KiB each; 32 MiB in all at most. */
enum { RENDITION_SLOTS = 2048, RENDITION_MAX_BYTES = 256 << 10, RENDITION_MAX_TOTAL = 32 << 20 };
/* Peer signatures kept for replay checks: 131072 in a 600 s window, over 200 requests/s. */
enum { REPLAY_SLOTS = 1 << 17 };

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

/* The matcher and the visibility map, from the store. */
static jaga_status load_memory(server_state *s, jaga_ctx *ctx)
{
    jaga_store *db = store_pool_take(s->stores, ctx);
    if (!db)
        return JAGA_ERR_IO;
    jaga_status st = jaga_matcher_open(ctx, db, s->snapshot[0] ? s->snapshot : NULL, &s->matcher);
    if (st == JAGA_OK)
        st = jaga_visibility_map_open(&s->visibility);
    if (st == JAGA_OK)
        st = jaga_visibility_map_load(s->visibility, ctx, db);
    store_pool_give(s->stores, db);
    if (st == JAGA_OK)
        fprintf(stderr, "jaga serve: %zu bank entries, PDQ index %s; %zu restrictions\n",
                jaga_matcher_count(s->matcher),
                jaga_matcher_from_snapshot(s->matcher) ? "loaded from its snapshot"
                                                       : "built from the store",
                jaga_visibility_map_count(s->visibility));
    return st;
}

/* A warning line for teams cases can reach that no moderator key works in. */
static void warn_unreachable(server_state *s, jaga_ctx *ctx)
{
    jaga_store *db = store_pool_take(s->stores, ctx);
    json_t *unreachable = NULL;
    if (db && server_unreachable_teams(s, db, &unreachable) == 0 && json_array_size(unreachable)) {
        char *names = json_dumps(unreachable, JSON_COMPACT);
        fprintf(stderr,
                "jaga serve: warning: cases can reach teams no moderator key works in: %s "
                "(GET /v1/config/check)\n",
                names ? names : "?");
        free(names);
    }
    json_decref(unreachable);
    if (db)
        store_pool_give(s->stores, db);
}

/* The geo database when there is one: without it, visibility needs a country. */
static jaga_status open_geo(server_state *s, jaga_ctx *ctx)
{
    const char *path = s->config->geo_db;
    if (!path[0] || access(path, F_OK) != 0) {
        fprintf(stderr, "jaga serve: no geo database%s%s: visibility by ip= is refused (503)\n",
                path[0] ? " at " : "", path);
        return JAGA_OK;
    }
    return jaga_geo_open(ctx, path, &s->geo);
}

/* The classifier's model (as the geo database: a missing file means scans go unclassified,
 * said at start; a model that does not load stops the start). */
static jaga_status open_classifier(server_state *s, jaga_ctx *ctx)
{
    const char *path = s->config->classifier_model;
    if (!path[0] || strcmp(path, "off") == 0 || access(path, F_OK) != 0) {
        fprintf(stderr, "jaga serve: no classifier model%s%s: scans are not classified\n",
                path[0] && strcmp(path, "off") ? " at " : "", strcmp(path, "off") ? path : "");
        return JAGA_OK;
    }
    s->classifier = classifier_pool_open(ctx, path, s->config->threads);
    if (s->classifier)
        fprintf(stderr, "jaga serve: classifier %s\n", path);
    return s->classifier ? JAGA_OK : JAGA_ERR_DECODE;
}

/* The webhook secret, from its own file (never from the config itself, never logged). */
static jaga_status load_webhook_secret(server_state *s, jaga_ctx *ctx)
{
    const server_config *c = s->config;
    if (!c->webhook_url[0])
        return JAGA_OK;
    void *text = NULL;
    size_t len = 0;
    jaga_status st =
        c->webhook_secret_file[0]
            ? jaga_file_read_secret(ctx, c->webhook_secret_file, sizeof(s->webhook_secret) - 1,
                                    &text, &len)
            : jaga_fail(ctx, JAGA_ERR_INVALID, "webhook_url needs a webhook_secret_file");
    while (st == JAGA_OK && len &&
           (((char *)text)[len - 1] == '\n' || ((char *)text)[len - 1] == '\r'))
        len--;
    if (st == JAGA_OK && len < 16)
        st = jaga_fail(ctx, JAGA_ERR_INVALID, "%s: a webhook secret has at least 16 bytes",
                       c->webhook_secret_file);
    if (st == JAGA_OK)
        memcpy(s->webhook_secret, text, len);
    free(text);
    return st;
}

/* The audit log's signing key: the config's file, else beside the store (made there for a new
 * log). */
static jaga_status open_audit_key(server_state *s, jaga_ctx *ctx)
{
    char path[1100];
    if (s->config->audit_key_file[0])
        snprintf(path, sizeof(path), "%s", s->config->audit_key_file);
    else if (jaga_audit_key_path(s->config->db, path, sizeof(path)) != 0)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "the store path is too long");
    jaga_store *db = store_pool_take(s->stores, ctx);
    if (!db)
        return JAGA_ERR_IO;
    jaga_status st = jaga_audit_key_open(db, ctx, path, &s->audit_key);
    store_pool_give(s->stores, db);
    return st;
}

/* The console's Content-Security-Policy: this server's scripts, styles and calls; media from
 * here and the media_origin list (origins only, nothing that could end the directive). */
static jaga_status console_policy(server_state *s, jaga_ctx *ctx)
{
    const char *m = s->config->media_origin;
    for (const char *c = m; *c; c++)
        if (*c == ';' || *c == ',' || *c == '\'' || *c == '"' || (unsigned char)*c < 0x20)
            return jaga_fail(ctx, JAGA_ERR_INVALID,
                             "media_origin is a space-separated list of origins");
    snprintf(
        s->console_csp, sizeof(s->console_csp),
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
        " img-src 'self' blob:%s%s; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        *m ? " " : "", m);
    return JAGA_OK;
}

void review_begin(server_state *s, jaga_store *db, jaga_review *rv)
{
    memset(rv, 0, sizeof(*rv));
    rv->db = db;
    rv->policy = policy_acquire(s);
    rv->matcher = s->matcher;
    rv->map = s->visibility;
    rv->routing = &s->routing;
    rv->webhooks = s->config->webhook_url[0] != '\0';
}

void review_end(server_state *s)
{
    policy_release(s);
}

static jaga_store *scan_take(void *arg, jaga_ctx *ctx)
{
    server_state *s = arg;
    return store_pool_take(s->stores, ctx);
}

static void scan_give(void *arg, jaga_store *db)
{
    server_state *s = arg;
    store_pool_give(s->stores, db);
}

jaga_status scan_env_begin(server_state *s, jaga_ctx *ctx, jaga_scan_env *env)
{
    memset(env, 0, sizeof(*env));
    review_begin(s, NULL, &env->review);
    env->stores = (jaga_scan_stores){.take = scan_take, .give = scan_give, .arg = s};
    return jaga_pdq_hasher_open(&env->hasher) == JAGA_OK
               ? JAGA_OK
               : jaga_fail(ctx, JAGA_ERR_NOMEM, "scan: no memory for a hasher");
}

void scan_env_end(server_state *s, jaga_scan_env *env)
{
    if (!env->stores.take) /* never begun */
        return;
    jaga_pdq_hasher_free(env->hasher);
    env->hasher = NULL;
    env->stores.take = NULL;
    review_end(s);
}

jaga_status event_post(server_state *s, jaga_ctx *ctx, jaga_store *db, const char *event,
                       json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!text)
        return JAGA_ERR_NOMEM;
    jaga_review rv;
    review_begin(s, db, &rv);
    jaga_status st = jaga_event_queue(ctx, &rv, event, text);
    review_end(s);
    free(text);
    return st;
}

jaga_status review_run(server_state *s, jaga_ctx *ctx, review_op op, void *arg)
{
    pthread_mutex_lock(&s->bank_lock);
    jaga_store *db = store_pool_take(s->stores, ctx);
    jaga_status st = JAGA_ERR_IO;
    if (db) {
        jaga_review rv;
        review_begin(s, db, &rv);
        st = op(ctx, &rv, arg);
        review_end(s);
        store_pool_give(s->stores, db);
    }
    pthread_mutex_unlock(&s->bank_lock);
    if (st == JAGA_OK)
        exchange_notify(s); /* a notice may have banked hashes */
    return st;
}

int server_state_open(server_state *s, const server_config *config)
{
    jaga_ctx *ctx = NULL;
    if (jaga_ctx_open(&ctx) != JAGA_OK)
        return -1;
    s->config = config;
    s->routing.routes = config->routes;
    s->routing.nroutes = config->nroutes;
    pthread_mutex_init(&s->bank_lock, NULL);
    pthread_mutex_init(&s->head_lock, NULL);
    pthread_mutex_init(&s->news_lock, NULL);
    pthread_cond_init(&s->news_cond, NULL);
    pthread_rwlock_init(&s->policy_lock, NULL);
    snapshot_path(s, config);
    /* A handle for each worker, the main thread, the housekeeper and the video jobs. */
    s->stores = store_pool_open(ctx, config->db, config->threads + 3, metrics_store, s->metrics);
    jaga_status st = s->stores ? JAGA_OK : JAGA_ERR_IO;
    if (st == JAGA_OK && (st = jaga_policy_load(ctx, config->policy, &s->policy)) == JAGA_OK)
        fprintf(stderr, "jaga serve: policy %s from %s\n", jaga_policy_version(s->policy),
                config->policy);
    if (st == JAGA_OK)
        st = open_geo(s, ctx);
    if (st == JAGA_OK)
        st = load_webhook_secret(s, ctx);
    if (st == JAGA_OK)
        st = open_audit_key(s, ctx);
    if (st == JAGA_OK)
        st = open_classifier(s, ctx);
    if (st == JAGA_OK)
        st = console_policy(s, ctx);
    if (st == JAGA_OK) {
        char path[1100], err[512];
        snprintf(path, sizeof(path), "%s/compliance/strings.json", config->web_dir);
        if (!(s->texts = compliance_texts_load(path, err, sizeof(err)))) {
            fprintf(stderr, "jaga serve: %s\n", err);
            st = JAGA_ERR_INVALID;
        }
    }
    if (st == JAGA_OK)
        st = load_memory(s, ctx);
    if (st == JAGA_OK)
        warn_unreachable(s, ctx);
    if (st == JAGA_OK &&
        (!(s->limiter = rate_limit_open(config->rate_per_key, config->burst_per_key)) ||
         !(s->replays = replay_guard_open(REPLAY_SLOTS, JAGA_PEER_REQUEST_SKEW)) ||
         !(s->workers = work_queue_open(config->threads)) ||
         !(s->intake = work_queue_open(INTAKE_THREADS)) || !(s->commits = commit_group_open()) ||
         !(s->long_polls = work_queue_open(LONG_POLL_THREADS)) ||
         !(s->keys = key_cache_open(config->key_cache_s)) ||
         !(s->renditions =
               rendition_cache_open(RENDITION_SLOTS, RENDITION_MAX_BYTES, RENDITION_MAX_TOTAL))))
        st = JAGA_ERR_NOMEM;
    if (st != JAGA_OK)
        fprintf(stderr, "jaga serve: %s\n", *jaga_errmsg(ctx) ? jaga_errmsg(ctx) : "no memory");
    jaga_ctx_free(ctx);
    return st == JAGA_OK ? 0 : -1;
}

int server_policy_reload(server_state *s)
{
    jaga_ctx *ctx = NULL;
    jaga_policy *fresh = NULL;
    jaga_ctx_open(&ctx);
    jaga_status st = jaga_policy_load(ctx, s->config->policy, &fresh);
    if (st != JAGA_OK) {
        fprintf(stderr, "jaga serve: policy not reloaded, %s stays in force: %s\n",
                jaga_policy_version(s->policy), jaga_errmsg(ctx));
    } else {
        pthread_rwlock_wrlock(&s->policy_lock);
        jaga_policy *old = s->policy;
        s->policy = fresh;
        pthread_rwlock_unlock(&s->policy_lock);
        fprintf(stderr, "jaga serve: policy %s in force (was %s)\n", jaga_policy_version(fresh),
                jaga_policy_version(old));
        jaga_policy_free(old);
    }
    jaga_ctx_free(ctx);
    return st == JAGA_OK ? 0 : -1;
}

const jaga_policy *policy_acquire(server_state *s)
{
    pthread_rwlock_rdlock(&s->policy_lock);
    return s->policy;
}

void policy_release(server_state *s)
{
    pthread_rwlock_unlock(&s->policy_lock);
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
    work_queue_free(s->intake);
    work_queue_free(s->long_polls);
    commit_group_free(s->commits);
    jaga_matcher_free(s->matcher);
    jaga_visibility_map_free(s->visibility);
    jaga_geo_free(s->geo);
    jaga_policy_free(s->policy);
    json_decref(s->texts);
    store_pool_free(s->stores);
    rate_limit_free(s->limiter);
    replay_guard_free(s->replays);
    key_cache_free(s->keys);
    jaga_audit_key_free(s->audit_key);
    classifier_pool_free(s->classifier);
    rendition_cache_free(s->renditions);
    metrics_free(s->metrics);
    free(s->routes);
    free(s->route_labels[0]);
    free(s->route_labels[1]);
    if (s->config) {
        pthread_mutex_destroy(&s->bank_lock);
        pthread_mutex_destroy(&s->head_lock);
        pthread_mutex_destroy(&s->news_lock);
        pthread_cond_destroy(&s->news_cond);
        pthread_rwlock_destroy(&s->policy_lock);
    }
}

/* The housekeeper thread: the queue's sweeper (escalations, expiries) and a signed head of the
 * audit log (when it grew) every sweep_interval_s, and webhook deliveries to the platform, signed,
 * retried with backoff, dead-lettered after webhook_attempts. Deliveries are rows written in the
 * transaction of the decision they announce, so none is lost to a crash: at least once, with the
 * event id as idempotency key. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"

enum { DELIVERIES_PER_PASS = 16, BACKOFF_MAX_S = 3600 };

static jaga_status sweep_op(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    return jaga_cases_sweep(ctx, rv, 1000, arg);
}

static void sweep(server_state *s, jaga_ctx *ctx)
{
    jaga_sweep_result res = {0};
    jaga_status st = review_run(s, ctx, sweep_op, &res);
    if (st != JAGA_OK)
        fprintf(stderr, "jaga serve: sweep: %s\n", jaga_errmsg(ctx));
    else if (res.escalated || res.expired)
        fprintf(stderr, "jaga serve: sweep: %zu cases escalated, %zu provisional actions ended\n",
                res.escalated, res.expired);
}

static size_t discard(char *data, size_t size, size_t n, void *arg)
{
    (void)data, (void)arg;
    return size * n;
}

/* One attempt: 0 when the platform answered 2xx, else -1 with the reason in why. */
static int post(server_state *s, CURL *curl, const jaga_delivery *d, char *why, size_t cap)
{
    char signature[JAGA_SIGNATURE_MAX], h_sig[160], h_event[80], h_id[80], h_key[80];
    size_t len = strlen(d->body);
    jaga_webhook_sign(s->webhook_secret, (int64_t)time(NULL), d->body, len, signature);
    snprintf(h_sig, sizeof(h_sig), "X-Jaga-Signature: %s", signature);
    snprintf(h_event, sizeof(h_event), "X-Jaga-Event: %s", d->event);
    snprintf(h_id, sizeof(h_id), "X-Jaga-Delivery: %s", d->event_id);
    snprintf(h_key, sizeof(h_key), "Idempotency-Key: %s", d->event_id);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, h_sig);
    headers = curl_slist_append(headers, h_event);
    headers = curl_slist_append(headers, h_id);
    headers = curl_slist_append(headers, h_key);
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, s->config->webhook_url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, d->body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)len);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)s->config->webhook_timeout_s);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK)
        snprintf(why, cap, "%s", curl_easy_strerror(rc));
    else if (status < 200 || status > 299)
        snprintf(why, cap, "the platform answered %ld", status);
    return rc == CURLE_OK && status >= 200 && status <= 299 ? 0 : -1;
}

/* What an attempt leaves: delivered, tried again after a growing wait, or dead. */
static void settle(server_state *s, jaga_delivery *d, int ok, const char *why)
{
    int64_t now = (int64_t)time(NULL);
    d->attempts++;
    if (ok) {
        snprintf(d->status, sizeof(d->status), "delivered");
        d->done_at = now;
        d->last_error[0] = '\0';
        return;
    }
    snprintf(d->last_error, sizeof(d->last_error), "%s", why);
    if ((unsigned)d->attempts >= s->config->webhook_attempts) {
        snprintf(d->status, sizeof(d->status), "dead");
        d->done_at = now;
        fprintf(stderr, "jaga serve: webhook %s %s dead after %d attempts: %s\n", d->event,
                d->event_id, d->attempts, why);
        return;
    }
    int64_t wait = (int64_t)s->config->webhook_backoff_s
                   << (d->attempts - 1 < 20 ? d->attempts - 1 : 20);
    d->next_at = now + (wait < BACKOFF_MAX_S ? wait : BACKOFF_MAX_S);
}

static void deliver(server_state *s, jaga_ctx *ctx, CURL *curl)
{
    jaga_store *db = store_pool_take(s->stores, ctx);
    jaga_delivery *due = NULL;
    size_t n = 0;
    if (db && jaga_store_deliveries(db, ctx, "pending", (int64_t)time(NULL), DELIVERIES_PER_PASS,
                                    &due, &n) != JAGA_OK)
        fprintf(stderr, "jaga serve: webhooks: %s\n", jaga_errmsg(ctx));
    store_pool_give(s->stores, db); /* not held across the network */
    for (size_t i = 0; i < n && !s->stopping; i++) {
        char why[256] = "";
        int ok = post(s, curl, &due[i], why, sizeof(why)) == 0;
        settle(s, &due[i], ok, why);
        db = store_pool_take(s->stores, ctx);
        if (!db || jaga_store_delivery_put(db, ctx, &due[i]) != JAGA_OK)
            fprintf(stderr, "jaga serve: webhooks: %s\n", jaga_errmsg(ctx));
        store_pool_give(s->stores, db);
    }
    free(due);
}

/* Signs the audit log's head when it grew, so that heads follow the log without a caller. */
static void sign_head(server_state *s, jaga_ctx *ctx)
{
    jaga_store *db = store_pool_take(s->stores, ctx);
    jaga_tree_head h;
    if (!db || audit_head_now(s, db, ctx, &h) != JAGA_OK)
        fprintf(stderr, "jaga serve: audit head: %s\n", jaga_errmsg(ctx));
    store_pool_give(s->stores, db);
}

static void *housekeeper(void *arg)
{
    server_state *s = arg;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    CURL *curl = s->config->webhook_url[0] ? curl_easy_init() : NULL;
    time_t next_sweep = 0;
    while (!s->stopping) {
        if (time(NULL) >= next_sweep) {
            sweep(s, ctx);
            sign_head(s, ctx);
            next_sweep = time(NULL) + (time_t)s->config->sweep_interval_s;
        }
        if (curl)
            deliver(s, ctx, curl);
        struct timespec pause = {0, 200 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    curl_easy_cleanup(curl);
    jaga_ctx_free(ctx);
    return NULL;
}

int housekeeper_start(server_state *s)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
        pthread_create(&s->housekeeper, NULL, housekeeper, s) != 0) {
        fprintf(stderr, "jaga serve: cannot start the housekeeper\n");
        return -1;
    }
    s->housekeeper_running = 1;
    return 0;
}

void housekeeper_stop(server_state *s)
{
    if (!s->housekeeper_running)
        return;
    s->stopping = 1;
    pthread_join(s->housekeeper, NULL);
    s->housekeeper_running = 0;
    curl_global_cleanup();
}

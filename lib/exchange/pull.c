/* Pulling a peer's feed over HTTP (libcurl) into a subscription, and sending verdicts back. */
#include <curl/curl.h>
#include <openssl/evp.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jaga/exchange.h"
#include "jaga/core.h"

typedef struct answer {
    char *data;
    size_t len, cap;
    int too_large;
} answer;

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    answer *a = arg;
    size_t len = size * n;
    if (a->len + len > JAGA_EXCHANGE_JSON_MAX) {
        a->too_large = 1;
        return 0;
    }
    if (a->len + len + 1 > a->cap) {
        size_t cap = a->cap ? a->cap : 65536;
        while (cap < a->len + len + 1)
            cap *= 2;
        char *grown = realloc(a->data, cap);
        if (!grown)
            return 0;
        a->data = grown;
        a->cap = cap;
    }
    memcpy(a->data + a->len, data, len);
    a->len += len;
    a->data[a->len] = '\0';
    return len;
}

static int progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                    curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    const jaga_pull_options *opt = arg;
    return opt && opt->stopped && opt->stopped(opt->arg); /* non-zero aborts the transfer */
}

static int stopped(const jaga_pull_options *opt)
{
    return opt->stopped && opt->stopped(opt->arg);
}

/* One signed request to peer: its answer (status and body) into a, or JAGA_ERR_IO. */
static jaga_status peer_request(jaga_ctx *ctx, const jaga_audit_key *key, const jaga_peer *peer,
                                const char *method, const char *target, const char *body,
                                long timeout_s, const jaga_pull_options *opt, long *status,
                                answer *a)
{
    if (!peer->url[0])
        return jaga_fail(ctx, JAGA_ERR_IO, "peer %s has no url", peer->name);
    char url[JAGA_PEER_URL_MAX + 256], auth[JAGA_PEER_AUTH_MAX + 32];
    size_t base = strlen(peer->url);
    while (base && peer->url[base - 1] == '/')
        base--;
    snprintf(url, sizeof(url), "%.*s%s", (int)base, peer->url, target);
    char header[JAGA_PEER_AUTH_MAX];
    jaga_status st = jaga_exchange_request_sign(
        key, ctx, method, target, body, body ? strlen(body) : 0, (int64_t)time(NULL), header);
    if (st != JAGA_OK)
        return st;
    snprintf(auth, sizeof(auth), "Authorization: %s", header);
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, auth);
    struct curl_slist *json =
        headers ? curl_slist_append(headers, "Content-Type: application/json") : NULL;
    if (!curl || !json) {
        curl_slist_free_all(json ? json : headers);
        curl_easy_cleanup(curl);
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory for a request");
    }
    headers = json;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, a);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)opt);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (a->too_large)
        return jaga_fail(ctx, JAGA_ERR_IO, "peer %s answered over %zu bytes", peer->name,
                         JAGA_EXCHANGE_JSON_MAX);
    if (rc != CURLE_OK)
        return jaga_fail(ctx, JAGA_ERR_IO, "peer %s: %s", peer->name, curl_easy_strerror(rc));
    return JAGA_OK;
}

/* The message of a peer's JSON error answer into out, up to its closing quote, control
 * characters replaced (it goes to logs); "" when there is none. Returns out. */
static const char *answer_message(const answer *a, char *out, size_t cap)
{
    const char *m = a->data ? strstr(a->data, "\"message\":\"") : NULL;
    size_t n = 0;
    for (m = m ? m + 11 : ""; *m && *m != '"' && n + 1 < cap; m++)
        out[n++] = (unsigned char)*m < 0x20 || *m == 0x7f ? '?' : *m;
    out[n] = '\0';
    return out;
}

/* A batch the checks refuse: logged in the audit log, the pull ends. */
static jaga_status refuse(jaga_store *store, jaga_ctx *ctx, jaga_subscription *sub,
                          const char *reason, const answer *a, jaga_pull_report *report)
{
    uint8_t digest[32];
    unsigned n = 32;
    char detail[200];
    snprintf(detail, sizeof(detail), "%s", jaga_errmsg(ctx));
    int hashed = EVP_Digest(a->data ? a->data : "", a->len, digest, &n, EVP_sha256(), NULL) == 1;
    report->rejected = 1;
    jaga_ctx *log_ctx = NULL;
    jaga_ctx_open(&log_ctx);
    jaga_store_subscription_fail(store, log_ctx, sub->id, reason, detail, hashed ? digest : NULL);
    jaga_ctx_free(log_ctx);
    snprintf(sub->last_error, sizeof(sub->last_error), "%s: %s", reason, detail);
    return jaga_fail(ctx, JAGA_ERR_DECODE, "peer %s, bank %s: batch refused (%s): %s", sub->peer,
                     sub->remote_bank, reason, detail);
}

/* A pull that got no usable answer: the subscription's last error says why. */
static jaga_status unreachable(jaga_store *store, jaga_ctx *ctx, jaga_subscription *sub,
                               jaga_status st)
{
    snprintf(sub->last_error, sizeof(sub->last_error), "%s", jaga_errmsg(ctx));
    jaga_ctx *log_ctx = NULL;
    jaga_ctx_open(&log_ctx);
    jaga_store_subscription_fail(store, log_ctx, sub->id, NULL, sub->last_error, NULL);
    jaga_ctx_free(log_ctx);
    return st;
}

jaga_status jaga_exchange_pull(jaga_store *store, jaga_ctx *ctx, const jaga_audit_key *key,
                               const jaga_peer *peer, jaga_subscription *sub,
                               const jaga_pull_options *opt, jaga_pull_report *report)
{
    memset(report, 0, sizeof(*report));
    report->cursor = sub->cursor;
    unsigned timeout = opt->timeout_s ? opt->timeout_s : 30;
    for (int more = 1; more && !stopped(opt);) {
        char target[256];
        int n = snprintf(target, sizeof(target), "/v1/exchange/%s/feed?cursor=%" PRId64,
                         sub->remote_bank, sub->cursor);
        if (opt->limit)
            n += snprintf(target + n, sizeof(target) - (size_t)n, "&limit=%zu", opt->limit);
        if (opt->wait_s) /* the publisher waits only when it has nothing after the cursor */
            snprintf(target + n, sizeof(target) - (size_t)n, "&wait=%u", opt->wait_s);
        answer a = {0};
        long status = 0;
        jaga_status st = peer_request(ctx, key, peer, "GET", target, NULL,
                                      (long)(timeout + opt->wait_s), opt, &status, &a);
        char message[160];
        if (st == JAGA_OK && status == 429)
            st = jaga_fail(ctx, JAGA_ERR_LIMIT, "peer %s: too many requests, slowing down",
                           peer->name);
        else if (st == JAGA_OK && status != 200)
            st = jaga_fail(ctx, JAGA_ERR_IO, "peer %s answered %ld to %s: %s", peer->name, status,
                           target, answer_message(&a, message, sizeof(message)));
        if (st != JAGA_OK) {
            free(a.data);
            return stopped(opt) ? JAGA_OK : unreachable(store, ctx, sub, st);
        }
        jaga_exchange_batch *b = NULL;
        const char *reason = "malformed";
        st = jaga_exchange_batch_parse(ctx, a.data, a.len, &b);
        if (st == JAGA_OK)
            st = jaga_exchange_batch_check(b, ctx, peer->public_key, sub->remote_bank, sub->cursor,
                                           &reason);
        if (st != JAGA_OK) {
            st = refuse(store, ctx, sub, reason, &a, report);
            jaga_exchange_batch_free(b);
            free(a.data);
            return st;
        }
        free(a.data);
        size_t applied = 0;
        if (opt->lock)
            opt->lock(opt->arg);
        st = jaga_exchange_batch_apply(store, ctx, sub, b, opt->changed, opt->arg, &applied);
        if (opt->unlock)
            opt->unlock(opt->arg);
        if (st == JAGA_OK) {
            report->batches++;
            report->changes += b->n;
            report->applied += applied;
            sub->cursor = report->cursor = b->to;
            sub->last_error[0] = '\0';
            more = b->more;
        }
        jaga_exchange_batch_free(b);
        if (st != JAGA_OK)
            return unreachable(store, ctx, sub, st);
    }
    return JAGA_OK;
}

jaga_status jaga_exchange_feedback_send(jaga_ctx *ctx, const jaga_audit_key *key,
                                        const jaga_peer *peer, const char *bank,
                                        jaga_signal_type type, const char *value,
                                        jaga_feedback_verdict verdict, int64_t at)
{
    char target[128], body[512];
    snprintf(target, sizeof(target), "/v1/exchange/%s/feedback", bank);
    snprintf(body, sizeof(body),
             "{\"verdicts\":[{\"signal_type\":\"%s\",\"value\":\"%s\",\"verdict\":\"%s\","
             "\"at\":%" PRId64 "}]}",
             jaga_signal_type_name(type), value, jaga_feedback_verdict_name(verdict), at);
    answer a = {0};
    long status = 0;
    char message[160];
    jaga_status st = peer_request(ctx, key, peer, "POST", target, body, 30, NULL, &status, &a);
    if (st == JAGA_OK && status == 404)
        st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "peer %s: %s", peer->name,
                       answer_message(&a, message, sizeof(message)));
    else if (st == JAGA_OK && status != 200)
        st = jaga_fail(ctx, JAGA_ERR_IO, "peer %s answered %ld: %s", peer->name, status,
                       answer_message(&a, message, sizeof(message)));
    free(a.data);
    return st;
}

/* POST /v1/scan: an upload's signals and matches, stored under the platform's content id;
 * GET /v1/content/{id}: what was stored. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "metrics.h"

enum { MATCHES_MAX = 1000 };

static json_t *content_json(const jaga_content *c)
{
    json_error_t err;
    json_t *matches = json_loads(c->matches_json ? c->matches_json : "[]", 0, &err);
    return json_pack("{s:s,s:s,s:s,s:{s:s,s:i,s:s,s:s,s:i,s:i,s:s},s:o,s:I}", "content_id",
                     c->content_id, "uploader_id", c->uploader_id, "uploader_country",
                     c->uploader_country, "signals", "pdq", c->pdq, "quality", c->quality, "sha256",
                     c->sha256, "md5", c->md5, "width", (int)c->width, "height", (int)c->height,
                     "format", c->format, "matches", matches ? matches : json_array(), "scanned_at",
                     (json_int_t)c->scanned_at);
}

/* The query arguments into c; NULL or what is wrong. */
static const char *scan_arguments(const http_request *req, jaga_content *c)
{
    const char *id = request_arg(req, "content_id");
    const char *uploader = request_arg(req, "uploader_id");
    const char *country = request_arg(req, "uploader_country");
    if (!id || !*id || strlen(id) >= sizeof(c->content_id))
        return "content_id is required (at most 256 bytes)";
    if (uploader && strlen(uploader) >= sizeof(c->uploader_id))
        return "uploader_id is at most 256 bytes";
    if (country && (strlen(country) != 2 || !isupper((unsigned char)country[0]) ||
                    !isupper((unsigned char)country[1])))
        return "uploader_country is an ISO 3166-1 alpha-2 code, e.g. MY";
    strcpy(c->content_id, id);
    strcpy(c->uploader_id, uploader ? uploader : "");
    strcpy(c->uploader_country, country ? country : "");
    return NULL;
}

/* Answers a re-scan of a stored id: the stored record when the bytes are the same. */
static void rescan(server_state *s, http_response *r, const jaga_content *fresh)
{
    jaga_content old = {0};
    pthread_mutex_lock(&s->store_lock);
    jaga_status st = jaga_store_content_get(s->store, NULL, fresh->content_id, &old);
    pthread_mutex_unlock(&s->store_lock);
    if (st != JAGA_OK)
        respond_error(r, 503, "store_unavailable", "the store could not be read");
    else if (strcmp(old.sha256, fresh->sha256) != 0)
        respond_error(r, 409, "conflict", "content %s was scanned with other bytes",
                      fresh->content_id);
    else
        respond_json(r, 200, content_json(&old));
    jaga_content_clear(&old);
}

/* Signals, matches and the stored record of a new content. */
static void first_scan(server_state *s, http_request *req, http_response *r, jaga_content *c)
{
    jaga_signals sig;
    if (request_signals(s, req, r, 1, &sig) != 0)
        return;
    jaga_ctx *ctx = NULL;
    jaga_status st = jaga_ctx_open(&ctx);
    jaga_pdq_to_hex(&sig.pdq.hash[JAGA_DIH_ORIG], c->pdq);
    c->quality = sig.pdq.quality;
    jaga_hex_encode(sig.digests.md5, 16, c->md5);
    c->width = sig.width, c->height = sig.height;
    snprintf(c->format, sizeof(c->format), "%s", sig.format);
    jaga_match_query q = {
        .pdq = sig.pdq.hash, .npdq = JAGA_DIH_COUNT, .md5 = c->md5, .sha256 = c->sha256};
    static __thread jaga_match found[MATCHES_MAX];
    size_t n;
    if (jaga_matcher_match(s->matcher, ctx, &q, found, MATCHES_MAX, &n) != JAGA_OK) {
        respond_error(r, 503, "overloaded", "the matcher ran out of memory");
        goto out;
    }
    json_t *matches = matches_to_json(s, found, n < MATCHES_MAX ? n : MATCHES_MAX);
    c->matches_json = json_dumps(matches, JSON_COMPACT);
    json_decref(matches);
    pthread_mutex_lock(&s->store_lock);
    st = c->matches_json ? jaga_store_content_put(s->store, ctx, c) : JAGA_ERR_NOMEM;
    pthread_mutex_unlock(&s->store_lock);
    if (st == JAGA_ERR_CONFLICT) /* the same id, stored meanwhile by another request */
        rescan(s, r, c);
    else if (st != JAGA_OK)
        respond_error(r, 503, "store_unavailable", "the scan could not be stored");
    else {
        metrics_scan(s->metrics, n);
        respond_json(r, 201, content_json(c));
    }
out:
    jaga_ctx_free(ctx);
}

static void scan(server_state *s, http_request *req, http_response *r)
{
    if (!require_role(s, req, r, PLATFORM_ROLES))
        return;
    jaga_content c = {0};
    const char *problem = scan_arguments(req, &c);
    if (problem) {
        respond_error(r, 400, "bad_request", "%s", problem);
        return;
    }
    jaga_digests d;
    if (jaga_digest_bytes(NULL, req->body, req->body_len, &d) != JAGA_OK) {
        respond_error(r, 503, "overloaded", "digests failed");
        return;
    }
    jaga_hex_encode(d.sha256, 32, c.sha256);
    jaga_content old = {0};
    pthread_mutex_lock(&s->store_lock);
    jaga_status st = jaga_store_content_get(s->store, NULL, c.content_id, &old);
    pthread_mutex_unlock(&s->store_lock);
    jaga_content_clear(&old);
    if (st == JAGA_OK)
        rescan(s, r, &c);
    else if (st == JAGA_ERR_NOT_FOUND)
        first_scan(s, req, r, &c);
    else
        respond_error(r, 503, "store_unavailable", "the store could not be read");
    jaga_content_clear(&c);
}

static void content(server_state *s, http_request *req, http_response *r)
{
    if (!require_role(s, req, r, PLATFORM_ROLES | 1u << JAGA_ROLE_AUDITOR))
        return;
    char id[sizeof(((jaga_content *)0)->content_id)];
    path_segment(req->path, 2, id, sizeof(id));
    jaga_content c = {0};
    pthread_mutex_lock(&s->store_lock);
    jaga_status st = jaga_store_content_get(s->store, NULL, id, &c);
    pthread_mutex_unlock(&s->store_lock);
    if (st == JAGA_ERR_NOT_FOUND)
        respond_error(r, 404, "not_found", "no content %s", id);
    else if (st != JAGA_OK)
        respond_error(r, 503, "store_unavailable", "the store could not be read");
    else
        respond_json(r, 200, content_json(&c));
    jaga_content_clear(&c);
}

static const route table[] = {{"POST", "/v1/scan", scan}, {"GET", "/v1/content/*", content}};

const route *routes_scan(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

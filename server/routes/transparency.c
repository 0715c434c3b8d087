/* Transparency reports: GET /v1/transparency (admins, auditors, and regulators for their own
 * jurisdiction) as JSON or CSV under a head signed for the request, and the public page
 * /transparency, rendered under the latest signed head and kept until the log grows. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "whole_number.h"
#include "jaga/audit.h"
#include "jaga/transparency.h"

/* The last public page: reused while the head and the period are the same. */
static struct {
    pthread_mutex_t lock;
    uint64_t size;
    int64_t from, to;
    char *html;
    size_t len;
} page_cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The period and jurisdiction of the query string: 0, or -1 with a 400 answered. */
static int query_of(http_request *req, http_response *r, jaga_transparency_query *q)
{
    memset(q, 0, sizeof(*q));
    const char *names[2] = {"from", "to"};
    int64_t *fields[2] = {&q->from, &q->to};
    for (int i = 0; i < 2; i++) {
        const char *text = request_arg(req, names[i]);
        uint64_t v = 0;
        if (text && whole_number(text, 253402300799ull, &v) != 0) { /* up to 9999-12-31 */
            respond_error(r, 400, "invalid", "%s is a time in Unix seconds", names[i]);
            return -1;
        }
        *fields[i] = (int64_t)v;
    }
    if (q->to && q->to <= q->from) {
        respond_error(r, 400, "invalid", "the period must end after it starts");
        return -1;
    }
    const char *j = request_arg(req, "jurisdiction");
    if (j && (strlen(j) != 2 || j[0] < 'A' || j[0] > 'Z' || j[1] < 'A' || j[1] > 'Z')) {
        respond_error(r, 400, "invalid", "jurisdiction is a two-letter code");
        return -1;
    }
    if (j)
        memcpy(q->jurisdiction, j, 3);
    return 0;
}

static void respond_report(http_response *r, jaga_status st, jaga_ctx *ctx, char *text, size_t len,
                           const char *type)
{
    if (st != JAGA_OK) {
        respond_error(r, st == JAGA_ERR_INVALID ? 400 : 503, "report_failed", "%s",
                      jaga_errmsg(ctx));
        return;
    }
    free(r->body);
    r->status = 200, r->body = text, r->body_len = len, r->content_type = type;
}

/* The page under the latest head: a copy of the cached one when nothing changed. */
static jaga_status page_text(jaga_store *db, jaga_ctx *ctx, const jaga_transparency_query *q,
                             const jaga_tree_head *head, const uint8_t pub[32], char **text,
                             size_t *len)
{
    pthread_mutex_lock(&page_cache.lock);
    int hit = page_cache.html && page_cache.size == head->size && page_cache.from == q->from &&
              page_cache.to == q->to;
    jaga_status st = JAGA_OK;
    if (!hit) {
        free(page_cache.html);
        page_cache.html = NULL;
        st = jaga_transparency_report(db, ctx, q, head, pub, JAGA_TRANSPARENCY_HTML,
                                      &page_cache.html, &page_cache.len);
        page_cache.size = head->size, page_cache.from = q->from, page_cache.to = q->to;
    }
    *text = st == JAGA_OK ? malloc(page_cache.len + 1) : NULL;
    if (*text) {
        memcpy(*text, page_cache.html, page_cache.len);
        (*text)[page_cache.len] = '\0';
        *len = page_cache.len;
    } else if (st == JAGA_OK) {
        st = JAGA_ERR_NOMEM;
    }
    pthread_mutex_unlock(&page_cache.lock);
    return st;
}

/* The report of q in fmt, under a head signed for the request, or for the public page the
 * latest head the server signed (public callers never make a signature) and a cached page. */
static void answer(server_state *s, http_response *r, const jaga_transparency_query *q,
                   jaga_transparency_format fmt, int public_page)
{
    static const char *const types[] = {NULL, "text/csv; charset=utf-8",
                                        "text/html; charset=utf-8"};
    jaga_ctx *ctx = NULL;
    jaga_store *db = jaga_ctx_open(&ctx) == JAGA_OK ? store_take(s, r) : NULL;
    if (db) {
        jaga_tree_head head;
        uint8_t pub[32];
        char *text = NULL;
        size_t len = 0;
        jaga_audit_key_public(s->audit_key, pub);
        jaga_status st =
            public_page ? jaga_store_audit_head_latest(db, ctx, &head) : JAGA_ERR_NOT_FOUND;
        if (st == JAGA_ERR_NOT_FOUND)
            st = audit_head_now(s, db, ctx, &head);
        if (st == JAGA_OK)
            st = public_page ? page_text(db, ctx, q, &head, pub, &text, &len)
                             : jaga_transparency_report(db, ctx, q, &head, pub, fmt, &text, &len);
        respond_report(r, st, ctx, text, len, types[fmt]);
    }
    store_give(s, db);
    jaga_ctx_free(ctx);
}

static void report(server_state *s, http_request *req, http_response *r)
{
    jaga_transparency_query q;
    jaga_transparency_format fmt = JAGA_TRANSPARENCY_JSON;
    const char *f = request_arg(req, "format");
    if (query_of(req, r, &q) != 0)
        return;
    if ((f && jaga_transparency_format_parse(f, &fmt) != JAGA_OK) ||
        fmt == JAGA_TRANSPARENCY_HTML) {
        respond_error(r, 400, "invalid", "format is json or csv (the page is /transparency)");
        return;
    }
    if (req->key.role == JAGA_ROLE_REGULATOR) /* a regulator sees its own jurisdiction */
        memcpy(q.jurisdiction, req->key.jurisdiction, 3);
    answer(s, r, &q, fmt, 0);
}

static void page(server_state *s, http_request *req, http_response *r)
{
    jaga_transparency_query q;
    if (query_of(req, r, &q) != 0)
        return;
    q.jurisdiction[0] = '\0'; /* the public page covers every jurisdiction */
    answer(s, r, &q, JAGA_TRANSPARENCY_HTML, 1);
    r->csp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none';"
             " base-uri 'none'; form-action 'none'";
}

#define TRANSPARENCY_ROLES                                                                         \
    (1u << JAGA_ROLE_ADMIN | 1u << JAGA_ROLE_AUDITOR | 1u << JAGA_ROLE_REGULATOR)

static const route table[] = {
    {"GET", "/v1/transparency", TRANSPARENCY_ROLES, report, BODY_IN_MEMORY, RUN_ON_WORKER,
     "from to jurisdiction format"},
    {"GET", "/transparency", PUBLIC, page, BODY_IN_MEMORY, RUN_ON_WORKER, "from to"}};

const route *routes_transparency(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

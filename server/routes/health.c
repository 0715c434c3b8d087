/* GET /healthz: no key needed; says whether the store answers. */
#include <stdlib.h>

#include "http.h"
#include "metrics.h"

static void healthz(server_state *s, http_request *req, http_response *r)
{
    (void)req;
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_status st = jaga_store_ping(db, NULL);
    store_give(s, db);
    if (st != JAGA_OK) {
        respond_error(r, 503, "store_unavailable", "the store does not answer");
        return;
    }
    respond_json(r, 200,
                 json_pack("{s:s,s:I}", "status", "ok", "entries",
                           (json_int_t)jaga_matcher_count(s->matcher)));
}

/* GET /metrics: Prometheus text, for admin and auditor keys. */
static void prometheus(server_state *s, http_request *req, http_response *r)
{
    (void)req;
    char *text = metrics_render(s->metrics, jaga_matcher_count(s->matcher));
    if (!text) {
        respond_error(r, 503, "overloaded", "no memory for the metrics");
        return;
    }
    free(r->body);
    r->status = 200, r->body = text, r->body_len = 0;
    r->content_type = "text/plain; version=0.0.4";
}

static const route table[] = {
    {"GET", "/healthz", PUBLIC, healthz, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"GET", "/metrics", AUDIT_ROLES, prometheus, BODY_IN_MEMORY, RUN_INLINE, NULL}};

const route *routes_health(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

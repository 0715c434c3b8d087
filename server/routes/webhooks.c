/* Webhook deliveries for admins: GET /v1/webhooks/deliveries?status=dead (the dead-letter
 * list, or pending, delivered), POST /v1/webhooks/deliveries/{id}/retry (back in line). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "whole_number.h"

static json_t *delivery_json(const void *item)
{
    const jaga_delivery *d = item;
    json_error_t err;
    json_t *body = json_loads(d->body, 0, &err);
    return json_pack("{s:I,s:s,s:s,s:s,s:i,s:I,s:I,s:I,s:s,s:o}", "id", (json_int_t)d->id,
                     "event_id", d->event_id, "event", d->event, "status", d->status, "attempts",
                     d->attempts, "created_at", (json_int_t)d->created_at, "next_at",
                     (json_int_t)d->next_at, "done_at", (json_int_t)d->done_at, "last_error",
                     d->last_error, "body", body ? body : json_null());
}

static void list(server_state *s, http_request *req, http_response *r)
{
    const char *status = request_arg(req, "status");
    static const char *const known[] = {"pending", "delivered", "dead"};
    int ok = !status;
    for (int i = 0; status && i < 3; i++)
        ok |= strcmp(status, known[i]) == 0;
    if (!ok) {
        respond_error(r, 400, "bad_request", "status is pending, delivered or dead");
        return;
    }
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_delivery *all = NULL;
    size_t n = 0;
    jaga_status st = jaga_store_deliveries(db, NULL, status ? status : "", 0, 200, &all, &n);
    store_give(s, db);
    respond_list(r, st, "deliveries", all, n, sizeof(*all), delivery_json);
}

static void retry(server_state *s, http_request *req, http_response *r)
{
    char seg[24];
    path_segment(req->path, 3, seg, sizeof(seg));
    int64_t id = path_id(req->path, 3);
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_delivery *d = calloc(1, sizeof(*d));
    jaga_status st = !d   ? JAGA_ERR_NOMEM
                     : id ? jaga_store_delivery_get(db, NULL, id, d)
                          : JAGA_ERR_NOT_FOUND;
    if (st == JAGA_OK && strcmp(d->status, "delivered") == 0)
        st = JAGA_ERR_CONFLICT;
    if (st == JAGA_OK) {
        snprintf(d->status, sizeof(d->status), "pending");
        d->attempts = 0;
        d->next_at = (int64_t)time(NULL);
        d->done_at = 0;
        st = jaga_store_delivery_put(db, NULL, d);
    }
    store_give(s, db);
    if (st == JAGA_OK)
        respond_json(r, 200, delivery_json(d));
    else if (st == JAGA_ERR_NOT_FOUND)
        respond_error(r, 404, "not_found", "no delivery %s", seg);
    else if (st == JAGA_ERR_CONFLICT)
        respond_error(r, 409, "conflict", "delivery %s was delivered already", seg);
    else
        respond_error(r, 503, "store_unavailable", "the delivery could not be changed");
    free(d);
}

static const route table[] = {
    {"GET", "/v1/webhooks/deliveries", ADMIN_ROLES, list, BODY_IN_MEMORY, RUN_INLINE, "status"},
    {"POST", "/v1/webhooks/deliveries/*/retry", ADMIN_ROLES, retry, BODY_IN_MEMORY, RUN_INLINE,
     NULL},
};

const route *routes_webhooks(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

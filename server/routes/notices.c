/* Regulators' notices: POST /v1/notices (a regulator key, for its own jurisdiction),
 * GET /v1/notices, GET /v1/notices/{id} (a regulator sees its own only; another's is 404),
 * POST /v1/notices/{id}/items/{item}/withdraw (its own regulator only).
 * Receipt (jaga_notice_receive) stores the notice, its case sources, restrictions and bank entries,
 * and the memory follows, before the notice is acknowledged with its id and receipt time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "whole_number.h"
#include "notice_request.h"

/* Where an item stands: actioned, breached (the deadline passed first), withdrawn by its
 * regulator (before any action, within the deadline) or pending. */
static const char *item_status(const jaga_notice *n, const jaga_notice_item *it, int64_t now)
{
    if (it->actioned_at)
        return it->actioned_at <= n->deadline_at ? "actioned" : "actioned_late";
    if (it->withdrawn_at)
        return it->withdrawn_at > n->deadline_at ? "breached" : "withdrawn";
    return now > n->deadline_at ? "breached" : "pending";
}

static json_t *notice_json(const jaga_notice *n, const jaga_notice_item *items, size_t count)
{
    int64_t now = (int64_t)time(NULL);
    json_t *list = json_array();
    size_t breached = 0, pending = 0;
    for (size_t i = 0; i < count; i++) {
        const jaga_notice_item *it = &items[i];
        const char *status = item_status(n, it, now);
        breached += strcmp(status, "breached") == 0 || strcmp(status, "actioned_late") == 0;
        pending += strcmp(status, "pending") == 0;
        json_t *j =
            json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)it->id, "kind", it->kind, "value",
                      it->value, "case_id", (json_int_t)it->case_id, "status", status);
        if (it->actioned_at) {
            json_object_set_new(j, "actioned_at", json_integer(it->actioned_at));
            json_object_set_new(j, "action", json_string(it->action));
            json_object_set_new(j, "seconds_to_action",
                                json_integer(it->actioned_at - n->received_at));
        }
        if (it->withdrawn_at)
            json_object_set_new(j, "withdrawn_at", json_integer(it->withdrawn_at));
        json_array_append_new(list, j);
    }
    json_t *out = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:{s:s,s:f},s:I,s:I,s:{s:s,s:f}}", "id", (json_int_t)n->id,
        "jurisdiction", n->jurisdiction, "reference", n->reference, "legal_basis", n->legal_basis,
        "urgency", n->urgent ? "urgent" : "normal", "received_at", (json_int_t)n->received_at,
        "deadline_at", (json_int_t)n->deadline_at, "penalty_per_breach", "currency",
        n->penalty_currency, "amount", n->penalty_amount, "pending", (json_int_t)pending,
        "breached", (json_int_t)breached, "penalty_exposure", "currency", n->penalty_currency,
        "amount", n->penalty_amount * (double)breached);
    json_object_set_new(out, "items", list);
    return out;
}

/* The notice from the request: the deadline, when given, and the penalty; the rest by
 * default from the jurisdiction (jaga_notice_receive). */
static void notice_of(const notice_request *req, const jaga_key *key, jaga_notice *n)
{
    memset(n, 0, sizeof(*n));
    snprintf(n->jurisdiction, sizeof(n->jurisdiction), "%s", key->jurisdiction);
    snprintf(n->key_prefix, sizeof(n->key_prefix), "%s", key->prefix);
    snprintf(n->reference, sizeof(n->reference), "%s", req->reference);
    snprintf(n->legal_basis, sizeof(n->legal_basis), "%s", req->legal_basis);
    n->urgent = req->urgent;
    n->received_at = (int64_t)time(NULL);
    if (req->deadline_s)
        n->deadline_at = n->received_at + req->deadline_s;
    if (req->has_penalty) {
        snprintf(n->penalty_currency, sizeof(n->penalty_currency), "%s", req->currency);
        n->penalty_amount = req->amount;
    }
}

typedef struct notice_receipt {
    jaga_notice *notice;
    jaga_notice_item *items;
    size_t nitems;
} notice_receipt;

static jaga_status receive(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    notice_receipt *nr = arg;
    return jaga_notice_receive(ctx, rv, nr->notice, nr->items, nr->nitems);
}

static void file(server_state *s, http_request *req, http_response *r)
{
    notice_request nr;
    char err[256];
    if (notice_request_parse(req->body, req->body_len, &nr, err, sizeof(err)) != 0) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    if (nr.jurisdiction[0] && strcmp(nr.jurisdiction, req->key.jurisdiction) != 0) {
        respond_error(r, 403, "forbidden", "a %s regulator files notices for %s only",
                      req->key.jurisdiction, req->key.jurisdiction);
        notice_request_free(&nr);
        return;
    }
    jaga_notice n;
    notice_of(&nr, &req->key, &n);
    notice_receipt receipt = {&n, nr.items, nr.nitems};
    jaga_status st = review_run(s, NULL, receive, &receipt);
    if (st == JAGA_OK)
        respond_json(r, 201, notice_json(&n, nr.items, nr.nitems));
    else
        respond_error(r, 503, "store_unavailable", "the notice could not be stored");
    notice_request_free(&nr);
}

/* Regulators see their own jurisdiction only. */
static int sees(const http_request *req, const jaga_notice *n)
{
    return req->key.role != JAGA_ROLE_REGULATOR ||
           strcmp(req->key.jurisdiction, n->jurisdiction) == 0;
}

static void list(server_state *s, http_request *req, http_response *r)
{
    const char *only = req->key.role == JAGA_ROLE_REGULATOR ? req->key.jurisdiction
                                                            : request_arg(req, "jurisdiction");
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_notice *all = NULL;
    size_t n = 0;
    jaga_status st = jaga_store_notice_list(db, NULL, only, &all, &n);
    json_t *out = json_array();
    for (size_t i = 0; st == JAGA_OK && i < n; i++) {
        jaga_notice_item *items = NULL;
        size_t count = 0;
        st = jaga_store_notice_items(db, NULL, all[i].id, &items, &count);
        if (st == JAGA_OK) {
            json_t *j = notice_json(&all[i], items, count);
            json_object_del(j, "items");
            json_object_set_new(j, "item_count", json_integer((json_int_t)count));
            json_array_append_new(out, j);
        }
        free(items);
    }
    store_give(s, db);
    free(all);
    if (st != JAGA_OK) {
        json_decref(out);
        respond_error(r, 503, "store_unavailable", "the store could not be read");
        return;
    }
    respond_json(r, 200, json_pack("{s:o}", "notices", out));
}

static void get(server_state *s, http_request *req, http_response *r)
{
    char seg[24];
    path_segment(req->path, 2, seg, sizeof(seg));
    int64_t id = path_id(req->path, 2);
    jaga_notice n;
    jaga_store *db = id ? store_take(s, r) : NULL;
    if (!db) {
        if (!r->body)
            respond_error(r, 404, "not_found", "no notice %s", seg);
        return;
    }
    jaga_notice_item *items = NULL;
    size_t count = 0;
    jaga_status st = jaga_store_notice_get(db, NULL, id, &n);
    /* Another jurisdiction's notice does not exist for this regulator. */
    if (st == JAGA_OK && !sees(req, &n))
        st = JAGA_ERR_NOT_FOUND;
    if (st == JAGA_OK)
        st = jaga_store_notice_items(db, NULL, id, &items, &count);
    store_give(s, db);
    if (st == JAGA_OK)
        respond_json(r, 200, notice_json(&n, items, count));
    else if (st == JAGA_ERR_NOT_FOUND)
        respond_error(r, 404, "not_found", "no notice %s", seg);
    else
        respond_error(r, 503, "store_unavailable", "the store could not be read");
    free(items);
}

typedef struct withdrawal_run {
    const http_request *req;
    int64_t notice_id, item_id;
    jaga_notice_withdrawal done;
} withdrawal_run;

static jaga_status withdraw_op(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    withdrawal_run *w = arg;
    return jaga_notice_withdraw(ctx, rv, w->req->key.jurisdiction, w->notice_id, w->item_id,
                                w->req->key.prefix, &w->done);
}

static void withdraw(server_state *s, http_request *req, http_response *r)
{
    withdrawal_run w = {
        .req = req, .notice_id = path_id(req->path, 2), .item_id = path_id(req->path, 4)};
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_status st =
        w.notice_id && w.item_id ? review_run(s, ctx, withdraw_op, &w) : JAGA_ERR_NOT_FOUND;
    if (st == JAGA_OK)
        respond_json(r, 200,
                     json_pack("{s:I,s:I,s:s,s:I,s:I,s:I,s:b,s:b}", "notice",
                               (json_int_t)w.notice_id, "item", (json_int_t)w.item_id, "status",
                               "withdrawn", "withdrawn_at", (json_int_t)w.done.item.withdrawn_at,
                               "case_id", (json_int_t)w.done.item.case_id, "lifted",
                               (json_int_t)w.done.lifted, "entry_withdrawn", w.done.entry_withdrawn,
                               "case_closed", w.done.case_closed));
    else if (st == JAGA_ERR_NOT_FOUND)
        respond_error(r, 404, "not_found", "no such item of a notice of yours");
    else if (st == JAGA_ERR_CONFLICT)
        respond_error(r, 409, "conflict", "%s", jaga_errmsg(ctx));
    else
        respond_error(r, 503, "store_unavailable", "the withdrawal could not be stored");
    jaga_ctx_free(ctx);
}

#define REGULATOR_ROLES (1u << JAGA_ROLE_REGULATOR)

static const route table[] = {
    {"POST", "/v1/notices", REGULATOR_ROLES, file, BODY_JSON, RUN_ON_WORKER, NULL},
    {"GET", "/v1/notices", REGULATOR_ROLES | AUDIT_ROLES, list, BODY_IN_MEMORY, RUN_INLINE,
     "jurisdiction"},
    {"GET", "/v1/notices/*", REGULATOR_ROLES | AUDIT_ROLES, get, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"POST", "/v1/notices/*/items/*/withdraw", REGULATOR_ROLES, withdraw, BODY_IN_MEMORY,
     RUN_ON_WORKER, NULL},
};

const route *routes_notices(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

/* POST /v1/cases/{id}/decision: a person decides a review case (admin keys until the review
 * queue brings moderators), applied by jaga_case_apply_decision before the answer.
 * GET /v1/cases/{id} reads a case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content_record.h"
#include "http.h"
#include "notice_request.h"

/* The case of the path's third segment into c (with db); 0, or -1 with the response set. */
static int path_case(jaga_store *db, const http_request *req, jaga_case *c, http_response *r)
{
    char seg[24], *end;
    path_segment(req->path, 2, seg, sizeof(seg));
    long long id = strtoll(seg, &end, 10);
    jaga_status st =
        *seg && !*end && id > 0 ? jaga_store_case_get(db, NULL, id, c) : JAGA_ERR_NOT_FOUND;
    if (st == JAGA_ERR_NOT_FOUND)
        respond_error(r, 404, "not_found", "no case %s", seg);
    else if (st != JAGA_OK)
        respond_error(r, 503, "store_unavailable", "the store could not be read");
    return st == JAGA_OK ? 0 : -1;
}

/* A case with its content id. */
static json_t *case_with_content(const jaga_case *c)
{
    json_t *out = case_json(c);
    json_object_set_new(out, "content_id", json_string(c->content_id));
    return out;
}

static void decide(server_state *s, http_request *req, http_response *r)
{
    decision_request dr;
    char err[256];
    if (decision_request_parse(req->body, req->body_len, &dr, err, sizeof(err)) != 0) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    jaga_store *db = store_take(s, r);
    jaga_case c;
    if (!db || path_case(db, req, &c, r) != 0) {
        store_give(s, db);
        return;
    }
    snprintf(dr.d.decided_by, sizeof(dr.d.decided_by), "%s", req->key.prefix);
    dr.d.case_id = c.id;
    jaga_decision_result res;
    jaga_status st = jaga_case_apply_decision(NULL, db, s->visibility, &dr.d,
                                              (const char(*)[3])dr.countries, dr.ncountries, &res);
    if (st == JAGA_OK)
        st = jaga_store_case_get(db, NULL, c.id, &c);
    store_give(s, db);
    if (st == JAGA_ERR_CONFLICT)
        respond_error(r, 409, "conflict", "case %lld is decided already", (long long)c.id);
    else if (st != JAGA_OK)
        respond_error(r, 503, "store_unavailable", "the decision could not be stored");
    else {
        json_t *out = case_with_content(&c);
        json_object_set_new(out, "decision", json_string(dr.d.action));
        json_object_set_new(out, "lifted", json_integer((json_int_t)res.lifted));
        json_object_set_new(out, "restrictions", json_integer((json_int_t)res.added));
        respond_json(r, 200, out);
    }
}

static void get(server_state *s, http_request *req, http_response *r)
{
    jaga_store *db = store_take(s, r);
    jaga_case c;
    if (db && path_case(db, req, &c, r) == 0)
        respond_json(r, 200, case_with_content(&c));
    store_give(s, db);
}

static const route table[] = {
    {"GET", "/v1/cases/*", AUDIT_ROLES, get, BODY_IN_MEMORY, RUN_INLINE},
    {"POST", "/v1/cases/*/decision", ADMIN_ROLES, decide, BODY_JSON, RUN_INLINE},
};

const route *routes_cases(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

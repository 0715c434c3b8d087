/* POST /v1/cases/{id}/decision: a person decides a review case (admin keys until the review
 * queue brings moderators). In one transaction: the case is decided, the notice items it
 * covers are actioned, the provisional restrictions it was about are lifted and the decided
 * one stored; then the visibility map follows. GET /v1/cases/{id} reads a case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "notice_request.h"

enum { LIFTS_MAX = 64 };

/* The provisional restrictions a case is about: same content, same source, its scope. */
typedef struct lifts {
    const jaga_case *c;
    jaga_restriction found[LIFTS_MAX];
    size_t n;
} lifts;

static int collect_lift(void *arg, const jaga_restriction *r)
{
    lifts *l = arg;
    if (r->provisional && strcmp(r->source, l->c->source) == 0 &&
        strcmp(r->scope, l->c->jurisdiction) == 0 && l->n < LIFTS_MAX)
        l->found[l->n++] = *r;
    return 0;
}

/* The restrictions a decision stores (none for no_violation). */
static size_t decided(const jaga_case *c, const decision_request *dr, jaga_restriction *out)
{
    const jaga_case_decision *d = &dr->d;
    jaga_visibility v = strcmp(d->action, "remove") == 0     ? JAGA_VIS_REMOVED
                        : strcmp(d->action, "withhold") == 0 ? JAGA_VIS_WITHHELD
                        : strcmp(d->action, "blur") == 0     ? JAGA_VIS_BLUR
                        : strcmp(d->action, "age_gate") == 0 ? JAGA_VIS_AGE_GATE
                                                             : JAGA_VIS_ALLOW;
    if (v == JAGA_VIS_ALLOW)
        return 0;
    size_t n = v == JAGA_VIS_REMOVED || !dr->ncountries ? 1 : dr->ncountries;
    for (size_t i = 0; i < n; i++) {
        jaga_restriction *r = &out[i];
        memset(r, 0, sizeof(*r));
        snprintf(r->content_id, sizeof(r->content_id), "%s", c->content_id);
        snprintf(r->scope, sizeof(r->scope), "%s",
                 n == 1 && (v == JAGA_VIS_REMOVED || !dr->ncountries) ? JAGA_EVERYWHERE
                                                                      : dr->countries[i]);
        r->visibility = v;
        snprintf(r->reason, sizeof(r->reason), "%s", d->category[0] ? d->category : d->action);
        snprintf(r->legal_id, sizeof(r->legal_id), "%s", d->legal_id);
        snprintf(r->source, sizeof(r->source), "decision:%lld", (long long)c->id);
        r->ground_terms = strcmp(d->ground, "terms") == 0;
    }
    return n;
}

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

static json_t *case_json(const jaga_case *c)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:i,s:I,s:s,s:s,s:I}", "id", (json_int_t)c->id,
                     "content_id", c->content_id, "jurisdiction", c->jurisdiction, "source",
                     c->source, "reason", c->reason, "priority", c->priority, "deadline_at",
                     (json_int_t)c->deadline_at, "team", c->team, "status", c->status, "opened_at",
                     (json_int_t)c->opened_at);
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
    static __thread lifts l;
    static __thread jaga_restriction add[16];
    l.c = &c, l.n = 0;
    size_t nadd = decided(&c, &dr, add);
    jaga_status st = jaga_store_begin(db, NULL);
    if (st == JAGA_OK)
        st = jaga_store_case_decide(db, NULL, &dr.d);
    if (st == JAGA_OK)
        st = jaga_store_restrictions_each(db, NULL, c.content_id, collect_lift, &l);
    for (size_t i = 0; st == JAGA_OK && i < l.n; i++)
        st = jaga_store_restriction_lift(db, NULL, l.found[i].id);
    for (size_t i = 0; st == JAGA_OK && i < nadd; i++)
        st = jaga_store_restriction_add(db, NULL, &add[i]);
    if (st == JAGA_OK)
        st = jaga_store_commit(db, NULL);
    if (st != JAGA_OK)
        jaga_store_rollback(db);
    if (st == JAGA_OK)
        st = jaga_store_case_get(db, NULL, c.id, &c);
    store_give(s, db);
    for (size_t i = 0; st == JAGA_OK && i < l.n; i++)
        jaga_visibility_map_lift(s->visibility, c.content_id, l.found[i].id);
    for (size_t i = 0; st == JAGA_OK && i < nadd; i++)
        st = jaga_visibility_map_add(s->visibility, NULL, &add[i]);
    if (st == JAGA_ERR_CONFLICT)
        respond_error(r, 409, "conflict", "case %lld is decided already", (long long)c.id);
    else if (st != JAGA_OK)
        respond_error(r, 503, "store_unavailable", "the decision could not be stored");
    else {
        json_t *out = case_json(&c);
        json_object_set_new(out, "decision", json_string(dr.d.action));
        json_object_set_new(out, "lifted", json_integer((json_int_t)l.n));
        json_object_set_new(out, "restrictions", json_integer((json_int_t)nadd));
        respond_json(r, 200, out);
    }
}

static void get(server_state *s, http_request *req, http_response *r)
{
    jaga_store *db = store_take(s, r);
    jaga_case c;
    if (db && path_case(db, req, &c, r) == 0)
        respond_json(r, 200, case_json(&c));
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

/* Review cases: GET /v1/cases/{id} (the case page: sources, reports, notices, the content's
 * signals and restrictions, decisions with their statements of reasons, history);
 * POST /v1/cases/{id}/claim, /release, /decision (moderators of the case's team, on cases
 * they hold); POST /v1/cases/{id}/appeal (the platform, for the uploader). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content_record.h"
#include "http.h"
#include "whole_number.h"
#include "review_request.h"
#include "jaga/core.h"

/* Whether the caller may see the case: moderators of its team (or the team it came from). */
static int sees(const http_request *req, const jaga_case *c)
{
    return req->key.role != JAGA_ROLE_MODERATOR || key_has_team(&req->key, c->team);
}

static json_t *sources_json(const jaga_case_source *src, size_t n)
{
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:i,s:I,s:I,s:I}", "ref", src[i].ref,
                                             "jurisdiction", src[i].jurisdiction, "reason",
                                             src[i].reason, "priority", src[i].priority,
                                             "first_review_at", (json_int_t)src[i].first_review_at,
                                             "deadline_at", (json_int_t)src[i].deadline_at,
                                             "added_at", (json_int_t)src[i].added_at));
    return out;
}

/* Reports as moderators see them: who filed in kind only (never the reporter's id). */
static json_t *reports_json(const jaga_report *rep, size_t n)
{
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        const jaga_category *cat = jaga_category_find(rep[i].category);
        json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:I}", "id",
                                             (json_int_t)rep[i].id, "category", rep[i].category,
                                             "label", cat ? cat->label : "", "reporter",
                                             rep[i].trusted_flagger  ? "trusted_flagger"
                                             : rep[i].reporter_id[0] ? "user"
                                                                     : "anonymous",
                                             "text", rep[i].text, "country", rep[i].country,
                                             "language", rep[i].language, "rapid", rep[i].rapid,
                                             "received_at", (json_int_t)rep[i].received_at));
    }
    return out;
}

static json_t *decisions_json(const jaga_decision *d, size_t n)
{
    json_t *out = json_array();
    json_error_t err;
    for (size_t i = 0; i < n; i++) {
        json_t *sor = json_loads(d[i].statement, 0, &err);
        json_array_append_new(
            out, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:o}", "id",
                           (json_int_t)d[i].id, "kind", d[i].kind, "action", d[i].action, "ground",
                           d[i].ground, "legal", d[i].legal_id, "category", d[i].category,
                           "countries", d[i].countries, "note", d[i].note, "decided_by",
                           d[i].decided_by, "decided_at", (json_int_t)d[i].decided_at,
                           "statement_of_reasons", sor ? sor : json_object()));
    }
    return out;
}

static json_t *history_json(const jaga_case_event *ev, size_t n)
{
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out,
                              json_pack("{s:I,s:s,s:s,s:s}", "at", (json_int_t)ev[i].at, "kind",
                                        ev[i].kind, "actor", ev[i].actor, "detail", ev[i].detail));
    return out;
}

/* The notices among the sources, with their references and deadlines. */
static json_t *notices_json(jaga_store *db, const jaga_case_source *src, size_t n)
{
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        jaga_notice notice;
        long long id;
        if (sscanf(src[i].ref, "notice:%lld", &id) != 1 ||
            jaga_store_notice_get(db, NULL, id, &notice) != JAGA_OK)
            continue;
        json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:s,s:I}", "id", (json_int_t)id,
                                             "jurisdiction", notice.jurisdiction, "reference",
                                             notice.reference, "legal_basis", notice.legal_basis,
                                             "deadline_at", (json_int_t)notice.deadline_at));
    }
    return out;
}

/* Everything about one case, read through db; NULL when the store fails. */
static json_t *case_page(jaga_store *db, const jaga_case *c)
{
    jaga_case_source *src = NULL;
    jaga_report *rep = NULL;
    jaga_decision *dec = NULL;
    jaga_case_event *ev = NULL;
    size_t ns = 0, nr = 0, nd = 0, ne = 0;
    jaga_content content = {0};
    json_t *out = NULL;
    if (jaga_store_case_sources(db, NULL, c->id, &src, &ns) == JAGA_OK &&
        jaga_store_reports(db, NULL, c->id, &rep, &nr) == JAGA_OK &&
        jaga_store_decisions(db, NULL, c->id, &dec, &nd) == JAGA_OK &&
        jaga_store_case_events(db, NULL, c->id, &ev, &ne) == JAGA_OK) {
        out = case_json(c);
        json_object_set_new(out, "sources", sources_json(src, ns));
        json_object_set_new(out, "reports", reports_json(rep, nr));
        json_object_set_new(out, "notices", notices_json(db, src, ns));
        json_object_set_new(out, "decisions", decisions_json(dec, nd));
        json_object_set_new(out, "history", history_json(ev, ne));
        json_t *record = jaga_store_content_get(db, NULL, c->content_id, &content) == JAGA_OK
                             ? content_record(db, &content)
                             : NULL;
        json_object_set_new(out, "content", record ? record : json_null());
    }
    jaga_content_clear(&content);
    free(src), free(rep), free(dec), free(ev);
    return out;
}

static void get(server_state *s, http_request *req, http_response *r)
{
    char seg[24];
    path_segment(req->path, 2, seg, sizeof(seg));
    int64_t id = path_id(req->path, 2);
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_case c;
    jaga_status st = id ? jaga_store_case_get(db, NULL, id, &c) : JAGA_ERR_NOT_FOUND;
    if (st == JAGA_OK && !sees(req, &c))
        st = JAGA_ERR_NOT_FOUND;
    json_t *page = st == JAGA_OK ? case_page(db, &c) : NULL;
    store_give(s, db);
    if (page)
        respond_json(r, 200, page);
    else if (st == JAGA_ERR_NOT_FOUND)
        respond_error(r, 404, "not_found", "no case %s", seg);
    else
        respond_error(r, 503, "store_unavailable", "the store could not be read");
}

/* Per place, what viewers see now and after the decision. */
static json_t *effect_json(const jaga_decision_result *res)
{
    json_t *list = json_array();
    for (size_t i = 0; i < res->neffect; i++)
        json_array_append_new(list, json_pack("{s:s,s:b,s:s,s:s}", "place", res->effect[i].place,
                                              "elsewhere", res->effect[i].elsewhere, "before",
                                              jaga_visibility_name(res->effect[i].before), "after",
                                              jaga_visibility_name(res->effect[i].after)));
    return list;
}

/* One change to a case: the request's parsed body, the caller, what came back. */
typedef struct case_change {
    int64_t id;
    const http_request *req;
    int64_t lease_s;
    jaga_decision d;
    appeal_request appeal;
    jaga_decision_result result;
    jaga_case c;
} case_change;

/* A moderator acts on cases of its teams only (an unknown case is 404 either way). */
static jaga_status in_team(jaga_ctx *ctx, const jaga_review *rv, case_change *ch)
{
    jaga_status st = jaga_store_case_get(rv->db, ctx, ch->id, &ch->c);
    if (st == JAGA_OK && !sees(ch->req, &ch->c))
        st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "no case %lld", (long long)ch->id);
    return st;
}

static jaga_status claim_op(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    case_change *ch = arg;
    jaga_status st = in_team(ctx, rv, ch);
    return st == JAGA_OK
               ? jaga_case_claim(ctx, rv, ch->id, ch->req->key.prefix, ch->lease_s, &ch->c)
               : st;
}

static jaga_status release_op(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    case_change *ch = arg;
    jaga_status st = in_team(ctx, rv, ch);
    if (st == JAGA_OK)
        st = jaga_case_release(ctx, rv, ch->id, ch->req->key.prefix);
    return st == JAGA_OK ? jaga_store_case_get(rv->db, ctx, ch->id, &ch->c) : st;
}

static jaga_status decide_op(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    case_change *ch = arg;
    jaga_status st = in_team(ctx, rv, ch);
    ch->d.case_id = ch->id;
    snprintf(ch->d.decided_by, sizeof(ch->d.decided_by), "%s", ch->req->key.prefix);
    if (ch->req->key.role == JAGA_ROLE_MODERATOR) /* its teams' remit bounds the decision */
        snprintf(ch->d.teams, sizeof(ch->d.teams), "%s", ch->req->key.teams);
    if (st == JAGA_OK)
        st = jaga_case_apply_decision(ctx, rv, &ch->d, &ch->result);
    return st == JAGA_OK ? jaga_store_case_get(rv->db, ctx, ch->id, &ch->c) : st;
}

static jaga_status appeal_op(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    case_change *ch = arg;
    return jaga_case_appeal(ctx, rv, ch->id, ch->appeal.appellant, ch->appeal.text, &ch->c);
}

/* Runs op on the path's case and answers with the case (and what op adds to it). */
static void change(server_state *s, http_request *req, http_response *r, review_op op,
                   case_change *ch)
{
    char seg[24];
    path_segment(req->path, 2, seg, sizeof(seg));
    ch->id = path_id(req->path, 2);
    ch->req = req;
    ch->lease_s = s->config->lease_s;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_status st = ch->id ? review_run(s, ctx, op, ch) : JAGA_ERR_NOT_FOUND;
    if (st == JAGA_OK) {
        json_t *out = case_json(&ch->c);
        if (ch->d.id || ch->d.preview) {
            json_t *d = json_pack("{s:s,s:s}", "kind", ch->d.kind, "action", ch->d.action);
            if (ch->d.id)
                json_object_set_new(d, "id", json_integer((json_int_t)ch->d.id));
            json_object_set_new(out, "decision", d);
            json_object_set_new(out, "preview", json_boolean(ch->d.preview));
            json_object_set_new(out, "lifted", json_integer((json_int_t)ch->result.lifted));
            json_object_set_new(out, "restrictions", json_integer((json_int_t)ch->result.added));
            json_object_set_new(out, "effect", effect_json(&ch->result));
        }
        respond_json(r, 200, out);
    } else if (st == JAGA_ERR_NOT_FOUND) {
        respond_error(r, 404, "not_found", "no case %s", seg);
    } else if (st == JAGA_ERR_CONFLICT) {
        respond_error(r, 409, "conflict", "%s", jaga_errmsg(ctx));
    } else if (st == JAGA_ERR_DENIED) {
        respond_error(r, 403, "forbidden", "%s", jaga_errmsg(ctx));
    } else if (st == JAGA_ERR_INVALID) {
        respond_error(r, 400, "bad_request", "%s", jaga_errmsg(ctx));
    } else {
        respond_error(r, 503, "store_unavailable", "the case could not be changed");
    }
    jaga_ctx_free(ctx);
}

static void claim(server_state *s, http_request *req, http_response *r)
{
    case_change ch = {0};
    change(s, req, r, claim_op, &ch);
}

static void release(server_state *s, http_request *req, http_response *r)
{
    case_change ch = {0};
    change(s, req, r, release_op, &ch);
}

static void decide(server_state *s, http_request *req, http_response *r)
{
    case_change ch = {0};
    char err[256];
    if (decision_request_parse(req->body, req->body_len, &ch.d, err, sizeof(err)) != 0)
        respond_error(r, 400, "bad_request", "%s", err);
    else
        change(s, req, r, decide_op, &ch);
}

static void appeal(server_state *s, http_request *req, http_response *r)
{
    case_change ch = {0};
    char err[256];
    if (appeal_request_parse(req->body, req->body_len, &ch.appeal, err, sizeof(err)) != 0)
        respond_error(r, 400, "bad_request", "%s", err);
    else
        change(s, req, r, appeal_op, &ch);
}

#define CASE_READERS (REVIEW_ROLES | AUDIT_ROLES)

static const route table[] = {
    {"GET", "/v1/cases/*", CASE_READERS, get, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"POST", "/v1/cases/*/claim", REVIEW_ROLES, claim, BODY_IN_MEMORY, RUN_ON_WORKER, NULL},
    {"POST", "/v1/cases/*/release", REVIEW_ROLES, release, BODY_IN_MEMORY, RUN_ON_WORKER, NULL},
    {"POST", "/v1/cases/*/decision", REVIEW_ROLES, decide, BODY_JSON, RUN_ON_WORKER, NULL},
    {"POST", "/v1/cases/*/appeal", PLATFORM_ROLES, appeal, BODY_JSON, RUN_ON_WORKER, NULL},
};

const route *routes_cases(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

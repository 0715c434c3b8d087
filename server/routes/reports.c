/* POST /v1/reports: a user's report (filed by the platform) or a trusted flagger's, stored
 * and joined to the content's case before it is acknowledged with its id and receipt time
 * (reports arriving together share one commit).
 * GET /v1/categories: the report taxonomy (public: report forms show it). */
#include <stdio.h>
#include <string.h>

#include "commit_group.h"
#include "http.h"
#include "review_request.h"

static jaga_status receive(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    return jaga_report_receive(ctx, rv, arg);
}

/* The reporter's country from their address when the server has a geo database (else the
 * country given, if any): 0, or -1 for an address that is none. */
static int reporter_country(server_state *s, report_request *rq)
{
    char cc[3];
    if (!rq->reporter_ip[0] || !s->geo)
        return 0;
    jaga_status st = jaga_geo_country(s->geo, rq->reporter_ip, cc);
    if (st == JAGA_OK)
        memcpy(rq->report.country, cc, 3);
    return st == JAGA_ERR_INVALID ? -1 : 0;
}

static void file(server_state *s, http_request *req, http_response *r)
{
    report_request rq;
    char err[256];
    if (report_request_parse(req->body, req->body_len, &rq, err, sizeof(err)) != 0) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    if (reporter_country(s, &rq) != 0) {
        respond_error(r, 400, "bad_request", "reporter_ip is not an IPv4 or IPv6 address");
        return;
    }
    jaga_report *rep = &rq.report;
    snprintf(rep->key_prefix, sizeof(rep->key_prefix), "%s", req->key.prefix);
    rep->trusted_flagger = req->key.role == JAGA_ROLE_FLAGGER;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_status st = commit_group_run(s, ctx, receive, rep);
    if (st == JAGA_OK)
        respond_json(r, 201,
                     json_pack("{s:I,s:I,s:I,s:b,s:b,s:b}", "report_id", (json_int_t)rep->id,
                               "received_at", (json_int_t)rep->received_at, "case_id",
                               (json_int_t)rep->case_id, "rapid", rep->rapid, "trusted_flagger",
                               rep->trusted_flagger, "content_known", rep->content_known));
    else if (st == JAGA_ERR_INVALID)
        respond_error(r, 400, "bad_request", "%s", jaga_errmsg(ctx));
    else
        respond_error(r, 503, "store_unavailable", "the report could not be stored");
    jaga_ctx_free(ctx);
}

static void categories(server_state *s, http_request *req, http_response *r)
{
    (void)s, (void)req;
    size_t n;
    const jaga_category *all = jaga_categories(&n);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            list, json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:b}", "code", all[i].code, "group",
                            all[i].group, "label", all[i].label, "dsa_category",
                            all[i].dsa_category, "dsa_specification", all[i].dsa_specification,
                            "priority", all[i].priority, "deepfake", all[i].deepfake));
    respond_json(r, 200, json_pack("{s:o}", "categories", list));
}

#define REPORT_ROLES (PLATFORM_ROLES | 1u << JAGA_ROLE_FLAGGER)

static const route table[] = {
    {"POST", "/v1/reports", REPORT_ROLES, file, BODY_JSON, RUN_GROUPED, NULL},
    {"GET", "/v1/categories", PUBLIC, categories, BODY_IN_MEMORY, RUN_INLINE, NULL},
};

const route *routes_reports(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

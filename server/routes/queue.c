/* The review queue of a team: GET /v1/queue?team=T lists what waits, most urgent first;
 * POST /v1/queue/claim?team=T hands the caller the most urgent free case under a lease.
 * Moderators work in their key's teams only. */
#include <stdlib.h>
#include <string.h>

#include "commit_group.h"
#include "content_record.h"
#include "http.h"

enum { QUEUE_LIST_MAX = 200 };

/* The team argument, when the caller works in it; NULL with the response set otherwise. */
static const char *team_of(const http_request *req, http_response *r)
{
    const char *team = request_arg(req, "team");
    if (!team || !*team || strlen(team) >= JAGA_CASE_CODE_MAX)
        respond_error(r, 400, "bad_request", "team is required");
    else if (!key_has_team(&req->key, team))
        respond_error(r, 403, "forbidden", "this key does not work in team %s", team);
    else
        return team;
    return NULL;
}

static void list(server_state *s, http_request *req, http_response *r)
{
    const char *team = team_of(req, r);
    jaga_store *db = team ? store_take(s, r) : NULL;
    if (!db)
        return;
    jaga_case *cases = NULL;
    size_t n = 0;
    jaga_status st = jaga_store_case_queue(db, NULL, team, QUEUE_LIST_MAX, &cases, &n);
    store_give(s, db);
    respond_list(r, st, "cases", cases, n, sizeof(*cases), case_json);
}

typedef struct claim_args {
    const char *team, *claimer;
    int64_t lease_s;
    jaga_case c;
} claim_args;

static jaga_status claim_op(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    claim_args *a = arg;
    return jaga_queue_claim(ctx, rv, a->team, a->claimer, a->lease_s, &a->c);
}

static void claim(server_state *s, http_request *req, http_response *r)
{
    claim_args a = {
        .team = team_of(req, r), .claimer = req->key.prefix, .lease_s = s->config->lease_s};
    if (!a.team)
        return;
    jaga_status st = commit_group_run(s, NULL, claim_op, &a);
    if (st == JAGA_OK)
        respond_json(r, 200, json_pack("{s:o}", "case", case_json(&a.c)));
    else if (st == JAGA_ERR_NOT_FOUND)
        respond_json(r, 200, json_pack("{s:n}", "case"));
    else
        respond_error(r, 503, "store_unavailable", "the queue could not be read");
}

static const route table[] = {
    {"GET", "/v1/queue", REVIEW_ROLES, list, BODY_IN_MEMORY, RUN_INLINE, "team"},
    {"POST", "/v1/queue/claim", REVIEW_ROLES, claim, BODY_IN_MEMORY, RUN_GROUPED, "team"},
};

const route *routes_queue(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

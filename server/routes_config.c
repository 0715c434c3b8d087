/* GET /v1/config/check (admin): what in the running config cannot work, today the teams cases
 * can reach that no moderator key works in. */
#include <stdlib.h>

#include "http.h"

enum { UNREACHABLE_MAX = 64 };

int server_unreachable_teams(server_state *s, jaga_store *db, json_t **out)
{
    jaga_key *keys = NULL;
    size_t nkeys = 0;
    if (jaga_store_key_list(db, NULL, &keys, &nkeys) != JAGA_OK)
        return -1;
    char teams[UNREACHABLE_MAX][JAGA_CASE_CODE_MAX];
    size_t n = jaga_routing_unreachable(&s->routing, policy_acquire(s), keys, nkeys, teams,
                                        UNREACHABLE_MAX);
    policy_release(s);
    free(keys);
    *out = json_array();
    for (size_t i = 0; i < n && i < UNREACHABLE_MAX; i++)
        json_array_append_new(*out, json_string(teams[i]));
    return 0;
}

static void check(server_state *s, http_request *req, http_response *r)
{
    (void)req;
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    json_t *teams = NULL;
    int rc = server_unreachable_teams(s, db, &teams);
    store_give(s, db);
    if (rc != 0) {
        respond_error(r, 503, "store_unavailable", "the keys could not be read");
        return;
    }
    respond_json(
        r, 200,
        json_pack("{s:b,s:o}", "ok", json_array_size(teams) == 0, "unreachable_teams", teams));
}

static const route table[] = {
    {"GET", "/v1/config/check", ADMIN_ROLES, check, BODY_IN_MEMORY, RUN_INLINE, NULL}};

const route *routes_config(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

/* GET /v1/config/check (admin): what in the running config cannot work, today the teams cases
 * can reach that no moderator key works in. */
#include <stdlib.h>

#include "http.h"

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

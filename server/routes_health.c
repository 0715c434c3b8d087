/* GET /healthz: no key needed; says whether the store answers. */
#include "http.h"

static void healthz(server_state *s, http_request *req, http_response *r)
{
    (void)req;
    jaga_bank *banks = NULL;
    size_t n = 0;
    pthread_mutex_lock(&s->store_lock);
    jaga_status st = jaga_store_bank_list(s->store, NULL, &banks, &n);
    pthread_mutex_unlock(&s->store_lock);
    free(banks);
    if (st != JAGA_OK) {
        respond_error(r, 503, "store_unavailable", "the store does not answer");
        return;
    }
    respond_json(r, 200,
                 json_pack("{s:s,s:I}", "status", "ok", "entries",
                           (json_int_t)jaga_matcher_count(s->matcher)));
}

static const route table[] = {{"GET", "/healthz", healthz}};

const route *routes_health(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

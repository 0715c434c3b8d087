/* POST /v1/hash (signals of an image, nothing stored) and POST /v1/lookup (signals in,
 * bank matches out). Platform and admin keys. */
#include <string.h>

#include "http.h"
#include "lookup_request.h"
#include "upload.h"

/* The HTTP status and code for a failed decode: 413, 415, 503 or 422. */

/* The signals of an image into out (no classifier, no blur seed: nothing is kept): 0, or -1
 * with the response set (respond_decode_error). */
static int request_signals(server_state *s, const char *image, size_t len, http_response *r,
                           int dihedral, jaga_signals *out)
{
    jaga_signal_options opt = {.limits = &s->config->decode, .digests = 1, .dihedral = dihedral};
    jaga_ctx *ctx = NULL;
    jaga_pdq_hasher *hasher = NULL;
    jaga_status st = jaga_ctx_open(&ctx);
    if (st == JAGA_OK)
        st = jaga_pdq_hasher_open(&hasher);
    if (st == JAGA_OK)
        st = jaga_signals_compute(ctx, hasher, image, len, &opt, out);
    if (st != JAGA_OK)
        respond_decode_error(r, st, ctx);
    jaga_pdq_hasher_free(hasher);
    jaga_ctx_free(ctx);
    return st == JAGA_OK ? 0 : -1;
}

static void hash(server_state *s, http_request *req, http_response *r)
{
    upload u;
    char err[256];
    if (upload_read(req, &u, err, sizeof(err)) != 0) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    int dihedral = strcmp(u.dihedral, "1") == 0;
    jaga_signals sig;
    if (request_signals(s, u.image, u.image_len, r, dihedral, &sig) == 0) {
        json_t *out =
            json_pack("{s:o,s:i,s:o,s:o,s:i,s:i,s:s}", "pdq", pdq_string(&sig.pdq.hash[0]),
                      "quality", sig.pdq.quality, "sha256", hex_string(sig.digests.sha256, 32),
                      "md5", hex_string(sig.digests.md5, 16), "width", (int)sig.width, "height",
                      (int)sig.height, "format", sig.format);
        if (dihedral) {
            json_t *d = json_object();
            for (int i = JAGA_DIH_ROT90; i < JAGA_DIH_COUNT; i++)
                json_object_set_new(d, jaga_dihedral_name((jaga_dihedral)i),
                                    pdq_string(&sig.pdq.hash[i]));
            json_object_set_new(out, "dihedral", d);
        }
        respond_json(r, 200, out);
    }
}

enum { MATCHES_MAX = 1000 };

static void lookup(server_state *s, http_request *req, http_response *r)
{
    lookup_request lr;
    char err[256];
    if (lookup_request_parse(req->body, req->body_len, &lr, err, sizeof(err)) != 0) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    int64_t bank_ids[LOOKUP_BANKS_MAX];
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    for (size_t i = 0; i < lr.nbanks; i++) {
        jaga_bank b;
        if (jaga_store_bank_get(db, NULL, lr.banks[i], &b) != JAGA_OK) {
            respond_error(r, 404, "no_such_bank", "no bank named %s", lr.banks[i]);
            store_give(s, db);
            return;
        }
        bank_ids[i] = b.id;
    }
    jaga_match_query q = {.pdq = lr.pdq,
                          .npdq = lr.npdq,
                          .md5 = lr.has_md5 ? lr.md5 : NULL,
                          .sha256 = lr.has_sha256 ? lr.sha256 : NULL,
                          .banks = lr.nbanks ? bank_ids : NULL,
                          .nbanks = lr.nbanks};
    static __thread jaga_match found[MATCHES_MAX];
    size_t n;
    if (jaga_matcher_match(s->matcher, NULL, &q, found, MATCHES_MAX, &n) != JAGA_OK)
        respond_error(r, 503, "overloaded", "the matcher ran out of memory");
    else
        respond_json(r, 200,
                     json_pack("{s:o}", "matches",
                               matches_to_json(s, db, found, n < MATCHES_MAX ? n : MATCHES_MAX)));
    store_give(s, db);
}

static const route table[] = {
    {"POST", "/v1/hash", PLATFORM_ROLES, hash, BODY_IN_MEMORY, RUN_ON_WORKER, "dihedral"},
    {"POST", "/v1/lookup", PLATFORM_ROLES, lookup, BODY_JSON, RUN_INLINE, NULL}};

const route *routes_hash(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

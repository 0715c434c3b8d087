/* What viewers may see: GET /v1/visibility (one content), POST /v1/visibility/batch (up to
 * 1000, one timeline), and whole-country blocks (admin). Answers come from memory. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "visibility_request.h"

/* Where a viewer is: the country (from the request or the geo database; "" when the address
 * is unknown) and its jurisdiction under the policy. 0, or -1 with the response set. */
typedef struct viewer {
    char country[3];
    const char *jurisdiction;
    int sensitive_filter; /* blurring applies to them (the default) */
} viewer;

static int locate(server_state *s, const jaga_policy *p, const char *ip, const char *country,
                  viewer *v, http_response *r)
{
    v->country[0] = '\0';
    if (country) {
        if (!jaga_country_known(country)) {
            respond_error(r, 400, "bad_request", "country is an ISO 3166-1 alpha-2 code, e.g. MY");
            return -1;
        }
        memcpy(v->country, country, 3);
    } else if (!ip) {
        respond_error(r, 400, "bad_request", "give ip or country");
        return -1;
    } else if (!s->geo) {
        respond_error(r, 503, "no_geo_database", "this server has no geo database: give country");
        return -1;
    } else if (jaga_geo_country(s->geo, ip, v->country) == JAGA_ERR_INVALID) {
        respond_error(r, 400, "bad_request", "ip is not an IPv4 or IPv6 address");
        return -1;
    }
    v->jurisdiction = jaga_policy_jurisdiction(p, v->country)->code;
    return 0;
}

static json_t *answer_json(server_state *s, const jaga_policy *p, const viewer *v,
                           const char *content_id)
{
    jaga_visibility_answer a;
    jaga_visibility_map_answer_viewer(s->visibility, content_id, v->country, v->jurisdiction,
                                      v->sensitive_filter, &a);
    json_t *out = json_pack(
        "{s:s,s:s,s:s,s:b,s:b,s:b,s:b}", "content_id", content_id, "jurisdiction", v->jurisdiction,
        "visibility", jaga_visibility_name(a.visibility), "provisional", a.provisional, "automated",
        a.automated, "country_block", a.country_block, "sensitive_filter", v->sensitive_filter);
    json_object_set_new(out, "country", v->country[0] ? json_string(v->country) : json_null());
    if (a.visibility == JAGA_VIS_ALLOW)
        return out;
    json_object_set_new(out, "reason", json_string(a.reason));
    json_object_set_new(out, "ground",
                        json_string(a.ground_terms && !a.country_block ? "terms" : "law"));
    const jaga_legal_ref *l = jaga_policy_legal(p, v->jurisdiction, a.legal_id);
    json_object_set_new(
        out, "legal",
        l ? json_pack("{s:s,s:s,s:s}", "id", l->id, "citation", l->citation, "source", l->source)
          : json_null());
    if (a.visibility == JAGA_VIS_WITHHELD || a.visibility == JAGA_VIS_REMOVED) {
        /* The id percent-encoded (RFC 3986 unreserved kept): "&", "#" or "=" in it cannot
         * end the argument and point the page at other content. */
        char url[256 + 32 + 3 * 256 + 1];
        char *id = curl_easy_escape(NULL, content_id, 0);
        snprintf(url, sizeof(url), "%s/compliance/%s?content=%s", s->public_url,
                 v->country[0] ? v->country : v->jurisdiction, id ? id : "");
        curl_free(id);
        json_object_set_new(out, "landing_url", json_string(url));
    }
    return out;
}

static void visibility(server_state *s, http_request *req, http_response *r)
{
    const char *id = request_arg(req, "content_id");
    if (!id || !*id || strlen(id) > CONTENT_ID_MAX) {
        respond_error(r, 400, "bad_request", "content_id is required (at most 256 bytes)");
        return;
    }
    const char *filter = request_arg(req, "sensitive_filter");
    if (filter && strcmp(filter, "on") != 0 && strcmp(filter, "off") != 0) {
        respond_error(r, 400, "bad_request", "sensitive_filter is on or off");
        return;
    }
    const jaga_policy *p = policy_acquire(s);
    viewer v;
    if (locate(s, p, request_arg(req, "ip"), request_arg(req, "country"), &v, r) == 0) {
        v.sensitive_filter = !filter || strcmp(filter, "on") == 0;
        respond_json(r, 200, answer_json(s, p, &v, id));
    }
    policy_release(s);
}

static void batch(server_state *s, http_request *req, http_response *r)
{
    visibility_batch b;
    char err[256];
    if (visibility_batch_parse(req->body, req->body_len, &b, err, sizeof(err)) != 0) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    const jaga_policy *p = policy_acquire(s);
    viewer v;
    if (locate(s, p, b.ip[0] ? b.ip : NULL, b.country[0] ? b.country : NULL, &v, r) == 0) {
        v.sensitive_filter = b.sensitive_filter;
        json_t *items = json_array();
        for (size_t i = 0; i < b.nids; i++)
            json_array_append_new(items, answer_json(s, p, &v, b.ids[i]));
        json_t *out = json_pack("{s:s,s:o}", "jurisdiction", v.jurisdiction, "items", items);
        json_object_set_new(out, "country", v.country[0] ? json_string(v.country) : json_null());
        respond_json(r, 200, out);
    }
    policy_release(s);
    visibility_batch_free(&b);
}

static json_t *block_json(const void *item)
{
    const jaga_country_block *b = item;
    return json_pack("{s:s,s:s,s:s,s:I}", "country", b->country, "reason", b->reason, "legal",
                     b->legal_id, "created_at", (json_int_t)b->created_at);
}

static void blocks(server_state *s, http_request *req, http_response *r)
{
    (void)req;
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_country_block *all = NULL;
    size_t n = 0;
    jaga_status st = jaga_store_block_list(db, NULL, &all, &n);
    store_give(s, db);
    respond_list(r, st, "country_blocks", all, n, sizeof(*all), block_json);
}

/* The country of the path's third segment; 0, or -1 with the response set. */
static int path_country(const http_request *req, char cc[3], http_response *r)
{
    char seg[8];
    path_segment(req->path, 2, seg, sizeof(seg));
    if (!jaga_country_known(seg)) {
        respond_error(r, 400, "bad_request", "the path names an ISO 3166-1 alpha-2 code");
        return -1;
    }
    memcpy(cc, seg, 3);
    return 0;
}

/* Blocks a country: stored, then in the map, then acknowledged (and logged). */
static void block(server_state *s, http_request *req, http_response *r)
{
    jaga_country_block b = {0};
    char err[256];
    if (path_country(req, b.country, r) != 0)
        return;
    if (country_block_parse(req->body, req->body_len, b.reason, b.legal_id, err, sizeof(err))) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_status st = jaga_store_block_set(db, NULL, &b);
    store_give(s, db);
    if (st == JAGA_OK)
        st = jaga_visibility_map_block(s->visibility, NULL, &b);
    if (st != JAGA_OK) {
        respond_error(r, 503, "store_unavailable", "the block could not be stored");
        return;
    }
    fprintf(stderr, "jaga serve: country %s blocked (%s) by key %s\n", b.country, b.reason,
            req->key.prefix);
    respond_json(r, 200, block_json(&b));
}

static void unblock(server_state *s, http_request *req, http_response *r)
{
    char cc[3];
    if (path_country(req, cc, r) != 0)
        return;
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_status st = jaga_store_block_clear(db, NULL, cc);
    store_give(s, db);
    if (st == JAGA_ERR_NOT_FOUND) {
        respond_error(r, 404, "not_found", "%s is not blocked", cc);
        return;
    }
    if (st != JAGA_OK) {
        respond_error(r, 503, "store_unavailable", "the store could not be written");
        return;
    }
    jaga_visibility_map_unblock(s->visibility, cc);
    fprintf(stderr, "jaga serve: country %s unblocked by key %s\n", cc, req->key.prefix);
    respond_json(r, 200, json_pack("{s:s,s:b}", "country", cc, "blocked", 0));
}

static const route table[] = {
    {"GET", "/v1/visibility", PLATFORM_ROLES, visibility, BODY_IN_MEMORY, RUN_INLINE,
     "content_id country ip sensitive_filter"},
    {"POST", "/v1/visibility/batch", PLATFORM_ROLES, batch, BODY_JSON, RUN_INLINE, NULL},
    {"GET", "/v1/country-blocks", AUDIT_ROLES, blocks, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"PUT", "/v1/country-blocks/*", ADMIN_ROLES, block, BODY_JSON, RUN_INLINE, NULL},
    {"DELETE", "/v1/country-blocks/*", ADMIN_ROLES, unblock, BODY_IN_MEMORY, RUN_INLINE, NULL},
};

const route *routes_visibility(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

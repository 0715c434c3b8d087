/* GET /v1/media/{content_id}?variant=blurred: the blurred rendition of a scanned image
 * (jaga/blur.h), drawn from the seed its scan kept, cached drawn. jaga keeps no original:
 * the platform serves those. A content's bytes never change under its id, so a rendition
 * is cacheable for as long as a client likes and revalidates by its ETag. A moderator gets the
 * renditions of contents with a case in its teams only, as the case page. */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "jaga/blur.h"
#include "rendition_cache.h"

/* The rendition of c, from the cache or drawn now (and then cached); JAGA_OK with *jpeg to
 * free. */
static jaga_status rendition(server_state *s, const jaga_content *c, uint8_t **jpeg, size_t *len)
{
    if (rendition_cache_get(s->renditions, c->content_id, jpeg, len))
        return JAGA_OK;
    jaga_ctx *ctx = NULL;
    jaga_status st = jaga_ctx_open(&ctx);
    if (st == JAGA_OK)
        st = jaga_blur_render(ctx, c->blur_seed, c->blur_seed_len, 0, jpeg, len);
    jaga_ctx_free(ctx);
    if (st == JAGA_OK)
        rendition_cache_put(s->renditions, c->content_id, *jpeg, *len);
    return st;
}

/* Whether an If-None-Match header names etag (or is "*"). */
static int not_modified(const http_request *req, const char *etag)
{
    const char *tags = request_header(req, "If-None-Match");
    return tags && (strcmp(tags, "*") == 0 || strstr(tags, etag) != NULL);
}

/* Whether a case of the content is in one of the moderator's teams. */
static int in_teams(jaga_store *db, const http_request *req, const char *content_id)
{
    jaga_case *cases = NULL;
    size_t n = 0;
    int seen = 0;
    if (jaga_store_case_list(db, NULL, content_id, &cases, &n) == JAGA_OK)
        for (size_t i = 0; i < n && !seen; i++)
            seen = key_has_team(&req->key, cases[i].team);
    free(cases);
    return seen;
}

static void media(server_state *s, http_request *req, http_response *r)
{
    char id[sizeof(((jaga_content *)0)->content_id)];
    path_segment(req->path, 2, id, sizeof(id));
    const char *variant = request_arg(req, "variant");
    if (!variant || strcmp(variant, "blurred") != 0) {
        respond_error(r, 400, "bad_request",
                      "variant=blurred is the only rendition (jaga keeps no original media)");
        return;
    }
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_content c = {0};
    jaga_status st = jaga_store_content_get(db, NULL, id, &c);
    if (st == JAGA_OK && req->key.role == JAGA_ROLE_MODERATOR && !in_teams(db, req, id))
        st = JAGA_ERR_NOT_FOUND; /* as the case page: another team's content is not there */
    store_give(s, db);
    uint8_t *jpeg = NULL;
    size_t len = 0;
    if (st == JAGA_ERR_NOT_FOUND)
        respond_error(r, 404, "not_found", "no content %s", id);
    else if (st != JAGA_OK)
        respond_error(r, 503, "store_unavailable", "the store could not be read");
    else if (!c.blur_seed_len)
        respond_error(r, 404, "no_rendition", "content %s was scanned without a rendition", id);
    else
        snprintf(r->etag, sizeof(r->etag), "\"blurred-%.32s\"", c.sha256);
    if (r->etag[0] && not_modified(req, r->etag)) {
        r->status = 304, r->body = strdup("");
    } else if (r->etag[0] && rendition(s, &c, &jpeg, &len) == JAGA_OK) {
        r->status = 200, r->body = (char *)jpeg, r->body_len = len;
    } else if (r->etag[0]) {
        r->etag[0] = '\0';
        respond_error(r, 503, "overloaded", "the rendition could not be drawn");
    }
    if (r->etag[0])
        r->content_type = "image/jpeg", r->cache = "private, max-age=31536000, immutable";
    jaga_content_clear(&c);
}

static const route table[] = {{"GET", "/v1/media/*", PLATFORM_ROLES | REVIEW_ROLES, media,
                               BODY_IN_MEMORY, RUN_ON_WORKER, "variant"}};

const route *routes_media(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

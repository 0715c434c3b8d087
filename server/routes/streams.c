/* POST /v1/streams: watch a live stream; GET /v1/streams/{id}: its state and events;
 * DELETE /v1/streams/{id}: stop watching it. Platform and admin keys. */
#include "http.h"
#include "stream_request.h"
#include "stream_watch.h"
#include "whole_number.h"

static void start(server_state *s, http_request *req, http_response *r)
{
    stream_request sr;
    char err[256];
    if (stream_request_parse(req->body, req->body_len, s->config->stream_hosts, &sr, err,
                             sizeof(err)) != 0) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    int64_t id;
    if (stream_start(s->streams, r, &sr, req->key.prefix, &id) == 0)
        respond_json(r, 201, stream_json(s->streams, id));
}

static void show(server_state *s, http_request *req, http_response *r)
{
    int64_t id = path_id(req->path, 2);
    json_t *j = id ? stream_json(s->streams, id) : NULL;
    if (j)
        respond_json(r, 200, j);
    else
        respond_error(r, 404, "not_found", "no such stream");
}

static void stop(server_state *s, http_request *req, http_response *r)
{
    int64_t id = path_id(req->path, 2);
    if (!id || stream_stop(s->streams, id) != 0)
        respond_error(r, 404, "not_found", "no such stream");
    else
        respond_json(r, 202, stream_json(s->streams, id));
}

static const route table[] = {
    {"POST", "/v1/streams", PLATFORM_ROLES, start, BODY_JSON, RUN_INLINE, NULL},
    {"GET", "/v1/streams/*", PLATFORM_ROLES, show, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"DELETE", "/v1/streams/*", PLATFORM_ROLES, stop, BODY_IN_MEMORY, RUN_INLINE, NULL}};

const route *routes_streams(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

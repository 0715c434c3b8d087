/* Live streams the server watches (POST /v1/streams): each on a thread of its own, at most
 * max_streams at once; its events kept (the last 100), posted as webhooks and put through the
 * policy as a scan's signals are (restrictions, a review case, the audit log). Streams
 * live in memory: a stop of the server ends them ("stopped"), and of the ended ones the last
 * 64 are kept. */
#ifndef JAGA_SERVER_STREAM_WATCH_H
#define JAGA_SERVER_STREAM_WATCH_H

#include "http.h"

/* What a stream watches, and the content it is (POST /v1/streams, routes/stream_request.c). */
enum { STREAM_BODY_MAX = 8192, STREAM_URL_MAX = 1024 };

typedef struct stream_request {
    char url[STREAM_URL_MAX];
    char content_id[257];
    char uploader_id[257];
    char uploader_country[3];
    char media_url[1025];
    double seconds_per_hash; /* 1 unless given (0.1 to 60) */
} stream_request;

typedef struct stream_set stream_set;

/* NULL when out of memory. */
stream_set *stream_set_open(server_state *s);

/* Stops every stream and waits for their threads. A no-op on NULL. */
void stream_set_free(stream_set *set);

/* Starts watching req for the key key_prefix: 0 with *id, or -1 with the response set (503
 * when max_streams are watched already). */
int stream_start(stream_set *set, http_response *r, const stream_request *req,
                 const char *key_prefix, int64_t *id);

/* The stream as the API shows it; NULL for an unknown id. */
json_t *stream_json(stream_set *set, int64_t id);

/* Asks a stream to stop: 0, or -1 for an unknown id. */
int stream_stop(stream_set *set, int64_t id);

#endif

/* The JSON body of POST /v1/streams: what to watch and the content it is. */
#ifndef JAGA_SERVER_STREAM_REQUEST_H
#define JAGA_SERVER_STREAM_REQUEST_H

#include <stddef.h>

#include "stream_watch.h" /* stream_request: what a stream watches */

/* {"url", "content_id", "uploader_id", "uploader_country", "media_url", "seconds_per_hash"}:
 * url a tcp://, udp://, http(s):// or rtmp:// URL whose host is one of hosts (a
 * comma-separated list, compared without case); content_id required. 0, or -1 with what is
 * wrong in err. */
int stream_request_parse(const char *body, size_t len, const char *hosts, stream_request *out,
                         char *err, size_t errlen);

/* The host of a URL (brackets of an IPv6 address dropped) into out: 0, or -1 when it has no
 * scheme://host. */
int stream_url_host(const char *url, char *out, size_t cap);

#endif

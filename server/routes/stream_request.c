#include "stream_request.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "json_body.h"

int stream_url_host(const char *url, char *out, size_t cap)
{
    const char *start = strstr(url, "://");
    if (!start)
        return -1;
    start += 3;
    const char *end;
    if (*start == '[') {
        end = strchr(++start, ']');
    } else {
        end = start;
        while (*end && *end != ':' && *end != '/' && *end != '?' && *end != '@')
            end++;
        if (*end == '@') /* credentials: refused rather than parsed */
            return -1;
    }
    if (!end || end == start || (size_t)(end - start) >= cap)
        return -1;
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return 0;
}

/* Whether host is in the comma-separated list. */
static int host_allowed(const char *hosts, const char *host)
{
    size_t len = strlen(host);
    for (const char *p = hosts; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == len && strncasecmp(p, host, n) == 0)
            return 1;
        p += n + (comma != NULL);
    }
    return 0;
}

static int url_field(json_t *v, const char *hosts, char *out, char *err, size_t errlen)
{
    static const char *const schemes[] = {"tcp://", "udp://", "http://", "https://", "rtmp://"};
    char host[256];
    if (json_text(v, out, STREAM_URL_MAX) != 0)
        return body_fail(err, errlen, "%s", "url must be a string of at most 1023 bytes");
    int known = 0;
    for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
        known |= strncmp(out, schemes[i], strlen(schemes[i])) == 0;
    for (const char *c = out; *c; c++)
        if (isspace((unsigned char)*c))
            known = 0;
    if (!known)
        return body_fail(err, errlen, "%s", "url is a tcp://, udp://, http(s):// or rtmp:// URL");
    if (stream_url_host(out, host, sizeof(host)) != 0 || !host_allowed(hosts, host))
        return body_fail(err, errlen, "url's host is not one streams may come from (%s)", hosts);
    return 0;
}

static int fields(json_t *root, stream_request *r, const char *hosts, char *err, size_t errlen)
{
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "url") == 0) {
            if (url_field(v, hosts, r->url, err, errlen) != 0)
                return -1;
        } else if (strcmp(key, "content_id") == 0) {
            if (json_text(v, r->content_id, sizeof(r->content_id)) != 0)
                return body_fail(err, errlen, "%s", "content_id is 1 to 256 bytes of text");
        } else if (strcmp(key, "uploader_id") == 0) {
            if (json_free_text(v, r->uploader_id, sizeof(r->uploader_id)) != 0)
                return body_fail(err, errlen, "%s", "uploader_id is at most 256 bytes of text");
        } else if (strcmp(key, "uploader_country") == 0) {
            if (json_text(v, r->uploader_country, sizeof(r->uploader_country)) != 0 ||
                strlen(r->uploader_country) != 2 ||
                !isupper((unsigned char)r->uploader_country[0]) ||
                !isupper((unsigned char)r->uploader_country[1]))
                return body_fail(err, errlen, "%s",
                                 "uploader_country is an ISO 3166-1 alpha-2 code, e.g. MY");
        } else if (strcmp(key, "media_url") == 0) {
            if (json_free_text(v, r->media_url, sizeof(r->media_url)) != 0)
                return body_fail(err, errlen, "%s", "media_url is at most 1024 bytes of text");
        } else if (strcmp(key, "seconds_per_hash") == 0) {
            double s = json_number_value(v);
            if (!json_is_number(v) || !(s >= 0.1 && s <= 60))
                return body_fail(err, errlen, "%s", "seconds_per_hash is 0.1 to 60");
            r->seconds_per_hash = s;
        } else {
            return body_fail(err, errlen, "unknown field %s", key);
        }
    }
    if (!r->url[0] || !r->content_id[0])
        return body_fail(err, errlen, "%s", "url and content_id are required");
    return 0;
}

int stream_request_parse(const char *body, size_t len, const char *hosts, stream_request *out,
                         char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    out->seconds_per_hash = 1;
    json_t *root = json_body_object(body, len, STREAM_BODY_MAX, err, errlen);
    if (!root)
        return -1;
    int rc = fields(root, out, hosts, err, errlen);
    json_decref(root);
    return rc;
}

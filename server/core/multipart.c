#include "multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { BOUNDARY_MAX = 70 }; /* RFC 2046 */

int multipart_is_form(const char *content_type)
{
    return content_type && strncasecmp(content_type, "multipart/form-data", 19) == 0 &&
           (content_type[19] == '\0' || content_type[19] == ';' || content_type[19] == ' ');
}

/* The first occurrence of needle in [p, end), or NULL. */
static const char *find(const char *p, const char *end, const char *needle, size_t n)
{
    while (p && (size_t)(end - p) >= n) {
        p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
        if (!p || memcmp(p, needle, n) == 0)
            return p;
        p++;
    }
    return NULL;
}

/* A parameter's value in a header value such as `form-data; name="image"`: quoted or a
 * token. Returns 0, or -1 when absent. */
static int parameter(const char *v, const char *end, const char *key, multipart_text *out)
{
    size_t klen = strlen(key);
    for (const char *p = v; p < end; p++) {
        if (*p != ';')
            continue;
        const char *k = p + 1;
        while (k < end && (*k == ' ' || *k == '\t'))
            k++;
        if ((size_t)(end - k) <= klen || strncasecmp(k, key, klen) != 0 || k[klen] != '=')
            continue;
        const char *s = k + klen + 1, *e = s;
        if (s < end && *s == '"') {
            s++, e = s;
            while (e < end && *e != '"')
                e++;
            if (e == end)
                return -1; /* an unterminated quote */
        } else {
            while (e < end && *e != ';' && *e != ' ' && *e != '\t')
                e++;
        }
        *out = (multipart_text){s, (size_t)(e - s)};
        return 0;
    }
    return -1;
}

/* The boundary of a multipart/form-data Content-Type into out; 0 or -1. */
static int boundary_of(const char *content_type, char out[BOUNDARY_MAX + 1])
{
    multipart_text b;
    if (!multipart_is_form(content_type) ||
        parameter(content_type, content_type + strlen(content_type), "boundary", &b) != 0 ||
        b.len == 0 || b.len > BOUNDARY_MAX)
        return -1;
    memcpy(out, b.p, b.len);
    out[b.len] = '\0';
    return 0;
}

/* Reads one part's header block [p, end) into part; 0, or -1 with err set. */
static int part_headers(const char *p, const char *end, multipart_part *part, char *err,
                        size_t errlen)
{
    int disposition = 0;
    while (p < end) {
        const char *eol = find(p, end, "\r\n", 2);
        eol = eol ? eol : end;
        const char *colon = memchr(p, ':', (size_t)(eol - p));
        if (!colon)
            return snprintf(err, errlen, "multipart: a part header without a colon"), -1;
        const char *v = colon + 1;
        while (v < eol && (*v == ' ' || *v == '\t'))
            v++;
        size_t nlen = (size_t)(colon - p);
        if (nlen == 19 && strncasecmp(p, "Content-Disposition", 19) == 0) {
            if ((size_t)(eol - v) < 9 || strncasecmp(v, "form-data", 9) != 0 ||
                parameter(v, eol, "name", &part->name) != 0)
                return snprintf(err, errlen,
                                "multipart: Content-Disposition must be form-data with a name"),
                       -1;
            if (parameter(v, eol, "filename", &part->filename) != 0)
                part->filename = (multipart_text){NULL, 0};
            disposition = 1;
        } else if (nlen == 12 && strncasecmp(p, "Content-Type", 12) == 0) {
            part->content_type = (multipart_text){v, (size_t)(eol - v)};
        }
        p = eol + 2;
    }
    if (!disposition)
        return snprintf(err, errlen, "multipart: a part without Content-Disposition"), -1;
    return 0;
}

int multipart_parse(const char *content_type, const char *body, size_t len,
                    multipart_part parts[MULTIPART_PARTS_MAX], char *err, size_t errlen)
{
    char boundary[BOUNDARY_MAX + 1], delim[BOUNDARY_MAX + 5];
    if (boundary_of(content_type, boundary) != 0)
        return snprintf(err, errlen,
                        "multipart: Content-Type needs a boundary of 1 to 70 characters"),
               -1;
    /* Parts are separated by CRLF "--" boundary; the first may open the body. */
    size_t dlen = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", boundary);
    const char *end = body + len, *p;
    if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
        p = body + dlen - 2;
    else if ((p = find(body, end, delim, dlen)))
        p += dlen;
    else
        return snprintf(err, errlen, "multipart: no boundary in the body"), -1;
    int n = 0;
    for (;;) {
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return n; /* the close delimiter; an epilogue is ignored */
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return snprintf(err, errlen, "multipart: a boundary line must end in CRLF"), -1;
        p += 2;
        if (n == MULTIPART_PARTS_MAX)
            return snprintf(err, errlen, "multipart: more than %d parts", MULTIPART_PARTS_MAX), -1;
        const char *head_end = find(p, end, "\r\n\r\n", 4);
        if (p < end - 1 && p[0] == '\r' && p[1] == '\n')
            head_end = p - 2; /* no headers at all */
        if (!head_end || head_end - p > MULTIPART_HEADERS_MAX)
            return snprintf(err, errlen, "multipart: part headers missing or over %d bytes",
                            MULTIPART_HEADERS_MAX),
                   -1;
        multipart_part *part = &parts[n];
        memset(part, 0, sizeof(*part));
        if (part_headers(p, head_end, part, err, errlen) != 0)
            return -1;
        const char *data = head_end + 4, *next = find(data, end, delim, dlen);
        if (!next)
            return snprintf(err, errlen, "multipart: the body ends inside a part (truncated?)"), -1;
        part->data = (multipart_text){data, (size_t)(next - data)};
        n++;
        p = next + dlen;
    }
}

const multipart_part *multipart_find(const multipart_part *parts, int n, const char *name)
{
    size_t len = strlen(name);
    for (int i = 0; i < n; i++)
        if (parts[i].name.len == len && memcmp(parts[i].name.p, name, len) == 0)
            return &parts[i];
    return NULL;
}

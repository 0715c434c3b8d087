#include "upload.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "multipart.h"

typedef struct field {
    const char *name;
    size_t offset, max;
} field;

static const field fields[] = {
    {"content_id", offsetof(upload, content_id), UPLOAD_FIELD_MAX},
    {"uploader_id", offsetof(upload, uploader_id), UPLOAD_FIELD_MAX},
    {"uploader_country", offsetof(upload, uploader_country), UPLOAD_FIELD_MAX},
    {"dihedral", offsetof(upload, dihedral), UPLOAD_FIELD_MAX},
    {"media_url", offsetof(upload, media_url), UPLOAD_URL_MAX},
};
enum { NFIELDS = sizeof(fields) / sizeof(fields[0]) };

static int too_long(const field *f, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s is at most %zu bytes", f->name, f->max);
    return -1;
}

static int from_form(const http_request *req, upload *u, char *err, size_t errlen)
{
    multipart_part parts[MULTIPART_PARTS_MAX];
    int n = multipart_parse(request_header(req, "Content-Type"), req->body, req->body_len, parts,
                            err, errlen);
    if (n < 0)
        return -1;
    const multipart_part *image = multipart_find(parts, n, "image");
    if (!image)
        image = multipart_find(parts, n, "video");
    if (!image)
        return snprintf(err, errlen, "the form has no part named image (or video)"), -1;
    u->image = image->data.p;
    u->image_len = image->data.len;
    for (int f = 0; f < NFIELDS; f++) {
        const multipart_part *p = multipart_find(parts, n, fields[f].name);
        if (!p)
            continue;
        if (p->data.len > fields[f].max)
            return too_long(&fields[f], err, errlen);
        if (memchr(p->data.p, '\0', p->data.len))
            return snprintf(err, errlen, "%s has a NUL byte", fields[f].name), -1;
        char *out = (char *)u + fields[f].offset;
        memcpy(out, p->data.p, p->data.len);
        out[p->data.len] = '\0';
    }
    return 0;
}

int upload_read(const http_request *req, upload *u, char *err, size_t errlen)
{
    memset(u, 0, sizeof(*u));
    if (multipart_is_form(request_header(req, "Content-Type")))
        return from_form(req, u, err, errlen);
    u->image = req->body;
    u->image_len = req->body_len;
    for (int f = 0; f < NFIELDS; f++) {
        const char *v = request_arg(req, fields[f].name);
        if (v && strlen(v) > fields[f].max)
            return too_long(&fields[f], err, errlen);
        if (v)
            strcpy((char *)u + fields[f].offset, v);
    }
    return 0;
}

const char *upload_content(const upload *u, jaga_content *c)
{
    const char *country = u->uploader_country;
    if (!u->content_id[0])
        return "content_id is required (at most 256 bytes)";
    if (*country && (strlen(country) != 2 || !isupper((unsigned char)country[0]) ||
                     !isupper((unsigned char)country[1])))
        return "uploader_country is an ISO 3166-1 alpha-2 code, e.g. MY";
    const char *media = u->media_url;
    if (*media && strncmp(media, "https://", 8) != 0 && strncmp(media, "http://", 7) != 0 &&
        media[0] != '/')
        return "media_url is an http(s) URL or a path on this server";
    for (const char *p = media; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>')
            return "media_url has characters a URL does not";
    strcpy(c->content_id, u->content_id);
    strcpy(c->uploader_id, u->uploader_id);
    strcpy(c->uploader_country, country);
    strcpy(c->media_url, media);
    return NULL;
}

#include "upload.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "jaga/ident.h"
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

static int named(const multipart_part *p, const char *name)
{
    return p->name.len == strlen(name) && memcmp(p->name.p, name, p->name.len) == 0;
}

/* Each part once, and only those an upload has: the media and the fields. */
static int parts_known(const multipart_part *parts, int n, char *err, size_t errlen)
{
    for (int i = 0; i < n; i++) {
        int known = named(&parts[i], "image") || named(&parts[i], "video");
        for (int f = 0; f < NFIELDS && !known; f++)
            known = named(&parts[i], fields[f].name);
        if (!known)
            return snprintf(err, errlen, "part %d of the form is none an upload has", i + 1), -1;
        for (int k = 0; k < i; k++)
            if (parts[k].name.len == parts[i].name.len &&
                memcmp(parts[k].name.p, parts[i].name.p, parts[i].name.len) == 0)
                return snprintf(err, errlen, "part %.*s is given twice", (int)parts[i].name.len,
                                parts[i].name.p),
                       -1;
    }
    return 0;
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
    if (parts_known(parts, n, err, errlen) != 0)
        return -1;
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
    if (jaga_ident_problem(u->content_id, strlen(u->content_id), UPLOAD_FIELD_MAX))
        return "content_id is text of at most 256 bytes: UTF-8, no control characters";
    if (u->uploader_id[0] &&
        jaga_ident_problem(u->uploader_id, strlen(u->uploader_id), UPLOAD_FIELD_MAX))
        return "uploader_id is text of at most 256 bytes: UTF-8, no control characters";
    if (*country && (strlen(country) != 2 || !isupper((unsigned char)country[0]) ||
                     !isupper((unsigned char)country[1])))
        return "uploader_country is an ISO 3166-1 alpha-2 code, e.g. MY";
    const char *media = u->media_url;
    /* "//host/x" would leave this server for another: a path has one leading slash. */
    if (*media && strncmp(media, "https://", 8) != 0 && (media[0] != '/' || media[1] == '/'))
        return "media_url is an https URL or a path on this server (one leading /)";
    for (const char *p = media; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '"' || *p == '<' ||
            *p == '>' || *p == '\\')
            return "media_url has characters a URL does not (non-ASCII is percent-encoded)";
    strcpy(c->content_id, u->content_id);
    strcpy(c->uploader_id, u->uploader_id);
    strcpy(c->uploader_country, country);
    strcpy(c->media_url, media);
    return NULL;
}

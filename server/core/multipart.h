/* multipart/form-data bodies (RFC 7578): the parts of an upload form, pointing into the
 * body, with hard limits on their number and their header blocks. */
#ifndef JAGA_SERVER_MULTIPART_H
#define JAGA_SERVER_MULTIPART_H

#include <stddef.h>

enum {
    MULTIPART_PARTS_MAX = 16,    /* more parts are an error */
    MULTIPART_HEADERS_MAX = 4096 /* bytes of one part's header block */
};

typedef struct multipart_text {
    const char *p;
    size_t len;
} multipart_text;

typedef struct multipart_part {
    multipart_text name;         /* Content-Disposition's name */
    multipart_text filename;     /* its filename, or {NULL, 0} */
    multipart_text content_type; /* the part's Content-Type, or {NULL, 0} */
    multipart_text data;
} multipart_part;

/* Whether a Content-Type header value is multipart/form-data. */
int multipart_is_form(const char *content_type);

/* Splits body by the boundary named in content_type. Returns the number of parts (written
 * to parts, at most MULTIPART_PARTS_MAX), or -1 with what is wrong in err. */
int multipart_parse(const char *content_type, const char *body, size_t len,
                    multipart_part parts[MULTIPART_PARTS_MAX], char *err, size_t errlen);

/* The part named name, or NULL. */
const multipart_part *multipart_find(const multipart_part *parts, int n, const char *name);

#endif

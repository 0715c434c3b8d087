/* What an upload request carries: the image (or video) and the form fields, from a
 * multipart/form-data body (the image in the part named "image", a video in "image" or "video",
 * fields as parts) or from a raw body with the fields in the query string. */
#ifndef JAGA_SERVER_UPLOAD_H
#define JAGA_SERVER_UPLOAD_H

#include <stddef.h>

#include "http.h"

enum { UPLOAD_FIELD_MAX = 256, UPLOAD_URL_MAX = 1024 };

typedef struct upload {
    const char *image; /* into the request body */
    size_t image_len;
    char content_id[UPLOAD_FIELD_MAX + 1];
    char uploader_id[UPLOAD_FIELD_MAX + 1];
    char uploader_country[UPLOAD_FIELD_MAX + 1];
    char dihedral[UPLOAD_FIELD_MAX + 1];
    char media_url[UPLOAD_URL_MAX + 1]; /* where reviewers see the media */
} upload;

/* Reads the request into u (absent fields are ""). 0, or -1 with what is wrong in err. */
int upload_read(const http_request *req, upload *u, char *err, size_t errlen);

/* The upload's content_id, uploader_id, uploader_country and media_url checked and copied
 * into c: NULL, or what is wrong. */
const char *upload_content(const upload *u, jaga_content *c);

#endif

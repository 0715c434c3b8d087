/* Request bodies that must be one JSON object. */
#ifndef JAGA_SERVER_JSON_BODY_H
#define JAGA_SERVER_JSON_BODY_H

#include <jansson.h>
#include <stddef.h>

/* The object in body (at most max bytes, no duplicate keys), or NULL with what is wrong in
 * err. */
json_t *json_body_object(const char *body, size_t len, size_t max, char *err, size_t errlen);

/* The object in body read by fields(root, out, err, errlen): its result, or -1 with err set
 * when the body is no JSON object of at most max bytes. */
int json_body_parse(const char *body, size_t len, size_t max,
                    int (*fields)(json_t *root, void *out, char *err, size_t errlen), void *out,
                    char *err, size_t errlen);

/* snprintf(err, errlen, fmt, arg); returns -1. */
int body_fail(char *err, size_t errlen, const char *fmt, const char *arg);

/* A JSON string that is an identifier of 1 to cap-1 bytes (jaga_ident_problem) into out: 0,
 * or -1. */
int json_text(json_t *v, char *out, size_t cap);

/* Free text (jaga_text_problem: newlines and tabs allowed), 0 to cap-1 bytes, into out: 0, or
 * -1. */
int json_free_text(json_t *v, char *out, size_t cap);

#endif

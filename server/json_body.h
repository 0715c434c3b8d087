/* Request bodies that must be one JSON object. */
#ifndef JAGA_SERVER_JSON_BODY_H
#define JAGA_SERVER_JSON_BODY_H

#include <jansson.h>
#include <stddef.h>

/* The object in body (at most max bytes, no duplicate keys), or NULL with what is wrong in
 * err. */
json_t *json_body_object(const char *body, size_t len, size_t max, char *err, size_t errlen);

#endif

#include "json_body.h"

#include <stdio.h>

json_t *json_body_object(const char *body, size_t len, size_t max, char *err, size_t errlen)
{
    if (len > max) {
        snprintf(err, errlen, "the body is over %zu bytes", max);
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        snprintf(err, errlen, "malformed JSON at line %d: %s", jerr.line, jerr.text);
    else if (!json_is_object(root)) {
        json_decref(root);
        root = NULL;
        snprintf(err, errlen, "the body must be a JSON object");
    }
    return root;
}

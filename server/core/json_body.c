#include "json_body.h"

#include <stdio.h>
#include <string.h>

#include "jaga/ident.h"

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

int body_fail(char *err, size_t errlen, const char *fmt, const char *arg)
{
    snprintf(err, errlen, fmt, arg);
    return -1;
}

/* Whether s has control characters (but newlines and tabs where free is set). */
int json_text(json_t *v, char *out, size_t cap)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (!s || !cap || jaga_ident_problem(s, len, cap - 1))
        return -1;
    memcpy(out, s, len + 1);
    return 0;
}

int json_free_text(json_t *v, char *out, size_t cap)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (!s || !cap || jaga_text_problem(s, len, cap - 1))
        return -1;
    memcpy(out, s, len + 1);
    return 0;
}

int json_body_parse(const char *body, size_t len, size_t max,
                    int (*fields)(json_t *root, void *out, char *err, size_t errlen), void *out,
                    char *err, size_t errlen)
{
    json_t *root = json_body_object(body, len, max, err, errlen);
    int rc = root ? fields(root, out, err, errlen) : -1;
    json_decref(root);
    return rc;
}

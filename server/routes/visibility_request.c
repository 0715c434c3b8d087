#include "visibility_request.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/geo.h"
#include "json_body.h"

static int fail(char *err, size_t errlen, const char *message)
{
    snprintf(err, errlen, "%s", message);
    return -1;
}

static int batch_fields(json_t *root, visibility_batch *out, char *err, size_t errlen)
{
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        const char *s = json_string_value(v);
        if (strcmp(key, "ip") == 0) {
            if (!s || strlen(s) >= sizeof(out->ip))
                return fail(err, errlen, "ip must be an IPv4 or IPv6 address");
            strcpy(out->ip, s);
        } else if (strcmp(key, "country") == 0) {
            if (!jaga_country_known(s))
                return fail(err, errlen, "country is an ISO 3166-1 alpha-2 code, e.g. MY");
            strcpy(out->country, s);
        } else if (strcmp(key, "sensitive_filter") == 0) {
            if (!json_is_boolean(v))
                return fail(err, errlen, "sensitive_filter is true or false");
            out->sensitive_filter = json_is_true(v);
        } else if (strcmp(key, "content_ids") == 0) {
            size_t n = json_array_size(v);
            if (!json_is_array(v) || n == 0 || n > VISIBILITY_BATCH_MAX)
                return fail(err, errlen, "content_ids must be an array of 1 to 1000 ids");
            if (!(out->ids = calloc(n, sizeof(char *))))
                return fail(err, errlen, "no memory");
            for (size_t i = 0; i < n; i++) {
                const char *id = json_string_value(json_array_get(v, i));
                if (!id || !*id || strlen(id) > CONTENT_ID_MAX)
                    return fail(err, errlen, "content ids are strings of 1 to 256 bytes");
                out->ids[out->nids++] = id;
            }
        } else {
            snprintf(err, errlen, "unknown field '%s'", key);
            return -1;
        }
    }
    if (!out->ids)
        return fail(err, errlen, "content_ids is required");
    if (!out->ip[0] == !out->country[0])
        return fail(err, errlen, "give one of ip and country");
    return 0;
}

int visibility_batch_parse(const char *body, size_t len, visibility_batch *out, char *err,
                           size_t errlen)
{
    memset(out, 0, sizeof(*out));
    out->sensitive_filter = 1;
    json_t *root = json_body_object(body, len, VISIBILITY_BODY_MAX, err, errlen);
    if (!root)
        return -1;
    out->doc = root;
    if (batch_fields(root, out, err, errlen) != 0) {
        visibility_batch_free(out);
        return -1;
    }
    return 0;
}

void visibility_batch_free(visibility_batch *b)
{
    free(b->ids);
    json_decref(b->doc);
    memset(b, 0, sizeof(*b));
}

/* A reason or legal code: 1 to 47 of letters, digits, '_', '-', '.'. */
static int code_ok(const char *s)
{
    if (!s || !*s || strlen(s) >= 48)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("_-.", *s))
            return 0;
    return 1;
}

int country_block_parse(const char *body, size_t len, char reason[48], char legal[48], char *err,
                        size_t errlen)
{
    reason[0] = legal[0] = '\0';
    json_t *root = json_body_object(body, len, 4096, err, errlen);
    if (!root)
        return -1;
    int rc = 0;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        const char *s = json_string_value(v);
        if (strcmp(key, "reason") == 0 && code_ok(s))
            strcpy(reason, s);
        else if (strcmp(key, "legal") == 0 && code_ok(s))
            strcpy(legal, s);
        else if (strcmp(key, "reason") == 0 || strcmp(key, "legal") == 0)
            rc = fail(err, errlen,
                      "reason and legal are codes of 1 to 47 letters, digits, "
                      "'_', '-' or '.'");
        else
            rc = -1, snprintf(err, errlen, "unknown field '%s'", key);
        if (rc)
            break;
    }
    if (rc == 0 && !reason[0])
        rc = fail(err, errlen, "reason is required");
    json_decref(root);
    return rc;
}

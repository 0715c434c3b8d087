#include "lookup_request.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "jaga/digest.h"

static int fail(char *err, size_t errlen, const char *message)
{
    snprintf(err, errlen, "%s", message);
    return -1;
}

/* A hex string of exactly digits characters into out (digits + 1 bytes). */
static int hex_field(json_t *v, size_t digits, char *out)
{
    uint8_t scratch[32];
    const char *s = json_string_value(v);
    if (!s || strlen(s) != digits || jaga_hex_decode(s, scratch, digits / 2) != JAGA_OK)
        return -1;
    memcpy(out, s, digits + 1);
    return 0;
}

static int parse_fields(json_t *root, lookup_request *out, char *err, size_t errlen)
{
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "pdq") == 0) {
            size_t n = json_array_size(v);
            if (!json_is_array(v) || (n != 1 && n != JAGA_DIH_COUNT))
                return fail(err, errlen, "pdq must be an array of 1 or 8 hashes");
            for (size_t i = 0; i < n; i++) {
                const char *hex = json_string_value(json_array_get(v, i));
                if (!hex || jaga_pdq_from_hex(hex, &out->pdq[i]) != JAGA_OK)
                    return fail(err, errlen, "pdq hashes are 64 hex digits");
            }
            out->npdq = n;
        } else if (strcmp(key, "md5") == 0) {
            if (hex_field(v, 32, out->md5) != 0)
                return fail(err, errlen, "md5 is 32 hex digits");
            out->has_md5 = 1;
        } else if (strcmp(key, "sha256") == 0) {
            if (hex_field(v, 64, out->sha256) != 0)
                return fail(err, errlen, "sha256 is 64 hex digits");
            out->has_sha256 = 1;
        } else if (strcmp(key, "banks") == 0) {
            size_t n = json_array_size(v);
            if (!json_is_array(v) || n > LOOKUP_BANKS_MAX)
                return fail(err, errlen, "banks must be an array of at most 32 names");
            for (size_t i = 0; i < n; i++) {
                const char *name = json_string_value(json_array_get(v, i));
                if (!name || strlen(name) >= JAGA_BANK_NAME_MAX)
                    return fail(err, errlen, "bank names are strings of at most 63 bytes");
                strcpy(out->banks[i], name);
            }
            out->nbanks = n;
        } else {
            snprintf(err, errlen, "unknown field '%.64s'", key);
            return -1;
        }
    }
    if (!out->npdq && !out->has_md5 && !out->has_sha256)
        return fail(err, errlen, "give at least one of pdq, md5, sha256");
    return 0;
}

int lookup_request_parse(const char *body, size_t len, lookup_request *out, char *err,
                         size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (len > LOOKUP_BODY_MAX)
        return fail(err, errlen, "the body is over 64 KiB");
    json_error_t jerr;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, errlen, "malformed JSON at line %d: %s", jerr.line, jerr.text);
        return -1;
    }
    int rc = json_is_object(root) ? parse_fields(root, out, err, errlen)
                                  : fail(err, errlen, "the body must be a JSON object");
    json_decref(root);
    return rc;
}

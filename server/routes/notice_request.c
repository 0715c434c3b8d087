#include "notice_request.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/digest.h"
#include "jaga/geo.h"
#include "jaga/policy.h"
#include "json_body.h"

static int hex_of(const char *s, size_t digits)
{
    uint8_t scratch[32];
    return strlen(s) == digits && jaga_hex_decode(s, scratch, digits / 2) == JAGA_OK;
}

/* One item: exactly one of its kinds, with a value of that kind. */
static int item(json_t *o, jaga_notice_item *it, char *err, size_t errlen)
{
    static const char *const kinds[] = {"content_id", "pdq", "md5", "sha256", "url"};
    const char *key;
    json_t *v;
    if (!json_is_object(o) || json_object_size(o) != 1)
        return body_fail(err, errlen, "%s",
                         "each item is an object with one of content_id, pdq, "
                         "md5, sha256 or url");
    json_object_foreach(o, key, v)
    {
        size_t k = 0;
        while (k < 5 && strcmp(key, kinds[k]) != 0)
            k++;
        if (k == 5)
            return body_fail(err, errlen, "unknown item field '%s'", key);
        size_t cap = k == 0 ? 257 : sizeof(it->value);
        if (json_text(v, it->value, cap) != 0)
            return body_fail(err, errlen, "%s must be text of the right length", key);
        snprintf(it->kind, sizeof(it->kind), "%s", k == 0 ? "content" : key);
        int ok =
            k == 0 || (k == 1 && hex_of(it->value, 64)) || (k == 2 && hex_of(it->value, 32)) ||
            (k == 3 && hex_of(it->value, 64)) ||
            (k == 4 &&
             (strncmp(it->value, "https://", 8) == 0 || strncmp(it->value, "http://", 7) == 0) &&
             !strchr(it->value, ' '));
        if (!ok)
            return body_fail(err, errlen, "%s is malformed (hashes in hex, URLs http(s)://)", key);
        if (k == 0 && strncmp(it->value, "notice:", 7) == 0) /* another notice's item */
            return body_fail(err, errlen, "%s",
                             "content_id \"notice:...\" names a notice's own item, not content");
    }
    return 0;
}

static int notice_fields(json_t *root, void *arg, char *err, size_t errlen)
{
    notice_request *out = arg;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "reference") == 0) {
            if (json_text(v, out->reference, sizeof(out->reference)))
                return body_fail(err, errlen, "%s", "reference is text of 1 to 127 bytes");
        } else if (strcmp(key, "legal_basis") == 0) {
            if (json_text(v, out->legal_basis, sizeof(out->legal_basis)))
                return body_fail(err, errlen, "%s", "legal_basis is text of 1 to 47 bytes");
        } else if (strcmp(key, "jurisdiction") == 0) {
            if (!jaga_country_known(json_string_value(v)))
                return body_fail(err, errlen, "%s", "jurisdiction is an ISO 3166-1 alpha-2 code");
            strcpy(out->jurisdiction, json_string_value(v));
        } else if (strcmp(key, "urgency") == 0) {
            const char *u = json_string_value(v);
            if (!u || (strcmp(u, "normal") != 0 && strcmp(u, "urgent") != 0))
                return body_fail(err, errlen, "%s", "urgency is normal or urgent");
            out->urgent = strcmp(u, "urgent") == 0;
        } else if (strcmp(key, "deadline") == 0) {
            const char *d = json_string_value(v);
            if (!d || jaga_duration_parse(d, &out->deadline_s) != JAGA_OK)
                return body_fail(err, errlen, "%s", "deadline is a duration, e.g. 24h or 90m");
        } else if (strcmp(key, "penalty") == 0) {
            json_t *c = json_object_get(v, "currency"), *a = json_object_get(v, "amount");
            const char *cur = json_string_value(c);
            if (!json_is_object(v) || json_object_size(v) != 2 || !cur || strlen(cur) != 3 ||
                !isupper((unsigned char)cur[0]) || !json_is_number(a) || json_number_value(a) < 0 ||
                json_number_value(a) > 1e15)
                return body_fail(err, errlen, "%s",
                                 "penalty is {\"currency\": \"MYR\", \"amount\": a number >= 0}");
            strcpy(out->currency, cur);
            out->amount = json_number_value(a);
            out->has_penalty = 1;
        } else if (strcmp(key, "items") == 0) {
            size_t n = json_array_size(v);
            if (!json_is_array(v) || n == 0 || n > NOTICE_ITEMS_MAX)
                return body_fail(err, errlen, "%s", "items is an array of 1 to 1000 items");
            if (!(out->items = calloc(n, sizeof(*out->items))))
                return body_fail(err, errlen, "%s", "no memory");
            for (size_t i = 0; i < n; i++, out->nitems++)
                if (item(json_array_get(v, i), &out->items[i], err, errlen) != 0)
                    return -1;
        } else {
            return body_fail(err, errlen, "unknown field '%s'", key);
        }
    }
    if (!out->reference[0])
        return body_fail(err, errlen, "%s", "reference is required");
    if (!out->items)
        return body_fail(err, errlen, "%s", "items is required");
    return 0;
}

int notice_request_parse(const char *body, size_t len, notice_request *out, char *err,
                         size_t errlen)
{
    memset(out, 0, sizeof(*out));
    int rc = json_body_parse(body, len, NOTICE_BODY_MAX, notice_fields, out, err, errlen);
    if (rc != 0)
        notice_request_free(out);
    return rc;
}

void notice_request_free(notice_request *r)
{
    free(r->items);
    r->items = NULL;
    r->nitems = 0;
}

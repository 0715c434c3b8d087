#include "review_request.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "jaga/geo.h"
#include "jaga/taxonomy.h"
#include "json_body.h"

/* Whether key is one of the NULL-terminated allowed keys. */
static int allowed(const char *key, const char *const *keys)
{
    for (; *keys; keys++)
        if (strcmp(key, *keys) == 0)
            return 1;
    return 0;
}

/* The first member of root not in keys, or NULL. */
static const char *unknown_key(json_t *root, const char *const *keys)
{
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (!allowed(key, keys))
            return key;
    }
    return NULL;
}

static int language_ok(const char *l)
{
    return strlen(l) == 2 && l[0] >= 'a' && l[0] <= 'z' && l[1] >= 'a' && l[1] <= 'z';
}

static int report_fields(json_t *root, void *arg, char *err, size_t errlen)
{
    report_request *out = arg;
    static const char *const keys[] = {"content_id",  "category", "reporter_id", "text",
                                       "reporter_ip", "country",  "language",    NULL};
    jaga_report *r = &out->report;
    const char *bad = unknown_key(root, keys);
    json_t *v;
    if (bad)
        return body_fail(err, errlen, "unknown field '%s'", bad);
    if (json_text(json_object_get(root, "content_id"), r->content_id, sizeof(r->content_id)))
        return body_fail(err, errlen, "%s", "content_id is required: text of 1 to 256 bytes");
    if (json_text(json_object_get(root, "category"), r->category, sizeof(r->category)) ||
        !jaga_category_find(r->category))
        return body_fail(err, errlen, "%s",
                         "category is required: one of the codes of GET /v1/categories");
    if ((v = json_object_get(root, "reporter_id")) &&
        json_text(v, r->reporter_id, sizeof(r->reporter_id)))
        return body_fail(err, errlen, "%s", "reporter_id is text of 1 to 256 bytes");
    if ((v = json_object_get(root, "text")) && json_free_text(v, r->text, sizeof(r->text)))
        return body_fail(err, errlen, "text is at most %s bytes, without control characters",
                         "2000");
    if ((v = json_object_get(root, "reporter_ip")) &&
        json_text(v, out->reporter_ip, sizeof(out->reporter_ip)))
        return body_fail(err, errlen, "%s", "reporter_ip is an IPv4 or IPv6 address");
    if ((v = json_object_get(root, "country")) &&
        (json_text(v, r->country, sizeof(r->country)) || !jaga_country_known(r->country)))
        return body_fail(err, errlen, "%s", "country is an ISO 3166-1 alpha-2 code");
    if ((v = json_object_get(root, "language")) &&
        (json_text(v, r->language, sizeof(r->language)) || !language_ok(r->language)))
        return body_fail(err, errlen, "%s", "language is an ISO 639-1 code, e.g. ms");
    return 0;
}

int report_request_parse(const char *body, size_t len, report_request *out, char *err,
                         size_t errlen)
{
    memset(out, 0, sizeof(*out));
    return json_body_parse(body, len, REVIEW_BODY_MAX, report_fields, out, err, errlen);
}

/* The countries array as "MY,ID". */
static int countries(json_t *v, jaga_decision *d, char *err, size_t errlen)
{
    size_t n = json_array_size(v), used = 0;
    if (!json_is_array(v) || n == 0 || n > 16)
        return body_fail(err, errlen, "%s", "countries is an array of 1 to 16 codes");
    for (size_t i = 0; i < n; i++) {
        const char *c = json_string_value(json_array_get(v, i));
        if (!jaga_country_known(c))
            return body_fail(err, errlen, "%s", "countries are ISO 3166-1 alpha-2 codes");
        used += (size_t)snprintf(d->countries + used, sizeof(d->countries) - used, "%s%s",
                                 i ? "," : "", c);
    }
    return 0;
}

static int decision_fields(json_t *root, void *arg, char *err, size_t errlen)
{
    jaga_decision *d = arg;
    static const char *const keys[] = {"action", "countries",  "ground",  "legal", "category",
                                       "note",   "everywhere", "preview", NULL};
    static const char *const actions[] = {"no_violation", "blur",   "age_gate", "withhold",
                                          "remove",       "uphold", "overturn", NULL};
    const char *bad = unknown_key(root, keys);
    json_t *v;
    if (bad)
        return body_fail(err, errlen, "unknown field '%s'", bad);
    if (json_text(json_object_get(root, "action"), d->action, sizeof(d->action)) ||
        !allowed(d->action, actions))
        return body_fail(err, errlen, "%s",
                         "action is no_violation, blur, age_gate, withhold or remove (uphold or "
                         "overturn for an appeal)");
    if ((v = json_object_get(root, "countries")) && countries(v, d, err, errlen))
        return -1;
    if ((v = json_object_get(root, "ground")) &&
        (json_text(v, d->ground, sizeof(d->ground)) ||
         (strcmp(d->ground, "law") != 0 && strcmp(d->ground, "terms") != 0)))
        return body_fail(err, errlen, "%s", "ground is law or terms");
    if ((v = json_object_get(root, "legal")) && json_text(v, d->legal_id, sizeof(d->legal_id)))
        return body_fail(err, errlen, "%s", "legal is text of 1 to 47 bytes");
    if ((v = json_object_get(root, "category")) &&
        (json_text(v, d->category, sizeof(d->category)) || !jaga_category_find(d->category)))
        return body_fail(err, errlen, "%s", "category is one of the codes of GET /v1/categories");
    if ((v = json_object_get(root, "everywhere")) && !json_is_boolean(v))
        return body_fail(err, errlen, "%s", "everywhere is true or false");
    d->everywhere = json_is_true(v);
    if ((v = json_object_get(root, "preview")) && !json_is_boolean(v))
        return body_fail(err, errlen, "%s", "preview is true or false");
    d->preview = json_is_true(v);
    if ((v = json_object_get(root, "note")) && json_free_text(v, d->note, sizeof(d->note)))
        return body_fail(err, errlen, "%s", "note is text of at most 1024 bytes");
    return 0;
}

int decision_request_parse(const char *body, size_t len, jaga_decision *out, char *err,
                           size_t errlen)
{
    memset(out, 0, sizeof(*out));
    return json_body_parse(body, len, REVIEW_BODY_MAX, decision_fields, out, err, errlen);
}

static int appeal_fields(json_t *root, void *arg, char *err, size_t errlen)
{
    static const char *const keys[] = {"appellant", "text", NULL};
    appeal_request *out = arg;
    const char *bad = unknown_key(root, keys);
    json_t *v;
    if (bad)
        return body_fail(err, errlen, "unknown field '%s'", bad);
    if (json_text(json_object_get(root, "appellant"), out->appellant, sizeof(out->appellant)))
        return body_fail(err, errlen, "%s", "appellant is required: text of 1 to 100 bytes");
    if ((v = json_object_get(root, "text")) && json_free_text(v, out->text, sizeof(out->text)))
        return body_fail(err, errlen, "%s", "text is at most 400 bytes");
    return 0;
}

int appeal_request_parse(const char *body, size_t len, appeal_request *out, char *err,
                         size_t errlen)
{
    memset(out, 0, sizeof(*out));
    return json_body_parse(body, len, REVIEW_BODY_MAX, appeal_fields, out, err, errlen);
}

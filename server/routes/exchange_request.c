/* The JSON bodies of the exchange routes, checked field by field. */
#include "exchange_request.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/digest.h"
#include "json_body.h"

/* Whether every member of root is one of names (NULL-ended); else err names the first that
 * is not. */
static int only_fields(json_t *root, const char *const *names, char *err, size_t errlen)
{
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        size_t i = 0;
        while (names[i] && strcmp(names[i], key) != 0)
            i++;
        if (!names[i]) {
            snprintf(err, errlen, "unknown field '%.64s'", key);
            return 0;
        }
    }
    return 1;
}

static int peer_fields(json_t *root, void *out, char *err, size_t errlen)
{
    static const char *const names[] = {"name", "public_key", "url", "banks", NULL};
    jaga_peer *p = out;
    const char *key = json_string_value(json_object_get(root, "public_key"));
    json_t *url = json_object_get(root, "url"), *banks = json_object_get(root, "banks");
    if (!only_fields(root, names, err, errlen))
        return -1;
    if (json_text(json_object_get(root, "name"), p->name, sizeof(p->name)) != 0)
        return body_fail(err, errlen, "%s is required", "name");
    if (!key || strlen(key) != 64 || jaga_hex_decode(key, p->public_key, 32) != JAGA_OK)
        return body_fail(err, errlen, "%s is 64 hex digits (an Ed25519 key)", "public_key");
    if (url && json_text(url, p->url, sizeof(p->url)) != 0)
        return body_fail(err, errlen, "%s is a URL", "url");
    if (banks && !json_is_string(banks))
        return body_fail(err, errlen, "%s is bank names, comma-separated", "banks");
    if (banks && snprintf(p->banks, sizeof(p->banks), "%s", json_string_value(banks)) >=
                     (int)sizeof(p->banks))
        return body_fail(err, errlen, "%s is too long", "banks");
    return 0;
}

int exchange_peer_parse(const char *body, size_t len, jaga_peer *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    return json_body_parse(body, len, EXCHANGE_BODY_MAX, peer_fields, out, err, errlen);
}

static int subscribe_fields(json_t *root, void *out, char *err, size_t errlen)
{
    static const char *const names[] = {"peer", "bank", "local_bank", NULL};
    exchange_subscribe_request *q = out;
    json_t *local = json_object_get(root, "local_bank");
    if (!only_fields(root, names, err, errlen))
        return -1;
    if (json_text(json_object_get(root, "peer"), q->peer, sizeof(q->peer)) != 0)
        return body_fail(err, errlen, "%s is required", "peer");
    if (json_text(json_object_get(root, "bank"), q->bank, sizeof(q->bank)) != 0)
        return body_fail(err, errlen, "%s is required", "bank");
    if (local && json_text(local, q->local_bank, sizeof(q->local_bank)) != 0)
        return body_fail(err, errlen, "%s is a bank name", "local_bank");
    return 0;
}

int exchange_subscribe_parse(const char *body, size_t len, exchange_subscribe_request *out,
                             char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    return json_body_parse(body, len, EXCHANGE_BODY_MAX, subscribe_fields, out, err, errlen);
}

/* One verdict into fb; NULL or what is wrong. */
static const char *verdict_parse(json_t *o, int64_t now, jaga_feedback *fb)
{
    static const char *const names[] = {"signal_type", "value", "verdict", "at", NULL};
    char unknown[96];
    const char *type = json_string_value(json_object_get(o, "signal_type"));
    const char *value = json_string_value(json_object_get(o, "value"));
    const char *verdict = json_string_value(json_object_get(o, "verdict"));
    json_t *at = json_object_get(o, "at");
    if (!json_is_object(o) || !only_fields(o, names, unknown, sizeof(unknown)))
        return "a verdict is an object of signal_type, value, verdict and at";
    if (!type || jaga_signal_type_parse(type, &fb->type) != JAGA_OK)
        return "signal_type is pdq, md5, sha256 or vpdq";
    if (!value || strlen(value) >= sizeof(fb->value))
        return "value is a signal";
    snprintf(fb->value, sizeof(fb->value), "%s", value);
    if (!verdict || jaga_feedback_verdict_parse(verdict, &fb->verdict) != JAGA_OK)
        return "verdict is confirmed or false_positive";
    if (!json_is_integer(at) || json_integer_value(at) <= 0 ||
        json_integer_value(at) > (json_int_t)(now + JAGA_PEER_REQUEST_SKEW))
        return "at is the Unix time of the verdict, not in the future";
    fb->at = (int64_t)json_integer_value(at);
    return NULL;
}

jaga_feedback *exchange_verdicts_parse(const char *body, size_t len, int64_t now, size_t *n,
                                       char *err, size_t errlen)
{
    json_t *root = json_body_object(body, len, EXCHANGE_VERDICTS_BODY_MAX, err, errlen);
    json_t *verdicts = json_object_get(root, "verdicts");
    *n = json_array_size(verdicts);
    jaga_feedback *out = NULL;
    if (!root) {
        /* err says why */
    } else if (json_object_size(root) != 1 || !json_is_array(verdicts) || *n == 0 ||
               *n > EXCHANGE_VERDICTS_MAX) {
        snprintf(err, errlen, "the body is {\"verdicts\": [...]} with 1 to %d verdicts",
                 EXCHANGE_VERDICTS_MAX);
    } else if (!(out = calloc(*n, sizeof(*out)))) {
        snprintf(err, errlen, "no memory");
    }
    for (size_t i = 0; out && i < *n; i++) {
        const char *problem = verdict_parse(json_array_get(verdicts, i), now, &out[i]);
        if (problem) {
            snprintf(err, errlen, "verdict %zu: %s", i + 1, problem);
            free(out);
            out = NULL;
        }
    }
    json_decref(root);
    return out;
}

/* Feed batches as JSON: what a publisher sends and a subscriber reads, with hard limits. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/digest.h"
#include "jaga/exchange.h"
#include "jaga/core.h"

static json_t *hex_json(const uint8_t *bytes, size_t n)
{
    char hex[129];
    jaga_hex_encode(bytes, n, hex);
    return json_string(hex);
}

static json_t *item_json(const jaga_exchange_item *it)
{
    const jaga_entry *e = &it->entry;
    json_t *o = json_pack("{s:I,s:s,s:s,s:s}", "seq", (json_int_t)it->seq, "change",
                          e->withdrawn ? "withdraw" : "add", "signal_type",
                          jaga_signal_type_name(e->type), "value", e->value);
    if (!o || e->withdrawn)
        return o;
    json_object_set_new(o, "quality", json_integer(e->quality));
    json_object_set_new(o, "labels", json_string(e->labels));
    if (e->nfeatures) {
        json_t *features = json_array();
        for (size_t f = 0; f < e->nfeatures; f++) {
            char line[JAGA_VPDQ_LINE_MAX];
            jaga_vpdq_feature_compact(&e->features[f], line);
            json_array_append_new(features, json_string(line));
        }
        json_object_set_new(o, "features", features);
    }
    return o;
}

char *jaga_exchange_batch_json(const jaga_exchange_batch *b, size_t *len)
{
    json_t *changes = json_array();
    for (size_t i = 0; i < b->n; i++)
        json_array_append_new(changes, item_json(&b->items[i]));
    json_t *root =
        json_pack("{s:s,s:I,s:I,s:b,s:o,s:o,s:o}", "bank", b->bank, "from", (json_int_t)b->from,
                  "to", (json_int_t)b->to, "more", b->more, "publisher", hex_json(b->publisher, 32),
                  "signature", hex_json(b->signature, 64), "changes", changes);
    char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    if (text && len)
        *len = strlen(text);
    return text;
}

static int hex_member(json_t *root, const char *name, uint8_t *out, size_t n)
{
    const char *text = json_string_value(json_object_get(root, name));
    return text && strlen(text) == 2 * n && jaga_hex_decode(text, out, n) == JAGA_OK;
}

/* A non-negative integer member into out; 0, or -1. */
static int count_member(json_t *o, const char *name, int64_t *out)
{
    json_t *v = json_object_get(o, name);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return -1;
    *out = (int64_t)json_integer_value(v);
    return 0;
}

/* One change into e (features into a malloc'd array the caller frees); NULL or what is wrong. */
static const char *parse_change(json_t *o, int64_t *seq, jaga_entry *e, jaga_vpdq_feature **fs)
{
    *fs = NULL;
    memset(e, 0, sizeof(*e));
    e->quality = -1;
    const char *change = json_string_value(json_object_get(o, "change"));
    const char *type = json_string_value(json_object_get(o, "signal_type"));
    const char *value = json_string_value(json_object_get(o, "value"));
    const char *labels = json_string_value(json_object_get(o, "labels"));
    json_t *quality = json_object_get(o, "quality"), *features = json_object_get(o, "features");
    if (!json_is_object(o) || count_member(o, "seq", seq) != 0)
        return "a change is an object with a seq";
    if (!change || (strcmp(change, "add") != 0 && strcmp(change, "withdraw") != 0))
        return "a change is add or withdraw";
    e->withdrawn = change[0] == 'w';
    if (!type || jaga_signal_type_parse(type, &e->type) != JAGA_OK)
        return "unknown signal_type";
    if (!value || strlen(value) >= sizeof(e->value))
        return "value is missing or too long";
    strcpy(e->value, value);
    if (labels && strlen(labels) >= sizeof(e->labels))
        return "labels too long";
    strcpy(e->labels, labels ? labels : "");
    if (quality) {
        if (!json_is_integer(quality) || json_integer_value(quality) < -1 ||
            json_integer_value(quality) > 100)
            return "quality is -1 to 100";
        e->quality = (int)json_integer_value(quality);
    }
    if (!features)
        return NULL;
    size_t n = json_array_size(features);
    if (!json_is_array(features) || n == 0 || n > JAGA_VPDQ_ENTRY_FEATURES_MAX)
        return "features is an array of 1 to 32400 strings";
    if (!(*fs = malloc(n * sizeof(**fs))))
        return "no memory";
    for (size_t i = 0; i < n; i++) {
        const char *line = json_string_value(json_array_get(features, i));
        if (!line || jaga_vpdq_feature_parse_compact(line, &(*fs)[i]) != JAGA_OK)
            return "a feature is not \"hex,quality,timestamp\"";
    }
    e->features = *fs;
    e->nfeatures = n;
    return NULL;
}

jaga_status jaga_exchange_batch_parse(jaga_ctx *ctx, const char *json, size_t len,
                                      jaga_exchange_batch **out)
{
    *out = NULL;
    if (len > JAGA_EXCHANGE_JSON_MAX)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "a batch is at most %zu bytes",
                         JAGA_EXCHANGE_JSON_MAX);
    json_error_t err;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return jaga_fail(ctx, JAGA_ERR_DECODE, "batch: line %d: %s", err.line, err.text);
    const char *bank = json_string_value(json_object_get(root, "bank"));
    json_t *changes = json_object_get(root, "changes"), *more = json_object_get(root, "more");
    int64_t from = 0, to = 0;
    jaga_exchange_batch *b = NULL;
    jaga_status st = JAGA_OK;
    if (!json_is_object(root) || !bank || !jaga_bank_name_ok(bank, strlen(bank)) ||
        count_member(root, "from", &from) != 0 || count_member(root, "to", &to) != 0 ||
        !json_is_boolean(more) || !json_is_array(changes))
        st =
            jaga_fail(ctx, JAGA_ERR_DECODE, "batch: bank, from, to, more and changes are required");
    else if (json_array_size(changes) > JAGA_EXCHANGE_ITEMS_MAX)
        st = jaga_fail(ctx, JAGA_ERR_LIMIT, "batch: more than %d changes", JAGA_EXCHANGE_ITEMS_MAX);
    else if ((st = jaga_exchange_batch_new(bank, from, &b)) != JAGA_OK)
        jaga_fail(ctx, st, "no memory for a batch");
    else if (!hex_member(root, "publisher", b->publisher, 32) ||
             !hex_member(root, "signature", b->signature, 64))
        st = jaga_fail(ctx, JAGA_ERR_DECODE, "batch: publisher and signature are hex");
    for (size_t i = 0; st == JAGA_OK && i < json_array_size(changes); i++) {
        int64_t seq;
        jaga_entry e;
        jaga_vpdq_feature *features;
        const char *problem = parse_change(json_array_get(changes, i), &seq, &e, &features);
        if (problem)
            st = jaga_fail(ctx, JAGA_ERR_DECODE, "batch: change %zu: %s", i + 1, problem);
        else if ((st = jaga_exchange_batch_add(b, ctx, seq, &e)) != JAGA_OK && st != JAGA_ERR_LIMIT)
            st = jaga_fail(ctx, JAGA_ERR_DECODE, "batch: change %zu: %s", i + 1, jaga_errmsg(ctx));
        free(features);
    }
    if (st == JAGA_OK) {
        b->more = json_is_true(more);
        b->to = to; /* as signed: the checks compare it with the changes */
        *out = b;
    } else {
        jaga_exchange_batch_free(b);
    }
    json_decref(root);
    return st;
}

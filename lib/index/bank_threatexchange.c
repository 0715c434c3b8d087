/* The threatexchange bank format: one page of ThreatExchange's /threat_updates. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/bank_import.h"
#include "jaga/core.h"

/* ThreatExchange's indicator types that jaga banks. */
static const struct {
    const char *te;
    jaga_signal_type type;
} te_types[] = {{"HASH_PDQ", JAGA_SIGNAL_PDQ},
                {"HASH_MD5", JAGA_SIGNAL_MD5},
                {"HASH_VIDEO_MD5", JAGA_SIGNAL_MD5},
                {"HASH_SHA256", JAGA_SIGNAL_SHA256}};

/* Appends ";item" to labels when it fits (tags that do not are left out). */
static void label_add(char *labels, size_t cap, const char *item)
{
    size_t used = strlen(labels), n = strlen(item);
    if (used + (used > 0) + n >= cap)
        return;
    snprintf(labels + used, cap - used, "%s%s", used ? ";" : "", item);
}

/* The labels of an update: its id, then its descriptors' tags. */
static void labels_of(json_t *rec, jaga_entry *e)
{
    json_t *id = json_object_get(rec, "id");
    char item[160];
    snprintf(e->labels, sizeof(e->labels), "source=threatexchange");
    if (json_is_string(id) && strlen(json_string_value(id)) < 64 &&
        !strpbrk(json_string_value(id), ",;\r\n")) {
        snprintf(item, sizeof(item), "te_id=%s", json_string_value(id));
        label_add(e->labels, sizeof(e->labels), item);
    }
    json_t *descriptors = json_object_get(json_object_get(rec, "descriptors"), "data");
    for (size_t d = 0; d < json_array_size(descriptors); d++) {
        json_t *tags = json_object_get(json_array_get(descriptors, d), "tags");
        for (size_t t = 0; t < json_array_size(tags); t++) {
            const char *tag = json_string_value(json_array_get(tags, t));
            if (!tag || strlen(tag) > 100 || strpbrk(tag, ",;\r\n"))
                continue;
            snprintf(item, sizeof(item), "tag=%s", tag);
            if (!strstr(e->labels, item))
                label_add(e->labels, sizeof(e->labels), item);
        }
    }
}

/* One update into e; NULL or what is wrong with it. */
static const char *parse_update(json_t *rec, jaga_entry *e)
{
    if (!json_is_object(rec))
        return "not an object";
    const char *type = json_string_value(json_object_get(rec, "type"));
    const char *value = json_string_value(json_object_get(rec, "indicator"));
    json_t *del = json_object_get(rec, "should_delete");
    json_t *when = json_object_get(rec, "last_updated");
    if (!type || !value)
        return "type and indicator must be strings";
    if (del && !json_is_boolean(del))
        return "should_delete is true or false";
    size_t i = 0;
    while (i < sizeof(te_types) / sizeof(te_types[0]) && strcmp(te_types[i].te, type) != 0)
        i++;
    if (i == sizeof(te_types) / sizeof(te_types[0]))
        return "type is not HASH_PDQ, HASH_MD5, HASH_VIDEO_MD5 or HASH_SHA256";
    e->type = te_types[i].type;
    if (strlen(value) >= sizeof(e->value))
        return "indicator too long";
    strcpy(e->value, value);
    /* A record without descriptors is a deletion too (as python-threatexchange reads it). */
    e->withdrawn = json_is_true(del) || !json_object_get(rec, "descriptors");
    const char *digits = json_string_value(when);
    if (json_is_integer(when) && json_integer_value(when) > 0)
        e->added_at = (int64_t)json_integer_value(when);
    else if (digits && *digits && strspn(digits, "0123456789") == strlen(digits) &&
             strlen(digits) < 19)
        e->added_at = strtoll(digits, NULL, 10);
    labels_of(rec, e);
    return NULL;
}

jaga_status jaga__import_threatexchange(importer *im, jaga_ctx *ctx, const char *data, size_t len)
{
    return jaga__import_json_records(im, ctx, "threatexchange", data, len, "data", parse_update);
}

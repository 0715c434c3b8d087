/* The te bank format: python-threatexchange's local_file lines, "<type> <value>"; a vpdq
 * line's value is a JSON array of "hex,quality,timestamp" strings, one per feature. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "index/bank_import.h"

/* The next run of non-blank characters of line[*at..n) into out (cap bytes); its length,
 * 0 at the end, or cap when it does not fit. */
static size_t next_token(const char *line, size_t n, size_t *at, char *out, size_t cap)
{
    while (*at < n && (line[*at] == ' ' || line[*at] == '\t'))
        (*at)++;
    size_t len = 0;
    for (; *at < n && line[*at] != ' ' && line[*at] != '\t'; (*at)++, len++)
        if (len + 1 < cap)
            out[len] = line[*at];
    if (len >= cap)
        return cap;
    out[len] = '\0';
    return len;
}

/* A vpdq value's features, malloc'd into *out; NULL or what is wrong. */
static const char *vpdq_features(const char *text, size_t len, jaga_vpdq_feature **out, size_t *n)
{
    *out = NULL, *n = 0;
    json_t *list = json_loadb(text, len, 0, NULL);
    size_t count = json_array_size(list);
    const char *problem = NULL;
    if (!json_is_array(list) || count == 0)
        problem = "a vpdq value is a JSON array of \"hex,quality,timestamp\" strings";
    else if (count > JAGA_VPDQ_ENTRY_FEATURES_MAX)
        problem = "a vpdq value has more features than an entry may hold";
    else if (!(*out = malloc(count * sizeof(**out))))
        problem = "no memory";
    for (size_t i = 0; !problem && i < count; i++) {
        const char *item = json_string_value(json_array_get(list, i));
        if (!item || jaga_vpdq_feature_parse_compact(item, &(*out)[i]) != JAGA_OK)
            problem = "a vpdq feature is not \"hex,quality,timestamp\"";
        else
            (*out)[i].frame = i;
    }
    json_decref(list);
    if (problem) {
        free(*out);
        *out = NULL;
    } else {
        *n = count;
    }
    return problem;
}

/* One "vpdq [...]" line from the value's start; 0, or -1 when the store failed. */
static int import_vpdq(importer *im, size_t number, const char *value, size_t len)
{
    jaga_entry e = {.type = JAGA_SIGNAL_VPDQ, .quality = -1};
    jaga_vpdq_feature *features;
    const char *problem = vpdq_features(value, len, &features, &e.nfeatures);
    if (problem) {
        jaga__importer_bad(im, number, "%s", problem);
        return 0;
    }
    e.features = features;
    int rc = jaga__importer_record(im, number, &e);
    free(features);
    return rc;
}

jaga_status jaga__import_te(importer *im, jaga_ctx *ctx, const char *data, size_t len)
{
    (void)ctx;
    line_reader r = {.p = data, .end = data + len};
    const char *line;
    size_t n;
    while (jaga__next_line(&r, &line, &n)) {
        size_t at = 0;
        char type[16], extra[2];
        jaga_entry e = {.quality = -1};
        size_t tl = next_token(line, n, &at, type, sizeof(type));
        if (tl == 0 || type[0] == '#')
            continue;
        if (strcmp(type, "video_md5") == 0)
            strcpy(type, "md5");
        if (strcmp(type, "vpdq") == 0) {
            if (import_vpdq(im, r.number, line + at, n - at) != 0)
                return JAGA_ERR_IO;
            continue;
        }
        if (tl == sizeof(type) || jaga_signal_type_parse(type, &e.type) != JAGA_OK) {
            jaga__importer_bad(im, r.number,
                               "unknown signal type (pdq, md5, video_md5, sha256 or vpdq)");
            continue;
        }
        size_t vl = next_token(line, n, &at, e.value, sizeof(e.value));
        if (vl == 0 || vl == sizeof(e.value) || next_token(line, n, &at, extra, 2) != 0) {
            jaga__importer_bad(im, r.number, "expected '<type> <value>'");
            continue;
        }
        if (jaga__importer_record(im, r.number, &e) != 0)
            return JAGA_ERR_IO;
    }
    return JAGA_OK;
}

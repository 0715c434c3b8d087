/* vPDQ matching (quality filter, dedupe, brute-force shares) and the text of features. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/vpdq.h"
#include "jaga/core.h"

enum { FEATURES_DEFAULT_MAX = 1000000, LINE_MAX_BYTES = 200 };

void jaga_vpdq_match_options_default(jaga_vpdq_match_options *o)
{
    o->quality_min = 50;
    o->distance_max = 31;
    o->query_percent_min = 80;
    o->compared_percent_min = 0;
}

static int by_hash(const void *a, const void *b)
{
    const jaga_vpdq_feature *x = *(const jaga_vpdq_feature *const *)a;
    const jaga_vpdq_feature *y = *(const jaga_vpdq_feature *const *)b;
    int c = memcmp(&x->hash, &y->hash, sizeof(x->hash));
    return c ? c : (x > y) - (x < y); /* equal hashes in their order in the video */
}

size_t jaga_vpdq_prepare(jaga_vpdq_feature *f, size_t n, int quality_min)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (f[i].quality >= quality_min)
            f[kept++] = f[i];
    /* The first of each hash: sort pointers by (hash, position), mark later repeats. */
    const jaga_vpdq_feature **order = malloc((kept ? kept : 1) * sizeof(*order));
    unsigned char *drop = calloc(kept ? kept : 1, 1);
    if (!order || !drop) { /* without memory, a quadratic pass does the same */
        size_t out = 0;
        for (size_t i = 0; i < kept; i++) {
            size_t j = 0;
            while (j < out && memcmp(&f[j].hash, &f[i].hash, sizeof(f[i].hash)) != 0)
                j++;
            if (j == out)
                f[out++] = f[i];
        }
        free(order), free(drop);
        return out;
    }
    for (size_t i = 0; i < kept; i++)
        order[i] = &f[i];
    qsort(order, kept, sizeof(*order), by_hash);
    for (size_t i = 1; i < kept; i++)
        if (memcmp(&order[i]->hash, &order[i - 1]->hash, sizeof(order[i]->hash)) == 0)
            drop[order[i] - f] = 1;
    size_t out = 0;
    for (size_t i = 0; i < kept; i++)
        if (!drop[i])
            f[out++] = f[i];
    free(order), free(drop);
    return out;
}

/* How many of a's features have one in b within max bits. */
static size_t found_in(const jaga_vpdq_feature *a, size_t na, const jaga_vpdq_feature *b, size_t nb,
                       int max)
{
    size_t found = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (jaga_pdq_distance(&a[i].hash, &b[j].hash) <= max) {
                found++;
                break;
            }
    return found;
}

jaga_status jaga_vpdq_compare(jaga_ctx *ctx, const jaga_vpdq_feature *query, size_t nq,
                              const jaga_vpdq_feature *compared, size_t nc,
                              const jaga_vpdq_match_options *options, jaga_vpdq_comparison *out)
{
    jaga_vpdq_match_options defaults;
    if (!options) {
        jaga_vpdq_match_options_default(&defaults);
        options = &defaults;
    }
    memset(out, 0, sizeof(*out));
    jaga_vpdq_feature *q = malloc((nq ? nq : 1) * sizeof(*q));
    jaga_vpdq_feature *c = malloc((nc ? nc : 1) * sizeof(*c));
    if (!q || !c) {
        free(q), free(c);
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory to compare %zu and %zu features", nq, nc);
    }
    if (nq)
        memcpy(q, query, nq * sizeof(*q));
    if (nc)
        memcpy(c, compared, nc * sizeof(*c));
    out->query_kept = jaga_vpdq_prepare(q, nq, options->quality_min);
    out->compared_kept = jaga_vpdq_prepare(c, nc, options->quality_min);
    if (out->query_kept && out->compared_kept) {
        out->query_percent =
            100.0 *
            (double)found_in(q, out->query_kept, c, out->compared_kept, options->distance_max) /
            (double)out->query_kept;
        out->compared_percent =
            100.0 *
            (double)found_in(c, out->compared_kept, q, out->query_kept, options->distance_max) /
            (double)out->compared_kept;
        out->matched = out->query_percent >= options->query_percent_min &&
                       out->compared_percent >= options->compared_percent_min;
    }
    free(q), free(c);
    return JAGA_OK;
}

/* One line "frame,quality,hex,timestamp" (NUL-terminated, at most LINE_MAX_BYTES) into f;
 * 0 or -1. */
/* Splits line at commas into exactly n fields; 0, or -1. */
static int split(char *line, char **fields, int n)
{
    char *save = NULL;
    int got = 0;
    for (char *t = strtok_r(line, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (got < n)
            fields[got++] = t;
        else
            return -1;
    return got == n ? 0 : -1;
}

/* Quality, hex and timestamp fields into f; 0, or -1. */
static int parse_fields(const char *quality_text, const char *hex, const char *ts_text,
                        jaga_vpdq_feature *f)
{
    char *end;
    long quality = strtol(quality_text, &end, 10);
    if (*end || end == quality_text || quality < 0 || quality > 100)
        return -1;
    if (jaga_pdq_from_hex(hex, &f->hash) != JAGA_OK)
        return -1;
    double ts = strtod(ts_text, &end);
    if (*end || end == ts_text || !(ts >= 0 && ts < 1e9))
        return -1;
    f->quality = (int)quality, f->timestamp = (float)ts;
    return 0;
}

static int parse_line(char *line, jaga_vpdq_feature *f)
{
    char *fields[4], *end;
    if (split(line, fields, 4) != 0 || fields[0][0] < '0' || fields[0][0] > '9')
        return -1;
    errno = 0;
    unsigned long long frame = strtoull(fields[0], &end, 10);
    if (*end || errno || parse_fields(fields[1], fields[2], fields[3], f) != 0)
        return -1;
    f->frame = frame;
    return 0;
}

jaga_status jaga_vpdq_feature_parse_compact(const char *text, jaga_vpdq_feature *out)
{
    char copy[LINE_MAX_BYTES + 1], *fields[3];
    size_t len = strnlen(text, sizeof(copy));
    if (len == sizeof(copy))
        return JAGA_ERR_INVALID;
    memcpy(copy, text, len + 1);
    if (split(copy, fields, 3) != 0 || parse_fields(fields[1], fields[0], fields[2], out) != 0)
        return JAGA_ERR_INVALID;
    out->frame = 0;
    return JAGA_OK;
}

jaga_status jaga_vpdq_parse_lines(jaga_ctx *ctx, const char *text, size_t len, size_t max,
                                  jaga_vpdq_feature **features, size_t *n)
{
    *features = NULL, *n = 0;
    max = max ? max : FEATURES_DEFAULT_MAX;
    jaga_vpdq_feature *f = NULL;
    size_t count = 0, cap = 0, number = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len, size = end - pos;
        number++;
        if (size && text[end - 1] == '\r')
            size--;
        char line[LINE_MAX_BYTES + 1];
        jaga_status st = JAGA_OK;
        if (size == 0) {
            pos = end + 1;
            continue;
        }
        if (count == max)
            st = jaga_fail(ctx, JAGA_ERR_LIMIT, "more than %zu vPDQ features", max);
        else if (size > LINE_MAX_BYTES || memchr(text + pos, '\0', size))
            st = jaga_fail(ctx, JAGA_ERR_INVALID, "line %zu: not frame,quality,hex,timestamp",
                           number);
        if (st == JAGA_OK && count == cap) {
            size_t grown_cap = cap ? 2 * cap : 256;
            jaga_vpdq_feature *grown = realloc(f, grown_cap * sizeof(*grown));
            if (!grown)
                st = jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory for %zu features", grown_cap);
            else
                f = grown, cap = grown_cap;
        }
        if (st == JAGA_OK) {
            memcpy(line, text + pos, size);
            line[size] = '\0';
            if (parse_line(line, &f[count]) != 0)
                st = jaga_fail(ctx, JAGA_ERR_INVALID, "line %zu: not frame,quality,hex,timestamp",
                               number);
        }
        if (st != JAGA_OK) {
            free(f);
            return st;
        }
        count++;
        pos = end + 1;
    }
    *features = f, *n = count;
    return JAGA_OK;
}

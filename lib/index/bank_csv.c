/* The csv bank format. */
#include <stdlib.h>
#include <string.h>

#include "index/bank_import.h"
#include "jaga/core.h"

enum { MAX_FIELDS = 16 };

/* Splits one line into fields (RFC 4180 quoting, no line breaks inside quotes), copied into
 * buf. Returns the number of fields, or -1 when the quoting is broken or there are too many. */
static int split_fields(const char *line, size_t len, char *buf, char *fields[MAX_FIELDS])
{
    int n = 0;
    size_t i = 0;
    char *out = buf;
    for (;;) {
        if (n == MAX_FIELDS)
            return -1;
        fields[n++] = out;
        if (i < len && line[i] == '"') {
            for (i++;; i++) {
                if (i >= len)
                    return -1;
                if (line[i] == '"') {
                    if (i + 1 < len && line[i + 1] == '"')
                        *out++ = line[i++];
                    else
                        break;
                } else {
                    *out++ = line[i];
                }
            }
            i++;
            if (i < len && line[i] != ',')
                return -1;
        } else {
            for (; i < len && line[i] != ','; i++) {
                if (line[i] == '"')
                    return -1;
                *out++ = line[i];
            }
        }
        *out++ = '\0';
        if (i >= len)
            return n;
        i++; /* the comma */
    }
}

typedef struct columns {
    int type, signal, quality, labels, status, added_at;
} columns;

static int column_of(char *fields[], int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(fields[i], name) == 0)
            return i;
    return -1;
}

static int parse_int(const char *text, long long lo, long long hi, long long *out)
{
    char *end;
    if (!*text)
        return -1;
    long long v = strtoll(text, &end, 10);
    if (*end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* One data row into e; returns NULL or what is wrong with it. */
static const char *parse_row(const columns *c, char *f[], int n, jaga_entry *e)
{
    int need = c->type > c->signal ? c->type : c->signal;
    if (n <= need)
        return "too few fields";
    if (jaga_signal_type_parse(f[c->type], &e->type) != JAGA_OK)
        return "unknown signal type (pdq, md5 or sha256)";
    if (strlen(f[c->signal]) >= sizeof(e->value))
        return "signal too long";
    strcpy(e->value, f[c->signal]);
    long long v;
    if (c->quality >= 0 && c->quality < n && *f[c->quality]) {
        if (parse_int(f[c->quality], 0, 100, &v) != 0)
            return "quality is not a number in 0..100";
        e->quality = (int)v;
    }
    if (c->labels >= 0 && c->labels < n) {
        if (strlen(f[c->labels]) >= sizeof(e->labels))
            return "labels too long";
        strcpy(e->labels, f[c->labels]);
    }
    if (c->status >= 0 && c->status < n && *f[c->status]) {
        if (strcmp(f[c->status], "withdrawn") == 0)
            e->withdrawn = 1;
        else if (strcmp(f[c->status], "active") != 0)
            return "status is neither active nor withdrawn";
    }
    if (c->added_at >= 0 && c->added_at < n && *f[c->added_at]) {
        if (parse_int(f[c->added_at], 0, (long long)1 << 40, &v) != 0)
            return "added_at is not a Unix time";
        e->added_at = v;
    }
    return NULL;
}

jaga_status jaga__import_csv(importer *im, jaga_ctx *ctx, const char *data, size_t len)
{
    line_reader r = {.p = data, .end = data + len};
    const char *line;
    size_t n;
    char buf[JAGA_IMPORT_LINE_MAX + 1];
    char *f[MAX_FIELDS];
    columns c = {-1, -1, -1, -1, -1, -1};
    int header = 0;
    while (jaga__next_line(&r, &line, &n)) {
        if (n == 0)
            continue;
        int nf = n <= JAGA_IMPORT_LINE_MAX ? split_fields(line, n, buf, f) : -1;
        if (!header) {
            c.type = nf > 0 ? column_of(f, nf, "signal_type") : -1;
            c.signal = nf > 0 ? column_of(f, nf, "signal") : -1;
            if (c.type < 0 || c.signal < 0)
                return jaga_fail(ctx, JAGA_ERR_INVALID,
                                 "csv line %zu: the header must name signal_type and signal",
                                 r.number);
            c.quality = column_of(f, nf, "quality");
            c.labels = column_of(f, nf, "labels");
            c.status = column_of(f, nf, "status");
            c.added_at = column_of(f, nf, "added_at");
            header = 1;
            continue;
        }
        if (nf < 0) {
            jaga__importer_bad(im, r.number,
                               n > JAGA_IMPORT_LINE_MAX ? "line too long" : "broken quoting");
            continue;
        }
        jaga_entry e = {.quality = -1};
        const char *problem = parse_row(&c, f, nf, &e);
        if (problem)
            jaga__importer_bad(im, r.number, "%s", problem);
        else if (jaga__importer_record(im, r.number, &e) != 0)
            return JAGA_ERR_IO;
    }
    if (!header)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "csv: no header line");
    return JAGA_OK;
}

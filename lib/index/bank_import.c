/* The import core: one transaction, record checks, counts, all-or-nothing. */
#include "index/bank_import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/ctx.h"
#include "util/names.h"

/* Entry ids changed by this import, to tell a repeated record from one already banked. */
typedef struct id_set {
    int64_t *slots; /* 0 = empty (entry ids start at 1) */
    size_t cap, n;
} id_set;

static size_t id_slot(const id_set *s, int64_t id)
{
    return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 20) & (s->cap - 1);
}

static int id_set_has(const id_set *s, int64_t id)
{
    if (!s->cap)
        return 0;
    for (size_t i = id_slot(s, id);; i = (i + 1) & (s->cap - 1)) {
        if (s->slots[i] == id)
            return 1;
        if (s->slots[i] == 0)
            return 0;
    }
}

static int id_set_add(id_set *s, int64_t id)
{
    if (2 * (s->n + 1) > s->cap) {
        id_set bigger = {.cap = s->cap ? 2 * s->cap : 1024};
        bigger.slots = calloc(bigger.cap, sizeof(int64_t));
        if (!bigger.slots)
            return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i])
                id_set_add(&bigger, s->slots[i]);
        free(s->slots);
        *s = bigger;
    }
    size_t i = id_slot(s, id);
    while (s->slots[i] != 0 && s->slots[i] != id)
        i = (i + 1) & (s->cap - 1);
    s->n += s->slots[i] == 0;
    s->slots[i] = id;
    return 0;
}

struct importer {
    jaga_store *store;
    jaga_ctx *ctx;
    const jaga_bank *bank;
    const jaga_import_hooks *hooks;
    jaga_import_report *report;
    id_set touched;
};

void importer_bad(importer *im, size_t line, const char *fmt, ...)
{
    char message[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    im->report->bad++;
    if (im->hooks && im->hooks->problem)
        im->hooks->problem(im->hooks->arg, line, message);
}

int importer_record(importer *im, size_t line, jaga_entry *e)
{
    jaga_import_report *rep = im->report;
    rep->records++;
    if (!(im->bank->signal_types & (1u << e->type))) {
        importer_bad(im, line, "bank %s holds no %s signals", im->bank->name,
                     jaga_signal_type_name(e->type));
        return 0;
    }
    if (!e->withdrawn && e->type == JAGA_SIGNAL_PDQ && e->quality >= 0 &&
        e->quality < JAGA_PDQ_QUALITY_MIN) {
        rep->low_quality++;
        return 0;
    }
    const char *extra = im->hooks && im->hooks->labels ? im->hooks->labels : "";
    size_t own = strlen(e->labels);
    if (*extra && own + (own > 0) + strlen(extra) >= sizeof(e->labels)) {
        importer_bad(im, line, "labels longer than %zu bytes with the import's",
                     sizeof(e->labels) - 1);
        return 0;
    }
    if (*extra) {
        if (own)
            e->labels[own++] = ';';
        memcpy(e->labels + own, extra, strlen(extra) + 1);
    }
    e->bank_id = im->bank->id;
    e->id = 0;
    jaga_apply_result r;
    jaga_status st = jaga_store_entry_apply(im->store, im->ctx, e, &r);
    if (st == JAGA_ERR_INVALID) {
        importer_bad(im, line, "%s", jaga_errmsg(im->ctx));
        return 0;
    }
    if (st != JAGA_OK)
        return -1;
    if ((r == JAGA_APPLY_PRESENT || r == JAGA_APPLY_UNKNOWN) && e->id &&
        id_set_has(&im->touched, e->id)) {
        importer_bad(im, line, "%s %s appears twice in this import", jaga_signal_type_name(e->type),
                     e->value);
        return 0;
    }
    switch (r) {
    case JAGA_APPLY_ADDED:
        rep->added++;
        break;
    case JAGA_APPLY_PRESENT:
        rep->present++;
        break;
    case JAGA_APPLY_REACTIVATED:
        rep->reactivated++;
        break;
    case JAGA_APPLY_WITHDRAWN:
        rep->withdrawn++;
        break;
    case JAGA_APPLY_UNKNOWN:
        rep->unknown++;
        break;
    }
    if (r != JAGA_APPLY_PRESENT && r != JAGA_APPLY_UNKNOWN && im->hooks && im->hooks->changed)
        im->hooks->changed(im->hooks->arg, e);
    if (e->id && id_set_add(&im->touched, e->id) != 0) {
        jaga_fail(im->ctx, JAGA_ERR_NOMEM, "import: no memory");
        return -1;
    }
    return 0;
}

int next_line(line_reader *r, const char **line, size_t *len)
{
    if (r->p >= r->end)
        return 0;
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    const char *stop = nl ? nl : r->end;
    *line = r->p;
    *len = (size_t)(stop - r->p);
    if (*len && (*line)[*len - 1] == '\r')
        (*len)--;
    r->p = nl ? nl + 1 : r->end;
    r->number++;
    return 1;
}

jaga_status jaga_bank_format_parse(const char *name, jaga_bank_format *out)
{
    static const char *const names[] = {"csv", "te", "stopncii"};
    int i = jaga_name_index(names, 3, name);
    if (i < 0)
        return JAGA_ERR_INVALID;
    *out = (jaga_bank_format)i;
    return JAGA_OK;
}

jaga_status jaga_bank_import(jaga_store *store, jaga_ctx *ctx, const jaga_bank *bank,
                             jaga_bank_format format, const char *data, size_t len, int skip_bad,
                             const jaga_import_hooks *hooks, jaga_import_report *report)
{
    memset(report, 0, sizeof(*report));
    size_t limit = format == JAGA_BANK_STOPNCII ? JAGA_IMPORT_JSON_MAX : JAGA_IMPORT_BYTES_MAX;
    if (len > limit)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "import: %zu bytes exceeds the limit of %zu", len,
                         limit);
    jaga_status st = jaga_store_begin(store, ctx);
    if (st != JAGA_OK)
        return st;
    importer im = {.store = store, .ctx = ctx, .bank = bank, .hooks = hooks, .report = report};
    if (format == JAGA_BANK_CSV)
        st = import_csv(&im, ctx, data, len);
    else if (format == JAGA_BANK_TE)
        st = import_te(&im, ctx, data, len);
    else
        st = import_stopncii(&im, ctx, data, len);
    free(im.touched.slots);
    if (st == JAGA_OK && report->bad && !skip_bad)
        st = jaga_fail(ctx, JAGA_ERR_INVALID,
                       "import: %zu malformed records, nothing imported (--skip-bad skips them)",
                       report->bad);
    if (st == JAGA_OK)
        st = jaga_store_commit(store, ctx);
    if (st != JAGA_OK)
        jaga_store_rollback(store);
    return st;
}

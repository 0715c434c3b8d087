/* The import core: one transaction, record checks, counts, all-or-nothing. */
#include "index/bank_import.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/core.h"
#include "core/names.h"

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

/* The bank's entries by one label (e.g. ncmec_id=...), for withdrawals that name records by
 * the source's id: read from the store at the first one, entries added since appended. */
typedef struct labelled {
    char label[80];
    jaga_signal_type type;
    char value[JAGA_SIGNAL_VALUE_MAX];
} labelled;

typedef struct label_index {
    char key[32]; /* "ncmec_id=": "" until built */
    labelled *items;
    size_t n, sorted, cap;
    int failed;
} label_index;

struct importer {
    jaga_store *store;
    jaga_ctx *ctx;
    const jaga_bank *bank;
    const jaga_import_hooks *hooks;
    jaga_import_report *report;
    id_set touched;
    label_index labels;
};

/* The label item of labels that starts with key (up to its ';') into out; 0 when none. */
static int label_item(const char *labels, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key);
    for (const char *p = labels; *p;) {
        size_t len = strcspn(p, ";");
        if (len >= klen && len < cap && strncmp(p, key, klen) == 0) {
            memcpy(out, p, len);
            out[len] = '\0';
            return 1;
        }
        p += len + (p[len] == ';');
    }
    return 0;
}

static void label_index_add(label_index *x, const jaga_entry *e)
{
    labelled item;
    if (x->failed || !label_item(e->labels, x->key, item.label, sizeof(item.label)))
        return;
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 256;
        labelled *grown = realloc(x->items, cap * sizeof(*grown));
        if (!grown) {
            x->failed = 1;
            return;
        }
        x->items = grown;
        x->cap = cap;
    }
    item.type = e->type;
    memcpy(item.value, e->value, sizeof(item.value));
    x->items[x->n++] = item;
}

static int label_index_fill(void *arg, const jaga_entry *e)
{
    label_index_add(arg, e);
    return 0;
}

static int labelled_cmp(const void *a, const void *b)
{
    return strcmp(((const labelled *)a)->label, ((const labelled *)b)->label);
}

int jaga__importer_withdraw_labelled(importer *im, size_t line, const char *key, const char *id)
{
    label_index *x = &im->labels;
    if (!x->key[0]) {
        snprintf(x->key, sizeof(x->key), "%s", key);
        jaga_entry_filter f = {.bank_id = im->bank->id};
        if (jaga_store_entries_each(im->store, im->ctx, &f, label_index_fill, x) != JAGA_OK)
            return -1;
        qsort(x->items, x->n, sizeof(*x->items), labelled_cmp);
        x->sorted = x->n;
    }
    if (x->failed) {
        jaga_fail(im->ctx, JAGA_ERR_NOMEM, "import: no memory");
        return -1;
    }
    labelled want;
    snprintf(want.label, sizeof(want.label), "%s%s", key, id);
    /* The sorted run by binary search, then the entries added since, one by one. */
    const labelled *hit = bsearch(&want, x->items, x->sorted, sizeof(*x->items), labelled_cmp);
    size_t from = hit ? (size_t)(hit - x->items) : x->sorted, matched = 0;
    while (from > 0 && hit && strcmp(x->items[from - 1].label, want.label) == 0)
        from--;
    for (size_t i = from; i < x->n; i++) {
        if (strcmp(x->items[i].label, want.label) != 0) {
            if (i < x->sorted)
                i = x->sorted - 1;
            continue;
        }
        jaga_entry e = {.type = x->items[i].type, .quality = -1, .withdrawn = 1};
        memcpy(e.value, x->items[i].value, sizeof(e.value));
        if (jaga__importer_record(im, line, &e) != 0)
            return -1;
        matched++;
    }
    if (!matched)
        im->report->records++, im->report->unknown++;
    return 0;
}

void jaga__importer_bad(importer *im, size_t line, const char *fmt, ...)
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

int jaga__importer_record(importer *im, size_t line, jaga_entry *e)
{
    jaga_import_report *rep = im->report;
    rep->records++;
    if (!(im->bank->signal_types & (1u << e->type))) {
        jaga__importer_bad(im, line, "bank %s holds no %s signals", im->bank->name,
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
        jaga__importer_bad(im, line, "labels longer than %zu bytes with the import's",
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
        jaga__importer_bad(im, line, "%s", jaga_errmsg(im->ctx));
        return 0;
    }
    if (st != JAGA_OK)
        return -1;
    if ((r == JAGA_APPLY_PRESENT || r == JAGA_APPLY_UNKNOWN) && e->id &&
        id_set_has(&im->touched, e->id)) {
        jaga__importer_bad(im, line, "%s %s appears twice in this import",
                           jaga_signal_type_name(e->type), e->value);
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
    if (r == JAGA_APPLY_ADDED && im->labels.key[0])
        label_index_add(&im->labels, e);
    if (e->id && id_set_add(&im->touched, e->id) != 0) {
        jaga_fail(im->ctx, JAGA_ERR_NOMEM, "import: no memory");
        return -1;
    }
    return 0;
}

jaga_status jaga__import_json_records(importer *im, jaga_ctx *ctx, const char *format,
                                      const char *data, size_t len, const char *member,
                                      const char *(*parse)(json_t *record, jaga_entry *e))
{
    json_error_t err;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "%s: line %d: %s", format, err.line, err.text);
    json_t *records = json_object_get(root, member);
    if (!json_is_array(records)) {
        json_decref(root);
        return jaga_fail(ctx, JAGA_ERR_INVALID, "%s: no %s array", format, member);
    }
    jaga_status st = JAGA_OK;
    for (size_t i = 0; i < json_array_size(records); i++) {
        jaga_entry e = {.quality = -1};
        const char *problem = parse(json_array_get(records, i), &e);
        if (problem) {
            jaga__importer_bad(im, i + 1, "%s", problem);
        } else if (jaga__importer_record(im, i + 1, &e) != 0) {
            st = JAGA_ERR_IO;
            break;
        }
    }
    json_decref(root);
    return st;
}

int jaga__next_line(line_reader *r, const char **line, size_t *len)
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
    static const char *const names[] = {"csv", "te", "stopncii", "threatexchange", "ncmec"};
    int i = jaga_name_index(names, 5, name);
    if (i < 0)
        return JAGA_ERR_INVALID;
    *out = (jaga_bank_format)i;
    return JAGA_OK;
}

size_t jaga_bank_import_limit(jaga_bank_format format)
{
    return format == JAGA_BANK_CSV || format == JAGA_BANK_TE ? JAGA_IMPORT_BYTES_MAX
                                                             : JAGA_IMPORT_JSON_MAX;
}

jaga_status jaga_bank_import(jaga_store *store, jaga_ctx *ctx, const jaga_bank *bank,
                             jaga_bank_format format, const char *data, size_t len, int skip_bad,
                             const jaga_import_hooks *hooks, jaga_import_report *report)
{
    memset(report, 0, sizeof(*report));
    size_t limit = jaga_bank_import_limit(format);
    if (len > limit)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "import: %zu bytes exceeds the limit of %zu", len,
                         limit);
    jaga_status st = jaga_store_begin(store, ctx);
    if (st != JAGA_OK)
        return st;
    importer im = {.store = store, .ctx = ctx, .bank = bank, .hooks = hooks, .report = report};
    if (format == JAGA_BANK_CSV)
        st = jaga__import_csv(&im, ctx, data, len);
    else if (format == JAGA_BANK_TE)
        st = jaga__import_te(&im, ctx, data, len);
    else if (format == JAGA_BANK_STOPNCII)
        st = jaga__import_stopncii(&im, ctx, data, len);
    else if (format == JAGA_BANK_THREATEXCHANGE)
        st = jaga__import_threatexchange(&im, ctx, data, len);
    else
        st = jaga__import_ncmec(&im, ctx, data, len);
    free(im.touched.slots);
    free(im.labels.items);
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

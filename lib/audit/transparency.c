/* Transparency figures computed by replaying the audit log's leaves: cases, notices and their
 * items are followed by id as their leaves come; counts and durations are gathered per quarter
 * and for the whole period; shares and medians come last. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/transparency_internal.h"
#include "jaga/core.h"

typedef struct case_info {
    char jurisdiction[3];
    int64_t opened_at, first_review_at, first_reviewed_at;
    size_t first_item; /* index + 1 of its first notice item; 0: none */
} case_info;

typedef struct notice_info {
    char jurisdiction[3];
    char basis[48];
    int64_t received_at, deadline_at;
    char currency[4];
    double amount;
} notice_info;

typedef struct item_info {
    int64_t id, notice, case_id, actioned_at, withdrawn_at;
    size_t next; /* index + 1 of the next item of the same case */
} item_info;

typedef struct replay {
    const jaga_transparency_query *q;
    int64_t as_of;
    int64_t id_max; /* ids beyond it are ignored: no array grows past what the log can hold */
    case_info *cases;
    size_t ncases;
    notice_info *notices;
    size_t nnotices;
    item_info *items;
    size_t nitems, items_cap;
    json_t *sums;    /* key -> number */
    json_t *samples; /* key -> [durations] */
    int nomem;
} replay;

static const char SEP = '\x1f'; /* between the parts of a key */

static void quarter_of(int64_t t, char out[12])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    snprintf(out, 12, "%04d-Q%c", (tm.tm_year + 1900) % 10000, (char)('1' + tm.tm_mon / 3 % 4));
}

static int in_period(const replay *r, int64_t t)
{
    return t >= r->q->from && (r->q->to == 0 || t < r->q->to);
}

static int in_scope(const replay *r, const char *jurisdiction)
{
    return !r->q->jurisdiction[0] || strcmp(r->q->jurisdiction, jurisdiction) == 0;
}

static void key_of(char *out, size_t cap, const char *quarter, const char *section, const char *a,
                   const char *b, const char *quantity)
{
    snprintf(out, cap, "%s%c%s%c%s%c%s%c%s", quarter, SEP, section, SEP, a, SEP, b, SEP, quantity);
}

/* Adds delta to a quantity of the quarter of t and of the whole period. */
static void add(replay *r, int64_t t, const char *section, const char *a, const char *b,
                const char *quantity, double delta)
{
    char quarter[12], key[256];
    quarter_of(t, quarter);
    const char *const quarters[] = {quarter, "all"};
    for (int i = 0; i < 2; i++) {
        key_of(key, sizeof(key), quarters[i], section, a, b, quantity);
        json_t *v = json_object_get(r->sums, key);
        double now = (v ? json_number_value(v) : 0) + delta;
        if (json_object_set_new(r->sums, key, json_real(now)) != 0)
            r->nomem = 1;
    }
}

/* A duration whose median is reported. */
static void sample(replay *r, int64_t t, const char *section, const char *a, const char *b,
                   const char *quantity, double seconds)
{
    char quarter[12], key[256];
    quarter_of(t, quarter);
    const char *const quarters[] = {quarter, "all"};
    for (int i = 0; i < 2; i++) {
        key_of(key, sizeof(key), quarters[i], section, a, b, quantity);
        json_t *list = json_object_get(r->samples, key);
        if (!list && json_object_set_new(r->samples, key, list = json_array()) != 0)
            r->nomem = 1;
        if (!list || json_array_append_new(list, json_real(seconds)) != 0)
            r->nomem = 1;
    }
}

/* The element of id in a growable array indexed by id, or NULL (an id out of bounds). */
static void *slot(replay *r, void **array, size_t *n, size_t size, int64_t id)
{
    if (id <= 0 || id > r->id_max)
        return NULL;
    if ((size_t)id >= *n) {
        size_t grown = (size_t)id * 2 + 16;
        void *p = realloc(*array, grown * size);
        if (!p) {
            r->nomem = 1;
            return NULL;
        }
        memset((char *)p + *n * size, 0, (grown - *n) * size);
        *array = p;
        *n = grown;
    }
    return (char *)*array + (size_t)id * size;
}

static case_info *case_slot(replay *r, int64_t id)
{
    return slot(r, (void **)&r->cases, &r->ncases, sizeof(case_info), id);
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int64_t num(json_t *o, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(o, key));
}

static void copy(char *out, size_t cap, const char *s)
{
    snprintf(out, cap, "%s", s);
}

static void on_case(replay *r, json_t *leaf, int opened)
{
    case_info *c = case_slot(r, num(leaf, "case"));
    if (!c)
        return;
    if (opened) {
        copy(c->jurisdiction, sizeof(c->jurisdiction), str(leaf, "jurisdiction"));
        c->opened_at = num(leaf, "opened_at");
        if (in_period(r, c->opened_at) && in_scope(r, c->jurisdiction))
            add(r, c->opened_at, "automation", "", "",
                strncmp(str(leaf, "source"), "rule:", 5) == 0
                    ? "cases_opened_by_automated_detection"
                    : "cases_opened_by_people",
                1);
    }
    c->first_review_at = num(leaf, "first_review_at");
    c->first_reviewed_at = num(leaf, "first_reviewed_at");
}

static void on_report(replay *r, json_t *leaf)
{
    int64_t at = num(leaf, "received_at");
    if (!in_period(r, at) || !in_scope(r, str(leaf, "country")))
        return;
    const char *source = num(leaf, "trusted_flagger") ? "trusted_flagger" : "user";
    add(r, at, "notices", str(leaf, "category"), source, "reports_received", 1);
    if (num(leaf, "rapid"))
        add(r, at, "notices", str(leaf, "category"), source, "rapid_reports", 1);
}

static void on_decision(replay *r, json_t *leaf)
{
    int64_t at = num(leaf, "decided_at");
    case_info *c = case_slot(r, num(leaf, "case"));
    if (!c || !in_period(r, at) || !in_scope(r, c->jurisdiction))
        return;
    if (strcmp(str(leaf, "type"), "appeal") == 0) {
        add(r, at, "appeals", "", "", "appeals_decided", 1);
        add(r, at, "appeals", "", "", "decisions_reversed",
            strcmp(str(leaf, "action"), "overturn") == 0);
        return;
    }
    const char *ground = str(leaf, "ground");
    add(r, at, "actions", str(leaf, "action"), *ground ? ground : "none", "decisions", 1);
}

static void on_event(replay *r, json_t *leaf)
{
    int64_t at = num(leaf, "at");
    case_info *c = case_slot(r, num(leaf, "case"));
    if (c && strcmp(str(leaf, "event"), "appealed") == 0 && in_period(r, at) &&
        in_scope(r, c->jurisdiction))
        add(r, at, "appeals", "", "", "appeals_received", 1);
}

static void on_restriction(replay *r, json_t *leaf)
{
    int64_t at = num(leaf, "created_at");
    const char *scope = str(leaf, "scope");
    if (num(leaf, "automated") && in_period(r, at) &&
        (in_scope(r, scope) || strcmp(scope, "*") == 0))
        add(r, at, "automation", str(leaf, "visibility"), "", "actions_without_a_person", 1);
}

static void on_notice(replay *r, json_t *leaf)
{
    notice_info *n =
        slot(r, (void **)&r->notices, &r->nnotices, sizeof(notice_info), num(leaf, "notice"));
    if (!n)
        return;
    copy(n->jurisdiction, sizeof(n->jurisdiction), str(leaf, "jurisdiction"));
    copy(n->basis, sizeof(n->basis), str(leaf, "legal_basis"));
    copy(n->currency, sizeof(n->currency), str(leaf, "penalty_currency"));
    n->received_at = num(leaf, "received_at");
    n->deadline_at = num(leaf, "deadline_at");
    n->amount = json_number_value(json_object_get(leaf, "penalty_amount"));
    if (in_period(r, n->received_at) && in_scope(r, n->jurisdiction))
        add(r, n->received_at, "orders", n->jurisdiction, n->basis, "notices_received", 1);
}

static void on_item(replay *r, json_t *leaf)
{
    case_info *c = case_slot(r, num(leaf, "case"));
    if (!c || num(leaf, "notice") <= 0 || num(leaf, "notice") > r->id_max)
        return;
    if (r->nitems == r->items_cap) {
        size_t cap = r->items_cap ? 2 * r->items_cap : 64;
        item_info *p = realloc(r->items, cap * sizeof(*p));
        if (!p) {
            r->nomem = 1;
            return;
        }
        r->items = p;
        r->items_cap = cap;
    }
    item_info *it = &r->items[r->nitems++];
    *it = (item_info){.id = num(leaf, "item"),
                      .notice = num(leaf, "notice"),
                      .case_id = num(leaf, "case"),
                      .next = c->first_item};
    c->first_item = r->nitems;
}

static void on_action(replay *r, json_t *leaf)
{
    case_info *c = case_slot(r, num(leaf, "case"));
    for (size_t i = c ? c->first_item : 0; i; i = r->items[i - 1].next)
        if (!r->items[i - 1].actioned_at && !r->items[i - 1].withdrawn_at)
            r->items[i - 1].actioned_at = num(leaf, "at");
}

/* Items come in id order (the store gives ids as it commits): found by halving. */
static void on_withdraw(replay *r, json_t *leaf)
{
    int64_t id = num(leaf, "item");
    size_t lo = 0, hi = r->nitems;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->items[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < r->nitems && r->items[lo].id == id && !r->items[lo].withdrawn_at)
        r->items[lo].withdrawn_at = num(leaf, "at");
}

static void on_leaf(replay *r, const jaga_audit_row *row)
{
    static const char *const wanted[] = {
        "case.open",       "case.update", "case.event",  "report.add",    "decision.add",
        "restriction.add", "notice.add",  "notice.item", "notice.action", "notice.withdraw"};
    size_t k = 0;
    while (k < sizeof(wanted) / sizeof(wanted[0]) && strcmp(wanted[k], row->kind) != 0)
        k++;
    if (k == sizeof(wanted) / sizeof(wanted[0]))
        return; /* bank entries, scans, keys...: no figure of the report */
    json_t *leaf = json_loadb(row->data, row->len, 0, NULL);
    if (!json_is_object(leaf) || strcmp(str(leaf, "kind"), row->kind) != 0) {
        json_decref(leaf);
        return; /* the verification reports such a leaf; the report goes by the rest */
    }
    switch (k) {
    case 0:
    case 1:
        on_case(r, leaf, k == 0);
        break;
    case 2:
        on_event(r, leaf);
        break;
    case 3:
        on_report(r, leaf);
        break;
    case 4:
        on_decision(r, leaf);
        break;
    case 5:
        on_restriction(r, leaf);
        break;
    case 6:
        on_notice(r, leaf);
        break;
    case 7:
        on_item(r, leaf);
        break;
    case 8:
        on_action(r, leaf);
        break;
    default:
        on_withdraw(r, leaf);
    }
    json_decref(leaf);
}

/* What became of each notice item, by its notice's quarter. */
static void items_outcome(replay *r)
{
    for (size_t i = 0; i < r->nitems; i++) {
        const item_info *it = &r->items[i];
        const notice_info *n = (size_t)it->notice < r->nnotices ? &r->notices[it->notice] : NULL;
        if (!n || !n->received_at || !in_period(r, n->received_at) || !in_scope(r, n->jurisdiction))
            continue;
        const char *j = n->jurisdiction, *b = n->basis;
        int64_t at = n->received_at;
        add(r, at, "orders", j, b, "items_received", 1);
        const case_info *c = &r->cases[it->case_id];
        if (c->first_reviewed_at >= at)
            sample(r, at, "orders", j, b, "median_seconds_to_first_review",
                   (double)(c->first_reviewed_at - at));
        /* A withdrawn item was due only if its deadline passed before the withdrawal. */
        int64_t until = it->withdrawn_at && !it->actioned_at ? it->withdrawn_at : r->as_of;
        int due = it->actioned_at || n->deadline_at < until;
        add(r, at, "orders", j, b, "items_withdrawn", it->withdrawn_at != 0);
        int within = it->actioned_at && it->actioned_at <= n->deadline_at;
        add(r, at, "orders", j, b, "items_due", due);
        if (it->actioned_at) {
            add(r, at, "orders", j, b, "items_actioned", 1);
            sample(r, at, "orders", j, b, "median_seconds_to_action",
                   (double)(it->actioned_at - at));
        }
        add(r, at, "orders", j, b, "items_within_deadline", within);
        if (due && !within) {
            char quantity[40];
            add(r, at, "orders", j, b, "breaches", 1);
            snprintf(quantity, sizeof(quantity), "penalty_exposure_%s",
                     n->currency[0] ? n->currency : "none");
            if (n->amount > 0)
                add(r, at, "orders", j, b, quantity, n->amount);
        }
    }
}

/* First reviews against their deadlines, by the case's opening quarter. */
static void first_reviews(replay *r)
{
    for (size_t id = 1; id < r->ncases; id++) {
        const case_info *c = &r->cases[id];
        if (!c->opened_at || !c->first_review_at || !in_period(r, c->opened_at) ||
            !in_scope(r, c->jurisdiction))
            continue;
        int reviewed = c->first_reviewed_at > 0;
        if (!reviewed && c->first_review_at >= r->as_of)
            continue; /* not due yet */
        add(r, c->opened_at, "first_review", "", "", "cases_with_a_first_review_deadline", 1);
        add(r, c->opened_at, "first_review", "", "", "reviewed_within",
            reviewed && c->first_reviewed_at <= c->first_review_at);
    }
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(json_t *list)
{
    size_t n = json_array_size(list);
    double *v = malloc(n * sizeof(double));
    if (!v || !n) {
        free(v);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = json_number_value(json_array_get(list, i));
    qsort(v, n, sizeof(double), by_value);
    double m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    free(v);
    return m;
}

/* A share of two sums with the same key but the quantity, stored under quantity. */
static void share(replay *r, const char *key, const char *part, const char *whole,
                  const char *quantity)
{
    size_t len = strlen(key) - strlen(whole);
    char base[256], other[256];
    snprintf(base, sizeof(base), "%.*s", (int)len, key);
    snprintf(other, sizeof(other), "%s%s", base, part);
    double w = json_number_value(json_object_get(r->sums, key));
    double p = json_number_value(json_object_get(r->sums, other));
    snprintf(other, sizeof(other), "%s%s", base, quantity);
    if (w > 0 && json_object_set_new(r->sums, other, json_real(round(p / w * 1e4) / 1e4)) != 0)
        r->nomem = 1;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0 && s[n - k - 1] == SEP;
}

static void derive(replay *r)
{
    static const char *const shares[][3] = {
        {"items_due", "items_within_deadline", "share_within_deadline"},
        {"appeals_decided", "decisions_reversed", "reversal_rate"},
        {"cases_with_a_first_review_deadline", "reviewed_within", "attainment"}};
    json_t *wholes = json_array(); /* [key, kind] of every sum a share is computed over */
    const char *key;
    json_t *v;
    json_object_foreach(r->sums, key, v)
    {
        for (int k = 0; k < 3; k++)
            if (ends_with(key, shares[k][0]))
                json_array_append_new(wholes, json_pack("[s,i]", key, k));
    }
    size_t i;
    json_array_foreach(wholes, i, v)
    {
        int k = (int)json_integer_value(json_array_get(v, 1));
        share(r, json_string_value(json_array_get(v, 0)), shares[k][1], shares[k][0], shares[k][2]);
    }
    json_decref(wholes);
    json_object_foreach(r->samples, key, v)
    {
        if (json_object_set_new(r->sums, key, json_real(median(v))) != 0)
            r->nomem = 1;
    }
}

static int by_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *rows_of(replay *r)
{
    size_t n = json_object_size(r->sums), i = 0;
    const char **keys = malloc((n ? n : 1) * sizeof(char *));
    json_t *rows = json_array();
    const char *key;
    json_t *v;
    if (!keys || !rows) {
        free(keys);
        json_decref(rows);
        return NULL;
    }
    json_object_foreach(r->sums, key, v)
    {
        keys[i++] = key;
    }
    qsort(keys, n, sizeof(char *), by_key);
    for (i = 0; i < n; i++) {
        char part[5][128] = {{0}};
        const char *p = keys[i];
        for (int k = 0; k < 5; k++) {
            size_t len = strcspn(p, "\x1f");
            snprintf(part[k], sizeof(part[k]), "%.*s", (int)len, p);
            p += len + (p[len] != '\0');
        }
        double value = json_number_value(json_object_get(r->sums, keys[i]));
        json_array_append_new(rows,
                              json_pack("{s:s,s:s,s:s,s:s,s:s,s:f}", "quarter", part[0], "section",
                                        part[1], "dimension", part[2], "subdimension", part[3],
                                        "quantity", part[4], "value", value));
    }
    free(keys);
    return rows;
}

jaga_status jaga__transparency_compute(jaga_store *store, jaga_ctx *ctx,
                                       const jaga_transparency_query *q, const jaga_tree_head *head,
                                       json_t **rows)
{
    *rows = NULL;
    replay r = {.q = q, .as_of = head->signed_at, .sums = json_object(), .samples = json_object()};
    r.id_max = (int64_t)(head->size < (1u << 30) ? 4 * head->size + 1024 : (1ull << 32));
    jaga_audit_scan *scan = NULL;
    jaga_status st = r.sums && r.samples ? jaga_store_audit_scan(store, ctx, 0, 0, &scan)
                                         : jaga_fail(ctx, JAGA_ERR_NOMEM, "report: no memory");
    jaga_audit_row row;
    uint64_t seen = 0;
    while (st == JAGA_OK && seen < head->size && !r.nomem &&
           (st = jaga_audit_scan_next(scan, ctx, &row)) == JAGA_OK) {
        seen++;
        on_leaf(&r, &row);
    }
    jaga_audit_scan_close(scan);
    if (st == JAGA_ERR_NOT_FOUND || (st == JAGA_OK && seen < head->size))
        st = jaga_fail(ctx, JAGA_ERR_INVALID,
                       "report: the log holds %llu leaves, fewer than its head's %llu",
                       (unsigned long long)seen, (unsigned long long)head->size);
    if (st == JAGA_OK) {
        items_outcome(&r);
        first_reviews(&r);
        derive(&r);
        *rows = r.nomem ? NULL : rows_of(&r);
        if (!*rows)
            st = jaga_fail(ctx, JAGA_ERR_NOMEM, "report: no memory");
    }
    free(r.cases);
    free(r.notices);
    free(r.items);
    json_decref(r.sums);
    json_decref(r.samples);
    return st;
}

jaga_status jaga_transparency_format_parse(const char *name, jaga_transparency_format *out)
{
    static const char *const names[] = {"json", "csv", "html"};
    for (int i = 0; i < 3; i++)
        if (name && strcmp(name, names[i]) == 0) {
            *out = (jaga_transparency_format)i;
            return JAGA_OK;
        }
    return JAGA_ERR_INVALID;
}

jaga_status jaga_transparency_report(jaga_store *store, jaga_ctx *ctx,
                                     const jaga_transparency_query *q, const jaga_tree_head *head,
                                     const uint8_t public_key[32], jaga_transparency_format fmt,
                                     char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (q->from < 0 || (q->to && q->to <= q->from))
        return jaga_fail(ctx, JAGA_ERR_INVALID, "report: the period must end after it starts");
    if (q->jurisdiction[0] && strlen(q->jurisdiction) != 2)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "report: a jurisdiction is a two-letter code");
    json_t *rows = NULL;
    jaga_status st = jaga__transparency_compute(store, ctx, q, head, &rows);
    if (st == JAGA_OK && !(*out = jaga__transparency_render(rows, q, head, public_key, fmt, len)))
        st = jaga_fail(ctx, JAGA_ERR_NOMEM, "report: no memory");
    json_decref(rows);
    return st;
}

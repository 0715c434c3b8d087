/* A regulator withdrawing an item of its notice: the item stands withdrawn, what it alone kept
 * in force ends (its content's restrictions from the notice, its hash in the regulator's bank),
 * and its case goes by the sources left: closed when none is, else due by those. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case_internal.h"
#include "jaga/core.h"

enum { LIFTED_MAX = 64 };

typedef struct withdrawal {
    const char *jurisdiction, *by; /* the regulator's */
    int64_t notice_id, item_id;
    jaga_notice notice;
    jaga_notice_item *items; /* the notice's */
    size_t nitems;
    jaga_notice_item *item; /* the one withdrawn, among items */
    jaga_restriction lifted[LIFTED_MAX];
    size_t nlifted;
    jaga_entry entry;
    int entry_withdrawn, case_closed;
} withdrawal;

/* Whether another item in force of the same notice names what the withdrawn one does. */
static int named_again(const withdrawal *w)
{
    for (size_t i = 0; i < w->nitems; i++) {
        const jaga_notice_item *it = &w->items[i];
        if (it != w->item && !it->withdrawn_at && strcmp(it->kind, w->item->kind) == 0 &&
            strcmp(it->value, w->item->value) == 0)
            return 1;
    }
    return 0;
}

static int collect_notice_restriction(void *arg, const jaga_restriction *r)
{
    withdrawal *w = arg;
    char source[64];
    snprintf(source, sizeof(source), "notice:%lld", (long long)w->notice.id);
    if (strcmp(r->source, source) == 0 && w->nlifted < LIFTED_MAX)
        w->lifted[w->nlifted++] = *r;
    return 0;
}

/* The notice's restrictions on the item's content, unless another of its items names it. */
static jaga_status lift_content(jaga_ctx *ctx, const jaga_review *rv, withdrawal *w)
{
    if (named_again(w))
        return JAGA_OK;
    jaga_status st =
        jaga_store_restrictions_each(rv->db, ctx, w->item->value, collect_notice_restriction, w);
    for (size_t i = 0; st == JAGA_OK && i < w->nlifted; i++)
        st = jaga_store_restriction_lift(rv->db, ctx, w->lifted[i].id);
    return st;
}

/* The hash out of the regulator's bank, unless an item in force of its notices names it. */
static jaga_status withdraw_hash(jaga_ctx *ctx, const jaga_review *rv, withdrawal *w)
{
    const jaga_notice_item *it = w->item;
    jaga_notice_item *naming = NULL;
    size_t n = 0, live = 0;
    jaga_status st = jaga_store_notice_items_naming(rv->db, ctx, w->notice.jurisdiction, it->kind,
                                                    it->value, &naming, &n);
    for (size_t i = 0; st == JAGA_OK && i < n; i++)
        live += naming[i].id != it->id && !naming[i].withdrawn_at;
    free(naming);
    char name[JAGA_BANK_NAME_MAX];
    snprintf(name, sizeof(name), "NOTICES_%s", w->notice.jurisdiction);
    jaga_bank bank;
    if (st == JAGA_OK && !live)
        st = jaga_store_bank_get(rv->db, ctx, name, &bank);
    if (st != JAGA_OK || live)
        return st;
    jaga_entry *e = &w->entry;
    memset(e, 0, sizeof(*e));
    e->bank_id = bank.id;
    e->withdrawn = 1;
    snprintf(e->value, sizeof(e->value), "%.64s", it->value);
    jaga_apply_result res;
    st = jaga_signal_type_parse(it->kind, &e->type);
    if (st == JAGA_OK)
        st = jaga_store_entry_apply(rv->db, ctx, e, &res);
    w->entry_withdrawn = st == JAGA_OK && res == JAGA_APPLY_WITHDRAWN;
    return st;
}

/* Whether a case source still asks for review: anything but a notice, or a notice with an
 * item in force on the case. */
static jaga_status source_live(jaga_ctx *ctx, const jaga_review *rv, const jaga_case_source *src,
                               int *live)
{
    long long notice_id;
    *live = 1;
    if (sscanf(src->ref, "notice:%lld", &notice_id) != 1)
        return JAGA_OK;
    jaga_notice_item *items = NULL;
    size_t n = 0;
    jaga_status st = jaga_store_notice_items(rv->db, ctx, notice_id, &items, &n);
    *live = 0;
    for (size_t i = 0; st == JAGA_OK && i < n; i++)
        *live |= items[i].case_id == src->case_id && !items[i].withdrawn_at;
    free(items);
    return st;
}

/* The case from the sources left: their priority and deadlines, or closed without any. */
static jaga_status case_after(jaga_ctx *ctx, const jaga_review *rv, withdrawal *w, jaga_case *c)
{
    jaga_case_source *sources = NULL;
    size_t n = 0, live_count = 0;
    jaga_status st = jaga_store_case_sources(rv->db, ctx, c->id, &sources, &n);
    int priority = 5, machine_only = 1;
    int64_t first_review_at = 0, deadline_at = 0;
    for (size_t i = 0; st == JAGA_OK && i < n; i++) {
        const jaga_case_source *src = &sources[i];
        int live;
        if ((st = source_live(ctx, rv, src, &live)) != JAGA_OK || !live)
            continue;
        live_count++;
        priority = src->priority < priority ? src->priority : priority;
        first_review_at = jaga__deadline_earliest(first_review_at, src->first_review_at);
        deadline_at = jaga__deadline_earliest(deadline_at, src->deadline_at);
        machine_only &=
            strncmp(src->ref, "report:", 7) != 0 && strncmp(src->ref, "notice:", 7) != 0;
    }
    free(sources);
    if (st != JAGA_OK)
        return st;
    if (!live_count) {
        snprintf(c->status, sizeof(c->status), "closed");
        c->claimed_by[0] = '\0';
        c->lease_until = 0;
        w->case_closed = 1;
    } else {
        c->priority = priority;
        c->first_review_at = first_review_at;
        c->deadline_at = deadline_at;
        c->due_at = jaga__case_due(c);
        c->machine_only = machine_only;
    }
    st = jaga_store_case_put(rv->db, ctx, c);
    if (st == JAGA_OK && w->case_closed)
        st = jaga__case_event(ctx, rv, c->id, "closed", "jaga", "nothing left to review");
    return st;
}

static jaga_status record_on_case(jaga_ctx *ctx, const jaga_review *rv, withdrawal *w)
{
    const jaga_notice_item *it = w->item;
    jaga_case c;
    jaga_status st = jaga_store_case_get(rv->db, ctx, it->case_id, &c);
    if (st == JAGA_OK)
        st = jaga__case_event(
            ctx, rv, c.id, "notice_withdrawn", w->by,
            "notice:%lld item %lld withdrawn by its regulator: %zu restriction%s lifted%s",
            (long long)w->notice.id, (long long)it->id, w->nlifted, w->nlifted == 1 ? "" : "s",
            w->entry_withdrawn ? ", its hash out of the regulator's bank" : "");
    if (st == JAGA_OK && (strcmp(c.status, "open") == 0 || strcmp(c.status, "escalated") == 0))
        st = case_after(ctx, rv, w, &c);
    if (st == JAGA_OK) {
        json_t *body = json_pack("{s:I,s:I,s:s,s:o}", "notice", (json_int_t)w->notice.id, "item",
                                 (json_int_t)it->id, "jurisdiction", w->notice.jurisdiction, "case",
                                 jaga__case_summary(&c));
        st = jaga__webhook_queue(ctx, rv, "notice.withdrawn", body);
    }
    return st;
}

/* The notice of that jurisdiction and its items, the item sought among them. */
static jaga_status find_item(jaga_ctx *ctx, const jaga_review *rv, withdrawal *w)
{
    int64_t notice_id = w->notice_id, item_id = w->item_id;
    jaga_status st = jaga_store_notice_get(rv->db, ctx, notice_id, &w->notice);
    if (st == JAGA_OK && strcmp(w->notice.jurisdiction, w->jurisdiction) != 0)
        st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "no notice %lld", (long long)notice_id);
    if (st == JAGA_OK)
        st = jaga_store_notice_items(rv->db, ctx, notice_id, &w->items, &w->nitems);
    for (size_t i = 0; st == JAGA_OK && i < w->nitems && !w->item; i++)
        if (w->items[i].id == item_id)
            w->item = &w->items[i];
    if (st == JAGA_OK && !w->item)
        st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "notice %lld has no item %lld",
                       (long long)notice_id, (long long)item_id);
    return st;
}

static jaga_status withdraw(jaga_ctx *ctx, const jaga_review *rv, void *arg)
{
    withdrawal *w = arg;
    jaga_status st = find_item(ctx, rv, w);
    jaga_notice_item *it = w->item;
    if (st == JAGA_OK) {
        it->withdrawn_at = jaga__review_now(rv);
        st = jaga_store_notice_item_withdraw(rv->db, ctx, it->id, it->withdrawn_at);
    }
    if (st == JAGA_OK && strcmp(it->kind, "content") == 0)
        st = lift_content(ctx, rv, w);
    else if (st == JAGA_OK && strcmp(it->kind, "url") != 0)
        st = withdraw_hash(ctx, rv, w);
    return st == JAGA_OK ? record_on_case(ctx, rv, w) : st;
}

jaga_status jaga_notice_withdraw(jaga_ctx *ctx, const jaga_review *rv, const char *jurisdiction,
                                 int64_t notice_id, int64_t item_id, const char *by,
                                 jaga_notice_withdrawal *out)
{
    withdrawal *w = calloc(1, sizeof(*w));
    memset(out, 0, sizeof(*out));
    if (!w)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "notice: no memory");
    *w = (withdrawal){
        .jurisdiction = jurisdiction, .by = by, .notice_id = notice_id, .item_id = item_id};
    jaga_status st = jaga__review_transaction(ctx, rv, withdraw, w);
    for (size_t i = 0; st == JAGA_OK && i < w->nlifted; i++)
        st = jaga__review_map_lift(ctx, rv, w->item->value, w->lifted[i].id);
    if (st == JAGA_OK && w->entry_withdrawn)
        st = jaga__review_matcher_entry(ctx, rv, &w->entry);
    if (w->item) {
        out->item = *w->item;
        out->lifted = w->nlifted;
        out->entry_withdrawn = w->entry_withdrawn;
        out->case_closed = w->case_closed;
    }
    free(w->items);
    free(w);
    return st;
}

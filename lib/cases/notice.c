/* Regulators' notices received: stored with their case sources, restrictions and bank
 * entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case_internal.h"
#include "jaga/core.h"

enum { ACTIONS_MAX = 16 };

/* What receipt writes, collected to reach memory after the commit. */
typedef struct receipt {
    const jaga_review *rv;
    jaga_store *db;
    const jaga_policy *policy;
    jaga_notice *notice;
    jaga_bank bank;
    int have_bank, new_bank;
    jaga_restriction *restrictions;
    size_t nrestrictions;
    jaga_entry *entries;
    size_t nentries;
} receipt;

/* The regulator's bank for notice hashes, created on first use (new_bank says so: the
 * matcher learns of it once the transaction commits). */
static jaga_status notice_bank(receipt *rc, jaga_ctx *ctx)
{
    char name[JAGA_BANK_NAME_MAX];
    snprintf(name, sizeof(name), "NOTICES_%s", rc->notice->jurisdiction);
    jaga_status st = jaga_store_bank_get(rc->db, ctx, name, &rc->bank);
    if (st == JAGA_ERR_NOT_FOUND) {
        jaga_bank_init(&rc->bank, name);
        snprintf(rc->bank.description, sizeof(rc->bank.description),
                 "hashes named in %s regulator notices", rc->notice->jurisdiction);
        rc->new_bank = 1;
        st = jaga_store_bank_create(rc->db, ctx, &rc->bank);
    }
    rc->have_bank = st == JAGA_OK;
    return st;
}

/* The policy's notice rule for the notice's jurisdiction, on a content, there only. */
static jaga_status restrict_content(receipt *rc, jaga_ctx *ctx, const char *content_id)
{
    const jaga_notice *n = rc->notice;
    const char *code = jaga_policy_jurisdiction(rc->policy, n->jurisdiction)->code;
    jaga_restriction found[ACTIONS_MAX];
    size_t nr, ns, mine = 0, added = 0;
    jaga_policy_input in = {.notice = 1};
    jaga_policy_act(rc->policy, content_id, &in, n->received_at, found, ACTIONS_MAX, &nr, NULL, 0,
                    &ns);
    for (size_t i = 0; i < nr && i < ACTIONS_MAX; i++) {
        if (strcmp(found[i].scope, code) != 0)
            continue;
        found[mine] = found[i];
        snprintf(found[mine].source, sizeof(found[mine].source), "notice:%lld", (long long)n->id);
        found[mine++].expires_at = 0; /* a regulator's order waits for its decision */
    }
    jaga_status st = jaga__restrictions_store(ctx, rc->db, found, mine, &added);
    for (size_t i = 0; st == JAGA_OK && i < added; i++)
        rc->restrictions[rc->nrestrictions++] = found[i];
    return st;
}

/* A hash into the regulator's bank. */
static jaga_status bank_hash(receipt *rc, jaga_ctx *ctx, const jaga_notice_item *it)
{
    jaga_status st = rc->have_bank ? JAGA_OK : notice_bank(rc, ctx);
    jaga_entry *e = &rc->entries[rc->nentries];
    memset(e, 0, sizeof(*e));
    e->bank_id = rc->bank.id;
    e->quality = -1;
    if (st == JAGA_OK && jaga_signal_type_parse(it->kind, &e->type) != JAGA_OK)
        st = jaga_fail(ctx, JAGA_ERR_INVALID, "notice: %s is no hash kind", it->kind);
    snprintf(e->value, sizeof(e->value), "%.64s", it->value);
    snprintf(e->labels, sizeof(e->labels), "notice=%lld;notice_jurisdiction=%s",
             (long long)rc->notice->id, rc->notice->jurisdiction);
    jaga_apply_result res;
    if (st == JAGA_OK && (st = jaga_store_entry_apply(rc->db, ctx, e, &res)) == JAGA_OK &&
        (res == JAGA_APPLY_ADDED || res == JAGA_APPLY_REACTIVATED))
        rc->nentries++;
    return st;
}

static jaga_status receive_item(receipt *rc, jaga_ctx *ctx, jaga_notice_item *it, size_t index)
{
    const jaga_notice *n = rc->notice;
    jaga_case_source src = {.priority = 2, .deadline_at = n->deadline_at};
    snprintf(src.jurisdiction, sizeof(src.jurisdiction), "%s", n->jurisdiction);
    snprintf(src.ref, sizeof(src.ref), "notice:%lld", (long long)n->id);
    snprintf(src.reason, sizeof(src.reason), "regulator_notice");
    int content = strcmp(it->kind, "content") == 0;
    char content_id[257];
    if (content)
        snprintf(content_id, sizeof(content_id), "%.256s", it->value);
    else
        snprintf(content_id, sizeof(content_id), "notice:%lld/item:%zu", (long long)n->id, index);
    jaga_case c;
    jaga_status st = jaga__case_join(ctx, rc->rv, content_id, &src, NULL, 1, 0, &c);
    it->notice_id = n->id;
    it->case_id = c.id;
    if (st == JAGA_OK)
        st = jaga_store_notice_item_add(rc->db, ctx, it);
    if (st == JAGA_OK && content)
        st = restrict_content(rc, ctx, content_id);
    else if (st == JAGA_OK && strcmp(it->kind, "url") != 0)
        st = bank_hash(rc, ctx, it);
    return st;
}

/* Deadline and penalty by default from the jurisdiction. */
static void defaults(const jaga_review *rv, jaga_notice *n)
{
    const jaga_jurisdiction *j = jaga_policy_jurisdiction(rv->policy, n->jurisdiction);
    if (!n->received_at)
        n->received_at = jaga__review_now(rv);
    if (!n->deadline_at)
        n->deadline_at = n->received_at + (n->urgent ? j->notice_urgent_s : j->notice_s);
    if (!n->penalty_currency[0]) {
        snprintf(n->penalty_currency, sizeof(n->penalty_currency), "%s", j->penalty_currency);
        n->penalty_amount = j->penalty_amount;
    }
}

jaga_status jaga_notice_receive(jaga_ctx *ctx, const jaga_review *rv, jaga_notice *n,
                                jaga_notice_item *items, size_t nitems)
{
    jaga_store *db = rv->db;
    defaults(rv, n);
    receipt rc = {.rv = rv, .db = db, .policy = rv->policy, .notice = n};
    rc.restrictions = calloc(nitems ? nitems : 1, sizeof(jaga_restriction));
    rc.entries = calloc(nitems ? nitems : 1, sizeof(jaga_entry));
    jaga_status st = rc.restrictions && rc.entries
                         ? jaga_store_begin(db, ctx)
                         : jaga_fail(ctx, JAGA_ERR_NOMEM, "notice: no memory");
    if (st == JAGA_OK)
        st = jaga_store_notice_create(db, ctx, n);
    for (size_t i = 0; st == JAGA_OK && i < nitems; i++)
        st = receive_item(&rc, ctx, &items[i], i);
    if (st == JAGA_OK)
        st = jaga_store_commit(db, ctx);
    if (st != JAGA_OK)
        jaga_store_rollback(db);
    if (st == JAGA_OK && rc.new_bank)
        st = jaga__review_matcher_bank(ctx, rv, &rc.bank);
    for (size_t i = 0; st == JAGA_OK && i < rc.nentries; i++)
        st = jaga__review_matcher_entry(ctx, rv, &rc.entries[i]);
    for (size_t i = 0; st == JAGA_OK && i < rc.nrestrictions; i++)
        st = jaga__review_map_add(ctx, rv, &rc.restrictions[i]);
    free(rc.restrictions);
    free(rc.entries);
    return st;
}

/* The audit leaves of the store's changes: compact JSON, members in a fixed order, so that the
 * same change always gives the same bytes. Identifiers, codes, times and hashes only. */
#include "store/store_leaf.h"

#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jaga/auth.h"
#include "jaga/digest.h"
#include "jaga/restriction.h"

static void put(store_leaf *l, const char *fmt, ...)
{
    if (l->overflow)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(l->data + l->len, sizeof(l->data) - l->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(l->data) - l->len)
        l->overflow = 1;
    else
        l->len += (size_t)n;
}

/* A JSON string: quotes, backslashes and control characters escaped; other bytes as they are
 * (the store's text is checked UTF-8 where it comes from outside). */
static void put_string(store_leaf *l, const char *s)
{
    put(l, "\"");
    for (; *s && !l->overflow; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            put(l, "\\%c", c);
        else if (c < 0x20)
            put(l, "\\u%04x", c);
        else
            put(l, "%c", c);
    }
    put(l, "\"");
}

void leaf_begin(store_leaf *l, const char *kind)
{
    snprintf(l->kind, sizeof(l->kind), "%s", kind);
    l->len = 0;
    l->overflow = 0;
    put(l, "{\"kind\":");
    put_string(l, kind);
}

void leaf_str(store_leaf *l, const char *key, const char *value)
{
    put(l, ",\"%s\":", key);
    put_string(l, value);
}

void leaf_int(store_leaf *l, const char *key, int64_t value)
{
    put(l, ",\"%s\":%lld", key, (long long)value);
}

void leaf_num(store_leaf *l, const char *key, double value)
{
    put(l, ",\"%s\":%.17g", key, value);
}

void leaf_sha256(store_leaf *l, const char *key, const char *text)
{
    uint8_t md[SHA256_DIGEST_LENGTH];
    SHA256((const uint8_t *)text, strlen(text), md);
    char hex[2 * SHA256_DIGEST_LENGTH + 1];
    jaga_hex_encode(md, sizeof(md), hex);
    leaf_str(l, key, hex);
}

int leaf_end(store_leaf *l)
{
    put(l, "}");
    return 1;
}

int leaf_bank(store_leaf *l, const char *kind, const jaga_bank *b)
{
    leaf_begin(l, kind);
    leaf_int(l, "bank", b->id);
    leaf_str(l, "name", b->name);
    leaf_int(l, "signal_types", b->signal_types);
    leaf_int(l, "pdq_threshold", b->pdq_threshold);
    leaf_int(l, "verified", b->verified);
    leaf_int(l, "enabled", b->enabled);
    leaf_sha256(l, "description_sha256", b->description);
    return leaf_end(l);
}

int leaf_entry(store_leaf *l, const jaga_entry *e, jaga_apply_result r)
{
    static const char *const kinds[] = {[JAGA_APPLY_ADDED] = "entry.add",
                                        [JAGA_APPLY_REACTIVATED] = "entry.reactivate",
                                        [JAGA_APPLY_WITHDRAWN] = "entry.withdraw"};
    if (r != JAGA_APPLY_ADDED && r != JAGA_APPLY_REACTIVATED && r != JAGA_APPLY_WITHDRAWN)
        return 0; /* nothing changed */
    leaf_begin(l, kinds[r]);
    leaf_int(l, "entry", e->id);
    leaf_int(l, "bank", e->bank_id);
    leaf_str(l, "type", jaga_signal_type_name(e->type));
    leaf_str(l, "value", e->value);
    leaf_int(l, "quality", e->quality);
    leaf_str(l, "labels", e->labels);
    return leaf_end(l);
}

int leaf_key(store_leaf *l, const jaga_key *k)
{
    leaf_begin(l, "key.create");
    leaf_str(l, "prefix", k->prefix);
    leaf_str(l, "role", jaga_role_name(k->role));
    leaf_str(l, "jurisdiction", k->jurisdiction);
    leaf_str(l, "teams", k->teams);
    leaf_int(l, "created_at", k->created_at);
    return leaf_end(l);
}

int leaf_key_revoke(store_leaf *l, const char *prefix)
{
    leaf_begin(l, "key.revoke");
    leaf_str(l, "prefix", prefix);
    return leaf_end(l);
}

int leaf_content(store_leaf *l, const jaga_content *c)
{
    leaf_begin(l, "scan");
    leaf_str(l, "content", c->content_id);
    leaf_str(l, "sha256", c->sha256);
    leaf_str(l, "md5", c->md5);
    leaf_str(l, "pdq", c->pdq);
    leaf_int(l, "quality", c->quality);
    leaf_str(l, "format", c->format);
    leaf_int(l, "scanned_at", c->scanned_at);
    leaf_sha256(l, "matches_sha256", c->matches_json ? c->matches_json : "[]");
    leaf_str(l, "scores", c->scores);
    return leaf_end(l);
}

int leaf_restriction(store_leaf *l, const jaga_restriction *r)
{
    leaf_begin(l, "restriction.add");
    leaf_int(l, "restriction", r->id);
    leaf_str(l, "content", r->content_id);
    leaf_str(l, "scope", r->scope);
    leaf_str(l, "visibility", jaga_visibility_name(r->visibility));
    leaf_str(l, "reason", r->reason);
    leaf_str(l, "legal_id", r->legal_id);
    leaf_str(l, "source", r->source);
    leaf_str(l, "ground", r->ground_terms ? "terms" : "law");
    leaf_int(l, "provisional", r->provisional);
    leaf_int(l, "automated", r->automated);
    leaf_int(l, "created_at", r->created_at);
    leaf_int(l, "expires_at", r->expires_at);
    return leaf_end(l);
}

int leaf_restriction_lift(store_leaf *l, int64_t id)
{
    leaf_begin(l, "restriction.lift");
    leaf_int(l, "restriction", id);
    return leaf_end(l);
}

int leaf_block(store_leaf *l, const jaga_country_block *b)
{
    leaf_begin(l, "block.set");
    leaf_str(l, "country", b->country);
    leaf_str(l, "reason", b->reason);
    leaf_str(l, "legal_id", b->legal_id);
    leaf_int(l, "created_at", b->created_at);
    return leaf_end(l);
}

int leaf_block_clear(store_leaf *l, const char *country)
{
    leaf_begin(l, "block.clear");
    leaf_str(l, "country", country);
    return leaf_end(l);
}

int leaf_case(store_leaf *l, const char *kind, const jaga_case *c)
{
    leaf_begin(l, kind);
    leaf_int(l, "case", c->id);
    leaf_str(l, "content", c->content_id);
    leaf_str(l, "jurisdiction", c->jurisdiction);
    leaf_str(l, "source", c->source);
    leaf_str(l, "reason", c->reason);
    leaf_str(l, "status", c->status);
    leaf_int(l, "priority", c->priority);
    leaf_str(l, "team", c->team);
    leaf_int(l, "first_review_at", c->first_review_at);
    leaf_int(l, "deadline_at", c->deadline_at);
    leaf_int(l, "due_at", c->due_at);
    leaf_int(l, "opened_at", c->opened_at);
    leaf_int(l, "first_reviewed_at", c->first_reviewed_at);
    leaf_str(l, "claimed_by", c->claimed_by);
    leaf_int(l, "lease_until", c->lease_until);
    leaf_int(l, "reports", c->reports);
    leaf_int(l, "machine_only", c->machine_only);
    leaf_int(l, "breaches", c->breaches);
    leaf_int(l, "breached", c->breached);
    leaf_int(l, "decision", c->decision_id);
    leaf_int(l, "decided_at", c->decided_at);
    return leaf_end(l);
}

int leaf_case_source(store_leaf *l, const jaga_case_source *src)
{
    leaf_begin(l, "case.source");
    leaf_int(l, "case", src->case_id);
    leaf_str(l, "ref", src->ref);
    leaf_str(l, "jurisdiction", src->jurisdiction);
    leaf_str(l, "reason", src->reason);
    leaf_int(l, "priority", src->priority);
    leaf_int(l, "first_review_at", src->first_review_at);
    leaf_int(l, "deadline_at", src->deadline_at);
    leaf_int(l, "added_at", src->added_at);
    return leaf_end(l);
}

int leaf_case_event(store_leaf *l, const jaga_case_event *ev)
{
    leaf_begin(l, "case.event");
    leaf_int(l, "case", ev->case_id);
    leaf_str(l, "event", ev->kind);
    leaf_str(l, "actor", ev->actor);
    leaf_int(l, "at", ev->at);
    leaf_sha256(l, "detail_sha256", ev->detail);
    return leaf_end(l);
}

int leaf_report(store_leaf *l, const jaga_report *r)
{
    leaf_begin(l, "report.add");
    leaf_int(l, "report", r->id);
    leaf_str(l, "content", r->content_id);
    leaf_int(l, "content_known", r->content_known);
    leaf_int(l, "identified", r->reporter_id[0] != '\0'); /* never who */
    leaf_str(l, "key", r->key_prefix);
    leaf_int(l, "trusted_flagger", r->trusted_flagger);
    leaf_str(l, "category", r->category);
    leaf_str(l, "country", r->country);
    leaf_str(l, "language", r->language);
    leaf_int(l, "rapid", r->rapid);
    leaf_int(l, "received_at", r->received_at);
    leaf_sha256(l, "text_sha256", r->text);
    return leaf_end(l);
}

int leaf_report_link(store_leaf *l, int64_t report_id, int64_t case_id)
{
    leaf_begin(l, "report.link");
    leaf_int(l, "report", report_id);
    leaf_int(l, "case", case_id);
    return leaf_end(l);
}

int leaf_decision(store_leaf *l, const jaga_decision *d)
{
    leaf_begin(l, "decision.add");
    leaf_int(l, "decision", d->id);
    leaf_int(l, "case", d->case_id);
    leaf_str(l, "type", d->kind);
    leaf_str(l, "action", d->action);
    leaf_str(l, "ground", d->ground);
    leaf_str(l, "legal_id", d->legal_id);
    leaf_str(l, "category", d->category);
    leaf_str(l, "countries", d->countries);
    leaf_str(l, "decided_by", d->decided_by);
    leaf_int(l, "decided_at", d->decided_at);
    leaf_int(l, "appeal_of", d->appeal_of);
    leaf_sha256(l, "note_sha256", d->note);
    leaf_sha256(l, "statement_sha256", d->statement);
    return leaf_end(l);
}

int leaf_notice(store_leaf *l, const jaga_notice *n)
{
    leaf_begin(l, "notice.add");
    leaf_int(l, "notice", n->id);
    leaf_str(l, "jurisdiction", n->jurisdiction);
    leaf_str(l, "key", n->key_prefix);
    leaf_sha256(l, "reference_sha256", n->reference);
    leaf_str(l, "legal_basis", n->legal_basis);
    leaf_int(l, "urgent", n->urgent);
    leaf_int(l, "received_at", n->received_at);
    leaf_int(l, "deadline_at", n->deadline_at);
    leaf_str(l, "penalty_currency", n->penalty_currency);
    leaf_num(l, "penalty_amount", n->penalty_amount);
    return leaf_end(l);
}

int leaf_notice_item(store_leaf *l, const jaga_notice_item *it)
{
    leaf_begin(l, "notice.item");
    leaf_int(l, "item", it->id);
    leaf_int(l, "notice", it->notice_id);
    leaf_str(l, "type", it->kind);
    /* Contents and hashes as they are; a URL only as its hash (it may name a person). */
    if (strcmp(it->kind, "url") == 0)
        leaf_sha256(l, "value_sha256", it->value);
    else
        leaf_str(l, "value", it->value);
    leaf_int(l, "case", it->case_id);
    return leaf_end(l);
}

int leaf_notice_items_action(store_leaf *l, int64_t case_id, const char *action, int64_t at)
{
    leaf_begin(l, "notice.action");
    leaf_int(l, "case", case_id);
    leaf_str(l, "action", action);
    leaf_int(l, "at", at);
    return leaf_end(l);
}

int leaf_notice_item_withdraw(store_leaf *l, int64_t item_id, int64_t at)
{
    leaf_begin(l, "notice.withdraw");
    leaf_int(l, "item", item_id);
    leaf_int(l, "at", at);
    return leaf_end(l);
}

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

void jaga__leaf_begin(store_leaf *l, const char *kind)
{
    snprintf(l->kind, sizeof(l->kind), "%s", kind);
    l->len = 0;
    l->overflow = 0;
    put(l, "{\"kind\":");
    put_string(l, kind);
}

void jaga__leaf_str(store_leaf *l, const char *key, const char *value)
{
    put(l, ",\"%s\":", key);
    put_string(l, value);
}

void jaga__leaf_int(store_leaf *l, const char *key, int64_t value)
{
    put(l, ",\"%s\":%lld", key, (long long)value);
}

void jaga__leaf_num(store_leaf *l, const char *key, double value)
{
    put(l, ",\"%s\":%.17g", key, value);
}

void jaga__leaf_sha256(store_leaf *l, const char *key, const char *text)
{
    uint8_t md[SHA256_DIGEST_LENGTH];
    SHA256((const uint8_t *)text, strlen(text), md);
    char hex[2 * SHA256_DIGEST_LENGTH + 1];
    jaga_hex_encode(md, sizeof(md), hex);
    jaga__leaf_str(l, key, hex);
}

int jaga__leaf_end(store_leaf *l)
{
    put(l, "}");
    return 1;
}

int jaga__leaf_bank(store_leaf *l, const char *kind, const jaga_bank *b)
{
    jaga__leaf_begin(l, kind);
    jaga__leaf_int(l, "bank", b->id);
    jaga__leaf_str(l, "name", b->name);
    jaga__leaf_int(l, "signal_types", b->signal_types);
    jaga__leaf_int(l, "pdq_threshold", b->pdq_threshold);
    jaga__leaf_int(l, "verified", b->verified);
    jaga__leaf_int(l, "enabled", b->enabled);
    jaga__leaf_sha256(l, "description_sha256", b->description);
    return jaga__leaf_end(l);
}

int jaga__leaf_entry(store_leaf *l, const jaga_entry *e, jaga_apply_result r)
{
    static const char *const kinds[] = {[JAGA_APPLY_ADDED] = "entry.add",
                                        [JAGA_APPLY_REACTIVATED] = "entry.reactivate",
                                        [JAGA_APPLY_WITHDRAWN] = "entry.withdraw"};
    if (r != JAGA_APPLY_ADDED && r != JAGA_APPLY_REACTIVATED && r != JAGA_APPLY_WITHDRAWN)
        return 0; /* nothing changed */
    jaga__leaf_begin(l, kinds[r]);
    jaga__leaf_int(l, "entry", e->id);
    jaga__leaf_int(l, "bank", e->bank_id);
    jaga__leaf_str(l, "type", jaga_signal_type_name(e->type));
    jaga__leaf_str(l, "value", e->value);
    jaga__leaf_int(l, "quality", e->quality);
    jaga__leaf_str(l, "labels", e->labels);
    return jaga__leaf_end(l);
}

int jaga__leaf_key(store_leaf *l, const jaga_key *k)
{
    jaga__leaf_begin(l, "key.create");
    jaga__leaf_str(l, "prefix", k->prefix);
    jaga__leaf_str(l, "role", jaga_role_name(k->role));
    jaga__leaf_str(l, "jurisdiction", k->jurisdiction);
    jaga__leaf_str(l, "teams", k->teams);
    jaga__leaf_int(l, "created_at", k->created_at);
    return jaga__leaf_end(l);
}

int jaga__leaf_key_revoke(store_leaf *l, const char *prefix)
{
    jaga__leaf_begin(l, "key.revoke");
    jaga__leaf_str(l, "prefix", prefix);
    return jaga__leaf_end(l);
}

int jaga__leaf_content(store_leaf *l, const jaga_content *c)
{
    jaga__leaf_begin(l, "scan");
    jaga__leaf_str(l, "content", c->content_id);
    jaga__leaf_str(l, "sha256", c->sha256);
    jaga__leaf_str(l, "md5", c->md5);
    jaga__leaf_str(l, "pdq", c->pdq);
    jaga__leaf_int(l, "quality", c->quality);
    jaga__leaf_str(l, "format", c->format);
    jaga__leaf_int(l, "scanned_at", c->scanned_at);
    jaga__leaf_sha256(l, "matches_sha256", c->matches_json ? c->matches_json : "[]");
    jaga__leaf_str(l, "scores", c->scores);
    return jaga__leaf_end(l);
}

int jaga__leaf_restriction(store_leaf *l, const jaga_restriction *r)
{
    jaga__leaf_begin(l, "restriction.add");
    jaga__leaf_int(l, "restriction", r->id);
    jaga__leaf_str(l, "content", r->content_id);
    jaga__leaf_str(l, "scope", r->scope);
    jaga__leaf_str(l, "visibility", jaga_visibility_name(r->visibility));
    jaga__leaf_str(l, "reason", r->reason);
    jaga__leaf_str(l, "legal_id", r->legal_id);
    jaga__leaf_str(l, "source", r->source);
    jaga__leaf_str(l, "ground", r->ground_terms ? "terms" : "law");
    jaga__leaf_int(l, "provisional", r->provisional);
    jaga__leaf_int(l, "automated", r->automated);
    jaga__leaf_int(l, "created_at", r->created_at);
    jaga__leaf_int(l, "expires_at", r->expires_at);
    return jaga__leaf_end(l);
}

int jaga__leaf_restriction_lift(store_leaf *l, int64_t id)
{
    jaga__leaf_begin(l, "restriction.lift");
    jaga__leaf_int(l, "restriction", id);
    return jaga__leaf_end(l);
}

int jaga__leaf_block(store_leaf *l, const jaga_country_block *b)
{
    jaga__leaf_begin(l, "block.set");
    jaga__leaf_str(l, "country", b->country);
    jaga__leaf_str(l, "reason", b->reason);
    jaga__leaf_str(l, "legal_id", b->legal_id);
    jaga__leaf_int(l, "created_at", b->created_at);
    return jaga__leaf_end(l);
}

int jaga__leaf_block_clear(store_leaf *l, const char *country)
{
    jaga__leaf_begin(l, "block.clear");
    jaga__leaf_str(l, "country", country);
    return jaga__leaf_end(l);
}

int jaga__leaf_case(store_leaf *l, const char *kind, const jaga_case *c)
{
    jaga__leaf_begin(l, kind);
    jaga__leaf_int(l, "case", c->id);
    jaga__leaf_str(l, "content", c->content_id);
    jaga__leaf_str(l, "jurisdiction", c->jurisdiction);
    jaga__leaf_str(l, "source", c->source);
    jaga__leaf_str(l, "reason", c->reason);
    jaga__leaf_str(l, "status", c->status);
    jaga__leaf_int(l, "priority", c->priority);
    jaga__leaf_str(l, "team", c->team);
    jaga__leaf_int(l, "first_review_at", c->first_review_at);
    jaga__leaf_int(l, "deadline_at", c->deadline_at);
    jaga__leaf_int(l, "due_at", c->due_at);
    jaga__leaf_int(l, "opened_at", c->opened_at);
    jaga__leaf_int(l, "first_reviewed_at", c->first_reviewed_at);
    jaga__leaf_str(l, "claimed_by", c->claimed_by);
    jaga__leaf_int(l, "lease_until", c->lease_until);
    jaga__leaf_int(l, "reports", c->reports);
    jaga__leaf_int(l, "machine_only", c->machine_only);
    jaga__leaf_int(l, "breaches", c->breaches);
    jaga__leaf_int(l, "breached", c->breached);
    jaga__leaf_int(l, "decision", c->decision_id);
    jaga__leaf_int(l, "decided_at", c->decided_at);
    return jaga__leaf_end(l);
}

int jaga__leaf_case_source(store_leaf *l, const jaga_case_source *src)
{
    jaga__leaf_begin(l, "case.source");
    jaga__leaf_int(l, "case", src->case_id);
    jaga__leaf_str(l, "ref", src->ref);
    jaga__leaf_str(l, "jurisdiction", src->jurisdiction);
    jaga__leaf_str(l, "reason", src->reason);
    jaga__leaf_int(l, "priority", src->priority);
    jaga__leaf_int(l, "first_review_at", src->first_review_at);
    jaga__leaf_int(l, "deadline_at", src->deadline_at);
    jaga__leaf_int(l, "added_at", src->added_at);
    return jaga__leaf_end(l);
}

int jaga__leaf_case_event(store_leaf *l, const jaga_case_event *ev)
{
    jaga__leaf_begin(l, "case.event");
    jaga__leaf_int(l, "case", ev->case_id);
    jaga__leaf_str(l, "event", ev->kind);
    jaga__leaf_str(l, "actor", ev->actor);
    jaga__leaf_int(l, "at", ev->at);
    jaga__leaf_sha256(l, "detail_sha256", ev->detail);
    return jaga__leaf_end(l);
}

int jaga__leaf_report(store_leaf *l, const jaga_report *r)
{
    jaga__leaf_begin(l, "report.add");
    jaga__leaf_int(l, "report", r->id);
    jaga__leaf_str(l, "content", r->content_id);
    jaga__leaf_int(l, "content_known", r->content_known);
    jaga__leaf_int(l, "identified", r->reporter_id[0] != '\0'); /* never who */
    jaga__leaf_str(l, "key", r->key_prefix);
    jaga__leaf_int(l, "trusted_flagger", r->trusted_flagger);
    jaga__leaf_str(l, "category", r->category);
    jaga__leaf_str(l, "country", r->country);
    jaga__leaf_str(l, "language", r->language);
    jaga__leaf_int(l, "rapid", r->rapid);
    jaga__leaf_int(l, "received_at", r->received_at);
    jaga__leaf_sha256(l, "text_sha256", r->text);
    return jaga__leaf_end(l);
}

int jaga__leaf_report_link(store_leaf *l, int64_t report_id, int64_t case_id)
{
    jaga__leaf_begin(l, "report.link");
    jaga__leaf_int(l, "report", report_id);
    jaga__leaf_int(l, "case", case_id);
    return jaga__leaf_end(l);
}

int jaga__leaf_decision(store_leaf *l, const jaga_decision *d)
{
    jaga__leaf_begin(l, "decision.add");
    jaga__leaf_int(l, "decision", d->id);
    jaga__leaf_int(l, "case", d->case_id);
    jaga__leaf_str(l, "type", d->kind);
    jaga__leaf_str(l, "action", d->action);
    jaga__leaf_str(l, "ground", d->ground);
    jaga__leaf_str(l, "legal_id", d->legal_id);
    jaga__leaf_str(l, "category", d->category);
    jaga__leaf_str(l, "countries", d->countries);
    jaga__leaf_str(l, "decided_by", d->decided_by);
    jaga__leaf_int(l, "decided_at", d->decided_at);
    jaga__leaf_int(l, "appeal_of", d->appeal_of);
    jaga__leaf_sha256(l, "note_sha256", d->note);
    jaga__leaf_sha256(l, "statement_sha256", d->statement);
    return jaga__leaf_end(l);
}

int jaga__leaf_notice(store_leaf *l, const jaga_notice *n)
{
    jaga__leaf_begin(l, "notice.add");
    jaga__leaf_int(l, "notice", n->id);
    jaga__leaf_str(l, "jurisdiction", n->jurisdiction);
    jaga__leaf_str(l, "key", n->key_prefix);
    jaga__leaf_sha256(l, "reference_sha256", n->reference);
    jaga__leaf_str(l, "legal_basis", n->legal_basis);
    jaga__leaf_int(l, "urgent", n->urgent);
    jaga__leaf_int(l, "received_at", n->received_at);
    jaga__leaf_int(l, "deadline_at", n->deadline_at);
    jaga__leaf_str(l, "penalty_currency", n->penalty_currency);
    jaga__leaf_num(l, "penalty_amount", n->penalty_amount);
    return jaga__leaf_end(l);
}

int jaga__leaf_notice_item(store_leaf *l, const jaga_notice_item *it)
{
    jaga__leaf_begin(l, "notice.item");
    jaga__leaf_int(l, "item", it->id);
    jaga__leaf_int(l, "notice", it->notice_id);
    jaga__leaf_str(l, "type", it->kind);
    /* Contents and hashes as they are; a URL only as its hash (it may name a person). */
    if (strcmp(it->kind, "url") == 0)
        jaga__leaf_sha256(l, "value_sha256", it->value);
    else
        jaga__leaf_str(l, "value", it->value);
    jaga__leaf_int(l, "case", it->case_id);
    return jaga__leaf_end(l);
}

int jaga__leaf_notice_items_action(store_leaf *l, int64_t case_id, const char *action, int64_t at)
{
    jaga__leaf_begin(l, "notice.action");
    jaga__leaf_int(l, "case", case_id);
    jaga__leaf_str(l, "action", action);
    jaga__leaf_int(l, "at", at);
    return jaga__leaf_end(l);
}

int jaga__leaf_notice_item_withdraw(store_leaf *l, int64_t item_id, int64_t at)
{
    jaga__leaf_begin(l, "notice.withdraw");
    jaga__leaf_int(l, "item", item_id);
    jaga__leaf_int(l, "at", at);
    return jaga__leaf_end(l);
}

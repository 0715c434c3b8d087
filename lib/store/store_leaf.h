/* Internal: the audit leaf of each change the store makes (one JSON object per change). */
#ifndef JAGA_STORE_LEAF_H
#define JAGA_STORE_LEAF_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/store.h"

typedef struct store_leaf {
    char kind[JAGA_AUDIT_KIND_MAX];
    char data[JAGA_AUDIT_LEAF_MAX];
    size_t len;
    int overflow; /* the data did not fit: the change is refused */
} store_leaf;

/* Starts {"kind":"KIND" ; the members follow in the order they are added. */
void leaf_begin(store_leaf *l, const char *kind);
void leaf_str(store_leaf *l, const char *key, const char *value);
void leaf_int(store_leaf *l, const char *key, int64_t value);
void leaf_num(store_leaf *l, const char *key, double value);
/* The SHA-256 of text, in hex: what a leaf holds of free text. */
void leaf_sha256(store_leaf *l, const char *key, const char *text);
/* Closes the object; 1, so that a describe expression can end with it. */
int leaf_end(store_leaf *l);

/* The leaves of the store's changes; each gives 1 (leaf_entry 0 when nothing changed). */
int leaf_bank(store_leaf *l, const char *kind, const jaga_bank *b);
int leaf_entry(store_leaf *l, const jaga_entry *e, jaga_apply_result r);
int leaf_key(store_leaf *l, const jaga_key *k);
int leaf_key_revoke(store_leaf *l, const char *prefix);
int leaf_content(store_leaf *l, const jaga_content *c);
int leaf_restriction(store_leaf *l, const jaga_restriction *r);
int leaf_restriction_lift(store_leaf *l, int64_t id);
int leaf_block(store_leaf *l, const jaga_country_block *b);
int leaf_block_clear(store_leaf *l, const char *country);
int leaf_case(store_leaf *l, const char *kind, const jaga_case *c);
int leaf_case_source(store_leaf *l, const jaga_case_source *src);
int leaf_case_event(store_leaf *l, const jaga_case_event *ev);
int leaf_report(store_leaf *l, const jaga_report *r);
int leaf_report_link(store_leaf *l, int64_t report_id, int64_t case_id);
int leaf_decision(store_leaf *l, const jaga_decision *d);
int leaf_notice(store_leaf *l, const jaga_notice *n);
int leaf_notice_item(store_leaf *l, const jaga_notice_item *it);
int leaf_notice_items_action(store_leaf *l, int64_t case_id, const char *action, int64_t at);
int leaf_notice_item_withdraw(store_leaf *l, int64_t item_id, int64_t at);

#endif

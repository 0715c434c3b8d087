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
void jaga__leaf_begin(store_leaf *l, const char *kind);
void jaga__leaf_str(store_leaf *l, const char *key, const char *value);
void jaga__leaf_int(store_leaf *l, const char *key, int64_t value);
void jaga__leaf_num(store_leaf *l, const char *key, double value);
/* The SHA-256 of text, in hex: what a leaf holds of free text. */
void jaga__leaf_sha256(store_leaf *l, const char *key, const char *text);
/* Closes the object; 1, so that a describe expression can end with it. */
int jaga__leaf_end(store_leaf *l);

/* The leaves of the store's changes; each gives 1 (jaga__leaf_entry 0 when nothing changed). */
int jaga__leaf_bank(store_leaf *l, const char *kind, const jaga_bank *b);
int jaga__leaf_entry(store_leaf *l, const jaga_entry *e, jaga_apply_result r);
int jaga__leaf_key(store_leaf *l, const jaga_key *k);
int jaga__leaf_key_revoke(store_leaf *l, const char *prefix);
int jaga__leaf_content(store_leaf *l, const jaga_content *c);
int jaga__leaf_restriction(store_leaf *l, const jaga_restriction *r);
int jaga__leaf_restriction_lift(store_leaf *l, int64_t id);
int jaga__leaf_block(store_leaf *l, const jaga_country_block *b);
int jaga__leaf_block_clear(store_leaf *l, const char *country);
int jaga__leaf_case(store_leaf *l, const char *kind, const jaga_case *c);
int jaga__leaf_case_source(store_leaf *l, const jaga_case_source *src);
int jaga__leaf_case_event(store_leaf *l, const jaga_case_event *ev);
int jaga__leaf_report(store_leaf *l, const jaga_report *r);
int jaga__leaf_report_link(store_leaf *l, int64_t report_id, int64_t case_id);
int jaga__leaf_decision(store_leaf *l, const jaga_decision *d);
int jaga__leaf_notice(store_leaf *l, const jaga_notice *n);
int jaga__leaf_notice_item(store_leaf *l, const jaga_notice_item *it);
int jaga__leaf_notice_items_action(store_leaf *l, int64_t case_id, const char *action, int64_t at);
int jaga__leaf_notice_item_withdraw(store_leaf *l, int64_t item_id, int64_t at);

#endif

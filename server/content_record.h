/* A scanned content as the API shows it and stores it: signals, matches, and what the policy
 * made of it (restrictions in force, review cases). */
#ifndef JAGA_SERVER_CONTENT_RECORD_H
#define JAGA_SERVER_CONTENT_RECORD_H

#include "http.h"

/* The record of c with its restrictions and cases read through db; NULL when the store
 * fails. */
json_t *content_record(jaga_store *db, const jaga_content *c);

/* Stores a new content (c->matches_json set; matches its matcher matches, n of them) with
 * what the policy in force does to it, in one transaction, then brings the restrictions into
 * the visibility map. JAGA_OK, JAGA_ERR_CONFLICT (the id is stored already: nothing
 * written) or another failure. */
jaga_status content_store(server_state *s, jaga_store *db, jaga_content *c,
                          const jaga_match *matches, size_t n);

#endif

/* A scanned content as the API shows it: signals, matches, and what the policy made of it
 * (restrictions in force, review cases). */
#ifndef JAGA_SERVER_CONTENT_RECORD_H
#define JAGA_SERVER_CONTENT_RECORD_H

#include "http.h"

/* A review case as the API shows it: "claimed" while a lease is in force. */
json_t *case_json(const void *c);
const char *case_status(const jaga_case *c, int64_t now);

/* The record of c with its restrictions and cases read through db; NULL when the store
 * fails. */
json_t *content_record(jaga_store *db, const jaga_content *c);

#endif

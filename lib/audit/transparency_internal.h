/* Internal: the transparency report's figures and their rendering. */
#ifndef JAGA_TRANSPARENCY_INTERNAL_H
#define JAGA_TRANSPARENCY_INTERNAL_H

#include <jansson.h>

#include "jaga/transparency.h"

/* The figures of q from the first head->size leaves: an array of rows {quarter ("2026-Q4", or
 * "all"), section, dimension, subdimension, quantity, value}, sorted. */
jaga_status jaga__transparency_compute(jaga_store *store, jaga_ctx *ctx,
                                       const jaga_transparency_query *q, const jaga_tree_head *head,
                                       json_t **rows);

/* The rows rendered with what they came from; malloc'd, NULL when out of memory. */
char *jaga__transparency_render(json_t *rows, const jaga_transparency_query *q,
                                const jaga_tree_head *head, const uint8_t public_key[32],
                                jaga_transparency_format fmt, size_t *len);

/* A JSON string of the UTC time t ("2026-11-27T00:00:00Z"). */
json_t *jaga__transparency_time(int64_t t);

#endif

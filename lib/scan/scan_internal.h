/* Internal: what an image's and a video's scan share once their signals are in c. */
#ifndef JAGA_SCAN_INTERNAL_H
#define JAGA_SCAN_INTERNAL_H

#include <jansson.h>

#include "jaga/scan.h"

/* The stored content of c->content_id on a store taken from env: JAGA_ERR_NOT_FOUND when
 * there is none (the caller scans); JAGA_OK with out->stored_before and c the stored content
 * when the bytes (c->sha256) are the same; JAGA_ERR_CONFLICT when they differ; JAGA_ERR_IO. */
jaga_status jaga__scan_stored(jaga_ctx *ctx, const jaga_scan_env *env, jaga_content *c,
                              jaga_scan_result *out);

/*
 * Records c with its n matches (a video's nv vPDQ matches their last nv, videos their
 * frames): c->matches_json (bank names and entry labels read through the store, a vPDQ
 * match's shares and frames), then jaga_scan_record, on one store taken from env. A record
 * that loses the race for its id to another scan of the same bytes is that scan
 * (out->stored_before); of other bytes, JAGA_ERR_CONFLICT.
 */
jaga_status jaga__scan_commit(jaga_ctx *ctx, const jaga_scan_env *env, jaga_content *c,
                              const jaga_match *found, size_t n, const jaga_vpdq_match *videos,
                              size_t nv, jaga_scan_result *out);

#endif

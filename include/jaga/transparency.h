/*
 * Transparency reports: the figures regulators and the public ask for, computed from the
 * audit log alone (the leaves a signed tree head commits to), so that anyone holding the
 * leaves can compute them again and check them against the head the report carries.
 *
 * Sections and quantities (per quarter, and "all" for the whole period):
 *   orders       regulators' notices by jurisdiction and legal basis: notices_received,
 *                items_received, items_actioned, items_within_deadline, share_within_deadline,
 *                median_seconds_to_first_review, median_seconds_to_action, breaches (items
 *                past their deadline unactioned, or actioned late), penalty_exposure_<CUR>
 *   notices      reports by category and source (user, trusted_flagger): reports_received,
 *                rapid_reports
 *   actions      decisions by action and ground (law, terms): decisions
 *   automation   cases_opened_by_automated_detection, cases_opened_by_people,
 *                actions_without_a_person (verified-bank matches), by visibility
 *   appeals      appeals_received, appeals_decided, decisions_reversed, reversal_rate
 *   first_review cases_with_a_first_review_deadline, reviewed_within, attainment
 */
#ifndef JAGA_TRANSPARENCY_H
#define JAGA_TRANSPARENCY_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/status.h"
#include "jaga/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum jaga_transparency_format {
    JAGA_TRANSPARENCY_JSON,
    JAGA_TRANSPARENCY_CSV, /* RFC 4180, one quantity a row */
    JAGA_TRANSPARENCY_HTML /* a page with inline SVG charts and no outside assets */
} jaga_transparency_format;

/* Parses "json", "csv" or "html". JAGA_OK or JAGA_ERR_INVALID. */
jaga_status jaga_transparency_format_parse(const char *name, jaga_transparency_format *out);

typedef struct jaga_transparency_query {
    int64_t from, to;     /* events in [from, to), Unix seconds; to 0: no end */
    char jurisdiction[3]; /* one jurisdiction's (notices, reports from there, its cases); "" all */
} jaga_transparency_query;

/*
 * The report of q from the first head->size leaves of the store's log, as of head->signed_at
 * (deadlines not yet passed then are not breaches), rendered in fmt with the head and the
 * log's public key. *out is malloc'd text of *len bytes (free()). JAGA_ERR_INVALID for a
 * query that makes no sense, else the store's failures.
 */
jaga_status jaga_transparency_report(jaga_store *store, jaga_ctx *ctx,
                                     const jaga_transparency_query *q, const jaga_tree_head *head,
                                     const uint8_t public_key[32], jaga_transparency_format fmt,
                                     char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif

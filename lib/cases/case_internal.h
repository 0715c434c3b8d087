/* Internal: what the queue's files share. */
#ifndef JAGA_CASE_INTERNAL_H
#define JAGA_CASE_INTERNAL_H

#include <jansson.h>

#include "jaga/cases.h"

/* The review's clock. */
int64_t jaga__review_now(const jaga_review *rv);

/* Runs fn in one store transaction: committed when it returns JAGA_OK, else rolled back. */
jaga_status jaga__review_transaction(jaga_ctx *ctx, const jaga_review *rv,
                                     jaga_status (*fn)(jaga_ctx *, const jaga_review *, void *),
                                     void *arg);

/* What memory learns once a review's changes are committed (review_effects.c): applied at
 * once, or kept in rv->effects for the caller's outer commit. */
jaga_status jaga__review_map_add(jaga_ctx *ctx, const jaga_review *rv, const jaga_restriction *r);
jaga_status jaga__review_map_lift(jaga_ctx *ctx, const jaga_review *rv, const char *content_id,
                                  int64_t id);
jaga_status jaga__review_matcher_entry(jaga_ctx *ctx, const jaga_review *rv,
                                       const jaga_entry *entry);
jaga_status jaga__review_matcher_bank(jaga_ctx *ctx, const jaga_review *rv, const jaga_bank *bank);

/* The earlier of two deadlines, 0 meaning none. */
int64_t jaga__deadline_earliest(int64_t a, int64_t b);

/* The next deadline of a case: first review until a person looked, then action. */
int64_t jaga__case_due(const jaga_case *c);

/* Adds src to the content's case under review in src's jurisdiction, or opens one (routed
 * by its jurisdiction, language and src->team); person says a report or a notice asked (not
 * machine signals alone); reports counts the reports it brings. Fills *out with the case and
 * src->case_id. */
jaga_status jaga__case_join(jaga_ctx *ctx, const jaga_review *rv, const char *content_id,
                            jaga_case_source *src, const char *language, int person, int reports,
                            jaga_case *out);

/* A platform-wide rule's source (jurisdiction "*") concerns the jurisdiction of the country
 * it comes from (the uploader's, the reporter's) when that is known; it stays "*" without. */
void jaga__source_localise(const jaga_review *rv, jaga_case_source *src, const char *country);

/* One line of a case's history. */
jaga_status jaga__case_event(jaga_ctx *ctx, const jaga_review *rv, int64_t case_id,
                             const char *kind, const char *actor, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Stores those of the n restrictions not already in force (same content, scope, source and
 * visibility); the stored ones are moved to the front of r and counted in *added. */
jaga_status jaga__restrictions_store(jaga_ctx *ctx, jaga_store *db, jaga_restriction *r, size_t n,
                                     size_t *added);

/* Queues a webhook delivery of event with body (stolen) when the review sends webhooks. */
jaga_status jaga__webhook_queue(jaga_ctx *ctx, const jaga_review *rv, const char *event,
                                json_t *body);

/* The visibility a decision's action stands for (allow for no_violation). */
jaga_visibility jaga__action_visibility(const char *action);

/* What a statement of reasons says, gathered by what made it (a decision, a restriction). */
typedef struct statement_facts {
    jaga_visibility visibility;
    const jaga_category *category; /* NULL: none */
    int ground_terms;
    const char *legal_citation; /* for a ground in law */
    const char *facts;          /* what was done and why, for people */
    const char *source_type;    /* SOURCE_VOLUNTARY, SOURCE_ARTICLE_16, ... */
    int automated_detection;
    const char *automated_decision; /* AUTOMATED_DECISION_FULLY, _PARTIALLY, _NOT_AUTOMATED */
    const char *places;             /* where: countries or jurisdiction codes; "" or "*" all */
    const char *content_id;
    const jaga_content *scanned; /* its record (type, date); NULL: jaga never scanned it */
    int64_t applied_at;
    const char *puid;
} statement_facts;

/* The content's record for its statements: *scanned says whether jaga has one. */
jaga_status jaga__statement_content(jaga_ctx *ctx, const jaga_review *rv, const char *content_id,
                                    jaga_content *out, int *scanned);

/* Builds the statement (the DSA Transparency Database's fields as JSON) into out and, when
 * its territory reaches the EEA, stores it for export; JAGA_ERR_LIMIT when too large. */
jaga_status jaga__statement_make(jaga_ctx *ctx, const jaga_review *rv, const statement_facts *f,
                                 char out[JAGA_STATEMENT_MAX]);

/* Whether the policy's rule of that id looks at machine signals (bank matches, classifier
 * scores) rather than at what people filed (reports, notices). */
int jaga__machine_rule(const jaga_policy *policy, const char *id);

/* The statement of reasons of a decision d on case c (its sources and reports read from the
 * store) into d->statement, stored for export. */
jaga_status jaga__statement_write(jaga_ctx *ctx, const jaga_review *rv, const jaga_case *c,
                                  jaga_decision *d);

/* The statements of reasons of restrictions a scan or a report just stored (those of rules:
 * "automated_decision" fully for a verified-bank action, partially for a provisional hold).
 * source_type says who asked (SOURCE_TYPE_OTHER_AUTOMATED_DETECTION for a scan); category is a
 * report's, or NULL. */
jaga_status jaga__statements_automated(jaga_ctx *ctx, const jaga_review *rv,
                                       const jaga_restriction *r, size_t n, const char *source_type,
                                       const char *category);

/* The case's JSON for webhooks: id, content, status, team, deadlines. */
json_t *jaga__case_summary(const jaga_case *c);

/* Queues the decision's verdict on the exchanged entries its content matched (verdicts.c). */
jaga_status jaga__decision_verdicts(jaga_ctx *ctx, const jaga_review *rv, const jaga_case *c,
                                    const jaga_decision *d);

#endif

/* The store interface for the review queue: argument checks, then the backend. */
#include <string.h>

#include "store/store_backend.h"
#include "jaga/core.h"

jaga_status jaga_store_case_put(jaga_store *s, jaga_ctx *ctx, const jaga_case *c)
{
    if (c->priority < 1 || c->priority > 5)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a case's priority is 1 to 5");
    STORE_AUDITED(case_put, jaga__leaf_case(&leaf, "case.update", c), c);
}

jaga_status jaga_store_case_active(jaga_store *s, jaga_ctx *ctx, const char *content_id,
                                   const char *jurisdiction, jaga_case *out)
{
    STORE_CALL(case_active, content_id, jurisdiction, out);
}

jaga_status jaga_store_case_next(jaga_store *s, jaga_ctx *ctx, const char *team,
                                 const char *not_decided_by, int64_t now, jaga_case *out)
{
    STORE_CALL(case_next, team, not_decided_by, now, out);
}

jaga_status jaga_store_case_queue(jaga_store *s, jaga_ctx *ctx, const char *team, size_t limit,
                                  jaga_case **out, size_t *n)
{
    STORE_CALL(case_queue, team, limit, out, n);
}

jaga_status jaga_store_case_overdue(jaga_store *s, jaga_ctx *ctx, int64_t now, size_t limit,
                                    jaga_case **out, size_t *n)
{
    STORE_CALL(case_overdue, now, limit, out, n);
}

jaga_status jaga_store_case_source_add(jaga_store *s, jaga_ctx *ctx, jaga_case_source *src)
{
    if (!src->case_id || !src->ref[0])
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a case source needs a case and a reference");
    STORE_AUDITED(case_source_add, jaga__leaf_case_source(&leaf, src), src);
}

jaga_status jaga_store_case_sources(jaga_store *s, jaga_ctx *ctx, int64_t case_id,
                                    jaga_case_source **out, size_t *n)
{
    STORE_CALL(case_sources, case_id, out, n);
}

jaga_status jaga_store_case_event_add(jaga_store *s, jaga_ctx *ctx, jaga_case_event *ev)
{
    if (!ev->case_id || !ev->kind[0])
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a case event needs a case and a kind");
    STORE_AUDITED(case_event_add, jaga__leaf_case_event(&leaf, ev), ev);
}

jaga_status jaga_store_case_events(jaga_store *s, jaga_ctx *ctx, int64_t case_id,
                                   jaga_case_event **out, size_t *n)
{
    STORE_CALL(case_events, case_id, out, n);
}

jaga_status jaga_store_report_add(jaga_store *s, jaga_ctx *ctx, jaga_report *r)
{
    if (!r->content_id[0] || !r->category[0])
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a report needs a content and a category");
    STORE_AUDITED(report_add, jaga__leaf_report(&leaf, r), r);
}

jaga_status jaga_store_report_link(jaga_store *s, jaga_ctx *ctx, int64_t report_id, int64_t case_id)
{
    STORE_AUDITED(report_link, jaga__leaf_report_link(&leaf, report_id, case_id), report_id,
                  case_id);
}

jaga_status jaga_store_report_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_report *out)
{
    STORE_CALL(report_get, id, out);
}

jaga_status jaga_store_reports(jaga_store *s, jaga_ctx *ctx, int64_t case_id, jaga_report **out,
                               size_t *n)
{
    STORE_CALL(reports, case_id, out, n);
}

jaga_status jaga_store_decision_add(jaga_store *s, jaga_ctx *ctx, jaga_decision *d)
{
    if (!d->case_id || !d->action[0])
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a decision needs a case and an action");
    STORE_AUDITED(decision_add, jaga__leaf_decision(&leaf, d), d);
}

jaga_status jaga_store_decision_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_decision *out)
{
    STORE_CALL(decision_get, id, out);
}

jaga_status jaga_store_decisions(jaga_store *s, jaga_ctx *ctx, int64_t case_id, jaga_decision **out,
                                 size_t *n)
{
    STORE_CALL(decisions, case_id, out, n);
}

jaga_status jaga_store_statement_add(jaga_store *s, jaga_ctx *ctx, jaga_statement *statement)
{
    STORE_CALL(statement_add, statement);
}

jaga_status jaga_store_statements_after(jaga_store *s, jaga_ctx *ctx, int64_t since,
                                        int64_t after_id, size_t limit, jaga_statement **out,
                                        size_t *n)
{
    STORE_CALL(statements_after, since, after_id, limit, out, n);
}

jaga_status jaga_store_notice_items_action(jaga_store *s, jaga_ctx *ctx, int64_t case_id,
                                           const char *action, int64_t at)
{
    STORE_AUDITED(notice_items_action, jaga__leaf_notice_items_action(&leaf, case_id, action, at),
                  case_id, action, at);
}

jaga_status jaga_store_delivery_add(jaga_store *s, jaga_ctx *ctx, jaga_delivery *d)
{
    if (!d->event_id[0] || !d->event[0])
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a delivery needs an event and its id");
    STORE_CALL(delivery_add, d);
}

jaga_status jaga_store_delivery_put(jaga_store *s, jaga_ctx *ctx, const jaga_delivery *d)
{
    STORE_CALL(delivery_put, d);
}

jaga_status jaga_store_delivery_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_delivery *out)
{
    STORE_CALL(delivery_get, id, out);
}

jaga_status jaga_store_deliveries(jaga_store *s, jaga_ctx *ctx, const char *status,
                                  int64_t due_before, size_t limit, jaga_delivery **out, size_t *n)
{
    STORE_CALL(deliveries, status, due_before, limit, out, n);
}

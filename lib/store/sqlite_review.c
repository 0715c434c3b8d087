/* The SQLite store: review cases, their sources and history. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/sqlite_internal.h"
#include "jaga/core.h"

static const char case_columns[] =
    "id, content_id, jurisdiction, source, reason, language, priority, first_review_at,"
    " deadline_at, due_at, team, lead_team, status, opened_at, first_reviewed_at, claimed_by,"
    " lease_until, reports, machine_only, breaches, breached, decision_id, decided_by,"
    " decided_at";

/* What waits for a person, most urgent first. */
#define WAITING "status IN ('open', 'escalated', 'appealed')"
#define URGENCY "due_at, priority, reports DESC, id"

static void read_case(sqlite3_stmt *stmt, void *out)
{
    jaga_case *c = out;
    memset(c, 0, sizeof(*c));
    c->id = sqlite3_column_int64(stmt, 0);
    jaga__sq_text(stmt, 1, c->content_id, sizeof(c->content_id));
    jaga__sq_text(stmt, 2, c->jurisdiction, sizeof(c->jurisdiction));
    jaga__sq_text(stmt, 3, c->source, sizeof(c->source));
    jaga__sq_text(stmt, 4, c->reason, sizeof(c->reason));
    jaga__sq_text(stmt, 5, c->language, sizeof(c->language));
    c->priority = sqlite3_column_int(stmt, 6);
    c->first_review_at = sqlite3_column_int64(stmt, 7);
    c->deadline_at = sqlite3_column_int64(stmt, 8);
    c->due_at = sqlite3_column_int64(stmt, 9);
    jaga__sq_text(stmt, 10, c->team, sizeof(c->team));
    jaga__sq_text(stmt, 11, c->lead_team, sizeof(c->lead_team));
    jaga__sq_text(stmt, 12, c->status, sizeof(c->status));
    c->opened_at = sqlite3_column_int64(stmt, 13);
    c->first_reviewed_at = sqlite3_column_int64(stmt, 14);
    jaga__sq_text(stmt, 15, c->claimed_by, sizeof(c->claimed_by));
    c->lease_until = sqlite3_column_int64(stmt, 16);
    c->reports = sqlite3_column_int(stmt, 17);
    c->machine_only = sqlite3_column_int(stmt, 18);
    c->breaches = sqlite3_column_int(stmt, 19);
    c->breached = (unsigned)sqlite3_column_int(stmt, 20);
    c->decision_id = sqlite3_column_int64(stmt, 21);
    jaga__sq_text(stmt, 22, c->decided_by, sizeof(c->decided_by));
    c->decided_at = sqlite3_column_int64(stmt, 23);
}

/* The mutable fields as parameters 1..19 (put's order; open adds the rest after them). */
static void bind_case(sqlite3_stmt *stmt, const jaga_case *c)
{
    sqlite3_bind_text(stmt, 1, c->language, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 2, c->priority);
    sqlite3_bind_int64(stmt, 3, c->first_review_at);
    sqlite3_bind_int64(stmt, 4, c->deadline_at);
    sqlite3_bind_int64(stmt, 5, c->due_at);
    sqlite3_bind_text(stmt, 6, c->team, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 7, c->lead_team, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 8, c->status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 9, c->first_reviewed_at);
    sqlite3_bind_text(stmt, 10, c->claimed_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 11, c->lease_until);
    sqlite3_bind_int(stmt, 12, c->reports);
    sqlite3_bind_int(stmt, 13, c->machine_only);
    sqlite3_bind_int(stmt, 14, c->breaches);
    sqlite3_bind_int(stmt, 15, (int)c->breached);
    sqlite3_bind_int64(stmt, 16, c->decision_id);
    sqlite3_bind_text(stmt, 17, c->decided_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 18, c->decided_at);
    sqlite3_bind_text(stmt, 19, c->reason, -1, SQLITE_STATIC);
}

jaga_status jaga__sq_case_open(jaga_store *s, jaga_ctx *ctx, jaga_case *c)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "INSERT INTO cases (language, priority, first_review_at, deadline_at, due_at,"
               " team, lead_team, status, first_reviewed_at, claimed_by, lease_until, reports,"
               " machine_only, breaches, breached, decision_id, decided_by, decided_at, reason,"
               " content_id, jurisdiction, source, opened_at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!c->opened_at)
        c->opened_at = (int64_t)time(NULL);
    if (!c->status[0])
        snprintf(c->status, sizeof(c->status), "open");
    if (stmt) {
        bind_case(stmt, c);
        sqlite3_bind_text(stmt, 20, c->content_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 21, c->jurisdiction, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 22, c->source, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 23, c->opened_at);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "opening a case");
    if (st == JAGA_OK)
        c->id = sqlite3_last_insert_rowid(q->db);
    return st;
}

jaga_status jaga__sq_case_put(jaga_store *s, jaga_ctx *ctx, const jaga_case *c)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "UPDATE cases SET language = ?, priority = ?, first_review_at = ?,"
               " deadline_at = ?, due_at = ?, team = ?, lead_team = ?, status = ?,"
               " first_reviewed_at = ?, claimed_by = ?, lease_until = ?, reports = ?,"
               " machine_only = ?, breaches = ?, breached = ?, decision_id = ?, decided_by = ?,"
               " decided_at = ?, reason = ? WHERE id = ?");
    if (stmt) {
        bind_case(stmt, c);
        sqlite3_bind_int64(stmt, 20, c->id);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "updating a case");
    if (st == JAGA_OK && sqlite3_changes(q->db) == 0)
        st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "no case %lld", (long long)c->id);
    return st;
}

/* One case selected by sql (a format with one %s for the columns). */
static sqlite3_stmt *case_query(sqlite_store *q, const char *sql)
{
    char text[1024];
    snprintf(text, sizeof(text), sql, case_columns);
    return jaga__sq_prepare(q->db, text);
}

jaga_status jaga__sq_case_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_case *out)
{
    sqlite_store *q = jaga__sq_of(s);
    char key[24];
    snprintf(key, sizeof(key), "%lld", (long long)id);
    sqlite3_stmt *stmt = case_query(q, "SELECT %s FROM cases WHERE id = ?");
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading a case");
    sqlite3_bind_int64(stmt, 1, id);
    return jaga__sq_select_one(ctx, q->db, stmt, read_case, out, "reading a case", "no case", key);
}

jaga_status jaga__sq_case_active(jaga_store *s, jaga_ctx *ctx, const char *content_id,
                                 const char *jurisdiction, jaga_case *out)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = case_query(q, "SELECT %s FROM cases WHERE content_id = ?"
                                       " AND (?2 IS NULL OR jurisdiction = ?2)"
                                       " AND status NOT IN ('decided', 'closed')"
                                       " ORDER BY id LIMIT 1");
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading a case");
    sqlite3_bind_text(stmt, 1, content_id, -1, SQLITE_STATIC);
    if (jurisdiction)
        sqlite3_bind_text(stmt, 2, jurisdiction, -1, SQLITE_STATIC);
    return jaga__sq_select_one(ctx, q->db, stmt, read_case, out, "reading a case",
                               "no case under review for", content_id);
}

jaga_status jaga__sq_case_list(jaga_store *s, jaga_ctx *ctx, const char *content_id,
                               jaga_case **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = case_query(q, "SELECT %s FROM cases WHERE content_id = ? ORDER BY id");
    if (stmt)
        sqlite3_bind_text(stmt, 1, content_id, -1, SQLITE_TRANSIENT);
    return jaga__sq_select_all(ctx, q->db, stmt, read_case, sizeof(jaga_case), (void **)out, n,
                               "listing cases");
}

jaga_status jaga__sq_case_next(jaga_store *s, jaga_ctx *ctx, const char *team,
                               const char *not_decided_by, int64_t now, jaga_case *out)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt =
        case_query(q, "SELECT %s FROM cases WHERE team = ?1 AND " WAITING " AND lease_until <= ?2"
                      " AND NOT (status = 'appealed' AND decided_by = ?3)"
                      " ORDER BY " URGENCY " LIMIT 1");
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading the queue");
    sqlite3_bind_text(stmt, 1, team, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, now);
    sqlite3_bind_text(stmt, 3, not_decided_by ? not_decided_by : "", -1, SQLITE_STATIC);
    return jaga__sq_select_one(ctx, q->db, stmt, read_case, out, "reading the queue",
                               "nothing waiting in the queue of", team);
}

jaga_status jaga__sq_case_queue(jaga_store *s, jaga_ctx *ctx, const char *team, size_t limit,
                                jaga_case **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = case_query(q, "SELECT %s FROM cases WHERE team = ? AND " WAITING
                                       " ORDER BY " URGENCY " LIMIT ?");
    if (stmt) {
        sqlite3_bind_text(stmt, 1, team, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(stmt, 2, (int64_t)limit);
    }
    return jaga__sq_select_all(ctx, q->db, stmt, read_case, sizeof(jaga_case), (void **)out, n,
                               "reading the queue");
}

jaga_status jaga__sq_case_overdue(jaga_store *s, jaga_ctx *ctx, int64_t now, size_t limit,
                                  jaga_case **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt =
        case_query(q, "SELECT %s FROM cases WHERE " WAITING " AND due_at < ?1 AND"
                      " ((first_review_at > 0 AND first_reviewed_at = 0 AND first_review_at < ?1"
                      "   AND (breached & 1) = 0) OR (deadline_at < ?1 AND (breached & 2) = 0))"
                      " ORDER BY due_at, id LIMIT ?2");
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, now);
        sqlite3_bind_int64(stmt, 2, (int64_t)limit);
    }
    return jaga__sq_select_all(ctx, q->db, stmt, read_case, sizeof(jaga_case), (void **)out, n,
                               "reading overdue cases");
}

jaga_status jaga__sq_case_source_add(jaga_store *s, jaga_ctx *ctx, jaga_case_source *src)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "INSERT INTO case_sources (case_id, ref, jurisdiction, reason, team, priority,"
               " first_review_at, deadline_at, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!src->added_at)
        src->added_at = (int64_t)time(NULL);
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, src->case_id);
        sqlite3_bind_text(stmt, 2, src->ref, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, src->jurisdiction, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, src->reason, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 5, src->team, -1, SQLITE_STATIC);
        sqlite3_bind_int(stmt, 6, src->priority);
        sqlite3_bind_int64(stmt, 7, src->first_review_at);
        sqlite3_bind_int64(stmt, 8, src->deadline_at);
        sqlite3_bind_int64(stmt, 9, src->added_at);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "adding a case source");
    if (st == JAGA_OK)
        src->id = sqlite3_last_insert_rowid(q->db);
    return st;
}

static void read_source(sqlite3_stmt *stmt, void *out)
{
    jaga_case_source *src = out;
    memset(src, 0, sizeof(*src));
    src->id = sqlite3_column_int64(stmt, 0);
    src->case_id = sqlite3_column_int64(stmt, 1);
    jaga__sq_text(stmt, 2, src->ref, sizeof(src->ref));
    jaga__sq_text(stmt, 3, src->jurisdiction, sizeof(src->jurisdiction));
    jaga__sq_text(stmt, 4, src->reason, sizeof(src->reason));
    jaga__sq_text(stmt, 5, src->team, sizeof(src->team));
    src->priority = sqlite3_column_int(stmt, 6);
    src->first_review_at = sqlite3_column_int64(stmt, 7);
    src->deadline_at = sqlite3_column_int64(stmt, 8);
    src->added_at = sqlite3_column_int64(stmt, 9);
}

/* Every row of one case from a table, in id order. */
static jaga_status of_case(sqlite_store *q, jaga_ctx *ctx, const char *sql, int64_t case_id,
                           void (*read)(sqlite3_stmt *, void *), size_t size, void **out, size_t *n,
                           const char *what)
{
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (stmt)
        sqlite3_bind_int64(stmt, 1, case_id);
    return jaga__sq_select_all(ctx, q->db, stmt, read, size, out, n, what);
}

jaga_status jaga__sq_case_sources(jaga_store *s, jaga_ctx *ctx, int64_t case_id,
                                  jaga_case_source **out, size_t *n)
{
    return of_case(jaga__sq_of(s), ctx,
                   "SELECT id, case_id, ref, jurisdiction, reason, team, priority,"
                   " first_review_at, deadline_at, added_at FROM case_sources"
                   " WHERE case_id = ? ORDER BY id",
                   case_id, read_source, sizeof(jaga_case_source), (void **)out, n,
                   "reading case sources");
}

jaga_status jaga__sq_case_event_add(jaga_store *s, jaga_ctx *ctx, jaga_case_event *ev)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt =
        jaga__sq_prepare(q->db, "INSERT INTO case_events (case_id, at, kind, actor,"
                                " detail) VALUES (?, ?, ?, ?, ?)");
    if (!ev->at)
        ev->at = (int64_t)time(NULL);
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, ev->case_id);
        sqlite3_bind_int64(stmt, 2, ev->at);
        sqlite3_bind_text(stmt, 3, ev->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, ev->actor, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 5, ev->detail, -1, SQLITE_STATIC);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "recording a case event");
    if (st == JAGA_OK)
        ev->id = sqlite3_last_insert_rowid(q->db);
    return st;
}

static void read_event(sqlite3_stmt *stmt, void *out)
{
    jaga_case_event *ev = out;
    memset(ev, 0, sizeof(*ev));
    ev->id = sqlite3_column_int64(stmt, 0);
    ev->case_id = sqlite3_column_int64(stmt, 1);
    ev->at = sqlite3_column_int64(stmt, 2);
    jaga__sq_text(stmt, 3, ev->kind, sizeof(ev->kind));
    jaga__sq_text(stmt, 4, ev->actor, sizeof(ev->actor));
    jaga__sq_text(stmt, 5, ev->detail, sizeof(ev->detail));
}

jaga_status jaga__sq_case_events(jaga_store *s, jaga_ctx *ctx, int64_t case_id,
                                 jaga_case_event **out, size_t *n)
{
    return of_case(jaga__sq_of(s), ctx,
                   "SELECT id, case_id, at, kind, actor, detail FROM case_events"
                   " WHERE case_id = ? ORDER BY id",
                   case_id, read_event, sizeof(jaga_case_event), (void **)out, n,
                   "reading a case's history");
}

jaga_status jaga__sq_report_add(jaga_store *s, jaga_ctx *ctx, jaga_report *r)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "INSERT INTO reports (content_id, content_known, reporter_id, key_prefix,"
               " trusted_flagger, category, text, country, language, rapid, case_id, received_at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!r->received_at)
        r->received_at = (int64_t)time(NULL);
    if (stmt) {
        sqlite3_bind_text(stmt, 1, r->content_id, -1, SQLITE_STATIC);
        sqlite3_bind_int(stmt, 2, r->content_known);
        sqlite3_bind_text(stmt, 3, r->reporter_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, r->key_prefix, -1, SQLITE_STATIC);
        sqlite3_bind_int(stmt, 5, r->trusted_flagger);
        sqlite3_bind_text(stmt, 6, r->category, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 7, r->text, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 8, r->country, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 9, r->language, -1, SQLITE_STATIC);
        sqlite3_bind_int(stmt, 10, r->rapid);
        sqlite3_bind_int64(stmt, 11, r->case_id);
        sqlite3_bind_int64(stmt, 12, r->received_at);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "storing a report");
    if (st == JAGA_OK)
        r->id = sqlite3_last_insert_rowid(q->db);
    return st;
}

jaga_status jaga__sq_report_link(jaga_store *s, jaga_ctx *ctx, int64_t report_id, int64_t case_id)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, "UPDATE reports SET case_id = ? WHERE id = ?");
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, case_id);
        sqlite3_bind_int64(stmt, 2, report_id);
    }
    return jaga__sq_step_done(ctx, q->db, stmt, "linking a report to its case");
}

static const char report_columns[] =
    "SELECT id, content_id, content_known, reporter_id, key_prefix, trusted_flagger, category,"
    " text, country, language, rapid, case_id, received_at FROM reports";

static void read_report(sqlite3_stmt *stmt, void *out)
{
    jaga_report *r = out;
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(stmt, 0);
    jaga__sq_text(stmt, 1, r->content_id, sizeof(r->content_id));
    r->content_known = sqlite3_column_int(stmt, 2);
    jaga__sq_text(stmt, 3, r->reporter_id, sizeof(r->reporter_id));
    jaga__sq_text(stmt, 4, r->key_prefix, sizeof(r->key_prefix));
    r->trusted_flagger = sqlite3_column_int(stmt, 5);
    jaga__sq_text(stmt, 6, r->category, sizeof(r->category));
    jaga__sq_text(stmt, 7, r->text, sizeof(r->text));
    jaga__sq_text(stmt, 8, r->country, sizeof(r->country));
    jaga__sq_text(stmt, 9, r->language, sizeof(r->language));
    r->rapid = sqlite3_column_int(stmt, 10);
    r->case_id = sqlite3_column_int64(stmt, 11);
    r->received_at = sqlite3_column_int64(stmt, 12);
}

jaga_status jaga__sq_report_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_report *out)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[512], key[24];
    snprintf(sql, sizeof(sql), "%s WHERE id = ?", report_columns);
    snprintf(key, sizeof(key), "%lld", (long long)id);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading a report");
    sqlite3_bind_int64(stmt, 1, id);
    return jaga__sq_select_one(ctx, q->db, stmt, read_report, out, "reading a report", "no report",
                               key);
}

jaga_status jaga__sq_reports(jaga_store *s, jaga_ctx *ctx, int64_t case_id, jaga_report **out,
                             size_t *n)
{
    char sql[512];
    snprintf(sql, sizeof(sql), "%s WHERE case_id = ? ORDER BY id", report_columns);
    return of_case(jaga__sq_of(s), ctx, sql, case_id, read_report, sizeof(jaga_report),
                   (void **)out, n, "reading a case's reports");
}

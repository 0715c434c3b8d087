/* The SQLite store: video scan jobs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/sqlite_internal.h"
#include "jaga/core.h"

jaga_status jaga__sq_job_add(jaga_store *s, jaga_ctx *ctx, jaga_scan_job *j)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "INSERT INTO scan_jobs (content_id, uploader_id, uploader_country, media_url,"
               " key_prefix, state, error_code, error, created_at, finished_at)"
               " VALUES (?, ?, ?, ?, ?, 'queued', '', '', ?, 0)");
    j->created_at = (int64_t)time(NULL);
    if (stmt) {
        sqlite3_bind_text(stmt, 1, j->content_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, j->uploader_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, j->uploader_country, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, j->media_url, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 5, j->key_prefix, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 6, j->created_at);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "adding a scan job");
    if (st == JAGA_OK) {
        j->id = sqlite3_last_insert_rowid(q->db);
        snprintf(j->state, sizeof(j->state), "queued");
    }
    return st;
}

static void read_job(sqlite3_stmt *stmt, void *out)
{
    jaga_scan_job *j = out;
    memset(j, 0, sizeof(*j));
    j->id = sqlite3_column_int64(stmt, 0);
    jaga__sq_text(stmt, 1, j->content_id, sizeof(j->content_id));
    jaga__sq_text(stmt, 2, j->uploader_id, sizeof(j->uploader_id));
    jaga__sq_text(stmt, 3, j->uploader_country, sizeof(j->uploader_country));
    jaga__sq_text(stmt, 4, j->media_url, sizeof(j->media_url));
    jaga__sq_text(stmt, 5, j->key_prefix, sizeof(j->key_prefix));
    jaga__sq_text(stmt, 6, j->state, sizeof(j->state));
    jaga__sq_text(stmt, 7, j->error_code, sizeof(j->error_code));
    jaga__sq_text(stmt, 8, j->error, sizeof(j->error));
    j->created_at = sqlite3_column_int64(stmt, 9);
    j->finished_at = sqlite3_column_int64(stmt, 10);
    const unsigned char *result = sqlite3_column_text(stmt, 11);
    j->result = result ? strdup((const char *)result) : NULL;
}

jaga_status jaga__sq_job_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_scan_job *out)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "SELECT id, content_id, uploader_id, uploader_country, media_url, key_prefix,"
               " state, error_code, error, created_at, finished_at, result FROM scan_jobs"
               " WHERE id = ?");
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading a scan job");
    sqlite3_bind_int64(stmt, 1, id);
    char key[24];
    snprintf(key, sizeof(key), "%lld", (long long)id);
    return jaga__sq_select_one(ctx, q->db, stmt, read_job, out, "reading a scan job", "no scan job",
                               key);
}

jaga_status jaga__sq_job_put(jaga_store *s, jaga_ctx *ctx, const jaga_scan_job *j)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt =
        jaga__sq_prepare(q->db, "UPDATE scan_jobs SET state = ?, error_code = ?,"
                                " error = ?, finished_at = ?, result = ? WHERE id = ?");
    if (stmt) {
        sqlite3_bind_text(stmt, 1, j->state, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, j->error_code, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, j->error, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 4, j->finished_at);
        if (j->result)
            sqlite3_bind_text(stmt, 5, j->result, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(stmt, 5);
        sqlite3_bind_int64(stmt, 6, j->id);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "updating a scan job");
    if (st == JAGA_OK && sqlite3_changes(q->db) == 0)
        st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "no scan job %lld", (long long)j->id);
    return st;
}

static void read_id(sqlite3_stmt *stmt, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(stmt, 0);
}

jaga_status jaga__sq_jobs_unfinished(jaga_store *s, jaga_ctx *ctx, int64_t **ids, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "SELECT id FROM scan_jobs WHERE state IN ('queued', 'running') ORDER BY id");
    return jaga__sq_select_all(ctx, q->db, stmt, read_id, sizeof(int64_t), (void **)ids, n,
                               "reading scan jobs");
}

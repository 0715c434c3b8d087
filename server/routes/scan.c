/* POST /v1/scan: an upload's signals and matches, stored under the platform's content id;
 * POST /v1/scan/video: the same for a video, as a job (202), GET /v1/scan/jobs/{id} its
 * state and result; GET /v1/content/{id}: what was stored. */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "metrics.h"
#include "classifier_pool.h"
#include "content_record.h"
#include "upload.h"
#include "video_jobs.h"
#include "whole_number.h"

/* The stored content of that id into out: JAGA_OK, JAGA_ERR_NOT_FOUND, or another status
 * with the response set to 503. */
static jaga_status stored(server_state *s, http_response *r, const char *id, jaga_content *out)
{
    jaga_store *db = store_take(s, r);
    if (!db)
        return JAGA_ERR_IO;
    jaga_status st = jaga_store_content_get(db, NULL, id, out);
    store_give(s, db);
    if (st != JAGA_OK && st != JAGA_ERR_NOT_FOUND)
        respond_error(r, 503, "store_unavailable", "the store could not be read");
    return st;
}

/* Answers with the record of c: status, or 503 when the store fails. */
static void respond_record(server_state *s, http_response *r, unsigned status,
                           const jaga_content *c)
{
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    json_t *record = content_record(db, c);
    store_give(s, db);
    if (record)
        respond_json(r, status, record);
    else
        respond_error(r, 503, "store_unavailable", "the store could not be read");
}

/* The answer to a scan (jaga_scan_image) or a check of a stored id (jaga_scan_known). */
static void respond_scan(server_state *s, http_response *r, jaga_status st, jaga_ctx *ctx,
                         const jaga_content *c, const jaga_scan_result *res)
{
    if (st == JAGA_OK && res->stored_before)
        respond_record(s, r, 200, c);
    else if (st == JAGA_OK) {
        metrics_scan(s->metrics, res->nmatches);
        respond_record(s, r, 201, c);
    } else if (st == JAGA_ERR_CONFLICT)
        respond_error(r, 409, "conflict", "%s", jaga_errmsg(ctx));
    else if (st == JAGA_ERR_IO)
        respond_error(r, 503, "store_unavailable", "the scan could not be stored");
    else
        respond_decode_error(r, st, ctx);
}

/* The upload's content fields into c, or a 400: 0 or -1. */
static int intake(http_request *req, http_response *r, upload *u, jaga_content *c)
{
    char err[256];
    const char *problem = upload_read(req, u, err, sizeof(err)) ? err : upload_content(u, c);
    if (problem)
        respond_error(r, 400, "bad_request", "%s", problem);
    return problem ? -1 : 0;
}

static void scan(server_state *s, http_request *req, http_response *r)
{
    upload u;
    jaga_content c = {0};
    if (intake(req, r, &u, &c) != 0)
        return;
    jaga_ctx *ctx = NULL;
    jaga_scan_env env = {0};
    jaga_signal_options opt = {.limits = &s->config->decode};
    jaga_scan_result res = {0};
    jaga_status st = jaga_ctx_open(&ctx);
    if (st == JAGA_OK && (st = scan_env_begin(s, ctx, &env)) == JAGA_OK) {
        if (s->classifier && !(opt.classifier = classifier_take(s->classifier, ctx)))
            st = JAGA_ERR_NOMEM;
        if (st == JAGA_OK)
            st = jaga_scan_image(ctx, &env, &opt, u.image, u.image_len, &c, &res);
        if (opt.classifier)
            classifier_give(s->classifier, opt.classifier);
    }
    scan_env_end(s, &env);
    respond_scan(s, r, st, ctx, &c, &res);
    jaga_scan_result_clear(&res);
    jaga_content_clear(&c);
    jaga_ctx_free(ctx);
}

/* A video scan: a stored content of that id answers at once (200, or 409 for other bytes);
 * else 202 with a job that scans it. */
static void scan_video(server_state *s, http_request *req, http_response *r)
{
    upload u;
    jaga_content c = {0};
    if (intake(req, r, &u, &c) != 0)
        return;
    if (u.image_len == 0) {
        respond_error(r, 400, "bad_request", "the video is empty");
        return;
    }
    jaga_ctx *ctx = NULL;
    jaga_scan_env env = {0};
    jaga_scan_result res = {0};
    jaga_status st = jaga_ctx_open(&ctx);
    if (st == JAGA_OK && (st = scan_env_begin(s, ctx, &env)) == JAGA_OK)
        st = jaga_scan_known(ctx, &env, u.image, u.image_len, &c, &res);
    scan_env_end(s, &env);
    if (st != JAGA_ERR_NOT_FOUND) {
        respond_scan(s, r, st, ctx, &c, &res);
        jaga_content_clear(&c);
        jaga_ctx_free(ctx);
        return;
    }
    jaga_ctx_free(ctx);
    jaga_scan_job job = {0};
    snprintf(job.content_id, sizeof(job.content_id), "%s", c.content_id);
    snprintf(job.uploader_id, sizeof(job.uploader_id), "%s", c.uploader_id);
    snprintf(job.uploader_country, sizeof(job.uploader_country), "%s", c.uploader_country);
    snprintf(job.media_url, sizeof(job.media_url), "%s", c.media_url);
    snprintf(job.key_prefix, sizeof(job.key_prefix), "%s", req->key.prefix);
    if (video_job_submit(s, r, u.image, u.image_len, &job) == 0)
        respond_json(r, 202, scan_job_json(&job));
}

static void scan_job(server_state *s, http_request *req, http_response *r)
{
    int64_t id = path_id(req->path, 3);
    jaga_store *db = id ? store_take(s, r) : NULL;
    if (!id) {
        respond_error(r, 404, "not_found", "no such scan job");
        return;
    }
    if (!db)
        return;
    jaga_scan_job job;
    jaga_status st = jaga_store_job_get(db, NULL, id, &job);
    store_give(s, db);
    if (st == JAGA_ERR_NOT_FOUND) {
        respond_error(r, 404, "not_found", "no scan job %lld", (long long)id);
    } else if (st != JAGA_OK) {
        respond_error(r, 503, "store_unavailable", "the scan job could not be read");
    } else {
        respond_json(r, 200, scan_job_json(&job));
        jaga_scan_job_clear(&job);
    }
}

static void content(server_state *s, http_request *req, http_response *r)
{
    char id[sizeof(((jaga_content *)0)->content_id)];
    path_segment(req->path, 2, id, sizeof(id));
    jaga_content c = {0};
    jaga_status st = stored(s, r, id, &c);
    if (st == JAGA_ERR_NOT_FOUND)
        respond_error(r, 404, "not_found", "no content %s", id);
    else if (st == JAGA_OK)
        respond_record(s, r, 200, &c);
    jaga_content_clear(&c);
}

static const route table[] = {
    {"POST", "/v1/scan", PLATFORM_ROLES, scan, BODY_IN_MEMORY, RUN_ON_WORKER,
     "content_id uploader_id uploader_country dihedral media_url"},
    {"POST", "/v1/scan/video", PLATFORM_ROLES, scan_video, BODY_SPOOLED, RUN_ON_WORKER,
     "content_id uploader_id uploader_country media_url"},
    {"GET", "/v1/scan/jobs/*", PLATFORM_ROLES, scan_job, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"GET", "/v1/content/*", PLATFORM_ROLES | AUDIT_ROLES, content, BODY_IN_MEMORY, RUN_INLINE,
     NULL}};

const route *routes_scan(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

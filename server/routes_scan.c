/* POST /v1/scan: an upload's signals and matches, stored under the platform's content id;
 * POST /v1/scan/video: the same for a video, as a job (202), GET /v1/scan/jobs/{id} its
 * state and result; GET /v1/content/{id}: what was stored. */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "metrics.h"
#include "content_record.h"
#include "upload.h"
#include "video_jobs.h"
#include "whole_number.h"

enum { MATCHES_MAX = 1000 };

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

/* Answers a re-scan of a stored id: the stored record when the bytes are the same. */
static void rescan(server_state *s, http_response *r, const jaga_content *old,
                   const jaga_content *fresh)
{
    if (strcmp(old->sha256, fresh->sha256) != 0)
        respond_error(r, 409, "conflict", "content %s was scanned with other bytes",
                      fresh->content_id);
    else
        respond_record(s, r, 200, old);
}

/* Signals, matches, the policy's restrictions and cases, and the stored record of a new
 * content. */
static void first_scan(server_state *s, const upload *u, const jaga_digests *d, http_response *r,
                       jaga_content *c)
{
    jaga_signals sig;
    if (request_signals(s, u->image, u->image_len, r, 1, d, 1, &sig) != 0)
        return;
    if (sig.classified)
        scores_text(sig.scores, c->scores, sizeof(c->scores));
    memcpy(c->blur_seed, sig.blur_seed.bytes, sig.blur_seed.len);
    c->blur_seed_len = sig.blur_seed.len;
    jaga_pdq_to_hex(&sig.pdq.hash[JAGA_DIH_ORIG], c->pdq);
    c->quality = sig.pdq.quality;
    jaga_hex_encode(sig.digests.md5, 16, c->md5);
    c->width = sig.width, c->height = sig.height;
    snprintf(c->format, sizeof(c->format), "%s", sig.format);
    jaga_match_query q = {
        .pdq = sig.pdq.hash, .npdq = JAGA_DIH_COUNT, .md5 = c->md5, .sha256 = c->sha256};
    static __thread jaga_match found[MATCHES_MAX];
    size_t n;
    if (jaga_matcher_match(s->matcher, NULL, &q, found, MATCHES_MAX, &n) != JAGA_OK) {
        respond_error(r, 503, "overloaded", "the matcher ran out of memory");
        return;
    }
    n = n < MATCHES_MAX ? n : MATCHES_MAX;
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    json_t *matches = matches_to_json(s, db, found, n);
    c->matches_json = json_dumps(matches, JSON_COMPACT);
    json_decref(matches);
    /* Not under the bank lock: a scan only adds (new restrictions, case sources), and the
     * store orders its writes. */
    jaga_review rv;
    review_begin(s, db, &rv);
    jaga_status st = c->matches_json ? jaga_scan_record(NULL, &rv, c, found, n) : JAGA_ERR_NOMEM;
    review_end(s);
    store_give(s, db);
    jaga_content old = {0};
    if (st == JAGA_ERR_CONFLICT) { /* the same id, stored meanwhile by another request */
        if (stored(s, r, c->content_id, &old) == JAGA_OK)
            rescan(s, r, &old, c);
    } else if (st != JAGA_OK) {
        respond_error(r, 503, "store_unavailable", "the scan could not be stored");
    } else {
        metrics_scan(s->metrics, n);
        respond_record(s, r, 201, c);
    }
    jaga_content_clear(&old);
}

/* The upload read, checked and digested into u, c and d, and a stored content of its id
 * answered (200 with its record for the same bytes, 409 for others): JAGA_ERR_NOT_FOUND
 * when the content is new, for the caller to scan; anything else once the response is set. */
static jaga_status intake(server_state *s, http_request *req, http_response *r, upload *u,
                          jaga_content *c, jaga_digests *d)
{
    char err[256];
    const char *problem = upload_read(req, u, err, sizeof(err)) ? err : upload_content(u, c);
    if (problem) {
        respond_error(r, 400, "bad_request", "%s", problem);
        return JAGA_ERR_INVALID;
    }
    if (jaga_digest_bytes(NULL, u->image, u->image_len, d) != JAGA_OK) {
        respond_error(r, 503, "overloaded", "digests failed");
        return JAGA_ERR_NOMEM;
    }
    jaga_hex_encode(d->sha256, 32, c->sha256);
    jaga_content old = {0};
    jaga_status st = stored(s, r, c->content_id, &old);
    if (st == JAGA_OK)
        rescan(s, r, &old, c);
    jaga_content_clear(&old);
    return st;
}

static void scan(server_state *s, http_request *req, http_response *r)
{
    upload u;
    jaga_content c = {0};
    jaga_digests d;
    if (intake(s, req, r, &u, &c, &d) == JAGA_ERR_NOT_FOUND)
        first_scan(s, &u, &d, r, &c);
    jaga_content_clear(&c);
}

/* A video scan: a stored content of that id answers at once (200, or 409 for other bytes);
 * else 202 with a job that scans it. */
static void scan_video(server_state *s, http_request *req, http_response *r)
{
    upload u;
    jaga_content c = {0};
    jaga_digests d;
    if (intake(s, req, r, &u, &c, &d) != JAGA_ERR_NOT_FOUND)
        return;
    if (u.image_len == 0) {
        respond_error(r, 400, "bad_request", "the video is empty");
        return;
    }
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

/* Video scan jobs: the media kept on disk, one runner thread, the pipeline of a video (its
 * signals, matches, the policy, cases, the audit log), the job's end and its webhook. */
#include "video_jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "classifier_pool.h"
#include "content_record.h"
#include "metrics.h"
#include "jaga/core.h"
#include "work_queue.h"

static void media_path(const server_state *s, int64_t id, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%lld.media", s->jobs_dir, (long long)id);
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    int rc = fd >= 0 && fsync(fd) == 0 ? 0 : -1;
    if (fd >= 0)
        close(fd);
    return rc;
}

typedef struct job_ref {
    server_state *s;
    int64_t id;
} job_ref;

static void run_job(void *arg);

static int queue_job(server_state *s, int64_t id)
{
    job_ref *ref = malloc(sizeof(*ref));
    if (ref)
        *ref = (job_ref){s, id};
    if (!ref || work_queue_push(s->video_queue, run_job, ref) != 0) {
        free(ref);
        return -1;
    }
    return 0;
}

static jaga_status job_put(server_state *s, jaga_ctx *ctx, const jaga_scan_job *job)
{
    jaga_store *db = store_pool_take(s->stores, ctx);
    jaga_status st = db ? jaga_store_job_put(db, ctx, job) : JAGA_ERR_IO;
    store_pool_give(s->stores, db);
    return st;
}

static int should_stop(void *arg)
{
    return ((server_state *)arg)->video_stopping;
}

/* The API's code for a video that could not be scanned. */
static const char *failure_code(jaga_status st)
{
    switch (st) {
    case JAGA_ERR_LIMIT:
        return "too_large";
    case JAGA_ERR_UNSUPPORTED:
        return "unsupported_media";
    case JAGA_ERR_DECODE:
        return "undecodable";
    case JAGA_ERR_CONFLICT:
        return "conflict";
    default:
        return "internal";
    }
}

/* The job's end into the store, its media removed, the platform told. */
static void finish(server_state *s, jaga_ctx *ctx, jaga_scan_job *job)
{
    job->finished_at = (int64_t)time(NULL);
    if (job_put(s, ctx, job) != JAGA_OK) { /* the media stays: the next start runs it again */
        fprintf(stderr, "jaga serve: scan job %lld: %s\n", (long long)job->id, jaga_errmsg(ctx));
        return;
    }
    char path[1200];
    media_path(s, job->id, path, sizeof(path));
    unlink(path);
    json_t *body = json_pack("{s:I,s:s,s:s}", "job_id", (json_int_t)job->id, "content_id",
                             job->content_id, "state", job->state);
    if (job->error_code[0])
        json_object_set_new(body, "error_code", json_string(job->error_code));
    jaga_store *db = store_pool_take(s->stores, ctx);
    if (!db || event_post(s, ctx, db, "scan.completed", body) != JAGA_OK)
        fprintf(stderr, "jaga serve: scan job %lld: scan.completed not queued\n",
                (long long)job->id);
    if (!db)
        json_decref(body);
    store_pool_give(s->stores, db);
}

static void fail(jaga_scan_job *job, jaga_status st, const char *message)
{
    snprintf(job->state, sizeof(job->state), "failed");
    snprintf(job->error_code, sizeof(job->error_code), "%s", failure_code(st));
    snprintf(job->error, sizeof(job->error), "%s", message);
}

/* What the video was, and the scores of the frames sampled. */
static json_t *video_json(const jaga_video_signals *sig)
{
    json_t *samples = json_array();
    for (size_t i = 0; i < sig->nsamples; i++) {
        char text[256];
        jaga_scan_scores_text(sig->samples[i].scores, text, sizeof(text));
        json_array_append_new(samples,
                              json_pack("{s:f,s:o}", "timestamp", (double)sig->samples[i].timestamp,
                                        "scores", json_loads(text, 0, NULL)));
    }
    return json_pack("{s:i,s:i,s:f,s:s,s:s,s:I,s:I,s:o}", "width", (int)sig->info.width, "height",
                     (int)sig->info.height, "frame_rate", sig->info.frame_rate, "codec",
                     sig->info.codec ? sig->info.codec : "", "container",
                     sig->info.format ? sig->info.format : "", "frames",
                     (json_int_t)sig->info.frames, "frames_hashed", (json_int_t)sig->nfeatures,
                     "frames_classified", samples);
}

/* The job done with the record of the content its scan stored (and what the video was), or
 * failed. */
static void record_result(server_state *s, jaga_ctx *ctx, jaga_scan_job *job, jaga_status st,
                          const jaga_content *c, const jaga_video_signals *sig,
                          const jaga_scan_result *res)
{
    jaga_store *db = st == JAGA_OK ? store_pool_take(s->stores, ctx) : NULL;
    json_t *record = db ? content_record(db, c) : NULL;
    store_pool_give(s->stores, db);
    if (record) {
        json_object_set_new(record, "video", video_json(sig));
        job->result = json_dumps(record, JSON_COMPACT);
        json_decref(record);
    }
    if (st == JAGA_OK && !job->result)
        st = jaga_fail(ctx, JAGA_ERR_IO, "the record could not be read");
    if (st == JAGA_OK) {
        snprintf(job->state, sizeof(job->state), "done");
        if (!res->stored_before)
            metrics_scan(s->metrics, res->nmatches);
    } else {
        fail(job, st, *jaga_errmsg(ctx) ? jaga_errmsg(ctx) : jaga_status_str(st));
    }
}

static void run(server_state *s, jaga_ctx *ctx, int64_t id)
{
    jaga_scan_job job;
    jaga_store *db = store_pool_take(s->stores, ctx);
    jaga_status st = db ? jaga_store_job_get(db, ctx, id, &job) : JAGA_ERR_IO;
    store_pool_give(s->stores, db);
    if (st != JAGA_OK || strcmp(job.state, "done") == 0 || strcmp(job.state, "failed") == 0) {
        if (st == JAGA_OK)
            jaga_scan_job_clear(&job);
        return;
    }
    snprintf(job.state, sizeof(job.state), "running");
    if (job_put(s, ctx, &job) != JAGA_OK) {
        jaga_scan_job_clear(&job);
        return;
    }
    char path[1200];
    media_path(s, id, path, sizeof(path));
    jaga_video_signal_options opt = {.seconds_per_hash = 1,
                                     .classify_seconds = 1,
                                     .digests = 1,
                                     .blur_seed = 1,
                                     .stop = should_stop,
                                     .stop_arg = s};
    jaga_video_signals sig = {0};
    jaga_content c = {0};
    snprintf(c.content_id, sizeof(c.content_id), "%s", job.content_id);
    snprintf(c.uploader_id, sizeof(c.uploader_id), "%s", job.uploader_id);
    snprintf(c.uploader_country, sizeof(c.uploader_country), "%s", job.uploader_country);
    snprintf(c.media_url, sizeof(c.media_url), "%s", job.media_url);
    jaga_scan_env env = {0};
    jaga_scan_result res = {0};
    st = scan_env_begin(s, ctx, &env);
    if (st == JAGA_OK && s->classifier && !(opt.classifier = classifier_take(s->classifier, ctx)))
        st = JAGA_ERR_NOMEM;
    if (st == JAGA_OK)
        st = jaga_scan_video(ctx, &env, &opt, path, &c, &sig, &res);
    if (opt.classifier)
        classifier_give(s->classifier, opt.classifier);
    scan_env_end(s, &env);
    if (sig.interrupted) { /* stays running: the next start runs it again */
        jaga_video_signals_clear(&sig);
        jaga_scan_result_clear(&res);
        jaga_content_clear(&c);
        jaga_scan_job_clear(&job);
        return;
    }
    record_result(s, ctx, &job, st, &c, &sig, &res);
    jaga_video_signals_clear(&sig);
    jaga_scan_result_clear(&res);
    jaga_content_clear(&c);
    finish(s, ctx, &job);
    jaga_scan_job_clear(&job);
}

static void run_job(void *arg)
{
    job_ref ref = *(job_ref *)arg;
    free(arg);
    if (ref.s->video_stopping)
        return; /* left for the next start */
    jaga_ctx *ctx = NULL;
    if (jaga_ctx_open(&ctx) == JAGA_OK)
        run(ref.s, ctx, ref.id);
    jaga_ctx_free(ctx);
}

int video_jobs_open(server_state *s)
{
    snprintf(s->jobs_dir, sizeof(s->jobs_dir), "%s.jobs", s->config->db);
    if (mkdir(s->jobs_dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "jaga serve: %s: %s\n", s->jobs_dir, strerror(errno));
        return -1;
    }
    if (!(s->video_queue = work_queue_open(1)))
        return -1;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    int64_t *ids = NULL;
    size_t n = 0;
    jaga_store *db = store_pool_take(s->stores, ctx);
    jaga_status st = db ? jaga_store_jobs_unfinished(db, ctx, &ids, &n) : JAGA_ERR_IO;
    store_pool_give(s->stores, db);
    for (size_t i = 0; st == JAGA_OK && i < n; i++)
        if (queue_job(s, ids[i]) != 0)
            st = JAGA_ERR_NOMEM;
    if (st != JAGA_OK)
        fprintf(stderr, "jaga serve: scan jobs: %s\n",
                *jaga_errmsg(ctx) ? jaga_errmsg(ctx) : "no memory");
    else if (n)
        fprintf(stderr, "jaga serve: %zu unfinished scan jobs queued again\n", n);
    free(ids);
    jaga_ctx_free(ctx);
    return st == JAGA_OK ? 0 : -1;
}

void video_jobs_stop(server_state *s)
{
    s->video_stopping = 1;
    work_queue_free(s->video_queue);
    s->video_queue = NULL;
}

/* The media into a new file in the jobs folder, on disk before this returns; its path in
 * out. 0, or -1. */
static int keep_media(const server_state *s, const void *media, size_t len, char *out, size_t cap)
{
    snprintf(out, cap, "%s/incoming.XXXXXX", s->jobs_dir);
    int fd = mkstemp(out);
    if (fd < 0)
        return -1;
    const char *p = media;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        p += w, left -= (size_t)w;
    }
    int rc = left == 0 && fsync(fd) == 0 ? 0 : -1;
    close(fd);
    if (rc != 0)
        unlink(out);
    return rc;
}

int video_job_submit(server_state *s, http_response *r, const void *media, size_t len,
                     jaga_scan_job *job)
{
    char incoming[1200], path[1200];
    if (keep_media(s, media, len, incoming, sizeof(incoming)) != 0) {
        respond_error(r, 503, "store_unavailable", "the video could not be kept for its scan");
        return -1;
    }
    jaga_store *db = store_take(s, r);
    jaga_status st = db ? jaga_store_job_add(db, NULL, job) : JAGA_ERR_IO;
    if (st == JAGA_OK) {
        media_path(s, job->id, path, sizeof(path));
        if (rename(incoming, path) != 0 || sync_dir(s->jobs_dir) != 0) {
            fail(job, JAGA_ERR_IO, "the video could not be kept for its scan");
            job->finished_at = (int64_t)time(NULL);
            jaga_store_job_put(db, NULL, job);
            st = JAGA_ERR_IO;
        }
    }
    store_give(s, db);
    if (st != JAGA_OK) {
        unlink(incoming);
        if (db)
            respond_error(r, 503, "store_unavailable", "the scan job could not be stored");
        return -1;
    }
    if (queue_job(s, job->id) != 0) /* stored: the next start runs it */
        fprintf(stderr, "jaga serve: scan job %lld waits for the next start\n", (long long)job->id);
    return 0;
}

json_t *scan_job_json(const jaga_scan_job *job)
{
    json_t *j = json_pack("{s:I,s:s,s:s,s:I,s:I}", "id", (json_int_t)job->id, "content_id",
                          job->content_id, "state", job->state, "created_at",
                          (json_int_t)job->created_at, "finished_at", (json_int_t)job->finished_at);
    char href[64];
    snprintf(href, sizeof(href), "/v1/scan/jobs/%lld", (long long)job->id);
    json_object_set_new(j, "href", json_string(href));
    if (job->error_code[0])
        json_object_set_new(j, "error",
                            json_pack("{s:s,s:s}", "code", job->error_code, "message", job->error));
    json_t *result = job->result ? json_loads(job->result, 0, NULL) : NULL;
    if (result)
        json_object_set_new(j, "result", result);
    return j;
}

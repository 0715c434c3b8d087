/* Live streams: a thread each, their events through the policy, webhooks. */
#include "stream_watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classifier_pool.h"
#include "content_record.h"

enum { EVENTS_KEPT = 100, ENDED_KEPT = 64 };

typedef struct stream {
    struct stream_set *set;
    int64_t id;
    stream_request req;
    char key_prefix[16];
    pthread_t thread;
    jaga_ctx *ctx; /* the watching thread's */
    _Atomic int stop, done;
    int recorded; /* the content is stored (watching thread only) */
    /* Under the set's lock. */
    char state[16], error[256];
    json_t *events;
    size_t events_total;
    jaga_stream_summary summary;
    int64_t started_at, ended_at;
} stream;

struct stream_set {
    server_state *s;
    pthread_mutex_t lock;
    stream **all; /* by id */
    size_t n, cap;
    int64_t next_id;
};

stream_set *stream_set_open(server_state *s)
{
    stream_set *set = calloc(1, sizeof(*set));
    if (set)
        set->cap = s->config->max_streams + ENDED_KEPT;
    if (!set || !(set->all = calloc(set->cap, sizeof(stream *)))) {
        free(set);
        return NULL;
    }
    set->s = s;
    set->next_id = 1;
    pthread_mutex_init(&set->lock, NULL);
    return set;
}

static void stream_free(stream *st)
{
    pthread_join(st->thread, NULL);
    json_decref(st->events);
    free(st);
}

void stream_set_free(stream_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        set->all[i]->stop = 1;
    for (size_t i = 0; i < set->n; i++)
        stream_free(set->all[i]);
    pthread_mutex_destroy(&set->lock);
    free(set->all);
    free(set);
}

static int should_stop(void *arg)
{
    return ((stream *)arg)->stop;
}

/* The event as the API and the webhooks show it. */
static json_t *event_json(const stream *st, const jaga_stream_event *e)
{
    server_state *s = st->set->s;
    json_t *j =
        json_pack("{s:s,s:f,s:f,s:I}", "event", e->kind == JAGA_STREAM_MATCH ? "match" : "explicit",
                  "stream_time", (double)e->stream_time, "latency_ms", e->latency * 1000, "at",
                  (json_int_t)time(NULL));
    if (e->kind == JAGA_STREAM_EXPLICIT) {
        char text[256];
        jaga_scan_scores_text(e->scores, text, sizeof(text));
        json_object_set_new(j, "scores", json_loads(text, 0, NULL));
        return j;
    }
    jaga_bank b;
    if (jaga_matcher_bank(s->matcher, e->match.bank_id, &b) != JAGA_OK)
        b.name[0] = '\0';
    json_t *frames = json_array();
    for (size_t i = 0; i < e->match.nframes; i++)
        json_array_append_new(frames, json_pack("{s:f,s:f,s:i}", "stream_time",
                                                (double)e->match.frames[i].query_timestamp,
                                                "entry_timestamp",
                                                (double)e->match.frames[i].entry_timestamp,
                                                "distance", e->match.frames[i].distance));
    json_object_set_new(j, "bank", json_string(b.name));
    json_object_set_new(j, "entry_id", json_integer(e->match.entry_id));
    json_object_set_new(j, "entry_frames", json_integer((json_int_t)e->match.entry_features));
    json_object_set_new(j, "entry_frames_found",
                        json_integer((json_int_t)e->match.entry_frames_matched));
    json_object_set_new(j, "frames", frames);
    return j;
}

/* The stream's content through the policy with this event's signal (jaga/scan.h). */
static void record(stream *st, const jaga_stream_event *e)
{
    server_state *s = st->set->s;
    jaga_content ids = {0};
    snprintf(ids.content_id, sizeof(ids.content_id), "%s", st->req.content_id);
    snprintf(ids.uploader_id, sizeof(ids.uploader_id), "%s", st->req.uploader_id);
    snprintf(ids.uploader_country, sizeof(ids.uploader_country), "%s", st->req.uploader_country);
    snprintf(ids.media_url, sizeof(ids.media_url), "%s", st->req.media_url);
    jaga_scan_env env = {0};
    jaga_status status = scan_env_begin(s, st->ctx, &env);
    if (status == JAGA_OK)
        status = jaga_scan_stream_event(st->ctx, &env, &ids, e, &st->recorded);
    scan_env_end(s, &env);
    if (status != JAGA_OK)
        fprintf(stderr, "jaga serve: stream %lld: %s\n", (long long)st->id, jaga_errmsg(st->ctx));
}

/* A webhook: body (stolen) with the stream's id and content. */
static void notify(stream *st, jaga_store *db, const char *event, json_t *body)
{
    json_object_set_new(body, "stream_id", json_integer(st->id));
    json_object_set_new(body, "content_id", json_string(st->req.content_id));
    if (event_post(st->set->s, st->ctx, db, event, body) != JAGA_OK)
        fprintf(stderr, "jaga serve: stream %lld: %s not queued\n", (long long)st->id, event);
}

static void on_event(void *arg, const jaga_stream_event *e)
{
    stream *st = arg;
    server_state *s = st->set->s;
    json_t *j = event_json(st, e);
    pthread_mutex_lock(&st->set->lock);
    json_array_append_new(st->events, json_deep_copy(j)); /* j itself goes on to the webhook */
    if (json_array_size(st->events) > EVENTS_KEPT)
        json_array_remove(st->events, 0);
    st->events_total++;
    pthread_mutex_unlock(&st->set->lock);
    record(st, e); /* takes a store of its own, and gives it back, first */
    jaga_store *db = store_pool_take(s->stores, st->ctx);
    if (!db) {
        json_decref(j);
        return;
    }
    notify(st, db, e->kind == JAGA_STREAM_MATCH ? "stream.match" : "stream.explicit", j);
    store_pool_give(s->stores, db);
}

static void *watch_thread(void *arg)
{
    stream *st = arg;
    server_state *s = st->set->s;
    jaga_pdq_hasher *hasher = NULL;
    jaga_stream_watch_options o;
    jaga_stream_watch_options_default(&o);
    o.seconds_per_hash = st->req.seconds_per_hash;
    o.matcher = s->matcher;
    o.input.stall_seconds = s->config->stream_stall_s;
    o.input.max_width = s->config->decode.max_width;
    o.input.max_height = s->config->decode.max_height;
    o.input.stop = should_stop;
    o.input.stop_arg = st;
    o.event = on_event;
    o.event_arg = st;
    jaga_stream_summary sum = {.end = JAGA_STREAM_FAILED};
    jaga_status status = jaga_pdq_hasher_open(&hasher);
    if (status == JAGA_OK && s->classifier &&
        !(o.classifier = classifier_own(s->classifier, st->ctx)))
        status = JAGA_ERR_NOMEM;
    if (status == JAGA_OK)
        status = jaga_stream_watch(st->ctx, hasher, st->req.url, &o, &sum);
    jaga_nn_runner_free(o.classifier);
    jaga_pdq_hasher_free(hasher);
    pthread_mutex_lock(&st->set->lock);
    snprintf(st->state, sizeof(st->state), "%s", jaga_stream_end_name(sum.end));
    if (status != JAGA_OK)
        snprintf(st->error, sizeof(st->error), "%s", jaga_errmsg(st->ctx));
    st->summary = sum;
    st->ended_at = (int64_t)time(NULL);
    pthread_mutex_unlock(&st->set->lock);
    jaga_store *db = store_pool_take(s->stores, st->ctx);
    if (db) {
        json_t *body =
            json_pack("{s:s,s:I,s:I,s:I}", "status", jaga_stream_end_name(sum.end), "frames_hashed",
                      (json_int_t)sum.frames_hashed, "matches", (json_int_t)sum.matches, "explicit",
                      (json_int_t)sum.explicit_events);
        if (status != JAGA_OK)
            json_object_set_new(body, "error", json_string(jaga_errmsg(st->ctx)));
        notify(st, db, "stream.ended", body);
        store_pool_give(s->stores, db);
    }
    jaga_ctx_free(st->ctx);
    st->ctx = NULL;
    st->done = 1;
    return NULL;
}

/* Room for one more stream: 0, or -1 when max_streams are watched. Caller holds the lock. */
static int make_room(stream_set *set)
{
    size_t running = 0;
    for (size_t i = 0; i < set->n; i++)
        running += !set->all[i]->done;
    if (running >= set->s->config->max_streams)
        return -1;
    if (set->n < set->cap)
        return 0;
    for (size_t i = 0; i < set->n; i++) /* the oldest ended one goes */
        if (set->all[i]->done) {
            stream_free(set->all[i]);
            memmove(&set->all[i], &set->all[i + 1], (set->n - i - 1) * sizeof(stream *));
            set->n--;
            return 0;
        }
    return -1;
}

int stream_start(stream_set *set, http_response *r, const stream_request *req,
                 const char *key_prefix, int64_t *id)
{
    stream *st = calloc(1, sizeof(*st));
    if (!st || jaga_ctx_open(&st->ctx) != JAGA_OK || !(st->events = json_array())) {
        if (st)
            jaga_ctx_free(st->ctx);
        free(st);
        respond_error(r, 503, "overloaded", "no memory for a stream");
        return -1;
    }
    st->set = set;
    st->req = *req;
    snprintf(st->key_prefix, sizeof(st->key_prefix), "%s", key_prefix);
    snprintf(st->state, sizeof(st->state), "watching");
    st->started_at = (int64_t)time(NULL);
    pthread_mutex_lock(&set->lock);
    int rc = make_room(set);
    if (rc == 0) {
        st->id = set->next_id;
        rc = pthread_create(&st->thread, NULL, watch_thread, st) == 0 ? 0 : -1;
    }
    if (rc == 0) {
        set->next_id++;
        set->all[set->n++] = st;
        *id = st->id;
    }
    pthread_mutex_unlock(&set->lock);
    if (rc != 0) {
        /* The callers' own streams fill the slots: a quota spent, not a server fault. */
        respond_error(r, 429, "too_many_streams", "%u streams are watched already",
                      set->s->config->max_streams);
        r->retry_after = 10;
        json_decref(st->events);
        jaga_ctx_free(st->ctx);
        free(st);
    }
    return rc;
}

static stream *find(stream_set *set, int64_t id)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->all[i]->id == id)
            return set->all[i];
    return NULL;
}

json_t *stream_json(stream_set *set, int64_t id)
{
    pthread_mutex_lock(&set->lock);
    stream *st = find(set, id);
    json_t *j = NULL;
    if (st) {
        char href[48];
        snprintf(href, sizeof(href), "/v1/streams/%lld", (long long)id);
        j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:I}", "id", (json_int_t)id, "href", href,
                      "url", st->req.url, "content_id", st->req.content_id, "state", st->state,
                      "started_at", (json_int_t)st->started_at, "ended_at",
                      (json_int_t)st->ended_at, "events", json_deep_copy(st->events),
                      "events_total", (json_int_t)st->events_total);
        if (st->done)
            json_object_set_new(j, "summary",
                                json_pack("{s:I,s:I,s:I,s:I}", "frames",
                                          (json_int_t)st->summary.info.frames, "frames_hashed",
                                          (json_int_t)st->summary.frames_hashed, "matches",
                                          (json_int_t)st->summary.matches, "explicit",
                                          (json_int_t)st->summary.explicit_events));
        if (st->error[0])
            json_object_set_new(j, "error", json_string(st->error));
    }
    pthread_mutex_unlock(&set->lock);
    return j;
}

int stream_stop(stream_set *set, int64_t id)
{
    pthread_mutex_lock(&set->lock);
    stream *st = find(set, id);
    if (st)
        st->stop = 1;
    pthread_mutex_unlock(&set->lock);
    return st ? 0 : -1;
}

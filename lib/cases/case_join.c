/* Cases opened and joined: one per content under review, its sources, its history. */
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases/case_internal.h"
#include "jaga/core.h"

int64_t jaga__review_now(const jaga_review *rv)
{
    return rv->now ? rv->now : (int64_t)time(NULL);
}

jaga_status jaga__review_transaction(jaga_ctx *ctx, const jaga_review *rv,
                                     jaga_status (*fn)(jaga_ctx *, const jaga_review *, void *),
                                     void *arg)
{
    jaga_status st = jaga_store_begin(rv->db, ctx);
    if (st == JAGA_OK)
        st = fn(ctx, rv, arg);
    if (st == JAGA_OK)
        st = jaga_store_commit(rv->db, ctx);
    if (st != JAGA_OK)
        jaga_store_rollback(rv->db);
    return st;
}

int64_t jaga__case_due(const jaga_case *c)
{
    if (c->first_review_at && !c->first_reviewed_at && c->first_review_at < c->deadline_at)
        return c->first_review_at;
    return c->deadline_at;
}

int64_t jaga__deadline_earliest(int64_t a, int64_t b)
{
    return !a ? b : !b ? a : a < b ? a : b;
}

jaga_status jaga__case_event(jaga_ctx *ctx, const jaga_review *rv, int64_t case_id,
                             const char *kind, const char *actor, const char *fmt, ...)
{
    jaga_case_event ev = {.case_id = case_id, .at = jaga__review_now(rv)};
    snprintf(ev.kind, sizeof(ev.kind), "%s", kind);
    snprintf(ev.actor, sizeof(ev.actor), "%s", actor);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ev.detail, sizeof(ev.detail), fmt, ap);
    va_end(ap);
    return jaga_store_case_event_add(rv->db, ctx, &ev);
}

void jaga__source_localise(const jaga_review *rv, jaga_case_source *src, const char *country)
{
    if (strcmp(src->jurisdiction, JAGA_EVERYWHERE) == 0 && country && country[0] && rv->policy)
        snprintf(src->jurisdiction, sizeof(src->jurisdiction), "%s",
                 jaga_policy_jurisdiction(rv->policy, country)->code);
}

static jaga_status open_case(jaga_ctx *ctx, const jaga_review *rv, const char *content_id,
                             const jaga_case_source *src, const char *language, jaga_case *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->content_id, sizeof(c->content_id), "%s", content_id);
    snprintf(c->jurisdiction, sizeof(c->jurisdiction), "%s", src->jurisdiction);
    snprintf(c->source, sizeof(c->source), "%s", src->ref);
    snprintf(c->reason, sizeof(c->reason), "%s", src->reason);
    snprintf(c->language, sizeof(c->language), "%s", language ? language : "");
    if (!c->language[0] && rv->policy) {
        const jaga_jurisdiction *j = jaga_policy_jurisdiction(rv->policy, src->jurisdiction);
        if (j->nlanguages)
            snprintf(c->language, sizeof(c->language), "%s", j->languages[0]);
    }
    jaga_route_case(rv->routing, c->jurisdiction, c->language, src->team, c->team, c->lead_team);
    c->priority = src->priority;
    c->first_review_at = src->first_review_at;
    c->deadline_at = src->deadline_at;
    c->due_at = jaga__case_due(c);
    c->machine_only = 1;
    c->opened_at = jaga__review_now(rv);
    jaga_status st = jaga_store_case_open(rv->db, ctx, c);
    if (st == JAGA_OK)
        st = jaga__case_event(ctx, rv, c->id, "opened", "jaga", "%s: team %s, due %lld", src->ref,
                              c->team, (long long)c->due_at);
    return st;
}

jaga_status jaga__case_join(jaga_ctx *ctx, const jaga_review *rv, const char *content_id,
                            jaga_case_source *src, const char *language, int person, int reports,
                            jaga_case *out)
{
    jaga_status st = jaga_store_case_active(rv->db, NULL, content_id, src->jurisdiction, out);
    int opened = st == JAGA_ERR_NOT_FOUND;
    if (opened)
        st = open_case(ctx, rv, content_id, src, language, out);
    if (st != JAGA_OK)
        return st;
    if (!opened) {
        out->priority = src->priority < out->priority ? src->priority : out->priority;
        out->first_review_at = jaga__deadline_earliest(out->first_review_at, src->first_review_at);
        out->deadline_at = jaga__deadline_earliest(out->deadline_at, src->deadline_at);
        out->due_at = jaga__case_due(out);
    }
    out->reports += reports;
    out->machine_only &= !person;
    src->case_id = out->id;
    src->added_at = jaga__review_now(rv);
    if ((st = jaga_store_case_source_add(rv->db, ctx, src)) != JAGA_OK ||
        (st = jaga_store_case_put(rv->db, ctx, out)) != JAGA_OK)
        return st;
    return opened ? JAGA_OK
                  : jaga__case_event(ctx, rv, out->id, "source", "jaga", "%s: due %lld", src->ref,
                                     (long long)out->due_at);
}

/* Whether a restriction like the one sought is in force. */
typedef struct same_seek {
    const jaga_restriction *want;
    int found;
} same_seek;

static int same_restriction(void *arg, const jaga_restriction *r)
{
    same_seek *s = arg;
    s->found = strcmp(r->scope, s->want->scope) == 0 && strcmp(r->source, s->want->source) == 0 &&
               r->visibility == s->want->visibility;
    return s->found;
}

jaga_status jaga__restrictions_store(jaga_ctx *ctx, jaga_store *db, jaga_restriction *r, size_t n,
                                     size_t *added)
{
    jaga_status st = JAGA_OK;
    *added = 0;
    for (size_t i = 0; st == JAGA_OK && i < n; i++) {
        same_seek seek = {.want = &r[i]};
        st = jaga_store_restrictions_each(db, ctx, r[i].content_id, same_restriction, &seek);
        if (st != JAGA_OK || seek.found)
            continue;
        st = jaga_store_restriction_add(db, ctx, &r[i]);
        if (st == JAGA_OK)
            r[(*added)++] = r[i];
    }
    return st;
}

json_t *jaga__case_summary(const jaga_case *c)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:i,s:I,s:I,s:i}", "id", (json_int_t)c->id, "content_id",
                     c->content_id, "jurisdiction", c->jurisdiction, "status", c->status, "team",
                     c->team, "priority", c->priority, "deadline_at", (json_int_t)c->deadline_at,
                     "first_review_at", (json_int_t)c->first_review_at, "breaches", c->breaches);
}

jaga_status jaga__webhook_queue(jaga_ctx *ctx, const jaga_review *rv, const char *event,
                                json_t *body)
{
    if (!rv->webhooks) {
        json_decref(body);
        return JAGA_OK;
    }
    jaga_delivery *d = calloc(1, sizeof(*d));
    unsigned char id[16];
    if (!d || !body || RAND_bytes(id, sizeof(id)) != 1) {
        free(d);
        json_decref(body);
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "webhook: no memory or no randomness");
    }
    for (size_t i = 0; i < sizeof(id); i++)
        snprintf(d->event_id + 2 * i, 3, "%02x", id[i]);
    snprintf(d->event, sizeof(d->event), "%s", event);
    json_object_set_new(body, "event", json_string(event));
    json_object_set_new(body, "event_id", json_string(d->event_id));
    json_object_set_new(body, "occurred_at", json_integer(jaga__review_now(rv)));
    char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(body);
    jaga_status st = text && strlen(text) < sizeof(d->body)
                         ? JAGA_OK
                         : jaga_fail(ctx, JAGA_ERR_LIMIT, "webhook: %s body too large", event);
    if (st == JAGA_OK) {
        memcpy(d->body, text, strlen(text) + 1);
        d->next_at = jaga__review_now(rv);
        st = jaga_store_delivery_add(rv->db, ctx, d);
    }
    free(text);
    free(d);
    return st;
}

jaga_status jaga_event_queue(jaga_ctx *ctx, const jaga_review *rv, const char *event,
                             const char *body_json)
{
    json_t *body = json_loads(body_json, 0, NULL);
    if (!json_is_object(body)) {
        json_decref(body);
        return jaga_fail(ctx, JAGA_ERR_INVALID, "webhook: %s body is no JSON object", event);
    }
    return jaga__webhook_queue(ctx, rv, event, body);
}

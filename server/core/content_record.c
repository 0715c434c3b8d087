#include "content_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *restriction_json(const jaga_restriction *r)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:I}", "id", (json_int_t)r->id, "scope",
                     r->scope, "visibility", jaga_visibility_name(r->visibility), "reason",
                     r->reason, "ground", r->ground_terms ? "terms" : "law", "legal", r->legal_id,
                     "source", r->source, "provisional", r->provisional, "automated", r->automated,
                     "created_at", (json_int_t)r->created_at);
}

static int collect_restriction(void *arg, const jaga_restriction *r)
{
    json_array_append_new(arg, restriction_json(r));
    return 0;
}

const char *case_status(const jaga_case *c, int64_t now)
{
    return jaga_case_waiting(c) && c->lease_until > now ? "claimed" : c->status;
}

json_t *case_json(const void *item)
{
    const jaga_case *c = item;
    int64_t now = (int64_t)time(NULL);
    json_t *j = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:i,s:b,s:i}", "id",
        (json_int_t)c->id, "content_id", c->content_id, "jurisdiction", c->jurisdiction, "source",
        c->source, "reason", c->reason, "language", c->language, "priority", c->priority, "team",
        c->team, "lead_team", c->lead_team, "status", case_status(c, now), "queue_status",
        c->status, "opened_at", (json_int_t)c->opened_at, "first_review_at",
        (json_int_t)c->first_review_at, "deadline_at", (json_int_t)c->deadline_at, "due_at",
        (json_int_t)c->due_at, "seconds_left", (json_int_t)(c->due_at - now), "first_reviewed_at",
        (json_int_t)c->first_reviewed_at, "reports", c->reports, "machine_only", c->machine_only,
        "breaches", c->breaches);
    if (c->lease_until > now) {
        json_object_set_new(j, "claimed_by", json_string(c->claimed_by));
        json_object_set_new(j, "lease_until", json_integer(c->lease_until));
    }
    if (c->decision_id) {
        json_object_set_new(j, "decision_id", json_integer(c->decision_id));
        json_object_set_new(j, "decided_by", json_string(c->decided_by));
        json_object_set_new(j, "decided_at", json_integer(c->decided_at));
    }
    return j;
}

json_t *content_record(jaga_store *db, const jaga_content *c)
{
    json_error_t err;
    json_t *matches = json_loads(c->matches_json ? c->matches_json : "[]", 0, &err);
    json_t *restrictions = json_array(), *cases = json_array();
    jaga_case *found = NULL;
    size_t n = 0;
    if (jaga_store_restrictions_each(db, NULL, c->content_id, collect_restriction, restrictions) !=
            JAGA_OK ||
        jaga_store_case_list(db, NULL, c->content_id, &found, &n) != JAGA_OK) {
        json_decref(matches), json_decref(restrictions), json_decref(cases);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        json_array_append_new(cases, case_json(&found[i]));
    free(found);
    json_t *scores = c->scores[0] ? json_loads(c->scores, 0, &err) : NULL;
    json_t *record = json_pack(
        "{s:s,s:s,s:s,s:s,s:{s:s,s:i,s:s,s:s,s:i,s:i,s:s},s:o,s:o,s:o,s:I}", "content_id",
        c->content_id, "media_url", c->media_url, "uploader_id", c->uploader_id, "uploader_country",
        c->uploader_country, "signals", "pdq", c->pdq, "quality", c->quality, "sha256", c->sha256,
        "md5", c->md5, "width", (int)c->width, "height", (int)c->height, "format", c->format,
        "matches", matches ? matches : json_array(), "restrictions", restrictions, "cases", cases,
        "scanned_at", (json_int_t)c->scanned_at);
    /* The classifier's scores, or null for a content scanned without it. */
    json_object_set_new(record, "classifier", scores ? scores : json_null());
    return record;
}

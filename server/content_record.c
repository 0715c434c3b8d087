#include "content_record.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ACTIONS_MAX = 64 };

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

static json_t *case_json(const jaga_case *c)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:i,s:I,s:s,s:s,s:I}", "id", (json_int_t)c->id,
                     "jurisdiction", c->jurisdiction, "source", c->source, "reason", c->reason,
                     "priority", c->priority, "deadline_at", (json_int_t)c->deadline_at, "team",
                     c->team, "status", c->status, "opened_at", (json_int_t)c->opened_at);
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
    return json_pack("{s:s,s:s,s:s,s:{s:s,s:i,s:s,s:s,s:i,s:i,s:s},s:o,s:o,s:o,s:I}", "content_id",
                     c->content_id, "uploader_id", c->uploader_id, "uploader_country",
                     c->uploader_country, "signals", "pdq", c->pdq, "quality", c->quality, "sha256",
                     c->sha256, "md5", c->md5, "width", (int)c->width, "height", (int)c->height,
                     "format", c->format, "matches", matches ? matches : json_array(),
                     "restrictions", restrictions, "cases", cases, "scanned_at",
                     (json_int_t)c->scanned_at);
}

/* The policy's view of the matches: bank names and verification from the matcher, labels
 * from the stored record's matches. */
static size_t policy_matches(server_state *s, const jaga_content *c, const jaga_match *m, size_t n,
                             json_t **doc, jaga_policy_match *out)
{
    json_error_t err;
    *doc = json_loads(c->matches_json, 0, &err);
    size_t k = 0;
    for (size_t i = 0; *doc && i < n && i < json_array_size(*doc); i++) {
        json_t *e = json_array_get(*doc, i);
        jaga_bank b;
        const char *bank = json_string_value(json_object_get(e, "bank"));
        const char *labels = json_string_value(json_object_get(e, "labels"));
        out[k++] = (jaga_policy_match){bank ? bank : "", labels ? labels : "",
                                       jaga_matcher_bank(s->matcher, m[i].bank_id, &b) == JAGA_OK &&
                                           b.verified};
    }
    return k;
}

jaga_status content_store(server_state *s, jaga_store *db, jaga_content *c,
                          const jaga_match *matches, size_t n)
{
    static __thread jaga_policy_match pm[1000];
    static __thread jaga_restriction restrictions[ACTIONS_MAX];
    static __thread jaga_case cases[ACTIONS_MAX];
    json_t *doc;
    jaga_policy_input in = {.matches = pm};
    in.nmatches = policy_matches(s, c, matches, n < 1000 ? n : 1000, &doc, pm);
    size_t nr, nc;
    jaga_policy_act(policy_acquire(s), c->content_id, &in, (int64_t)time(NULL), restrictions,
                    ACTIONS_MAX, &nr, cases, ACTIONS_MAX, &nc);
    policy_release(s);
    json_decref(doc);
    nr = nr < ACTIONS_MAX ? nr : ACTIONS_MAX;
    nc = nc < ACTIONS_MAX ? nc : ACTIONS_MAX;
    jaga_status st = jaga_store_begin(db, NULL);
    if (st == JAGA_OK)
        st = jaga_store_content_put(db, NULL, c);
    for (size_t i = 0; st == JAGA_OK && i < nr; i++)
        st = jaga_store_restriction_add(db, NULL, &restrictions[i]);
    for (size_t i = 0; st == JAGA_OK && i < nc; i++)
        st = jaga_store_case_open(db, NULL, &cases[i]);
    if (st == JAGA_OK)
        st = jaga_store_commit(db, NULL);
    if (st != JAGA_OK) {
        jaga_store_rollback(db);
        return st;
    }
    for (size_t i = 0; st == JAGA_OK && i < nr; i++)
        st = jaga_visibility_map_add(s->visibility, NULL, &restrictions[i]);
    return st;
}

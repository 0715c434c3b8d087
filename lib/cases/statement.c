/* Statements of reasons: what a decision did, on what ground, how it was detected, in the
 * fields of the DSA Transparency Database (Art. 17 and 24(5) DSA). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases/case_internal.h"
#include "jaga/core.h"

/* The EEA, where a removal everywhere applies for the Transparency Database. */
static const char *const eea[] = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI",
                                  "FR", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU",
                                  "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"};

static const char *dsa_visibility(jaga_visibility v)
{
    return v == JAGA_VIS_REMOVED    ? "DECISION_VISIBILITY_CONTENT_REMOVED"
           : v == JAGA_VIS_WITHHELD ? "DECISION_VISIBILITY_CONTENT_DISABLED"
           : v == JAGA_VIS_AGE_GATE ? "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED"
                                    : "DECISION_VISIBILITY_OTHER";
}

static void date_of(int64_t t, char out[16])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

static int in_eea(const char *country)
{
    for (size_t i = 0; i < sizeof(eea) / sizeof(eea[0]); i++)
        if (strcmp(eea[i], country) == 0)
            return 1;
    return 0;
}

static void add_eea(json_t *list, const char *country)
{
    for (size_t i = 0; i < json_array_size(list); i++)
        if (strcmp(json_string_value(json_array_get(list, i)), country) == 0)
            return;
    if (in_eea(country))
        json_array_append_new(list, json_string(country));
}

/* Where a restriction applies within the EEA (the DSA's reach), from the places it names
 * (comma-separated countries or jurisdiction codes; "" or "*" everywhere): the EEA members
 * among them and among the countries of the jurisdictions named. Empty for one outside it (no
 * statement is due to the Transparency Database then). */
static json_t *territory(const jaga_policy *policy, const char *places)
{
    json_t *list = json_array();
    if (!places[0] || strcmp(places, JAGA_EVERYWHERE) == 0) {
        for (size_t i = 0; i < sizeof(eea) / sizeof(eea[0]); i++)
            json_array_append_new(list, json_string(eea[i]));
        return list;
    }
    char copy[128], *save = NULL;
    snprintf(copy, sizeof(copy), "%s", places);
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        add_eea(list, t);
        const jaga_jurisdiction *j = jaga_policy_jurisdiction(policy, t);
        for (size_t i = 0; strcmp(j->code, t) == 0 && i < j->ncountries; i++)
            add_eea(list, j->countries[i]);
    }
    return list;
}

/* text cut to at most max bytes on a UTF-8 character boundary: the database's length limits
 * (e.g. 500 for grounds, 2000 for explanations, 5000 for facts). */
static json_t *limited(const char *text, size_t max)
{
    size_t len = strlen(text);
    if (len > max) {
        len = max;
        while (len && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    return json_stringn(text, len);
}

/* The statement's platform unique id: the case and the decision's number on it, which no
 * other statement of this jaga has, in the characters the database accepts. */
static jaga_status statement_puid(jaga_ctx *ctx, const jaga_review *rv, const jaga_case *c,
                                  char out[48])
{
    jaga_decision *list = NULL;
    size_t n = 0;
    jaga_status st = jaga_store_decisions(rv->db, ctx, c->id, &list, &n);
    free(list);
    snprintf(out, 48, "jaga-%lld-%zu", (long long)c->id, n + 1);
    return st;
}

int jaga__machine_rule(const jaga_policy *policy, const char *id)
{
    size_t n;
    const jaga_rule *rules = jaga_policy_rules(policy, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(rules[i].id, id) == 0)
            return rules[i].when == JAGA_WHEN_BANK || rules[i].when == JAGA_WHEN_BANK_LABEL ||
                   rules[i].when == JAGA_WHEN_CLASSIFIER;
    return 0;
}

/* How the case came: a trusted flagger, a notice from a person (Art. 16), an authority's
 * order, or the platform's own initiative; and whether machines detected it. */
static jaga_status origins(jaga_ctx *ctx, const jaga_review *rv, const jaga_case *c,
                           const char **source_type, int *automated_detection)
{
    jaga_case_source *src = NULL;
    jaga_report *reports = NULL;
    size_t ns = 0, nr = 0;
    jaga_status st = jaga_store_case_sources(rv->db, ctx, c->id, &src, &ns);
    if (st == JAGA_OK)
        st = jaga_store_reports(rv->db, ctx, c->id, &reports, &nr);
    int trusted = 0, notice = 0, machine = 0;
    for (size_t i = 0; i < nr; i++)
        trusted |= reports[i].trusted_flagger;
    for (size_t i = 0; i < ns; i++) {
        notice |= strncmp(src[i].ref, "notice:", 7) == 0;
        machine |=
            strncmp(src[i].ref, "rule:", 5) == 0 && jaga__machine_rule(rv->policy, src[i].ref + 5);
    }
    *source_type = trusted  ? "SOURCE_TRUSTED_FLAGGER"
                   : nr     ? "SOURCE_ARTICLE_16"
                   : notice ? "SOURCE_TYPE_OTHER_NOTIFICATION"
                            : "SOURCE_VOLUNTARY";
    *automated_detection = machine;
    free(src);
    free(reports);
    return st;
}

jaga_status jaga__statement_content(jaga_ctx *ctx, const jaga_review *rv, const char *content_id,
                                    jaga_content *out, int *scanned)
{
    memset(out, 0, sizeof(*out));
    jaga_status st = jaga_store_content_get(rv->db, NULL, content_id, out);
    jaga_content_clear(out);
    *scanned = st == JAGA_OK;
    if (st == JAGA_ERR_NOT_FOUND || st == JAGA_OK)
        return JAGA_OK;
    return jaga_fail(ctx, st, "statement: reading content %s", content_id);
}

/* The content's type and date as jaga scanned it; for content never scanned, "other" said
 * to be unknown and no date: nothing jaga does not know. */
static void content_facts(const jaga_content *c, json_t *s)
{
    static const char *const videos[] = {"mp4", "mkv", "ts", "avi", "flv", "video", "live"};
    if (!c) {
        json_object_set_new(s, "content_type", json_pack("[s]", "CONTENT_TYPE_OTHER"));
        json_object_set_new(s, "content_type_other",
                            json_string("unknown: the content was never scanned by jaga"));
        return;
    }
    int video = 0;
    for (size_t i = 0; i < sizeof(videos) / sizeof(videos[0]); i++)
        video |= strcmp(c->format, videos[i]) == 0;
    char date[16];
    date_of(c->scanned_at, date);
    json_object_set_new(s, "content_type",
                        json_pack("[s]", video ? "CONTENT_TYPE_VIDEO" : "CONTENT_TYPE_IMAGE"));
    json_object_set_new(s, "content_date", json_string(date));
}

jaga_status jaga__statement_make(jaga_ctx *ctx, const jaga_review *rv, const statement_facts *f,
                                 char out[JAGA_STATEMENT_MAX])
{
    char applied[16];
    date_of(f->applied_at, applied);
    json_t *where = territory(rv->policy, f->places);
    int due = json_array_size(where) > 0;
    json_t *s = json_pack(
        "{s:[s],s:s,s:s,s:s,s:o,s:o,s:s,s:s}", "decision_visibility", dsa_visibility(f->visibility),
        "source_type", f->source_type, "automated_detection", f->automated_detection ? "Yes" : "No",
        "automated_decision", f->automated_decision, "territorial_scope", where, "decision_facts",
        limited(f->facts, 5000), "application_date", applied, "puid", f->puid);
    content_facts(f->scanned, s);
    if (f->visibility == JAGA_VIS_BLUR)
        json_object_set_new(s, "decision_visibility_other",
                            json_string("shown blurred behind an interstitial"));
    if (f->category) {
        json_object_set_new(s, "category", json_string(f->category->dsa_category));
        json_object_set_new(s, "category_specification",
                            json_pack("[s]", f->category->dsa_specification));
    }
    if (!f->ground_terms) {
        json_object_set_new(s, "decision_ground", json_string("DECISION_GROUND_ILLEGAL_CONTENT"));
        json_object_set_new(s, "illegal_content_legal_ground", limited(f->legal_citation, 500));
        json_object_set_new(s, "illegal_content_explanation", limited(f->facts, 2000));
    } else {
        json_object_set_new(s, "decision_ground",
                            json_string("DECISION_GROUND_INCOMPATIBLE_CONTENT"));
        json_object_set_new(
            s, "incompatible_content_ground",
            limited(f->category ? f->category->label : "the platform's terms", 500));
        json_object_set_new(s, "incompatible_content_explanation", limited(f->facts, 2000));
    }
    char *text = json_dumps(s, JSON_COMPACT);
    json_decref(s);
    jaga_status st = text && strlen(text) < JAGA_STATEMENT_MAX
                         ? JAGA_OK
                         : jaga_fail(ctx, JAGA_ERR_LIMIT, "statement of reasons too large");
    if (st == JAGA_OK)
        memcpy(out, text, strlen(text) + 1);
    free(text);
    if (st != JAGA_OK || !due)
        return st;
    jaga_statement *row = calloc(1, sizeof(*row));
    if (!row)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "statement: no memory");
    snprintf(row->puid, sizeof(row->puid), "%s", f->puid);
    snprintf(row->content_id, sizeof(row->content_id), "%s", f->content_id);
    row->made_at = f->applied_at;
    memcpy(row->body, out, strlen(out) + 1);
    st = jaga_store_statement_add(rv->db, ctx, row);
    free(row);
    return st;
}

jaga_status jaga__statement_write(jaga_ctx *ctx, const jaga_review *rv, const jaga_case *c,
                                  jaga_decision *d)
{
    const char *source_type = NULL;
    int detected = 0;
    char puid[48];
    jaga_content content;
    int scanned = 0;
    jaga_status st = origins(ctx, rv, c, &source_type, &detected);
    if (st == JAGA_OK)
        st = statement_puid(ctx, rv, c, puid);
    if (st == JAGA_OK)
        st = jaga__statement_content(ctx, rv, c->content_id, &content, &scanned);
    if (st != JAGA_OK)
        return st;
    const jaga_category *cat = jaga_category_find(d->category);
    const jaga_legal_ref *l = jaga_policy_legal(rv->policy, c->jurisdiction, d->legal_id);
    statement_facts f = {
        .visibility = jaga__action_visibility(d->action),
        .category = cat,
        .ground_terms = strcmp(d->ground, "law") != 0,
        .legal_citation = l ? l->citation : d->legal_id,
        .facts = d->note[0] ? d->note
                 : cat      ? cat->label
                            : d->action,
        .source_type = source_type,
        .automated_detection = detected,
        .automated_decision =
            detected ? "AUTOMATED_DECISION_PARTIALLY" : "AUTOMATED_DECISION_NOT_AUTOMATED",
        .places = d->countries,
        .content_id = c->content_id,
        .scanned = scanned ? &content : NULL,
        .applied_at = d->decided_at,
        .puid = puid,
    };
    return jaga__statement_make(ctx, rv, &f, d->statement);
}

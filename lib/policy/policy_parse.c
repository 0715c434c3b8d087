/* Policy documents: JSON read with jansson, every field checked, the first problem reported
 * as NAME:LINE: field: what is wrong. */
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/taxonomy.h"
#include "policy/policy_internal.h"
#include "jaga/core.h"

enum { JURISDICTIONS_MAX = 300, RULES_MAX = 1000, DEPTH = 8 };

static const char FORMAT[] = "jaga-policy-1";

/* Where the parser is: a path of keys and indexes, for messages. */
typedef struct parser {
    jaga_ctx *ctx;
    const char *name, *text;
    size_t len;
    const char *keys[DEPTH];
    long index[DEPTH]; /* -1 for a key */
    int depth;
} parser;

static void enter(parser *p, const char *key, long index)
{
    p->keys[p->depth] = key;
    p->index[p->depth] = index;
    p->depth++;
}

static void leave(parser *p)
{
    p->depth--;
}

/* Fails with "NAME:LINE: field: message" for the current path plus key (may be NULL). */
static jaga_status problem(parser *p, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static jaga_status problem(parser *p, const char *key, const char *fmt, ...)
{
    char locate[512] = "", field[512] = "";
    size_t ll = 0, fl = 0;
    for (int i = 0; i <= p->depth; i++) {
        const char *k = i < p->depth ? p->keys[i] : key;
        long index = i < p->depth ? p->index[i] : -1;
        if (i == p->depth && !key)
            break;
        if (index >= 0) {
            ll += (size_t)snprintf(locate + ll, sizeof(locate) - ll, "%s%ld", ll ? "/" : "", index);
            fl += (size_t)snprintf(field + fl, sizeof(field) - fl, "[%ld]", index);
        } else {
            ll += (size_t)snprintf(locate + ll, sizeof(locate) - ll, "%s%s", ll ? "/" : "", k);
            fl += (size_t)snprintf(field + fl, sizeof(field) - fl, "%s%s", fl ? "." : "", k);
        }
        ll = ll < sizeof(locate) ? ll : sizeof(locate) - 1;
        fl = fl < sizeof(field) ? fl : sizeof(field) - 1;
    }
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    return jaga_fail(p->ctx, JAGA_ERR_INVALID, "%s:%d: %s: %s", p->name,
                     jaga_json_line(p->text, p->len, locate), fl ? field : "(document)", message);
}

/* Refuses members other than the allowed ones (a NULL-terminated list). */
static jaga_status known_keys(parser *p, json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            return problem(p, key, "unknown field");
    }
    return JAGA_OK;
}

static jaga_status object(parser *p, json_t *v, const char *key)
{
    return json_is_object(v) ? JAGA_OK : problem(p, key, "must be an object");
}

/* A string member into out (cap bytes); absent: "" unless required. Control characters are
 * refused. */
static jaga_status text(parser *p, json_t *obj, const char *key, char *out, size_t cap,
                        int required)
{
    json_t *v = json_object_get(obj, key);
    out[0] = '\0';
    if (!v)
        return required ? problem(p, key, "is required") : JAGA_OK;
    if (!json_is_string(v))
        return problem(p, key, "must be a string");
    const char *s = json_string_value(v);
    if (strlen(s) >= cap)
        return problem(p, key, "is longer than %zu bytes", cap - 1);
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c < 0x20)
            return problem(p, key, "has a control character");
    if (required && !*s)
        return problem(p, key, "must not be empty");
    memcpy(out, s, strlen(s) + 1);
    return JAGA_OK;
}

/* A code: ASCII letters, digits, '_', '-', '.', '=' (ids, categories, teams, labels). */
static jaga_status code(parser *p, json_t *obj, const char *key, char *out, size_t cap,
                        int required)
{
    jaga_status st = text(p, obj, key, out, cap, required);
    for (const char *c = out; st == JAGA_OK && *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("_-.=", *c))
            st =
                problem(p, key, "\"%s\" may hold letters, digits, '_', '-', '.' and '=' only", out);
    return st;
}

static int country_code(const char *s)
{
    return strlen(s) == 2 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]);
}

jaga_status jaga_duration_parse(const char *s, int64_t *out)
{
    int64_t total = 0;
    if (!*s)
        return JAGA_ERR_INVALID;
    while (*s) {
        if (!isdigit((unsigned char)*s))
            return JAGA_ERR_INVALID;
        char *end;
        long long n = strtoll(s, &end, 10);
        int64_t unit = *end == 'd' ? 86400 : *end == 'h' ? 3600 : *end == 'm' ? 60 : *end == 's';
        if (!unit || n > 366LL * 86400)
            return JAGA_ERR_INVALID;
        total += n * unit;
        s = end + 1;
    }
    if (total <= 0 || total > 366LL * 86400)
        return JAGA_ERR_INVALID;
    *out = total;
    return JAGA_OK;
}

/* A duration member ("48h", "90m", "1h30m", "2d"); absent: *out unchanged unless
 * required. */
static jaga_status duration(parser *p, json_t *obj, const char *key, int64_t *out, int required)
{
    char s[32];
    jaga_status st = text(p, obj, key, s, sizeof(s), required);
    if (st != JAGA_OK || !s[0])
        return st;
    return jaga_duration_parse(s, out) == JAGA_OK
               ? JAGA_OK
               : problem(p, key, "\"%s\" is not a duration of 1s to 366d (e.g. 48h, 90m, 1h30m)",
                         s);
}

static jaga_status boolean(parser *p, json_t *obj, const char *key, int *out)
{
    json_t *v = json_object_get(obj, key);
    if (v && !json_is_boolean(v))
        return problem(p, key, "must be true or false");
    if (v)
        *out = json_is_true(v);
    return JAGA_OK;
}

static jaga_status number(parser *p, json_t *obj, const char *key, double lo, double hi,
                          double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return JAGA_OK;
    if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi)
        return problem(p, key, "must be a number from %g to %g", lo, hi);
    *out = json_number_value(v);
    return JAGA_OK;
}

/* An array member of at most max elements; absent: NULL (an error when required). */
static jaga_status array(parser *p, json_t *obj, const char *key, size_t max, int required,
                         json_t **out)
{
    json_t *v = *out = json_object_get(obj, key);
    if (!v)
        return required ? problem(p, key, "is required") : JAGA_OK;
    if (!json_is_array(v))
        return problem(p, key, "must be an array");
    if (json_array_size(v) > max)
        return problem(p, key, "has more than %zu elements", max);
    if (required && json_array_size(v) == 0)
        return problem(p, key, "must not be empty");
    return JAGA_OK;
}

/* A calendar date member, "YYYY-MM-DD"; absent: "". */
static jaga_status date(parser *p, json_t *obj, const char *key, char out[JAGA_POLICY_DATE_MAX])
{
    char s[16];
    jaga_status st = text(p, obj, key, s, sizeof(s), 0);
    int y, m, d;
    char end;
    if (st == JAGA_OK && s[0] &&
        (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || y < 1900 ||
         m < 1 || m > 12 || d < 1 || d > 31 || s[4] != '-' || s[7] != '-'))
        st = problem(p, key, "\"%s\" is not a date YYYY-MM-DD", s);
    if (st == JAGA_OK)
        snprintf(out, JAGA_POLICY_DATE_MAX, "%s", s);
    return st;
}

static jaga_status deadlines(parser *p, json_t *d, jaga_jurisdiction *j)
{
    static const char *const keys[] = {
        "acknowledge", "notice", "notice_urgent", "first_review_flagged", "report",
        "categories",  NULL};
    jaga_status st = object(p, d, "deadlines");
    enter(p, "deadlines", -1);
    if (st == JAGA_OK)
        st = known_keys(p, d, keys);
    if (st == JAGA_OK)
        st = duration(p, d, "acknowledge", &j->acknowledge_s, 1);
    if (st == JAGA_OK)
        st = duration(p, d, "notice", &j->notice_s, 1);
    j->notice_urgent_s = j->notice_s;
    j->flagged_first_review_s = 300;
    if (st == JAGA_OK)
        st = duration(p, d, "notice_urgent", &j->notice_urgent_s, 0);
    if (st == JAGA_OK)
        st = duration(p, d, "first_review_flagged", &j->flagged_first_review_s, 0);
    if (st == JAGA_OK)
        st = duration(p, d, "report", &j->report_s, 0);
    json_t *cats = json_object_get(d, "categories");
    if (st == JAGA_OK && cats && (st = object(p, cats, "categories")) == JAGA_OK) {
        enter(p, "categories", -1);
        const char *key;
        json_t *v;
        json_object_foreach(cats, key, v)
        {
            if (j->ncategories == JAGA_POLICY_CATEGORIES_MAX) {
                st = problem(p, key, "more than %d categories", JAGA_POLICY_CATEGORIES_MAX);
                break;
            }
            jaga_category_deadline *c = &j->categories[j->ncategories++];
            if (strlen(key) >= sizeof(c->category)) {
                st = problem(p, key, "category name too long");
                break;
            }
            strcpy(c->category, key);
            if (!jaga_category_find(key) && !jaga_category_group_known(key)) {
                st = problem(p, key, "is no report category or group (docs/reports.md)");
                break;
            }
            if ((st = duration(p, cats, key, &c->seconds, 1)) != JAGA_OK)
                break;
        }
        leave(p);
    }
    leave(p);
    return st;
}

static jaga_status legal_refs(parser *p, json_t *obj, jaga_jurisdiction *j)
{
    static const char *const keys[] = {"id", "citation", "source", "in_force", "note", NULL};
    json_t *refs;
    jaga_status st = array(p, obj, "legal", JAGA_POLICY_LEGAL_MAX, 0, &refs);
    for (size_t i = 0; st == JAGA_OK && refs && i < json_array_size(refs); i++) {
        json_t *r = json_array_get(refs, i);
        jaga_legal_ref *l = &j->legal[j->nlegal++];
        enter(p, "legal", -1);
        enter(p, NULL, (long)i);
        if ((st = object(p, r, NULL)) == JAGA_OK && (st = known_keys(p, r, keys)) == JAGA_OK &&
            (st = code(p, r, "id", l->id, sizeof(l->id), 1)) == JAGA_OK &&
            (st = text(p, r, "citation", l->citation, sizeof(l->citation), 1)) == JAGA_OK &&
            (st = text(p, r, "source", l->source, sizeof(l->source), 0)) == JAGA_OK &&
            (st = date(p, r, "in_force", l->in_force)) == JAGA_OK)
            st = text(p, r, "note", l->note, sizeof(l->note), 0);
        leave(p);
        leave(p);
    }
    return st;
}

/* The further countries of a union's jurisdiction: codes no jurisdiction read so far has. */
static jaga_status members(parser *p, const jaga_policy *pol, json_t *o, jaga_jurisdiction *j)
{
    json_t *cs;
    jaga_status st = array(p, o, "countries", JAGA_POLICY_MEMBERS_MAX, 0, &cs);
    for (size_t i = 0; st == JAGA_OK && cs && i < json_array_size(cs); i++) {
        const char *c = json_string_value(json_array_get(cs, i));
        if (!c || !country_code(c))
            st = problem(p, "countries", "element %zu is not an ISO 3166-1 alpha-2 code", i);
        else if (jaga_policy_knows(pol, c) || strcmp(c, j->code) == 0)
            st = problem(p, "countries", "%s answers to another jurisdiction already", c);
        for (size_t k = 0; st == JAGA_OK && k < j->ncountries; k++)
            if (strcmp(j->countries[k], c) == 0)
                st = problem(p, "countries", "%s is named twice", c);
        if (st == JAGA_OK)
            strcpy(j->countries[j->ncountries++], c);
    }
    return st;
}

static jaga_status jurisdiction(parser *p, const jaga_policy *pol, json_t *o, jaga_jurisdiction *j)
{
    static const char *const keys[] = {"code",      "countries", "name",      "regulator",
                                       "languages", "flagged",   "deadlines", "penalty",
                                       "legal",     "as_of",     "note",      NULL};
    jaga_status st = object(p, o, NULL);
    if (st == JAGA_OK)
        st = known_keys(p, o, keys);
    if (st == JAGA_OK && (st = text(p, o, "code", j->code, sizeof(j->code) + 1, 1)) == JAGA_OK &&
        !country_code(j->code))
        st = problem(p, "code", "\"%s\" is not an ISO 3166-1 alpha-2 code (two capitals)", j->code);
    if (st == JAGA_OK && jaga_policy_knows(pol, j->code))
        st = problem(p, "code", "%s is named twice", j->code);
    if (st == JAGA_OK)
        st = members(p, pol, o, j);
    if (st == JAGA_OK)
        st = text(p, o, "name", j->name, sizeof(j->name), 1);
    if (st == JAGA_OK)
        st = date(p, o, "as_of", j->as_of);
    if (st == JAGA_OK)
        st = text(p, o, "note", j->note, sizeof(j->note), 0);
    if (st == JAGA_OK)
        st = text(p, o, "regulator", j->regulator, sizeof(j->regulator), 0);
    json_t *langs;
    if (st == JAGA_OK)
        st = array(p, o, "languages", JAGA_POLICY_LANGS_MAX, 1, &langs);
    for (size_t i = 0; st == JAGA_OK && i < json_array_size(langs); i++) {
        const char *l = json_string_value(json_array_get(langs, i));
        if (!l || strlen(l) != 2 || !islower((unsigned char)l[0]) || !islower((unsigned char)l[1]))
            st = problem(p, "languages",
                         "element %zu is not an ISO 639-1 code (two lower-case "
                         "letters)",
                         i);
        else
            strcpy(j->languages[j->nlanguages++], l);
    }
    if (st == JAGA_OK)
        st = boolean(p, o, "flagged", &j->flagged);
    json_t *d = json_object_get(o, "deadlines");
    if (st == JAGA_OK)
        st = d ? deadlines(p, d, j) : problem(p, "deadlines", "is required");
    json_t *pen = json_object_get(o, "penalty");
    if (st == JAGA_OK && pen) {
        static const char *const pkeys[] = {"currency", "amount", NULL};
        enter(p, "penalty", -1);
        if ((st = object(p, pen, NULL)) == JAGA_OK && (st = known_keys(p, pen, pkeys)) == JAGA_OK &&
            (st = text(p, pen, "currency", j->penalty_currency, sizeof(j->penalty_currency) + 1,
                       1)) == JAGA_OK &&
            (strlen(j->penalty_currency) != 3 || !isupper((unsigned char)j->penalty_currency[0])))
            st = problem(p, "currency", "is an ISO 4217 code, e.g. MYR");
        if (st == JAGA_OK && !json_object_get(pen, "amount"))
            st = problem(p, "amount", "is required");
        if (st == JAGA_OK)
            st = number(p, pen, "amount", 0, 1e15, &j->penalty_amount);
        leave(p);
    }
    if (st == JAGA_OK)
        st = legal_refs(p, o, j);
    return st;
}

/* The rule's "when": exactly one signal. */
static jaga_status rule_when(parser *p, json_t *w, jaga_rule *r)
{
    static const char *const keys[] = {"bank",   "bank_label", "classifier", "min_score",
                                       "report", "notice",     NULL};
    static const char *const signals[] = {"bank", "bank_label", "classifier", "report", "notice"};
    jaga_status st = object(p, w, "when");
    enter(p, "when", -1);
    if (st == JAGA_OK)
        st = known_keys(p, w, keys);
    int found = 0;
    for (int s = 0; st == JAGA_OK && s < 5; s++) {
        if (!json_object_get(w, signals[s]))
            continue;
        if (found++)
            st = problem(p, signals[s], "a rule looks at one signal");
        r->when = (jaga_rule_signal)s;
        if (st == JAGA_OK && s == JAGA_WHEN_NOTICE && !json_is_true(json_object_get(w, "notice")))
            st = problem(p, "notice", "must be true");
        else if (st == JAGA_OK && s != JAGA_WHEN_NOTICE)
            st = text(p, w, signals[s], r->value, sizeof(r->value), 1);
    }
    if (st == JAGA_OK && !found)
        st = problem(p, NULL, "names no signal (bank, bank_label, classifier, report or notice)");
    if (st == JAGA_OK && r->when == JAGA_WHEN_REPORT && !jaga_category_find(r->value) &&
        !jaga_category_group_known(r->value))
        st = problem(p, "report", "\"%s\" is no report category or group (docs/reports.md)",
                     r->value);
    r->min_score = 0.5;
    if (st == JAGA_OK && json_object_get(w, "min_score") && r->when != JAGA_WHEN_CLASSIFIER)
        st = problem(p, "min_score", "belongs to classifier rules");
    if (st == JAGA_OK)
        st = number(p, w, "min_score", 0, 1, &r->min_score);
    leave(p);
    return st;
}

static jaga_status rule(parser *p, const jaga_policy *pol, json_t *o, jaga_rule *r)
{
    static const char *const keys[] = {"id",    "jurisdictions", "when",   "visibility", "ground",
                                       "legal", "reason",        "review", NULL};
    jaga_status st = object(p, o, NULL);
    if (st == JAGA_OK)
        st = known_keys(p, o, keys);
    if (st == JAGA_OK)
        st = code(p, o, "id", r->id, sizeof(r->id), 1);
    json_t *js;
    if (st == JAGA_OK)
        st = array(p, o, "jurisdictions", 16, 0, &js);
    for (size_t i = 0; st == JAGA_OK && js && i < json_array_size(js); i++) {
        const char *c = json_string_value(json_array_get(js, i));
        if (!c || !jaga_policy_knows(pol, c) || strcmp(jaga_policy_jurisdiction(pol, c)->code, c))
            st = problem(p, "jurisdictions", "element %zu is not a jurisdiction of this policy", i);
        else
            strcpy(r->jurisdictions[r->njurisdictions++], c);
    }
    json_t *w = json_object_get(o, "when");
    if (st == JAGA_OK)
        st = w ? rule_when(p, w, r) : problem(p, "when", "is required");
    char vis[16], ground[8];
    if (st == JAGA_OK && (st = text(p, o, "visibility", vis, sizeof(vis), 1)) == JAGA_OK &&
        jaga_visibility_parse(vis, &r->visibility) != JAGA_OK)
        st = problem(p, "visibility", "is allow, blur, age_gate, withheld or removed");
    /* Zero trust: a classifier score or a report alone never removes content. */
    if (st == JAGA_OK && r->visibility == JAGA_VIS_REMOVED &&
        (r->when == JAGA_WHEN_CLASSIFIER || r->when == JAGA_WHEN_REPORT))
        st = problem(p, "visibility",
                     "machine signals and reports alone never remove content "
                     "(withheld at most, held for review)");
    if (st == JAGA_OK &&
        (st = text(p, o, "ground", ground, sizeof(ground), r->visibility != JAGA_VIS_ALLOW)) ==
            JAGA_OK &&
        ground[0] && strcmp(ground, "law") != 0 && strcmp(ground, "terms") != 0)
        st = problem(p, "ground", "is law or terms");
    r->ground_terms = strcmp(ground, "terms") == 0;
    if (st == JAGA_OK)
        st = code(p, o, "legal", r->legal_id, sizeof(r->legal_id), !r->ground_terms && ground[0]);
    if (st == JAGA_OK && r->legal_id[0] && !jaga_policy_legal(pol, NULL, r->legal_id))
        st = problem(p, "legal", "\"%s\" is no legal reference of this policy", r->legal_id);
    if (st == JAGA_OK)
        st = code(p, o, "reason", r->reason, sizeof(r->reason), 1);
    json_t *rev = json_object_get(o, "review");
    r->priority = 3;
    if (st == JAGA_OK && rev) {
        static const char *const rkeys[] = {"priority", "deadline", "team", NULL};
        double prio = 3;
        enter(p, "review", -1);
        r->review = 1;
        if ((st = object(p, rev, NULL)) == JAGA_OK && (st = known_keys(p, rev, rkeys)) == JAGA_OK &&
            (st = number(p, rev, "priority", 1, 5, &prio)) == JAGA_OK &&
            (st = duration(p, rev, "deadline", &r->review_deadline_s, 0)) == JAGA_OK)
            st = code(p, rev, "team", r->team, sizeof(r->team), 0);
        r->priority = (int)prio;
        leave(p);
    }
    /* Machine signals always go before a person. */
    if (st == JAGA_OK && !r->review && r->when == JAGA_WHEN_CLASSIFIER &&
        r->visibility != JAGA_VIS_ALLOW)
        st = problem(p, "review", "a classifier rule that acts must open a review case");
    return st;
}

/* The queue's times: how long a provisional action lasts unconfirmed, how long an appeal may
 * wait for its review. */
static jaga_status review_times(parser *p, json_t *obj, jaga_review_times *out)
{
    static const char *const keys[] = {"provisional_expiry", "appeal_deadline", NULL};
    out->provisional_expiry_s = 7 * 86400;
    out->appeal_deadline_s = 72 * 3600;
    if (!obj)
        return JAGA_OK;
    jaga_status st = object(p, obj, "review");
    enter(p, "review", -1);
    if (st == JAGA_OK)
        st = known_keys(p, obj, keys);
    if (st == JAGA_OK)
        st = duration(p, obj, "provisional_expiry", &out->provisional_expiry_s, 0);
    if (st == JAGA_OK)
        st = duration(p, obj, "appeal_deadline", &out->appeal_deadline_s, 0);
    leave(p);
    return st;
}

static jaga_status document(parser *p, json_t *root, jaga_policy *pol)
{
    static const char *const keys[] = {
        "format", "version",       "description", "default_jurisdiction",
        "review", "jurisdictions", "rules",       NULL};
    char format[32], description[1024], fallback[4];
    jaga_status st = json_is_object(root) ? known_keys(p, root, keys)
                                          : problem(p, NULL, "a policy is a JSON object");
    if (st == JAGA_OK && (st = text(p, root, "format", format, sizeof(format), 1)) == JAGA_OK &&
        strcmp(format, FORMAT) != 0)
        st = problem(p, "format", "\"%s\": this jaga reads \"%s\"", format, FORMAT);
    if (st == JAGA_OK)
        st = text(p, root, "version", pol->version, sizeof(pol->version), 1);
    if (st == JAGA_OK)
        st = text(p, root, "description", description, sizeof(description), 0);
    if (st == JAGA_OK)
        st = review_times(p, json_object_get(root, "review"), &pol->review);
    json_t *js, *rs;
    if (st == JAGA_OK)
        st = array(p, root, "jurisdictions", JURISDICTIONS_MAX, 1, &js);
    if (st == JAGA_OK &&
        !(pol->jurisdictions = calloc(json_array_size(js), sizeof(jaga_jurisdiction))))
        st = jaga_fail(p->ctx, JAGA_ERR_NOMEM, "policy: no memory");
    for (size_t i = 0; st == JAGA_OK && i < json_array_size(js); i++) {
        enter(p, "jurisdictions", -1);
        enter(p, NULL, (long)i);
        jaga_jurisdiction *j = &pol->jurisdictions[i];
        st = jurisdiction(p, pol, json_array_get(js, i), j);
        if (st == JAGA_OK)
            pol->njurisdictions++;
        leave(p);
        leave(p);
    }
    if (st == JAGA_OK &&
        (st = text(p, root, "default_jurisdiction", fallback, sizeof(fallback), 1)) == JAGA_OK &&
        (!jaga_policy_knows(pol, fallback) ||
         strcmp(jaga_policy_jurisdiction(pol, fallback)->code, fallback) != 0))
        st = problem(p, "default_jurisdiction", "%s is not one of the jurisdictions", fallback);
    for (size_t i = 0; st == JAGA_OK && i < pol->njurisdictions; i++)
        if (strcmp(pol->jurisdictions[i].code, fallback) == 0)
            pol->fallback = i;
    if (st == JAGA_OK)
        st = array(p, root, "rules", RULES_MAX, 0, &rs);
    if (st == JAGA_OK && rs && json_array_size(rs) &&
        !(pol->rules = calloc(json_array_size(rs), sizeof(jaga_rule))))
        st = jaga_fail(p->ctx, JAGA_ERR_NOMEM, "policy: no memory");
    for (size_t i = 0; st == JAGA_OK && rs && i < json_array_size(rs); i++) {
        enter(p, "rules", -1);
        enter(p, NULL, (long)i);
        st = rule(p, pol, json_array_get(rs, i), &pol->rules[i]);
        for (size_t k = 0; st == JAGA_OK && k < i; k++)
            if (strcmp(pol->rules[k].id, pol->rules[i].id) == 0)
                st = problem(p, "id", "%s is named twice", pol->rules[i].id);
        if (st == JAGA_OK)
            pol->nrules++;
        leave(p);
        leave(p);
    }
    return st;
}

jaga_status jaga_policy_parse(jaga_ctx *ctx, const char *name, const char *text, size_t len,
                              jaga_policy **out)
{
    *out = NULL;
    if (len > JAGA_POLICY_BYTES_MAX)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "%s: over %u bytes", name, JAGA_POLICY_BYTES_MAX);
    json_error_t err;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "%s:%d: %s", name, err.line, err.text);
    jaga_policy *pol = calloc(1, sizeof(*pol));
    parser p = {.ctx = ctx, .name = name, .text = text, .len = len};
    jaga_status st = pol ? document(&p, root, pol) : jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory");
    json_decref(root);
    if (st != JAGA_OK) {
        jaga_policy_free(pol);
        return st;
    }
    *out = pol;
    return JAGA_OK;
}

jaga_status jaga_policy_load(jaga_ctx *ctx, const char *path, jaga_policy **out)
{
    void *text;
    size_t len;
    *out = NULL;
    jaga_status st = jaga_file_read(ctx, path, JAGA_POLICY_BYTES_MAX, &text, &len);
    if (st != JAGA_OK)
        return st;
    st = jaga_policy_parse(ctx, path, text, len, out);
    free(text);
    return st;
}

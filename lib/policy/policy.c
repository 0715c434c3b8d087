/* Policies once loaded: lookups and decisions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/taxonomy.h"
#include "policy/policy_internal.h"

static const char *const visibility_names[JAGA_VIS_COUNT] = {"allow", "blur", "age_gate",
                                                             "withheld", "removed"};

const char *jaga_visibility_name(jaga_visibility v)
{
    return v < JAGA_VIS_COUNT ? visibility_names[v] : "unknown";
}

jaga_status jaga_visibility_parse(const char *text, jaga_visibility *out)
{
    for (int v = 0; v < JAGA_VIS_COUNT; v++)
        if (strcmp(text, visibility_names[v]) == 0) {
            *out = (jaga_visibility)v;
            return JAGA_OK;
        }
    return JAGA_ERR_INVALID;
}

void jaga_policy_free(jaga_policy *p)
{
    if (!p)
        return;
    free(p->jurisdictions);
    free(p->rules);
    free(p);
}

const char *jaga_policy_version(const jaga_policy *p)
{
    return p->version;
}

static const jaga_jurisdiction *find(const jaga_policy *p, const char *code)
{
    for (size_t i = 0; code && i < p->njurisdictions; i++) {
        const jaga_jurisdiction *j = &p->jurisdictions[i];
        if (strcmp(j->code, code) == 0)
            return j;
        for (size_t k = 0; k < j->ncountries; k++)
            if (strcmp(j->countries[k], code) == 0)
                return j;
    }
    return NULL;
}

int jaga_policy_knows(const jaga_policy *p, const char *code)
{
    return find(p, code) != NULL;
}

const jaga_jurisdiction *jaga_policy_jurisdiction(const jaga_policy *p, const char *code)
{
    const jaga_jurisdiction *j = find(p, code);
    return j ? j : &p->jurisdictions[p->fallback];
}

const jaga_legal_ref *jaga_policy_legal(const jaga_policy *p, const char *jurisdiction,
                                        const char *id)
{
    const jaga_legal_ref *any = NULL;
    for (size_t i = 0; id && id[0] && i < p->njurisdictions; i++)
        for (size_t k = 0; k < p->jurisdictions[i].nlegal; k++)
            if (strcmp(p->jurisdictions[i].legal[k].id, id) == 0) {
                if (jurisdiction && strcmp(p->jurisdictions[i].code, jurisdiction) == 0)
                    return &p->jurisdictions[i].legal[k];
                any = any ? any : &p->jurisdictions[i].legal[k];
            }
    return any;
}

const jaga_jurisdiction *jaga_policy_jurisdictions(const jaga_policy *p, size_t *n)
{
    *n = p->njurisdictions;
    return p->jurisdictions;
}

const jaga_rule *jaga_policy_rules(const jaga_policy *p, size_t *n)
{
    *n = p->nrules;
    return p->rules;
}

/* Whether a rule applies to viewers in the jurisdiction j. */
static int applies(const jaga_rule *r, const jaga_jurisdiction *j)
{
    if (!r->njurisdictions)
        return 1;
    for (size_t i = 0; i < r->njurisdictions; i++)
        if (strcmp(r->jurisdictions[i], j->code) == 0)
            return 1;
    return 0;
}

/* Whether a ';'-separated label list holds label exactly. */
static int has_label(const char *labels, const char *label)
{
    size_t n = strlen(label);
    for (const char *l = labels; l && *l;) {
        const char *end = strchr(l, ';');
        size_t len = end ? (size_t)(end - l) : strlen(l);
        if (len == n && memcmp(l, label, n) == 0)
            return 1;
        l = end ? end + 1 : NULL;
    }
    return 0;
}

/* Whether the rule fires on the input; *verified says whether it fired on a match in a
 * verified bank (the one signal that may act without a person). */
static int fires(const jaga_rule *r, const jaga_policy_input *in, int *verified)
{
    *verified = 0;
    int hit = 0;
    switch (r->when) {
    case JAGA_WHEN_BANK:
    case JAGA_WHEN_BANK_LABEL:
        for (size_t i = 0; i < in->nmatches; i++) {
            const jaga_policy_match *m = &in->matches[i];
            if (r->when == JAGA_WHEN_BANK ? strcmp(m->bank, r->value) == 0
                                          : has_label(m->labels, r->value)) {
                hit = 1;
                *verified |= m->verified;
            }
        }
        break;
    case JAGA_WHEN_CLASSIFIER:
        for (size_t i = 0; i < in->nscores; i++)
            hit |= strcmp(in->scores[i].name, r->value) == 0 && in->scores[i].score >= r->min_score;
        break;
    case JAGA_WHEN_REPORT:
        for (size_t i = 0; i < in->nreports; i++) {
            const jaga_category *c = jaga_category_find(in->reports[i]);
            hit |= strcmp(in->reports[i], r->value) == 0 || (c && strcmp(c->group, r->value) == 0);
        }
        break;
    case JAGA_WHEN_NOTICE:
        hit = in->notice;
        break;
    }
    return hit;
}

void jaga_policy_decide(const jaga_policy *p, const char *country, const jaga_policy_input *in,
                        jaga_verdict *out)
{
    memset(out, 0, sizeof(*out));
    out->priority = 5;
    const jaga_jurisdiction *j = jaga_policy_jurisdiction(p, country);
    int acted_verified = 0;
    for (size_t i = 0; i < p->nrules; i++) {
        const jaga_rule *r = &p->rules[i];
        int verified;
        if (!applies(r, j) || !fires(r, in, &verified))
            continue;
        if (r->visibility > out->visibility) {
            out->visibility = r->visibility;
            out->rule = r;
            acted_verified = verified;
        }
        if (r->review || !verified) {
            int64_t deadline = r->review_deadline_s ? r->review_deadline_s : j->notice_s;
            if (!out->review || deadline < out->review_deadline_s) {
                out->review_deadline_s = deadline;
                memcpy(out->team, r->team, sizeof(out->team));
            }
            if (r->priority < out->priority)
                out->priority = r->priority;
            out->review = out->review || r->review || r->visibility != JAGA_VIS_ALLOW;
        }
    }
    if (out->visibility != JAGA_VIS_ALLOW) {
        out->automated = acted_verified;
        out->provisional = !acted_verified;
        /* Only a verified bank removes without a person; anything else is held. */
        if (out->provisional && out->visibility == JAGA_VIS_REMOVED)
            out->visibility = JAGA_VIS_WITHHELD;
        out->review |= out->provisional; /* a provisional action always goes before a person */
    }
    if (!out->review)
        out->priority = 0, out->review_deadline_s = 0, out->team[0] = '\0';
}

/* Appends one restriction and, when due, one case source for rule r in scope. */
static void act_in(const jaga_policy *p, const jaga_rule *r, const char *scope, int verified,
                   const char *content_id, int64_t now, jaga_restriction *out, size_t rcap,
                   size_t *nr, jaga_case_source *src, size_t scap, size_t *ns)
{
    int provisional = !verified && r->visibility != JAGA_VIS_ALLOW;
    if (r->visibility != JAGA_VIS_ALLOW) {
        if (*nr < rcap) {
            jaga_restriction *x = &out[*nr];
            memset(x, 0, sizeof(*x));
            snprintf(x->content_id, sizeof(x->content_id), "%s", content_id);
            snprintf(x->scope, sizeof(x->scope), "%s", scope);
            x->visibility = provisional && r->visibility == JAGA_VIS_REMOVED ? JAGA_VIS_WITHHELD
                                                                             : r->visibility;
            snprintf(x->reason, sizeof(x->reason), "%s", r->reason);
            snprintf(x->legal_id, sizeof(x->legal_id), "%s", r->legal_id);
            snprintf(x->source, sizeof(x->source), "rule:%s", r->id);
            x->ground_terms = r->ground_terms;
            x->provisional = provisional;
            x->automated = !provisional;
            x->expires_at = provisional ? now + p->review.provisional_expiry_s : 0;
        }
        (*nr)++;
    }
    if (!r->review && !provisional)
        return;
    if (*ns < scap) {
        const jaga_jurisdiction *j = jaga_policy_jurisdiction(p, scope);
        jaga_case_source *k = &src[*ns];
        memset(k, 0, sizeof(*k));
        snprintf(k->jurisdiction, sizeof(k->jurisdiction), "%s", scope);
        snprintf(k->ref, sizeof(k->ref), "rule:%s", r->id);
        snprintf(k->reason, sizeof(k->reason), "%s", r->reason);
        k->priority = r->priority;
        k->deadline_at = now + (r->review_deadline_s ? r->review_deadline_s : j->notice_s);
        snprintf(k->team, sizeof(k->team), "%s", r->team);
    }
    (*ns)++;
}

void jaga_policy_act(const jaga_policy *p, const char *content_id, const jaga_policy_input *in,
                     int64_t now, jaga_restriction *r, size_t rcap, size_t *nr,
                     jaga_case_source *src, size_t scap, size_t *ns)
{
    *nr = *ns = 0;
    for (size_t i = 0; i < p->nrules; i++) {
        const jaga_rule *rule = &p->rules[i];
        int verified;
        if (!fires(rule, in, &verified))
            continue;
        if (!rule->njurisdictions)
            act_in(p, rule, JAGA_EVERYWHERE, verified, content_id, now, r, rcap, nr, src, scap, ns);
        for (size_t k = 0; k < rule->njurisdictions; k++)
            act_in(p, rule, rule->jurisdictions[k], verified, content_id, now, r, rcap, nr, src,
                   scap, ns);
    }
}

const jaga_review_times *jaga_policy_review(const jaga_policy *p)
{
    return &p->review;
}

int64_t jaga_policy_category_deadline(const jaga_jurisdiction *j, const char *category)
{
    const jaga_category *c = jaga_category_find(category);
    for (size_t i = 0; i < j->ncategories; i++)
        if (strcmp(j->categories[i].category, category) == 0)
            return j->categories[i].seconds;
    for (size_t i = 0; c && i < j->ncategories; i++)
        if (strcmp(j->categories[i].category, c->group) == 0)
            return j->categories[i].seconds;
    return 0;
}

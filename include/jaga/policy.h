/*
 * Policies: the jurisdictions an operator answers to (deadlines, penalties, legal
 * references, whether a region is flagged for heightened enforcement) and the rules that
 * map signals to a visibility per country and to a human-review case. Data, not code: a
 * versioned JSON document (docs/policy.md), checked whole at load, every problem reported
 * as FILE:LINE: field: what is wrong.
 *
 * A loaded policy is immutable: any number of threads may read it; a reload builds a new
 * one and swaps it in.
 */
#ifndef JAGA_POLICY_H
#define JAGA_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/restriction.h"
#include "jaga/status.h"
#include "jaga/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Policy documents are small; larger ones are refused. */
#define JAGA_POLICY_BYTES_MAX (1u << 20)

enum {
    JAGA_POLICY_LANGS_MAX = 8,
    JAGA_POLICY_LEGAL_MAX = 16,
    JAGA_POLICY_CATEGORIES_MAX = 32,
    JAGA_POLICY_CODE_MAX = 48, /* ids, categories, teams, reason codes, with the NUL */
    JAGA_POLICY_TEXT_MAX = 256,
    JAGA_POLICY_MEMBERS_MAX = 32, /* countries of a jurisdiction beyond its own code */
    JAGA_POLICY_DATE_MAX = 11     /* "YYYY-MM-DD" with the NUL */
};

typedef struct jaga_legal_ref {
    char id[JAGA_POLICY_CODE_MAX];         /* how rules and notices cite it, e.g. "MY-CMA-233" */
    char citation[JAGA_POLICY_TEXT_MAX];   /* "Communications and Multimedia Act 1998, s.233" */
    char source[2 * JAGA_POLICY_TEXT_MAX]; /* where the figure comes from */
    char in_force[JAGA_POLICY_DATE_MAX];   /* since when it applies, or "" */
    char note[2 * JAGA_POLICY_TEXT_MAX];   /* what could not be confirmed, what jaga leaves out */
} jaga_legal_ref;

typedef struct jaga_category_deadline {
    char category[JAGA_POLICY_CODE_MAX];
    int64_t seconds;
} jaga_category_deadline;

typedef struct jaga_jurisdiction {
    char code[3]; /* ISO 3166-1 alpha-2; the default jurisdiction has its own, e.g. "ZZ" */
    /* Further countries that answer to it (a union such as the EU: "EU" with its members). */
    char countries[JAGA_POLICY_MEMBERS_MAX][3];
    size_t ncountries;
    char name[JAGA_POLICY_CODE_MAX * 2];
    char regulator[JAGA_POLICY_CODE_MAX * 2];
    char languages[JAGA_POLICY_LANGS_MAX][4]; /* ISO 639-1, the first preferred */
    size_t nlanguages;
    int flagged; /* heightened enforcement: first review of deepfake reports within
                    flagged_first_review_s */
    int64_t acknowledge_s, notice_s, notice_urgent_s, flagged_first_review_s;
    int64_t report_s; /* a user report's final deadline where its category has none; 0: notice_s */
    jaga_category_deadline categories[JAGA_POLICY_CATEGORIES_MAX]; /* per report category */
    size_t ncategories;
    char penalty_currency[4]; /* ISO 4217; "" when none is set */
    double penalty_amount;    /* per breach */
    jaga_legal_ref legal[JAGA_POLICY_LEGAL_MAX];
    size_t nlegal;
    char as_of[JAGA_POLICY_DATE_MAX];    /* when its figures were last checked against sources */
    char note[2 * JAGA_POLICY_TEXT_MAX]; /* e.g. figures that could not be confirmed */
} jaga_jurisdiction;

/* What a rule looks at. */
typedef enum jaga_rule_signal {
    JAGA_WHEN_BANK,       /* a match in the bank named value */
    JAGA_WHEN_BANK_LABEL, /* a match whose entry labels hold value, e.g. "category=ncii" */
    JAGA_WHEN_CLASSIFIER, /* a classifier score for value at or above min_score */
    JAGA_WHEN_REPORT,     /* a user report of category value */
    JAGA_WHEN_NOTICE      /* an item of a regulator notice of the jurisdiction */
} jaga_rule_signal;

typedef struct jaga_rule {
    char id[JAGA_POLICY_CODE_MAX];
    char jurisdictions[16][3]; /* where it applies; none: everywhere */
    size_t njurisdictions;
    jaga_rule_signal when;
    char value[JAGA_POLICY_TEXT_MAX];
    double min_score;
    jaga_visibility visibility;
    int ground_terms;                    /* 1: the platform's terms; 0: the law (legal_id) */
    char legal_id[JAGA_POLICY_CODE_MAX]; /* a legal reference of the jurisdiction, or "" */
    char reason[JAGA_POLICY_CODE_MAX];   /* the reason code viewers and platforms see */
    int review;                          /* opens a human-review case */
    int priority;                        /* 1 (most urgent) .. 5 */
    int64_t review_deadline_s;           /* 0: the jurisdiction's default */
    char team[JAGA_POLICY_CODE_MAX];
} jaga_rule;

typedef struct jaga_policy jaga_policy;

/* The review queue's times ("review" in the document). */
typedef struct jaga_review_times {
    int64_t provisional_expiry_s; /* a provisional action ends unconfirmed after it (7d) */
    int64_t appeal_deadline_s;    /* an appeal is reviewed within it (72h) */
} jaga_review_times;

/* "48h", "90m", "1h30m", "2d", "30s" into seconds (1 s .. 366 d). JAGA_OK or
 * JAGA_ERR_INVALID. */
jaga_status jaga_duration_parse(const char *text, int64_t *out);

/* Parses and checks a policy document; name labels it in messages ("FILE:LINE: field:
 * problem", the first problem found). JAGA_ERR_INVALID (or JAGA_ERR_LIMIT over the size or
 * count limits) leaves *out NULL. Free with jaga_policy_free(). */
jaga_status jaga_policy_parse(jaga_ctx *ctx, const char *name, const char *text, size_t len,
                              jaga_policy **out);

/* The same from a file (at most JAGA_POLICY_BYTES_MAX bytes). */
jaga_status jaga_policy_load(jaga_ctx *ctx, const char *path, jaga_policy **out);

void jaga_policy_free(jaga_policy *policy);

/* The document's own version label, e.g. "2026-11-default". */
const char *jaga_policy_version(const jaga_policy *policy);

/* The jurisdiction of a country code (its own code, or a member of its countries), or the
 * default one for codes the policy does not name (never NULL). */
const jaga_jurisdiction *jaga_policy_jurisdiction(const jaga_policy *policy, const char *code);

/* Whether the policy names that code itself, as a jurisdiction or a member of one (not by
 * falling back to the default). */
int jaga_policy_knows(const jaga_policy *policy, const char *code);

/* The legal reference with that id: the jurisdiction's own when it has one (jurisdiction
 * may be NULL), else the first of any jurisdiction; NULL when none has it. */
const jaga_legal_ref *jaga_policy_legal(const jaga_policy *policy, const char *jurisdiction,
                                        const char *id);

const jaga_review_times *jaga_policy_review(const jaga_policy *policy);

/* The deadline for a report of category (a code of jaga/taxonomy.h) in jurisdiction j: its
 * own, else its group's, else 0. */
int64_t jaga_policy_category_deadline(const jaga_jurisdiction *j, const char *category);

/* Every jurisdiction, the default included; and every rule. */
const jaga_jurisdiction *jaga_policy_jurisdictions(const jaga_policy *policy, size_t *n);
const jaga_rule *jaga_policy_rules(const jaga_policy *policy, size_t *n);

/* The signals of one content for a decision. */
typedef struct jaga_policy_match {
    const char *bank, *labels;
    int verified; /* the bank holds human-confirmed hashes */
} jaga_policy_match;

typedef struct jaga_policy_score {
    const char *name;
    double score;
} jaga_policy_score;

typedef struct jaga_policy_input {
    const jaga_policy_match *matches;
    size_t nmatches;
    const jaga_policy_score *scores;
    size_t nscores;
    const char *const *reports; /* categories of user reports */
    size_t nreports;
    int notice; /* the content is an item of a notice from this jurisdiction's regulator */
} jaga_policy_input;

typedef struct jaga_verdict {
    jaga_visibility visibility;
    const jaga_rule *rule; /* the rule that set the visibility; NULL for allow */
    /* Zero trust: anything but a match in a verified bank is provisional (reversible, to be
     * confirmed by a person); a verified-bank action is automated and says so. */
    int provisional, automated;
    int review; /* a human-review case is due */
    int priority;
    int64_t review_deadline_s;
    char team[JAGA_POLICY_CODE_MAX];
} jaga_verdict;

/* The verdict for viewers in country: the most severe visibility of the rules that apply
 * there and fire (the first such rule on ties), and the review case they ask for (the
 * earliest deadline, the most urgent priority). */
void jaga_policy_decide(const jaga_policy *policy, const char *country, const jaga_policy_input *in,
                        jaga_verdict *out);

/*
 * What a policy does to one content, to be stored: for each rule that fires, a restriction
 * in each jurisdiction the rule names (or everywhere) with source "rule:ID" (a removal
 * becomes a provisional hold unless it fired on a verified bank; a provisional one expires
 * at now plus the policy's provisional_expiry), and a case source wherever the rule asks for
 * review or its action is provisional, due at now plus the rule's review deadline (else the
 * jurisdiction's notice deadline). Up to rcap restrictions and scap sources are written; *nr
 * and *ns receive how many there are.
 */
void jaga_policy_act(const jaga_policy *policy, const char *content_id, const jaga_policy_input *in,
                     int64_t now, jaga_restriction *r, size_t rcap, size_t *nr,
                     jaga_case_source *src, size_t scap, size_t *ns);

#ifdef __cplusplus
}
#endif
#endif

/* Policies: the locator of JSON lines, the shipped default policy, decisions (zero trust,
 * geo scope, deadlines), and malformed documents refused with FILE:LINE: field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/policy.h"
#include "test_support.h"
#include "jaga/core.h"

static void test_json_line(void **state)
{
    (void)state;
    const char *t = "{\n  \"a\": 1,\n  \"b\": [\n    {\"x\": \"q\\\"}\"},\n    {\n      \"x\": 2\n"
                    "    }\n  ],\n  \"c\": {\"d\": {\"e\": null}}\n}\n";
    size_t n = strlen(t);
    assert_int_equal(jaga_json_line(t, n, ""), 1);
    assert_int_equal(jaga_json_line(t, n, "a"), 2);
    assert_int_equal(jaga_json_line(t, n, "b"), 3);
    assert_int_equal(jaga_json_line(t, n, "b/0/x"), 4);
    assert_int_equal(jaga_json_line(t, n, "b/1"), 5);
    assert_int_equal(jaga_json_line(t, n, "b/1/x"), 6);
    assert_int_equal(jaga_json_line(t, n, "c/d/e"), 9);
    assert_int_equal(jaga_json_line(t, n, "b/7"), 3);   /* no such element: the array's line */
    assert_int_equal(jaga_json_line(t, n, "zz/q"), 1);  /* no such member: the object's */
    assert_int_equal(jaga_json_line(t, n, "a/b/c"), 2); /* a scalar ends the walk */
    assert_int_equal(jaga_json_line("{\"a\": ", 6, "a/b"), 1);
    assert_int_equal(jaga_json_line("[1, 2", 5, "5"), 0);
}

static jaga_policy *load_default(void)
{
    jaga_policy *p = NULL;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    if (jaga_policy_load(ctx, JAGA_SOURCE_DIR "/policy/default.json", &p) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(ctx));
    jaga_ctx_free(ctx);
    return p;
}

static void test_default_policy(void **state)
{
    (void)state;
    jaga_policy *p = load_default();
    assert_string_equal(jaga_policy_version(p), "2026-12-default");
    const jaga_jurisdiction *my = jaga_policy_jurisdiction(p, "MY");
    assert_string_equal(my->code, "MY");
    assert_true(my->flagged);
    assert_int_equal(my->notice_s, 48 * 3600);
    assert_int_equal(my->acknowledge_s, 3600);
    assert_int_equal(my->flagged_first_review_s, 300);
    assert_string_equal(my->penalty_currency, "MYR");
    assert_true(my->penalty_amount == 5e6);
    assert_string_equal(my->languages[0], "ms");
    const jaga_jurisdiction *id = jaga_policy_jurisdiction(p, "ID");
    assert_int_equal(id->notice_s, 24 * 3600);
    assert_int_equal(id->notice_urgent_s, 4 * 3600);
    assert_int_equal(my->report_s, 12 * 3600); /* Act 866: a report assessed within 12 h */
    assert_int_equal(jaga_policy_category_deadline(my, "ncii_deepfake"), 24 * 3600);
    const jaga_jurisdiction *in = jaga_policy_jurisdiction(p, "IN");
    assert_int_equal(in->notice_s, 3 * 3600); /* G.S.R. 120(E): orders within 3 h */
    assert_int_equal(jaga_policy_category_deadline(in, "ncii_deepfake"), 2 * 3600);
    assert_int_equal(in->report_s, 7 * 86400); /* grievances within 7 days */
    assert_string_equal(jaga_policy_legal(p, "IN", "IN-ITR-ORDER")->in_force, "2026-02-20");
    assert_int_equal(jaga_policy_jurisdiction(p, "VN")->notice_s, 24 * 3600);
    assert_string_equal(jaga_policy_legal(p, "VN", "VN-D342-2025")->in_force, "2026-02-15");
    assert_int_equal(jaga_policy_jurisdiction(p, "AU")->notice_s, 24 * 3600);
    const jaga_jurisdiction *us = jaga_policy_jurisdiction(p, "US");
    assert_int_equal(jaga_policy_category_deadline(us, "ncii_deepfake"), 48 * 3600);
    assert_string_equal(jaga_policy_legal(p, "US", "US-TIDA-3")->in_force, "2026-05-19");
    const jaga_jurisdiction *gb = jaga_policy_jurisdiction(p, "GB");
    assert_int_equal(jaga_policy_category_deadline(gb, "ncii_deepfake"), 48 * 3600);
    assert_true(strstr(jaga_policy_legal(p, "GB", "GB-NCII-48H")->note, "could not be confirmed"));
    /* The EU is a jurisdiction of its own; its members answer to it. */
    assert_string_equal(jaga_policy_jurisdiction(p, "DE")->code, "EU");
    assert_string_equal(jaga_policy_jurisdiction(p, "FR")->code, "EU");
    assert_true(jaga_policy_knows(p, "HU"));
    assert_string_equal(jaga_policy_jurisdiction(p, "NO")->code, "ZZ");
    /* Every jurisdiction says when its figures were checked, every reference where from. */
    size_t nj;
    const jaga_jurisdiction *all = jaga_policy_jurisdictions(p, &nj);
    for (size_t i = 0; i < nj; i++) {
        assert_string_equal(all[i].as_of, "2026-12-03");
        for (size_t k = 0; k < all[i].nlegal; k++)
            assert_true(strncmp(all[i].legal[k].source, "https://", 8) == 0);
    }
    /* Countries the policy does not name fall to the default. */
    assert_string_equal(jaga_policy_jurisdiction(p, "BR")->code, "ZZ");
    assert_string_equal(jaga_policy_jurisdiction(p, NULL)->code, "ZZ");
    assert_false(jaga_policy_knows(p, "BR"));
    jaga_policy_free(p);
}

static void test_decisions(void **state)
{
    (void)state;
    jaga_policy *p = load_default();
    jaga_verdict v;
    /* Nothing fires: allow, no case. */
    jaga_policy_input none = {0};
    jaga_policy_decide(p, "MY", &none, &v);
    assert_int_equal(v.visibility, JAGA_VIS_ALLOW);
    assert_null(v.rule);
    assert_false(v.review);
    /* A match in an unverified bank: the removal rule only holds the content, for review. */
    jaga_policy_match m = {"NCII", "source=stopncii;category=ncii_deepfake", 0};
    jaga_policy_input in = {.matches = &m, .nmatches = 1};
    jaga_policy_decide(p, "MY", &in, &v);
    assert_int_equal(v.visibility, JAGA_VIS_WITHHELD);
    assert_true(v.provisional);
    assert_false(v.automated);
    assert_true(v.review);
    assert_int_equal(v.priority, 1);
    assert_string_equal(v.team, "ncii");
    /* The same in a verified bank: removed, automated, still labelled and reviewed. */
    m.verified = 1;
    jaga_policy_decide(p, "BR", &in, &v);
    assert_int_equal(v.visibility, JAGA_VIS_REMOVED);
    assert_true(v.automated);
    assert_false(v.provisional);
    assert_string_equal(v.rule->id, "ncii-hash-match");
    /* Labels match whole: "category=ncii" is not "category=ncii_deepfake". */
    jaga_policy_match partial = {"X", "category=ncii", 1};
    in.matches = &partial;
    jaga_policy_decide(p, "MY", &in, &v);
    assert_int_equal(v.visibility, JAGA_VIS_ALLOW);
    /* A notice acts in its jurisdiction only, on the law. */
    jaga_policy_input notice = {.notice = 1};
    jaga_policy_decide(p, "MY", &notice, &v);
    assert_int_equal(v.visibility, JAGA_VIS_WITHHELD);
    assert_false(v.rule->ground_terms);
    assert_string_equal(v.rule->legal_id, "MY-MCMC-2024");
    assert_int_equal(v.review_deadline_s, 48 * 3600); /* the jurisdiction's notice deadline */
    jaga_policy_decide(p, "SG", &notice, &v);
    assert_int_equal(v.visibility, JAGA_VIS_ALLOW);
    /* A classifier score: blur at 0.9 and above, always with a review case; where the law
     * says so, held (MY, ID) or behind an age gate (AU), still provisionally. */
    jaga_policy_score s = {"porn", 0.95};
    jaga_policy_input scored = {.scores = &s, .nscores = 1};
    jaga_policy_decide(p, "SG", &scored, &v);
    assert_int_equal(v.visibility, JAGA_VIS_BLUR);
    assert_true(v.provisional && v.review);
    jaga_policy_decide(p, "ID", &scored, &v);
    assert_int_equal(v.visibility, JAGA_VIS_WITHHELD);
    assert_true(v.provisional && v.review);
    assert_string_equal(v.rule->legal_id, "ID-ITE-27-1");
    jaga_policy_decide(p, "AU", &scored, &v);
    assert_int_equal(v.visibility, JAGA_VIS_AGE_GATE);
    assert_true(v.provisional && v.review);
    s.score = 0.89;
    jaga_policy_decide(p, "ID", &scored, &v);
    assert_int_equal(v.visibility, JAGA_VIS_ALLOW);
    /* The most severe rule wins; the earliest deadline and most urgent priority. */
    const char *report = "ncii_deepfake";
    s.score = 0.99;
    jaga_policy_input both = {.scores = &s, .nscores = 1, .reports = &report, .nreports = 1};
    jaga_policy_decide(p, "ID", &both, &v);
    assert_int_equal(v.visibility, JAGA_VIS_WITHHELD);
    assert_string_equal(v.rule->id, "ncii-report");
    assert_int_equal(v.priority, 1);
    assert_int_equal(v.review_deadline_s, 24 * 3600);
    jaga_policy_free(p);
}

/* A minimal policy with one field replaced: "@" in base is where the test's text goes. */
static const char *const BASE =
    "{\n"
    "  \"format\": \"jaga-policy-1\",\n"
    "  \"version\": \"t\",\n"
    "  \"default_jurisdiction\": \"ZZ\",\n"
    "  \"jurisdictions\": [\n"
    "    {\"code\": \"ZZ\", \"name\": \"World\", \"languages\": [\"en\"],\n"
    "     \"deadlines\": {\"acknowledge\": \"1h\", \"notice\": \"24h\"},\n"
    "     \"legal\": [{\"id\": \"L1\", \"citation\": \"A law\"}]}\n"
    "  ],\n"
    "  \"rules\": [\n"
    "    @\n"
    "  ]\n"
    "}\n";

static void expect_refused(const char *rule, const char *says)
{
    char text[4096];
    const char *at = strchr(BASE, '@');
    snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - BASE), BASE, rule, at + 1);
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_policy *p = NULL;
    jaga_status st = jaga_policy_parse(ctx, "p.json", text, strlen(text), &p);
    if (st == JAGA_OK)
        fail_msg("accepted: %s", rule);
    assert_null(p);
    if (!strstr(jaga_errmsg(ctx), says))
        fail_msg("\"%s\" does not say \"%s\"", jaga_errmsg(ctx), says);
    jaga_ctx_free(ctx);
}

static void test_malformed(void **state)
{
    (void)state;
    /* The base with a good rule loads. */
    char text[4096];
    const char *good = "{\"id\": \"r\", \"when\": {\"bank\": \"B\"}, \"visibility\": \"blur\", "
                       "\"ground\": \"law\", \"legal\": \"L1\", \"reason\": \"x\"}";
    const char *at = strchr(BASE, '@');
    snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - BASE), BASE, good, at + 1);
    jaga_policy *p = NULL;
    assert_int_equal(jaga_policy_parse(NULL, "p.json", text, strlen(text), &p), JAGA_OK);
    jaga_policy_free(p);
    /* Each problem names the file, the line and the field. */
    expect_refused("{\"id\": \"r\", \"when\": {\"bank\": \"B\"}, \"visibility\": \"hide\", "
                   "\"ground\": \"terms\", \"reason\": \"x\"}",
                   "p.json:11: rules[0].visibility: is allow, blur");
    expect_refused("{\"id\": \"r\", \"when\": {\"bank\": \"B\", \"notice\": true}, "
                   "\"visibility\": \"blur\", \"ground\": \"terms\", \"reason\": \"x\"}",
                   "p.json:11: rules[0].when.notice: a rule looks at one signal");
    expect_refused("{\"id\": \"r\", \"when\": {}, \"visibility\": \"blur\", \"ground\": "
                   "\"terms\", \"reason\": \"x\"}",
                   "rules[0].when: names no signal");
    expect_refused("{\"id\": \"r\", \"when\": {\"report\": \"ncii\"}, \"visibility\": "
                   "\"removed\", \"ground\": \"terms\", \"reason\": \"x\"}",
                   "never remove content");
    expect_refused("{\"id\": \"r\", \"when\": {\"classifier\": \"porn\"}, \"visibility\": "
                   "\"blur\", \"ground\": \"terms\", \"reason\": \"x\"}",
                   "rules[0].review: a classifier rule that acts must open a review case");
    expect_refused("{\"id\": \"r\", \"when\": {\"bank\": \"B\"}, \"visibility\": \"blur\", "
                   "\"ground\": \"law\", \"legal\": \"NOPE\", \"reason\": \"x\"}",
                   "\"NOPE\" is no legal reference");
    expect_refused("{\"id\": \"r\", \"when\": {\"bank\": \"B\"}, \"visibility\": \"blur\", "
                   "\"ground\": \"law\", \"reason\": \"x\"}",
                   "rules[0].legal: is required");
    expect_refused("{\"id\": \"r\", \"jurisdictions\": [\"MY\"], \"when\": {\"bank\": \"B\"}, "
                   "\"visibility\": \"blur\", \"ground\": \"terms\", \"reason\": \"x\"}",
                   "not a jurisdiction of this policy");
    expect_refused("{\"id\": \"r\", \"when\": {\"bank\": \"B\"}, \"visibility\": \"blur\", "
                   "\"ground\": \"terms\", \"reason\": \"x\", \"review\": {\"deadline\": "
                   "\"soon\"}}",
                   "rules[0].review.deadline: \"soon\" is not a duration");
    expect_refused("{\"id\": \"r\", \"when\": {\"bank\": \"B\"}, \"visibility\": \"blur\", "
                   "\"ground\": \"terms\", \"reason\": \"x\", \"colour\": 1}",
                   "rules[0].colour: unknown field");
    expect_refused("{\"id\": \"r\", \"when\": {\"bank\": \"B\"}, \"visibility\": \"blur\", "
                   "\"ground\": \"terms\", \"reason\": \"x\"}, {\"id\": \"r\", \"when\": "
                   "{\"bank\": \"B\"}, \"visibility\": \"blur\", \"ground\": \"terms\", "
                   "\"reason\": \"x\"}",
                   "rules[1].id: r is named twice");
    expect_refused("{\"id\": \"r\", \"when\": {\"bank\": \"B\"}, \"visibility\": \"blur\", "
                   "\"ground\": \"terms\", \"reason\": \"x\"",
                   "p.json:12:"); /* a syntax error, with jansson's line */
    expect_refused("7", "rules[0]: must be an object");
    /* Document-level problems. */
    const char *docs[][2] = {
        {"{\"format\": \"jaga-policy-2\"}", "\"jaga-policy-2\": this jaga reads"},
        {"[]", "(document): a policy is a JSON object"},
        {"{\"format\": \"jaga-policy-1\", \"version\": \"v\", \"default_jurisdiction\": \"ZZ\", "
         "\"jurisdictions\": [{\"code\": \"Z\", \"name\": \"n\"}]}",
         "jurisdictions[0].code: \"Z\" is not an ISO 3166-1"},
        {"{\"format\": \"jaga-policy-1\", \"version\": \"v\", \"default_jurisdiction\": \"ZZ\", "
         "\"jurisdictions\": [{\"code\": \"ZZ\", \"name\": \"n\", \"languages\": [\"EN\"], "
         "\"deadlines\": {}}]}",
         "jurisdictions[0].languages: element 0"},
        {"{\"format\": \"jaga-policy-1\", \"version\": \"v\", \"default_jurisdiction\": \"ZZ\", "
         "\"jurisdictions\": [{\"code\": \"ZZ\", \"name\": \"n\", \"languages\": [\"en\"], "
         "\"deadlines\": {\"acknowledge\": \"0h\", \"notice\": \"1h\"}}]}",
         "jurisdictions[0].deadlines.acknowledge: \"0h\" is not a duration"},
        {"{\"format\": \"jaga-policy-1\", \"version\": \"v\", \"default_jurisdiction\": \"AA\", "
         "\"jurisdictions\": [{\"code\": \"ZZ\", \"name\": \"n\", \"languages\": [\"en\"], "
         "\"deadlines\": {\"acknowledge\": \"1h\", \"notice\": \"1h\"}}]}",
         "default_jurisdiction: AA is not one of the jurisdictions"},
        {"{\"format\": \"jaga-policy-1\", \"version\": \"v\", \"default_jurisdiction\": \"ZZ\", "
         "\"jurisdictions\": [{\"code\": \"ZZ\", \"name\": \"n\", \"languages\": [\"en\"], "
         "\"deadlines\": {\"acknowledge\": \"1h\", \"notice\": \"1h\"}, \"penalty\": "
         "{\"currency\": \"MYR\", \"amount\": -1}}]}",
         "jurisdictions[0].penalty.amount: must be a number from 0"},
        {"{\"format\": \"jaga-policy-1\", \"version\": \"v\", \"default_jurisdiction\": \"ZZ\", "
         "\"jurisdictions\": [{\"code\": \"ZZ\", \"name\": \"n\", \"languages\": [\"en\"], "
         "\"deadlines\": {\"acknowledge\": \"1h\", \"notice\": \"1h\"}, \"as_of\": \"3 Dec\"}]}",
         "jurisdictions[0].as_of: \"3 Dec\" is not a date YYYY-MM-DD"},
        {"{\"format\": \"jaga-policy-1\", \"version\": \"v\", \"default_jurisdiction\": \"ZZ\", "
         "\"jurisdictions\": [{\"code\": \"ZZ\", \"name\": \"n\", \"languages\": [\"en\"], "
         "\"deadlines\": {\"acknowledge\": \"1h\", \"notice\": \"1h\"}, \"legal\": [{\"id\": "
         "\"L\", \"citation\": \"c\", \"in_force\": "
         "\"2026-13-01\"}]}]}",
         "jurisdictions[0].legal[0].in_force: \"2026-13-01\" is not a date"},
        {"{\"format\": \"jaga-policy-1\", \"version\": \"v\", \"default_jurisdiction\": \"ZZ\", "
         "\"jurisdictions\": [{\"code\": \"ZZ\", \"name\": \"n\", \"languages\": [\"en\"], "
         "\"deadlines\": {\"acknowledge\": \"1h\", \"notice\": \"1h\"}, \"countries\": [\"de\"]}]}",
         "jurisdictions[0].countries: element 0 is not an ISO 3166-1"},
        {"{\"format\": \"jaga-policy-1\", \"version\": \"v\", \"default_jurisdiction\": \"ZZ\", "
         "\"jurisdictions\": [{\"code\": \"ZZ\", \"name\": \"n\", \"languages\": [\"en\"], "
         "\"deadlines\": {\"acknowledge\": \"1h\", \"notice\": \"1h\"}, \"countries\": [\"ZZ\"]}]}",
         "jurisdictions[0].countries: ZZ answers to another jurisdiction already"},
        {"{\"format\": \"jaga-policy-1\", \"version\": \"v\", \"default_jurisdiction\": \"ZZ\", "
         "\"jurisdictions\": [{\"code\": \"ZZ\", \"name\": \"n\", \"languages\": [\"en\"], "
         "\"deadlines\": {\"acknowledge\": \"1h\", \"notice\": \"1h\"}}, {\"code\": \"EU\", "
         "\"name\": \"n\", \"languages\": [\"en\"], "
         "\"countries\": [\"DE\"], \"deadlines\": {\"acknowledge\": \"1h\", \"notice\": "
         "\"1h\"}}, {\"code\": \"DE\", \"name\": \"n\", \"languages\": [\"en\"], "
         "\"deadlines\": {\"acknowledge\": \"1h\", \"notice\": \"1h\"}}]}",
         "jurisdictions[2].code: DE is named twice"},
    };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        jaga_ctx *ctx = NULL;
        jaga_ctx_open(&ctx);
        assert_int_equal(jaga_policy_parse(ctx, "d.json", docs[i][0], strlen(docs[i][0]), &p),
                         JAGA_ERR_INVALID);
        if (!strstr(jaga_errmsg(ctx), docs[i][1]))
            fail_msg("\"%s\" does not say \"%s\"", jaga_errmsg(ctx), docs[i][1]);
        jaga_ctx_free(ctx);
    }
    /* Over the size limit. */
    size_t big = JAGA_POLICY_BYTES_MAX + 1;
    char *huge = calloc(1, big);
    memset(huge, ' ', big);
    assert_int_equal(jaga_policy_parse(NULL, "h.json", huge, big, &p), JAGA_ERR_LIMIT);
    free(huge);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_line),
        cmocka_unit_test(test_default_policy),
        cmocka_unit_test(test_decisions),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

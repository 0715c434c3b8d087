/* Transparency reports from the audit log: a notice with an item acted on in time and one
 * left past its deadline, reports from users and a trusted flagger, decisions, an appeal
 * overturned; every figure checked, by quarter and for the period, with the jurisdiction
 * filter; CSV and HTML renderings; a head beyond the log refused. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/audit.h"
#include "jaga/transparency.h"
#include "test_support.h"

typedef struct fixture {
    test_review r;
    jaga_tree_head head;
    uint8_t pub[32];
    int64_t t0, case_a, case_b, case_br;
} fixture;

static void claim_and_decide(fixture *f, int64_t case_id, const char *who, jaga_decision *d)
{
    jaga_case c;
    jaga_decision_result res;
    if (jaga_case_claim(f->r.t.ctx, &f->r.rv, case_id, who, 600, &c) != JAGA_OK ||
        jaga_case_apply_decision(f->r.t.ctx, &f->r.rv, d, &res) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(f->r.t.ctx));
}

static void setup(fixture *f)
{
    memset(f, 0, sizeof(*f));
    test_review_open(&f->r);
    jaga_ctx *ctx = f->r.t.ctx;
    f->t0 = f->r.rv.now; /* 2027-01-15, the first quarter of 2027 */
    jaga_notice n = {.jurisdiction = "MY", .reference = "MCMC/1", .legal_basis = "MY-OSA-2025"};
    jaga_notice_item items[2] = {{.kind = "content", .value = "post-a"},
                                 {.kind = "content", .value = "post-b"}};
    assert_int_equal(jaga_notice_receive(ctx, &f->r.rv, &n, items, 2), JAGA_OK);
    f->case_a = items[0].case_id;
    f->case_b = items[1].case_id;
    /* An hour later post-a is withheld in MY; post-b is never acted on. */
    f->r.rv.now += 3600;
    jaga_decision d = {.case_id = f->case_a,
                       .action = "withhold",
                       .countries = "MY",
                       .ground = "law",
                       .legal_id = "MY-OSA-2025",
                       .category = "ncii",
                       .decided_by = "mod-1"};
    claim_and_decide(f, f->case_a, "mod-1", &d);
    /* Reports: two users in BR, a trusted flagger in MY. */
    f->case_br = test_report(&f->r, "post-br", "hate_speech", "BR", 0);
    test_report(&f->r, "post-br", "hate_speech", "BR", 0);
    test_report(&f->r, "post-my", "ncii", "MY", 1);
    f->r.rv.now += 600;
    jaga_decision fr = {.case_id = f->case_br,
                        .action = "remove",
                        .ground = "terms",
                        .category = "hate_speech",
                        .decided_by = "mod-2"};
    claim_and_decide(f, f->case_br, "mod-2", &fr);
    jaga_case c;
    assert_int_equal(jaga_case_appeal(ctx, &f->r.rv, f->case_br, "uploader", "not hate", &c),
                     JAGA_OK);
    jaga_decision overturn = {.case_id = f->case_br, .action = "overturn", .decided_by = "mod-3"};
    claim_and_decide(f, f->case_br, "mod-3", &overturn);
    jaga_audit_key *key = test_audit_key(&f->r.t, f->pub);
    /* Signed thirty days on: post-b's 48 hours are long gone. */
    assert_int_equal(jaga_audit_head(f->r.t.store, key, ctx, f->t0 + 30 * 86400, &f->head),
                     JAGA_OK);
    jaga_audit_key_free(key);
}

static json_t *report_json(fixture *f, const char *jurisdiction)
{
    jaga_transparency_query q = {.from = f->t0 - 86400};
    snprintf(q.jurisdiction, sizeof(q.jurisdiction), "%s", jurisdiction);
    char *text;
    size_t len;
    if (jaga_transparency_report(f->r.t.store, f->r.t.ctx, &q, &f->head, f->pub,
                                 JAGA_TRANSPARENCY_JSON, &text, &len) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(f->r.t.ctx));
    json_t *doc = json_loadb(text, len, 0, NULL);
    free(text);
    assert_non_null(doc);
    return doc;
}

/* A figure of the report; -1 when it has none. */
static double figure(json_t *doc, const char *quarter, const char *section, const char *dim,
                     const char *sub, const char *quantity)
{
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(doc, "rows"), i, row)
    {
        if (strcmp(json_string_value(json_object_get(row, "quarter")), quarter) == 0 &&
            strcmp(json_string_value(json_object_get(row, "section")), section) == 0 &&
            strcmp(json_string_value(json_object_get(row, "dimension")), dim) == 0 &&
            strcmp(json_string_value(json_object_get(row, "subdimension")), sub) == 0 &&
            strcmp(json_string_value(json_object_get(row, "quantity")), quantity) == 0)
            return json_number_value(json_object_get(row, "value"));
    }
    return -1;
}

static void test_figures(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    json_t *doc = report_json(&f, "");
    const char *my = "MY", *basis = "MY-OSA-2025";
    /* Orders: one notice, two items; one acted on within the deadline, one breached. */
    assert_true(figure(doc, "2027-Q1", "orders", my, basis, "notices_received") == 1);
    assert_true(figure(doc, "all", "orders", my, basis, "items_received") == 2);
    assert_true(figure(doc, "all", "orders", my, basis, "items_actioned") == 1);
    assert_true(figure(doc, "all", "orders", my, basis, "items_within_deadline") == 1);
    assert_true(figure(doc, "all", "orders", my, basis, "breaches") == 1);
    assert_true(figure(doc, "all", "orders", my, basis, "share_within_deadline") == 0.5);
    assert_true(figure(doc, "all", "orders", my, basis, "median_seconds_to_action") == 3600);
    assert_true(figure(doc, "all", "orders", my, basis, "median_seconds_to_first_review") == 3600);
    assert_true(figure(doc, "all", "orders", my, basis, "penalty_exposure_MYR") == 5000000);
    /* Reports by category and source. */
    assert_true(figure(doc, "all", "notices", "hate_speech", "user", "reports_received") == 2);
    assert_true(figure(doc, "all", "notices", "ncii", "trusted_flagger", "reports_received") == 1);
    /* Decisions by action and ground; the appeal overturned. */
    assert_true(figure(doc, "all", "actions", "withhold", "law", "decisions") == 1);
    assert_true(figure(doc, "all", "actions", "remove", "terms", "decisions") == 1);
    assert_true(figure(doc, "all", "appeals", "", "", "appeals_received") == 1);
    assert_true(figure(doc, "all", "appeals", "", "", "decisions_reversed") == 1);
    assert_true(figure(doc, "all", "appeals", "", "", "reversal_rate") == 1);
    assert_true(figure(doc, "all", "automation", "", "", "cases_opened_by_people") >= 3);
    /* The head it came from. */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "tree_head"), "size")),
                     f.head.size);
    json_decref(doc);
    /* MY alone: its notice and its flagger's report, not BR's. */
    doc = report_json(&f, "MY");
    assert_true(figure(doc, "all", "orders", my, basis, "notices_received") == 1);
    assert_true(figure(doc, "all", "notices", "hate_speech", "user", "reports_received") == -1);
    assert_true(figure(doc, "all", "notices", "ncii", "trusted_flagger", "reports_received") == 1);
    assert_true(figure(doc, "all", "appeals", "", "", "appeals_received") == -1);
    json_decref(doc);
    test_review_close(&f.r);
}

/* One content reported in MY and in ID: two cases, each decided in its country; each
 * jurisdiction's report counts its own report and decision, the whole report both. */
static void test_two_countries_one_content(void **state)
{
    (void)state;
    fixture f;
    memset(&f, 0, sizeof(f));
    test_review_open(&f.r);
    f.t0 = f.r.rv.now;
    int64_t my = test_report(&f.r, "shared", "ncii", "MY", 0);
    int64_t id = test_report(&f.r, "shared", "ncii", "ID", 0);
    assert_true(my != id);
    f.r.rv.now += 600;
    jaga_decision in_my = {.case_id = my,
                           .action = "withhold",
                           .countries = "MY",
                           .ground = "law",
                           .legal_id = "MY-OSA-2025",
                           .category = "ncii",
                           .decided_by = "mod-my"};
    claim_and_decide(&f, my, "mod-my", &in_my);
    jaga_decision in_id = {.case_id = id,
                           .action = "blur",
                           .countries = "ID",
                           .ground = "terms",
                           .category = "ncii",
                           .decided_by = "mod-id"};
    claim_and_decide(&f, id, "mod-id", &in_id);
    jaga_audit_key *key = test_audit_key(&f.r.t, f.pub);
    assert_int_equal(jaga_audit_head(f.r.t.store, key, f.r.t.ctx, f.t0 + 86400, &f.head), JAGA_OK);
    jaga_audit_key_free(key);
    json_t *all = report_json(&f, ""), *mine = report_json(&f, "MY"), *ids = report_json(&f, "ID");
    assert_true(figure(all, "all", "notices", "ncii", "user", "reports_received") == 2);
    assert_true(figure(mine, "all", "notices", "ncii", "user", "reports_received") == 1);
    assert_true(figure(ids, "all", "notices", "ncii", "user", "reports_received") == 1);
    assert_true(figure(all, "all", "actions", "withhold", "law", "decisions") == 1);
    assert_true(figure(all, "all", "actions", "blur", "terms", "decisions") == 1);
    assert_true(figure(mine, "all", "actions", "withhold", "law", "decisions") == 1);
    assert_true(figure(mine, "all", "actions", "blur", "terms", "decisions") == -1);
    assert_true(figure(ids, "all", "actions", "blur", "terms", "decisions") == 1);
    assert_true(figure(ids, "all", "actions", "withhold", "law", "decisions") == -1);
    json_decref(all);
    json_decref(mine);
    json_decref(ids);
    test_review_close(&f.r);
}

/* A notice's items withdrawn by the regulator: one before its deadline (due never, no breach),
 * one after the deadline had passed (a breach all the same), one actioned then withdrawn (the
 * action counts). */
static void test_withdrawn_items(void **state)
{
    (void)state;
    fixture f;
    memset(&f, 0, sizeof(f));
    test_review_open(&f.r);
    jaga_ctx *ctx = f.r.t.ctx;
    f.t0 = f.r.rv.now;
    jaga_notice n = {.jurisdiction = "MY", .reference = "MCMC/2", .legal_basis = "MY-CMA-233"};
    jaga_notice_item items[3] = {{.kind = "content", .value = "early"},
                                 {.kind = "content", .value = "late"},
                                 {.kind = "content", .value = "acted"}};
    assert_int_equal(jaga_notice_receive(ctx, &f.r.rv, &n, items, 3), JAGA_OK);
    jaga_notice_withdrawal w;
    f.r.rv.now += 600;
    assert_int_equal(jaga_notice_withdraw(ctx, &f.r.rv, "MY", n.id, items[0].id, "reg", &w),
                     JAGA_OK);
    jaga_decision d = test_withhold(items[2].case_id, "MY", "MY-CMA-233", "mod-1");
    claim_and_decide(&f, items[2].case_id, "mod-1", &d);
    f.r.rv.now = n.deadline_at + 60;
    assert_int_equal(jaga_notice_withdraw(ctx, &f.r.rv, "MY", n.id, items[1].id, "reg", &w),
                     JAGA_OK);
    assert_int_equal(jaga_notice_withdraw(ctx, &f.r.rv, "MY", n.id, items[2].id, "reg", &w),
                     JAGA_OK);
    jaga_audit_key *key = test_audit_key(&f.r.t, f.pub);
    assert_int_equal(jaga_audit_head(f.r.t.store, key, ctx, f.r.rv.now + 60, &f.head), JAGA_OK);
    jaga_audit_key_free(key);
    json_t *doc = report_json(&f, "MY");
    const char *basis = "MY-CMA-233";
    assert_true(figure(doc, "all", "orders", "MY", basis, "items_received") == 3);
    assert_true(figure(doc, "all", "orders", "MY", basis, "items_withdrawn") == 3);
    assert_true(figure(doc, "all", "orders", "MY", basis, "items_due") == 2);
    assert_true(figure(doc, "all", "orders", "MY", basis, "items_actioned") == 1);
    assert_true(figure(doc, "all", "orders", "MY", basis, "items_within_deadline") == 1);
    assert_true(figure(doc, "all", "orders", "MY", basis, "breaches") == 1);
    json_decref(doc);
    test_review_close(&f.r);
}

static char *render(fixture *f, jaga_transparency_format fmt, const jaga_tree_head *head,
                    jaga_status want)
{
    jaga_transparency_query q = {.from = 0};
    char *text = NULL;
    size_t len;
    assert_int_equal(
        jaga_transparency_report(f->r.t.store, f->r.t.ctx, &q, head, f->pub, fmt, &text, &len),
        want);
    return text;
}

static void test_renderings(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    char *csv = render(&f, JAGA_TRANSPARENCY_CSV, &f.head, JAGA_OK);
    assert_memory_equal(csv, "quarter,section,dimension,subdimension,quantity,value\r\n", 54);
    assert_non_null(strstr(csv, "\r\nall,audit_log,,,tree_size,"));
    assert_non_null(strstr(csv, "\r\nall,orders,MY,MY-OSA-2025,breaches,1\r\n"));
    for (const char *p = csv; (p = strchr(p, '\n')); p++) /* every line ends CRLF */
        assert_int_equal(p[-1], '\r');
    free(csv);
    char *html = render(&f, JAGA_TRANSPARENCY_HTML, &f.head, JAGA_OK);
    assert_non_null(strstr(html, "<svg class=\"chart\" data-chart=\"notices\""));
    assert_non_null(strstr(html, "data-label=\"hate_speech\" data-value=\"2\""));
    assert_null(strstr(html, "src=")); /* nothing from elsewhere */
    assert_null(strstr(html, "<script"));
    free(html);
    /* A head over more leaves than the log holds is refused. */
    jaga_tree_head beyond = f.head;
    beyond.size += 10;
    assert_null(render(&f, JAGA_TRANSPARENCY_JSON, &beyond, JAGA_ERR_INVALID));
    /* A period that ends before it starts is refused. */
    jaga_transparency_query q = {.from = 100, .to = 50};
    char *text = NULL;
    size_t len;
    assert_int_equal(jaga_transparency_report(f.r.t.store, f.r.t.ctx, &q, &f.head, f.pub,
                                              JAGA_TRANSPARENCY_JSON, &text, &len),
                     JAGA_ERR_INVALID);
    test_review_close(&f.r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures),
        cmocka_unit_test(test_renderings),
        cmocka_unit_test(test_two_countries_one_content),
        cmocka_unit_test(test_withdrawn_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

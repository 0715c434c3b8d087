/* Cases: notices, scans and reports gathered into one case per content; decisions by the
 * person holding the case (restrictions, notice items, statements of reasons); appeals
 * reviewed by another moderator; against the shipped default policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/jaga.h"
#include "test_support.h"

static const char *const H1 = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

static void test_notice_and_decision(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    jaga_ctx *ctx = r.t.ctx;
    jaga_store *db = r.t.store;
    jaga_notice n = {.jurisdiction = "MY", .reference = "MCMC/1"};
    jaga_notice_item items[3] = {{.kind = "content", .value = "post-1"},
                                 {.kind = "pdq"},
                                 {.kind = "url", .value = "https://example.com/x"}};
    strcpy(items[1].value, H1);
    assert_int_equal(jaga_notice_receive(ctx, &r.rv, &n, items, 3), JAGA_OK);
    assert_int_equal(n.deadline_at - n.received_at, 48 * 3600); /* MY's notice deadline */
    assert_string_equal(n.penalty_currency, "MYR");
    assert_true(items[0].case_id > 0 && items[1].case_id > 0 && items[2].case_id > 0);
    assert_true(items[0].case_id != items[1].case_id);
    jaga_case c;
    assert_int_equal(jaga_store_case_get(db, ctx, items[0].case_id, &c), JAGA_OK);
    assert_int_equal(c.deadline_at, n.deadline_at);
    assert_false(c.machine_only);
    assert_string_equal(c.language, "ms"); /* MY's first language routes it */
    /* Held in MY only; the hold waits for the decision (a regulator's order: no expiry). */
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_WITHHELD);
    assert_int_equal(test_seen(r.map, "post-1", "ID"), JAGA_VIS_ALLOW);
    /* The hash is in NOTICES_MY and matches at once. */
    jaga_bank bank;
    assert_int_equal(jaga_store_bank_get(db, ctx, "NOTICES_MY", &bank), JAGA_OK);
    jaga_pdq_hash h;
    jaga_pdq_from_hex(H1, &h);
    jaga_match found[4];
    size_t count;
    jaga_match_query q = {.pdq = &h, .npdq = 1};
    assert_int_equal(jaga_matcher_match(r.matcher, ctx, &q, found, 4, &count), JAGA_OK);
    assert_int_equal(count, 1);

    /* Nobody holds the case: no decision. */
    jaga_decision d = {.case_id = items[0].case_id,
                       .action = "withhold",
                       .ground = "law",
                       .legal_id = "MY-CMA-233",
                       .category = "ncii_deepfake",
                       .countries = "MY",
                       .decided_by = "moderator001"};
    test_decide(&r, &d, JAGA_ERR_CONFLICT);
    test_claim(&r, items[0].case_id, "moderator001");
    /* Another moderator cannot take it meanwhile, nor decide it. */
    jaga_case other;
    assert_int_equal(jaga_case_claim(ctx, &r.rv, items[0].case_id, "moderator002", 600, &other),
                     JAGA_ERR_CONFLICT);
    strcpy(d.decided_by, "moderator002");
    test_decide(&r, &d, JAGA_ERR_CONFLICT);
    strcpy(d.decided_by, "moderator001");
    /* A law it does not know, an unknown category, withhold nowhere: refused. */
    strcpy(d.legal_id, "XX-NONE");
    test_decide(&r, &d, JAGA_ERR_INVALID);
    strcpy(d.legal_id, "MY-CMA-233");
    d.countries[0] = '\0';
    test_decide(&r, &d, JAGA_ERR_INVALID);
    strcpy(d.countries, "MY");
    test_decide(&r, &d, JAGA_OK);
    jaga_visibility_answer a;
    jaga_visibility_map_answer(r.map, "post-1", "MY", "MY", &a);
    assert_int_equal(a.visibility, JAGA_VIS_WITHHELD);
    assert_false(a.provisional); /* final now */
    jaga_notice_item *stored;
    size_t nstored;
    assert_int_equal(jaga_store_notice_items(db, ctx, n.id, &stored, &nstored), JAGA_OK);
    assert_true(stored[0].actioned_at > 0);
    assert_string_equal(stored[0].action, "withhold");
    assert_int_equal(stored[1].actioned_at, 0);
    free(stored);
    /* The statement of reasons: illegal content under MY law, disabled in MY (outside the
     * EEA, so no territory the DSA's database takes), from an authority's order, found by no
     * machine. */
    assert_non_null(strstr(d.statement, "\"DECISION_GROUND_ILLEGAL_CONTENT\""));
    assert_non_null(strstr(d.statement, "\"DECISION_VISIBILITY_CONTENT_DISABLED\""));
    assert_non_null(strstr(d.statement, "\"SOURCE_TYPE_OTHER_NOTIFICATION\""));
    assert_non_null(strstr(d.statement, "\"territorial_scope\":[]"));
    assert_non_null(strstr(d.statement, "Communications and Multimedia Act"));
    assert_non_null(strstr(d.statement, "\"AUTOMATED_DECISION_NOT_AUTOMATED\""));
    /* Decided: twice is a conflict; an unknown case is not found. */
    test_decide(&r, &d, JAGA_ERR_CONFLICT);
    d.case_id = 9999;
    test_decide(&r, &d, JAGA_ERR_NOT_FOUND);
    /* no_violation on the hash item's case: actioned, no restriction, no statement. */
    test_claim(&r, items[1].case_id, "moderator001");
    jaga_decision ok = {
        .case_id = items[1].case_id, .action = "no_violation", .decided_by = "moderator001"};
    test_decide(&r, &ok, JAGA_OK);
    assert_string_equal(ok.statement, "{}");
    test_review_close(&r);
}

/* The verdicts due for peers, in order: "md5:confirmed" and so on, space-separated. */
static void due_verdicts(test_review *r, char *out, size_t cap)
{
    jaga_outgoing_verdict *due;
    size_t n, used = 0;
    out[0] = '\0';
    assert_int_equal(jaga_store_verdicts_due(r->t.store, r->t.ctx, INT64_MAX, 10, &due, &n),
                     JAGA_OK);
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s@%s:%s", i ? " " : "", due[i].peer,
                                 due[i].remote_bank, jaga_feedback_verdict_name(due[i].verdict));
    free(due);
}

/* A decision on content that matched an entry from a peer's bank queues its verdict for that
 * peer; an overturned appeal queues the other verdict; entries of local banks queue none. */
static void test_verdicts_for_peers(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    jaga_ctx *ctx = r.t.ctx;
    jaga_peer peer = {.name = "node-a"};
    peer.public_key[0] = 1;
    assert_int_equal(jaga_store_peer_add(r.t.store, ctx, &peer), JAGA_OK);
    jaga_subscription sub;
    assert_int_equal(jaga_exchange_subscribe(r.t.store, ctx, "node-a", "A_NCII", "NCII", &sub),
                     JAGA_OK);
    test_scan_ncii(&r, "post-x", ""); /* its match is in NCII, node-a's bank here */
    jaga_content c;
    assert_int_equal(jaga_store_content_get(r.t.store, ctx, "post-x", &c), JAGA_OK);
    jaga_content_clear(&c);
    jaga_case *cases;
    size_t n;
    assert_int_equal(jaga_store_case_list(r.t.store, ctx, "post-x", &cases, &n), JAGA_OK);
    assert_int_equal(n, 1);
    int64_t case_id = cases[0].id;
    free(cases);
    test_claim(&r, case_id, "moderator001");
    jaga_decision d = {.case_id = case_id,
                       .action = "remove",
                       .ground = "terms",
                       .category = "ncii_deepfake",
                       .decided_by = "moderator001"};
    test_decide(&r, &d, JAGA_OK);
    char due[256];
    due_verdicts(&r, due, sizeof(due));
    assert_string_equal(due, "node-a@A_NCII:confirmed");
    jaga_case kase;
    assert_int_equal(jaga_case_appeal(ctx, &r.rv, case_id, "uploader-1", "not me", &kase), JAGA_OK);
    assert_int_equal(jaga_case_claim(ctx, &r.rv, case_id, "moderator002", 600, &kase), JAGA_OK);
    jaga_decision overturn = {
        .case_id = case_id, .action = "overturn", .decided_by = "moderator002"};
    test_decide(&r, &overturn, JAGA_OK);
    due_verdicts(&r, due, sizeof(due));
    assert_string_equal(due, "node-a@A_NCII:confirmed node-a@A_NCII:false_positive");
    /* Sent, failed for good, or failed for now: only the last stays due, from its time on. */
    jaga_outgoing_verdict *list;
    assert_int_equal(jaga_store_verdicts_due(r.t.store, ctx, INT64_MAX, 10, &list, &n), JAGA_OK);
    assert_int_equal(jaga_store_verdict_done(r.t.store, ctx, list[0].id, NULL, 0), JAGA_OK);
    assert_int_equal(jaga_store_verdict_done(r.t.store, ctx, list[1].id, "unreachable", 5000),
                     JAGA_OK);
    free(list);
    assert_int_equal(jaga_store_verdicts_due(r.t.store, ctx, 4999, 10, &list, &n), JAGA_OK);
    assert_int_equal(n, 0);
    free(list);
    due_verdicts(&r, due, sizeof(due));
    assert_string_equal(due, "node-a@A_NCII:false_positive");
    test_review_close(&r);
}

/* One case per content and jurisdiction: sources of the same jurisdiction join its case. */
static void test_one_case_per_jurisdiction(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    jaga_store *db = r.t.store;
    test_scan_ncii(&r, "post-9", "MY");
    assert_int_equal(test_seen(r.map, "post-9", "BR"), JAGA_VIS_WITHHELD);
    jaga_case *cases;
    size_t n;
    assert_int_equal(jaga_store_case_list(db, r.t.ctx, "post-9", &cases, &n), JAGA_OK);
    assert_int_equal(n, 1);
    jaga_case scanned = cases[0];
    free(cases);
    assert_string_equal(scanned.source, "rule:ncii-hash-match");
    assert_true(scanned.machine_only);
    assert_string_equal(scanned.team, "ncii");
    assert_string_equal(scanned.jurisdiction, "MY"); /* the uploader's */
    assert_string_equal(scanned.language, "ms");     /* MY's first language */
    /* Two reports from MY join that case, their deadlines applying if earlier; one from BR
     * (the rest of the world here) opens a case of its own. */
    r.rv.now += 60;
    int64_t id1 = test_report(&r, "post-9", "ncii_deepfake", "MY", 0);
    int64_t id2 = test_report(&r, "post-9", "harassment", "MY", 0);
    int64_t elsewhere = test_report(&r, "post-9", "harassment", "BR", 0);
    assert_int_equal(id1, scanned.id);
    assert_int_equal(id2, scanned.id);
    assert_true(elsewhere != scanned.id);
    jaga_case joined;
    assert_int_equal(jaga_store_case_get(db, r.t.ctx, elsewhere, &joined), JAGA_OK);
    assert_string_equal(joined.jurisdiction, "ZZ");
    assert_int_equal(jaga_store_case_get(db, r.t.ctx, scanned.id, &joined), JAGA_OK);
    assert_int_equal(joined.reports, 2);
    assert_false(joined.machine_only);
    assert_int_equal(joined.first_review_at, r.rv.now + 300); /* MY is flagged: 5 minutes */
    assert_int_equal(joined.due_at, joined.first_review_at);
    jaga_case_source *src;
    assert_int_equal(jaga_store_case_sources(db, r.t.ctx, scanned.id, &src, &n), JAGA_OK);
    assert_true(n >= 3);
    assert_string_equal(src[0].ref, "rule:ncii-hash-match");
    assert_int_equal(strncmp(src[1].ref, "report:", 7), 0);
    free(src);
    jaga_report *reports;
    assert_int_equal(jaga_store_reports(db, r.t.ctx, scanned.id, &reports, &n), JAGA_OK);
    assert_int_equal(n, 2);
    assert_true(reports[0].rapid);
    assert_false(reports[1].rapid);
    assert_true(reports[0].content_known);
    free(reports);
    /* A report of content jaga never scanned is kept, with a case of its own. */
    int64_t unknown = test_report(&r, "never-scanned", "scam", "ID", 0);
    assert_true(unknown != scanned.id);
    jaga_report kept;
    assert_int_equal(jaga_store_report_get(db, r.t.ctx, 4, &kept), JAGA_OK);
    assert_string_equal(kept.content_id, "never-scanned");
    assert_false(kept.content_known);
    /* An unknown category is refused and nothing is stored. */
    jaga_report bad = {.content_id = "post-9", .category = "spam"};
    assert_int_equal(jaga_report_receive(r.t.ctx, &r.rv, &bad), JAGA_ERR_INVALID);
    assert_int_equal(jaga_store_report_get(db, r.t.ctx, 5, &kept), JAGA_ERR_NOT_FOUND);
    test_review_close(&r);
}

static void test_appeal_overturns(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    jaga_ctx *ctx = r.t.ctx;
    test_scan_ncii(&r, "post-7", "ID");
    int64_t case_id = test_report(&r, "post-7", "ncii_deepfake", "ID", 0);
    test_claim(&r, case_id, "moderator001");
    jaga_decision d = {.case_id = case_id,
                       .action = "remove",
                       .ground = "terms",
                       .category = "ncii_deepfake",
                       .note = "the person depicted reported it",
                       .decided_by = "moderator001"};
    test_decide(&r, &d, JAGA_OK);
    assert_int_equal(test_seen(r.map, "post-7", "ID"), JAGA_VIS_REMOVED);
    assert_non_null(strstr(d.statement, "\"STATEMENT_CATEGORY_CYBER_VIOLENCE\""));
    assert_non_null(strstr(d.statement, "\"KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE\""));
    assert_non_null(strstr(d.statement, "\"DECISION_VISIBILITY_CONTENT_REMOVED\""));
    assert_non_null(strstr(d.statement, "\"DECISION_GROUND_INCOMPATIBLE_CONTENT\""));
    assert_non_null(strstr(d.statement, "\"SOURCE_ARTICLE_16\""));
    assert_non_null(strstr(d.statement, "\"automated_detection\":\"Yes\""));
    assert_non_null(strstr(d.statement, "\"AUTOMATED_DECISION_PARTIALLY\""));
    /* One statement per decision: the case and the decision's number on it. */
    char puid[64];
    snprintf(puid, sizeof(puid), "\"puid\":\"jaga-%lld-1\"", (long long)case_id);
    assert_non_null(strstr(d.statement, puid));
    /* Only a decided case is appealed; the appeal waits for another moderator. */
    jaga_case c;
    assert_int_equal(jaga_case_appeal(ctx, &r.rv, case_id, "uploader-1", "it is not me", &c),
                     JAGA_OK);
    assert_string_equal(c.status, "appealed");
    assert_int_equal(c.deadline_at, r.rv.now + 72 * 3600);
    assert_int_equal(jaga_case_appeal(ctx, &r.rv, case_id, "uploader-1", "again", &c),
                     JAGA_ERR_CONFLICT);
    assert_int_equal(jaga_queue_claim(ctx, &r.rv, c.team, "moderator001", 600, &c),
                     JAGA_ERR_NOT_FOUND);
    assert_int_equal(jaga_case_claim(ctx, &r.rv, case_id, "moderator001", 600, &c),
                     JAGA_ERR_CONFLICT);
    assert_int_equal(jaga_queue_claim(ctx, &r.rv, c.team, "moderator002", 600, &c), JAGA_OK);
    assert_int_equal(c.id, case_id);
    jaga_decision wrong = {.case_id = case_id, .action = "remove", .decided_by = "moderator002"};
    test_decide(&r, &wrong, JAGA_ERR_INVALID); /* an appeal is upheld or overturned */
    jaga_decision overturn = {
        .case_id = case_id, .action = "overturn", .decided_by = "moderator002"};
    test_decide(&r, &overturn, JAGA_OK);
    assert_int_equal(overturn.appeal_of, d.id);
    assert_int_equal(test_seen(r.map, "post-7", "ID"), JAGA_VIS_ALLOW); /* restored */
    assert_int_equal(jaga_store_case_get(r.t.store, ctx, case_id, &c), JAGA_OK);
    assert_string_equal(c.status, "closed");
    jaga_decision *all;
    size_t n;
    assert_int_equal(jaga_store_decisions(r.t.store, ctx, case_id, &all, &n), JAGA_OK);
    assert_int_equal(n, 2);
    assert_string_equal(all[1].kind, "appeal");
    free(all);
    jaga_case_event *history;
    assert_int_equal(jaga_store_case_events(r.t.store, ctx, case_id, &history, &n), JAGA_OK);
    assert_string_equal(history[0].kind, "opened");
    assert_string_equal(history[n - 1].kind, "appeal_decided");
    free(history);
    test_review_close(&r);
}

/* A classifier score alone: blurred provisionally, held where the law says so (withheld in
 * MY and ID, behind an age gate in AU), and a case for a person; never removed. Below the
 * threshold, nothing. */
static void test_classifier_scores(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    jaga_ctx *ctx = r.t.ctx;
    const char *ids[2] = {"explicit-1", "tame-1"};
    const char *scores[2] = {"{\"drawing\":0.01,\"hentai\":0.01,\"neutral\":0.01,\"porn\":0.96,"
                             "\"sexy\":0.01}",
                             "{\"drawing\":0.1,\"hentai\":0.1,\"neutral\":0.5,\"porn\":0.2,"
                             "\"sexy\":0.1}"};
    for (int i = 0; i < 2; i++) {
        jaga_content c = {.quality = 100};
        snprintf(c.content_id, sizeof(c.content_id), "%s", ids[i]);
        snprintf(c.scores, sizeof(c.scores), "%s", scores[i]);
        c.matches_json = strdup("[]");
        if (jaga_scan_record(ctx, &r.rv, &c, NULL, 0) != JAGA_OK)
            fail_msg("%s", jaga_errmsg(ctx));
        jaga_content_clear(&c);
    }
    assert_int_equal(test_seen(r.map, "explicit-1", "BR"), JAGA_VIS_BLUR);
    assert_int_equal(test_seen(r.map, "explicit-1", "MY"), JAGA_VIS_WITHHELD);
    assert_int_equal(test_seen(r.map, "explicit-1", "ID"), JAGA_VIS_WITHHELD);
    assert_int_equal(test_seen(r.map, "explicit-1", "AU"), JAGA_VIS_AGE_GATE);
    assert_int_equal(test_seen(r.map, "tame-1", "ID"), JAGA_VIS_ALLOW);
    assert_int_equal(test_seen(r.map, "tame-1", "BR"), JAGA_VIS_ALLOW);
    jaga_case *cases;
    size_t n;
    /* One case for the platform's rule (the uploader unknown: everywhere), and one in each
     * jurisdiction whose own law holds it, for that jurisdiction's team. */
    assert_int_equal(jaga_store_case_list(r.t.store, ctx, "explicit-1", &cases, &n), JAGA_OK);
    assert_int_equal(n, 4);
    assert_string_equal(cases[0].source, "rule:explicit-classifier");
    assert_string_equal(cases[0].jurisdiction, "*");
    assert_string_equal(cases[1].source, "rule:my-explicit-classifier");
    assert_string_equal(cases[1].jurisdiction, "MY");
    assert_true(cases[0].machine_only && cases[1].machine_only);
    free(cases);
    assert_int_equal(jaga_store_case_list(r.t.store, ctx, "tame-1", &cases, &n), JAGA_OK);
    assert_int_equal(n, 0);
    free(cases);
    jaga_content stored;
    assert_int_equal(jaga_store_content_get(r.t.store, ctx, "explicit-1", &stored), JAGA_OK);
    assert_string_equal(stored.scores, scores[0]);
    jaga_content_clear(&stored);
    test_review_close(&r);
}

static int count_restriction(void *arg, const jaga_restriction *r)
{
    (void)r;
    (*(size_t *)arg)++;
    return 0;
}

/* A live stream's later signal: the stored content is amended with what the policy makes of
 * it, once. */
static void test_scan_amend(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    jaga_ctx *ctx = r.t.ctx;
    jaga_content c = {.quality = -1};
    snprintf(c.content_id, sizeof(c.content_id), "live-1");
    snprintf(c.format, sizeof(c.format), "live");
    c.matches_json = strdup("[]");
    assert_int_equal(jaga_scan_record(ctx, &r.rv, &c, NULL, 0), JAGA_OK);
    assert_int_equal(test_seen(r.map, "live-1", "MY"), JAGA_VIS_ALLOW);
    snprintf(c.scores, sizeof(c.scores),
             "{\"drawing\":0.01,\"hentai\":0.01,\"neutral\":0.01,\"porn\":0.96,\"sexy\":0.01}");
    size_t before = 0, after = 0;
    for (int round = 0; round < 2; round++) {
        if (jaga_scan_amend(ctx, &r.rv, &c, NULL, 0) != JAGA_OK)
            fail_msg("%s", jaga_errmsg(ctx));
        size_t *n = round ? &after : &before;
        assert_int_equal(
            jaga_store_restrictions_each(r.t.store, ctx, "live-1", count_restriction, n), JAGA_OK);
    }
    assert_true(before > 0);
    assert_int_equal(after, before); /* the same signal again doubles nothing */
    assert_int_equal(test_seen(r.map, "live-1", "MY"), JAGA_VIS_WITHHELD);
    assert_int_equal(test_seen(r.map, "live-1", "BR"), JAGA_VIS_BLUR);
    jaga_case *cases;
    size_t n;
    assert_int_equal(jaga_store_case_list(r.t.store, ctx, "live-1", &cases, &n), JAGA_OK);
    assert_int_equal(n, 4); /* the platform's, MY's, ID's, AU's */
    assert_string_equal(cases[0].source, "rule:explicit-classifier");
    free(cases);
    jaga_content stored;
    assert_int_equal(jaga_store_content_get(r.t.store, ctx, "live-1", &stored), JAGA_OK);
    assert_string_equal(stored.scores, ""); /* the record stays as it was stored */
    jaga_content_clear(&stored);
    jaga_content_clear(&c);
    test_review_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notice_and_decision),
        cmocka_unit_test(test_one_case_per_jurisdiction),
        cmocka_unit_test(test_appeal_overturns),
        cmocka_unit_test(test_classifier_scores),
        cmocka_unit_test(test_scan_amend),
        cmocka_unit_test(test_verdicts_for_peers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

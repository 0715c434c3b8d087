/* A regulator withdraws items of its notices: the notice's own restrictions and bank entries
 * end where nothing else of its jurisdiction names them, the case closes or goes by the sources
 * left, a decision stands, and no other regulator can do it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/jaga.h"
#include "test_support.h"

/* A MY notice of n items of one kind with those values, due by the policy unless deadline_at;
 * fills items (ids, case ids). */
static void file_due(test_review *r, jaga_notice *n, jaga_notice_item *items, const char *kind,
                     const char *const *values, size_t count, int64_t deadline_at)
{
    memset(n, 0, sizeof(*n));
    n->deadline_at = deadline_at;
    snprintf(n->jurisdiction, sizeof(n->jurisdiction), "MY");
    snprintf(n->reference, sizeof(n->reference), "MCMC/%s", values[0]);
    for (size_t i = 0; i < count; i++) {
        memset(&items[i], 0, sizeof(items[i]));
        snprintf(items[i].kind, sizeof(items[i].kind), "%s", kind);
        snprintf(items[i].value, sizeof(items[i].value), "%s", values[i]);
    }
    if (jaga_notice_receive(r->t.ctx, &r->rv, n, items, count) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(r->t.ctx));
}

static void file(test_review *r, jaga_notice *n, jaga_notice_item *items, const char *kind,
                 const char *const *values, size_t count)
{
    file_due(r, n, items, kind, values, count, 0);
}

/* A MY notice of one content, due by the policy. */
static void file_one(test_review *r, jaga_notice *n, jaga_notice_item *item, const char *content)
{
    const char *values[] = {content};
    file(r, n, item, "content", values, 1);
}

static jaga_status withdraw(test_review *r, const char *jurisdiction, const jaga_notice *n,
                            int64_t item_id, jaga_notice_withdrawal *w)
{
    return jaga_notice_withdraw(r->t.ctx, &r->rv, jurisdiction, n->id, item_id, "regulator01", w);
}

static jaga_case case_of(test_review *r, int64_t id)
{
    jaga_case c;
    assert_int_equal(jaga_store_case_get(r->t.store, r->t.ctx, id, &c), JAGA_OK);
    return c;
}

static int has_event(test_review *r, int64_t case_id, const char *kind)
{
    jaga_case_event *ev;
    size_t n;
    int found = 0;
    assert_int_equal(jaga_store_case_events(r->t.store, r->t.ctx, case_id, &ev, &n), JAGA_OK);
    for (size_t i = 0; i < n; i++)
        found |= strcmp(ev[i].kind, kind) == 0;
    free(ev);
    return found;
}

/* A content item withdrawn: visible in MY again, its case closed, the item withdrawn; once
 * only, by MY's regulator only, and only as an item of that notice. */
static void test_content_withdrawn(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    r.rv.webhooks = 1;
    const char *values[] = {"post-1", "post-2"};
    jaga_notice n;
    jaga_notice_item items[2];
    file(&r, &n, items, "content", values, 2);
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_WITHHELD);
    jaga_notice_withdrawal w;
    assert_int_equal(withdraw(&r, "ID", &n, items[0].id, &w), JAGA_ERR_NOT_FOUND);
    assert_int_equal(withdraw(&r, "MY", &n, items[1].id + 100, &w), JAGA_ERR_NOT_FOUND);
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_WITHHELD);

    r.rv.now += 60;
    assert_int_equal(withdraw(&r, "MY", &n, items[0].id, &w), JAGA_OK);
    assert_int_equal(w.lifted, 1);
    assert_int_equal(w.case_closed, 1);
    assert_int_equal(w.item.withdrawn_at, r.rv.now);
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_ALLOW);
    assert_int_equal(test_seen(r.map, "post-2", "MY"), JAGA_VIS_WITHHELD);
    jaga_case c = case_of(&r, items[0].case_id);
    assert_string_equal(c.status, "closed");
    assert_true(has_event(&r, c.id, "notice_withdrawn"));
    assert_int_equal(withdraw(&r, "MY", &n, items[0].id, &w), JAGA_ERR_CONFLICT);
    /* The platform hears of it. */
    jaga_delivery *hooks;
    size_t nhooks;
    assert_int_equal(jaga_store_deliveries(r.t.store, r.t.ctx, "", 0, 10, &hooks, &nhooks),
                     JAGA_OK);
    assert_int_equal(nhooks, 1);
    assert_string_equal(hooks[0].event, "notice.withdrawn");
    char want[64];
    snprintf(want, sizeof(want), "\"item\":%lld", (long long)items[0].id);
    assert_non_null(strstr(hooks[0].body, want));
    assert_non_null(strstr(hooks[0].body, "\"status\":\"closed\""));
    free(hooks);

    /* A decision on the other item's case actions it; the withdrawn one stays withdrawn. */
    test_claim(&r, items[1].case_id, "mod-1");
    jaga_decision d = {
        .case_id = items[1].case_id, .action = "no_violation", .decided_by = "mod-1"};
    test_decide(&r, &d, JAGA_OK);
    jaga_notice_item *now;
    size_t count;
    assert_int_equal(jaga_store_notice_items(r.t.store, r.t.ctx, n.id, &now, &count), JAGA_OK);
    assert_int_equal(count, 2);
    assert_int_equal(now[0].actioned_at, 0);
    assert_true(now[0].withdrawn_at > 0);
    assert_true(now[1].actioned_at > 0);
    free(now);
    /* The closed case waits for no one. */
    jaga_case held;
    assert_int_equal(jaga_case_claim(r.t.ctx, &r.rv, items[0].case_id, "mod-1", 600, &held),
                     JAGA_ERR_CONFLICT);
    test_review_close(&r);
}

/* A case that a user's report asks for too stays open, due by the report, no longer by the
 * notice's ten minutes. */
static void test_case_goes_by_sources_left(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    const char *values[] = {"post-1"};
    jaga_notice n;
    jaga_notice_item item;
    file_due(&r, &n, &item, "content", values, 1, r.rv.now + 600);
    r.rv.now += 60;
    int64_t reported = test_report(&r, "post-1", "ncii", "MY", 0);
    assert_int_equal(reported, item.case_id);
    assert_int_equal(case_of(&r, item.case_id).deadline_at, n.deadline_at);
    jaga_notice_withdrawal w;
    assert_int_equal(withdraw(&r, "MY", &n, item.id, &w), JAGA_OK);
    assert_int_equal(w.case_closed, 0);
    jaga_case c = case_of(&r, item.case_id);
    assert_string_equal(c.status, "open");
    jaga_case_source *sources;
    size_t ns;
    assert_int_equal(jaga_store_case_sources(r.t.store, r.t.ctx, c.id, &sources, &ns), JAGA_OK);
    int64_t report_deadline = 0;
    for (size_t i = 0; i < ns; i++)
        if (strncmp(sources[i].ref, "report:", 7) == 0)
            report_deadline = sources[i].deadline_at;
    free(sources);
    assert_true(report_deadline > n.deadline_at);
    assert_int_equal(c.deadline_at, report_deadline);
    assert_int_equal(c.machine_only, 0);
    test_review_close(&r);
}

/* Named twice by one notice: the notice's hold stays until both items are withdrawn. */
static void test_named_twice(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    const char *values[] = {"post-1", "post-1"};
    jaga_notice n;
    jaga_notice_item items[2];
    file(&r, &n, items, "content", values, 2);
    jaga_notice_withdrawal w;
    assert_int_equal(withdraw(&r, "MY", &n, items[0].id, &w), JAGA_OK);
    assert_int_equal(w.lifted, 0);
    assert_int_equal(w.case_closed, 0);
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_WITHHELD);
    assert_int_equal(withdraw(&r, "MY", &n, items[1].id, &w), JAGA_OK);
    assert_int_equal(w.lifted, 1);
    assert_int_equal(w.case_closed, 1);
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_ALLOW);
    test_review_close(&r);
}

static void bank_counts(test_review *r, int64_t *active, int64_t *withdrawn)
{
    jaga_bank bank;
    assert_int_equal(jaga_store_bank_get(r->t.store, r->t.ctx, "NOTICES_MY", &bank), JAGA_OK);
    *active = bank.active;
    *withdrawn = bank.withdrawn;
}

/* A hash named by two notices leaves the regulator's bank, and the matcher, with the last. */
static void test_hash_withdrawn(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    const char *md5[] = {"0123456789abcdef0123456789abcdef"};
    jaga_notice first, second;
    jaga_notice_item a, b;
    file(&r, &first, &a, "md5", md5, 1);
    file(&r, &second, &b, "md5", md5, 1);
    int64_t active, withdrawn;
    bank_counts(&r, &active, &withdrawn);
    assert_int_equal(active, 1);
    assert_int_equal(jaga_matcher_count(r.matcher), 1);
    jaga_notice_withdrawal w;
    assert_int_equal(withdraw(&r, "MY", &first, a.id, &w), JAGA_OK);
    assert_int_equal(w.entry_withdrawn, 0);
    assert_int_equal(w.case_closed, 1); /* a hash item's case is its own */
    bank_counts(&r, &active, &withdrawn);
    assert_int_equal(active, 1);
    assert_int_equal(jaga_matcher_count(r.matcher), 1);
    assert_int_equal(withdraw(&r, "MY", &second, b.id, &w), JAGA_OK);
    assert_int_equal(w.entry_withdrawn, 1);
    bank_counts(&r, &active, &withdrawn);
    assert_int_equal(active, 0);
    assert_int_equal(withdrawn, 1);
    assert_int_equal(jaga_matcher_count(r.matcher), 0);
    test_review_close(&r);
}

/* A decision on the item's case stands after the withdrawal: it was the platform's. */
static void test_decision_stands(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    jaga_notice n;
    jaga_notice_item item;
    file_one(&r, &n, &item, "post-1");
    test_claim(&r, item.case_id, "mod-1");
    jaga_decision d = test_withhold(item.case_id, "MY", "MY-CMA-233", "mod-1");
    test_decide(&r, &d, JAGA_OK);
    jaga_notice_withdrawal w;
    assert_int_equal(withdraw(&r, "MY", &n, item.id, &w), JAGA_OK);
    assert_int_equal(w.lifted, 0);
    assert_int_equal(w.case_closed, 0);
    assert_string_equal(case_of(&r, item.case_id).status, "decided");
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_WITHHELD);
    test_review_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_content_withdrawn), cmocka_unit_test(test_case_goes_by_sources_left),
        cmocka_unit_test(test_named_twice),       cmocka_unit_test(test_hash_withdrawn),
        cmocka_unit_test(test_decision_stands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Reviews inside an outer transaction (the server's group commit): what they do to memory
 * (the visibility map, the matcher) waits for that transaction, reaching memory when it
 * commits and never when it rolls back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/jaga.h"
#include "test_support.h"

/* A MY notice naming a content and a PDQ hash, filed in r's review. */
static jaga_status file(test_review *r, const char *content)
{
    jaga_notice n = {0};
    snprintf(n.jurisdiction, sizeof(n.jurisdiction), "MY");
    snprintf(n.reference, sizeof(n.reference), "MCMC/%s", content);
    jaga_notice_item items[2] = {{.kind = "content"}, {.kind = "pdq"}};
    snprintf(items[0].value, sizeof(items[0].value), "%s", content);
    memset(items[1].value, 'a', 64);
    return jaga_notice_receive(r->t.ctx, &r->rv, &n, items, 2);
}

static size_t matcher_entries(test_review *r)
{
    return jaga_matcher_count(r->matcher);
}

/* A review over a fresh store with effects kept, and a notice filed in an outer transaction
 * it opened: memory has not learned of it yet. */
static jaga_review_effects *file_inside(test_review *r, const char *content)
{
    test_review_open(r);
    jaga_review_effects *e = NULL;
    assert_int_equal(jaga_review_effects_open(&e), JAGA_OK);
    r->rv.effects = e;
    assert_int_equal(jaga_store_begin(r->t.store, r->t.ctx), JAGA_OK);
    assert_int_equal(file(r, content), JAGA_OK);
    assert_int_equal(test_seen(r->map, content, "MY"), JAGA_VIS_ALLOW);
    assert_int_equal(matcher_entries(r), 0);
    return e;
}

/* Rolled back: the store and memory hold nothing of it. */
static void test_rollback_drops(void **state)
{
    (void)state;
    test_review r;
    jaga_review_effects *e = file_inside(&r, "post-1");
    jaga_store_rollback(r.t.store);
    jaga_review_effects_free(e);
    r.rv.effects = NULL;
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_ALLOW);
    assert_int_equal(matcher_entries(&r), 0);
    jaga_notice *list = NULL;
    size_t n = 9;
    assert_int_equal(jaga_store_notice_list(r.t.store, r.t.ctx, "MY", &list, &n), JAGA_OK);
    assert_int_equal(n, 0);
    free(list);
    test_review_close(&r);
}

/* Committed: applied, memory as a review of its own would leave it. */
static void test_commit_applies(void **state)
{
    (void)state;
    test_review r;
    jaga_review_effects *e = file_inside(&r, "post-2");
    assert_int_equal(jaga_store_commit(r.t.store, r.t.ctx), JAGA_OK);
    assert_int_equal(jaga_review_effects_apply(e, r.t.ctx, &r.rv), JAGA_OK);
    assert_int_equal(test_seen(r.map, "post-2", "MY"), JAGA_VIS_WITHHELD);
    assert_int_equal(matcher_entries(&r), 1);
    /* Applied once: the set is empty after. */
    assert_int_equal(jaga_review_effects_apply(e, r.t.ctx, &r.rv), JAGA_OK);
    assert_int_equal(matcher_entries(&r), 1);
    jaga_review_effects_free(e);
    test_review_close(&r);
}

/* Without effects, memory follows the review's own commit, as before. */
static void test_own_commit_applies_at_once(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    assert_int_equal(file(&r, "post-3"), JAGA_OK);
    assert_int_equal(test_seen(r.map, "post-3", "MY"), JAGA_VIS_WITHHELD);
    assert_int_equal(matcher_entries(&r), 1);
    test_review_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rollback_drops),
        cmocka_unit_test(test_commit_applies),
        cmocka_unit_test(test_own_commit_applies_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

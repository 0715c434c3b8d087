/* Visibility: restrictions, country blocks and cases in the store, what a policy stores for a
 * content, and the in-memory map's answers (scope, severity, blocks, lifts, reload). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/policy.h"
#include "jaga/visibility.h"
#include "test_support.h"

typedef test_store fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    test_store_open(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    test_store_close(*state);
    free(*state);
    return 0;
}

static jaga_restriction restriction(const char *content, const char *scope, jaga_visibility v,
                                    const char *reason)
{
    jaga_restriction r = {.visibility = v};
    snprintf(r.content_id, sizeof(r.content_id), "%s", content);
    snprintf(r.scope, sizeof(r.scope), "%s", scope);
    snprintf(r.reason, sizeof(r.reason), "%s", reason);
    snprintf(r.source, sizeof(r.source), "test");
    return r;
}

static jaga_visibility answer(jaga_visibility_map *m, const char *content, const char *country,
                              const char *jurisdiction)
{
    jaga_visibility_answer a;
    jaga_visibility_map_answer(m, content, country, jurisdiction, &a);
    return a.visibility;
}

static int count_restriction(void *arg, const jaga_restriction *r)
{
    (void)r;
    (*(int *)arg)++;
    return 0;
}

static void test_store_and_map(void **state)
{
    fixture *f = *state;
    jaga_visibility_map *m;
    assert_int_equal(jaga_visibility_map_open(&m), JAGA_OK);
    jaga_restriction rs[] = {restriction("post-1", "MY", JAGA_VIS_WITHHELD, "regulator_notice"),
                             restriction("post-1", "*", JAGA_VIS_BLUR, "explicit"),
                             restriction("post-2", "ZZ", JAGA_VIS_AGE_GATE, "x")};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(jaga_store_restriction_add(f->store, f->ctx, &rs[i]), JAGA_OK);
        assert_true(rs[i].id > 0);
        assert_int_equal(jaga_visibility_map_add(m, f->ctx, &rs[i]), JAGA_OK);
    }
    /* Scope and severity: withheld in MY, blurred elsewhere; post-2 only under ZZ. */
    assert_int_equal(answer(m, "post-1", "MY", "MY"), JAGA_VIS_WITHHELD);
    assert_int_equal(answer(m, "post-1", "BR", "ZZ"), JAGA_VIS_BLUR);
    assert_int_equal(answer(m, "post-2", "BR", "ZZ"), JAGA_VIS_AGE_GATE);
    assert_int_equal(answer(m, "post-2", "MY", "MY"), JAGA_VIS_ALLOW);
    assert_int_equal(answer(m, "post-3", "MY", "MY"), JAGA_VIS_ALLOW);
    jaga_visibility_answer a;
    /* A viewer with the sensitive-content filter off: blurring does not apply to them, the
     * more severe restrictions do. */
    jaga_visibility_map_answer_viewer(m, "post-1", "BR", "ZZ", 0, &a);
    assert_int_equal(a.visibility, JAGA_VIS_ALLOW);
    jaga_visibility_map_answer_viewer(m, "post-1", "MY", "MY", 0, &a);
    assert_int_equal(a.visibility, JAGA_VIS_WITHHELD);
    jaga_visibility_map_answer_viewer(m, "post-2", "BR", "ZZ", 0, &a);
    assert_int_equal(a.visibility, JAGA_VIS_AGE_GATE);
    jaga_visibility_map_answer(m, "post-1", "MY", "MY", &a);
    assert_string_equal(a.reason, "regulator_notice");
    assert_int_equal(a.restriction_id, rs[0].id);
    /* A country block withholds everything there, restricted or not. */
    jaga_country_block b = {.country = "MY", .reason = "court_order"};
    assert_int_equal(jaga_store_block_set(f->store, f->ctx, &b), JAGA_OK);
    assert_int_equal(jaga_visibility_map_block(m, f->ctx, &b), JAGA_OK);
    jaga_visibility_map_answer(m, "post-3", "MY", "MY", &a);
    assert_int_equal(a.visibility, JAGA_VIS_WITHHELD);
    assert_true(a.country_block);
    assert_string_equal(a.reason, "court_order");
    assert_int_equal(answer(m, "post-3", "ID", "ID"), JAGA_VIS_ALLOW);
    /* Lifting: the store and the map. */
    assert_int_equal(jaga_store_restriction_lift(f->store, f->ctx, rs[0].id), JAGA_OK);
    assert_int_equal(jaga_store_restriction_lift(f->store, f->ctx, rs[0].id), JAGA_ERR_NOT_FOUND);
    jaga_visibility_map_lift(m, "post-1", rs[0].id);
    assert_int_equal(jaga_store_block_clear(f->store, f->ctx, "MY"), JAGA_OK);
    assert_int_equal(jaga_store_block_clear(f->store, f->ctx, "MY"), JAGA_ERR_NOT_FOUND);
    jaga_visibility_map_unblock(m, "MY");
    assert_int_equal(answer(m, "post-1", "MY", "MY"), JAGA_VIS_BLUR);
    assert_int_equal(jaga_visibility_map_count(m), 2);
    jaga_visibility_map_free(m);
    /* A fresh map loads what is in force. */
    int n = 0;
    assert_int_equal(jaga_store_restrictions_each(f->store, f->ctx, NULL, count_restriction, &n),
                     JAGA_OK);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(
        jaga_store_restrictions_each(f->store, f->ctx, "post-1", count_restriction, &n), JAGA_OK);
    assert_int_equal(n, 1);
    b = (jaga_country_block){.country = "ID", .reason = "x"};
    assert_int_equal(jaga_store_block_set(f->store, f->ctx, &b), JAGA_OK);
    assert_int_equal(jaga_visibility_map_open(&m), JAGA_OK);
    assert_int_equal(jaga_visibility_map_load(m, f->ctx, f->store), JAGA_OK);
    assert_int_equal(jaga_visibility_map_count(m), 2);
    assert_int_equal(answer(m, "post-1", "BR", "ZZ"), JAGA_VIS_BLUR);
    assert_int_equal(answer(m, "post-9", "ID", "ID"), JAGA_VIS_WITHHELD);
    jaga_visibility_map_free(m);
    /* Bad input. */
    jaga_restriction bad = restriction("post-1", "my", JAGA_VIS_BLUR, "x");
    assert_int_equal(jaga_store_restriction_add(f->store, f->ctx, &bad), JAGA_ERR_INVALID);
    b = (jaga_country_block){.country = "*"};
    assert_int_equal(jaga_store_block_set(f->store, f->ctx, &b), JAGA_ERR_INVALID);
}

static void test_many_contents(void **state)
{
    (void)state;
    jaga_visibility_map *m;
    assert_int_equal(jaga_visibility_map_open(&m), JAGA_OK);
    for (int i = 0; i < 5000; i++) {
        char id[32];
        snprintf(id, sizeof(id), "c-%d", i);
        jaga_restriction r = restriction(id, i % 2 ? "MY" : "*", JAGA_VIS_WITHHELD, "x");
        r.id = i + 1;
        assert_int_equal(jaga_visibility_map_add(m, NULL, &r), JAGA_OK);
    }
    assert_int_equal(answer(m, "c-4999", "MY", "MY"), JAGA_VIS_WITHHELD);
    assert_int_equal(answer(m, "c-4999", "BR", "ZZ"), JAGA_VIS_ALLOW);
    assert_int_equal(answer(m, "c-0", "BR", "ZZ"), JAGA_VIS_WITHHELD);
    assert_int_equal(answer(m, "c-5000", "BR", "ZZ"), JAGA_VIS_ALLOW);
    assert_int_equal(jaga_visibility_map_count(m), 5000);
    jaga_visibility_map_free(m);
}

static void test_policy_act(void **state)
{
    fixture *f = *state;
    jaga_policy *p = NULL;
    assert_int_equal(jaga_policy_load(f->ctx, JAGA_SOURCE_DIR "/policy/default.json", &p), JAGA_OK);
    jaga_restriction r[8];
    jaga_case_source c[8];
    size_t nr, nc;
    /* An unverified NCII match: held everywhere (not removed), one case due in 24 h. */
    jaga_policy_match match = {"NCII", "category=ncii_deepfake", 0};
    jaga_policy_input in = {.matches = &match, .nmatches = 1};
    jaga_policy_act(p, "post-1", &in, 1000, r, 8, &nr, c, 8, &nc);
    assert_int_equal(nr, 1);
    assert_string_equal(r[0].scope, "*");
    assert_int_equal(r[0].visibility, JAGA_VIS_WITHHELD);
    assert_true(r[0].provisional);
    assert_int_equal(r[0].expires_at, 1000 + 7 * 86400); /* the default provisional expiry */
    assert_string_equal(r[0].source, "rule:ncii-hash-match");
    assert_int_equal(nc, 1);
    assert_int_equal(c[0].deadline_at, 1000 + 24 * 3600);
    assert_int_equal(c[0].priority, 1);
    assert_string_equal(c[0].ref, "rule:ncii-hash-match");
    assert_string_equal(c[0].team, "ncii");
    assert_int_equal(jaga_store_restriction_add(f->store, f->ctx, &r[0]), JAGA_OK);
    /* Verified: removed, automated. */
    match.verified = 1;
    jaga_policy_act(p, "post-1", &in, 1000, r, 8, &nr, c, 8, &nc);
    assert_int_equal(r[0].visibility, JAGA_VIS_REMOVED);
    assert_true(r[0].automated);
    assert_int_equal(r[0].expires_at, 0); /* final: it does not expire */
    /* A notice acts in its jurisdiction only. */
    jaga_policy_input notice = {.notice = 1};
    jaga_policy_act(p, "post-2", &notice, 0, r, 8, &nr, c, 8, &nc);
    assert_int_equal(nr, 8); /* one notice rule per named jurisdiction */
    assert_string_equal(r[0].scope, "MY");
    assert_string_equal(r[0].legal_id, "MY-MCMC-2024");
    assert_int_equal(c[0].deadline_at, 48 * 3600);
    /* Room for fewer than there are: counted all the same. */
    jaga_policy_act(p, "post-2", &notice, 0, r, 2, &nr, c, 0, &nc);
    assert_int_equal(nr, 8);
    assert_int_equal(nc, 8);
    jaga_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_and_map, setup, teardown),
        cmocka_unit_test(test_many_contents),
        cmocka_unit_test_setup_teardown(test_policy_act, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

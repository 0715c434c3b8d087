/* Cases: a notice received (cases, a provisional hold in its jurisdiction only, hashes into
 * the regulator's bank and the matcher) and decisions applied (items actioned, holds lifted,
 * final restrictions), against the shipped default policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/jaga.h"
#include "test_support.h"

static const char *const H1 = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

static jaga_visibility seen(jaga_visibility_map *m, const char *content, const char *cc)
{
    jaga_visibility_answer a;
    jaga_visibility_map_answer(m, content, cc, cc, &a);
    return a.visibility;
}

static void test_notice_and_decision(void **state)
{
    (void)state;
    test_store t;
    test_store_open(&t);
    jaga_ctx *ctx = t.ctx;
    jaga_store *db = t.store;
    jaga_policy *p;
    jaga_matcher *matcher;
    jaga_visibility_map *map;
    assert_int_equal(jaga_policy_load(ctx, JAGA_SOURCE_DIR "/policy/default.json", &p), JAGA_OK);
    assert_int_equal(jaga_matcher_open(ctx, db, NULL, &matcher), JAGA_OK);
    assert_int_equal(jaga_visibility_map_open(&map), JAGA_OK);

    jaga_notice n = {.jurisdiction = "MY", .reference = "MCMC/1"};
    jaga_notice_item items[3] = {{.kind = "content", .value = "post-1"},
                                 {.kind = "pdq"},
                                 {.kind = "url", .value = "https://example.com/x"}};
    strcpy(items[1].value, H1);
    assert_int_equal(jaga_notice_receive(ctx, db, p, matcher, map, &n, items, 3), JAGA_OK);
    assert_true(n.id > 0);
    assert_int_equal(n.deadline_at - n.received_at, 48 * 3600); /* MY's notice deadline */
    assert_string_equal(n.penalty_currency, "MYR");
    assert_true(items[0].case_id > 0 && items[1].case_id > 0 && items[2].case_id > 0);
    /* The content is held in MY only, provisionally. */
    assert_int_equal(seen(map, "post-1", "MY"), JAGA_VIS_WITHHELD);
    assert_int_equal(seen(map, "post-1", "ID"), JAGA_VIS_ALLOW);
    /* The hash is in NOTICES_MY and matches at once. */
    jaga_bank bank;
    assert_int_equal(jaga_store_bank_get(db, ctx, "NOTICES_MY", &bank), JAGA_OK);
    assert_int_equal(bank.active, 1);
    jaga_pdq_hash h;
    jaga_pdq_from_hex(H1, &h);
    jaga_match found[4];
    size_t count;
    jaga_match_query q = {.pdq = &h, .npdq = 1};
    assert_int_equal(jaga_matcher_match(matcher, ctx, &q, found, 4, &count), JAGA_OK);
    assert_int_equal(count, 1);
    assert_int_equal(found[0].bank_id, bank.id);

    /* Withhold in MY, on the law: the hold is lifted, a final restriction stored, the item
     * actioned. */
    jaga_case_decision d = {.case_id = items[0].case_id,
                            .action = "withhold",
                            .ground = "law",
                            .legal_id = "MY-CMA-233"};
    const char countries[1][3] = {"MY"};
    jaga_decision_result res;
    assert_int_equal(jaga_case_apply_decision(ctx, db, map, &d, countries, 1, &res), JAGA_OK);
    assert_int_equal(res.lifted, 1);
    assert_int_equal(res.added, 1);
    jaga_visibility_answer a;
    jaga_visibility_map_answer(map, "post-1", "MY", "MY", &a);
    assert_int_equal(a.visibility, JAGA_VIS_WITHHELD);
    assert_false(a.provisional);
    jaga_notice_item *stored;
    size_t nstored;
    assert_int_equal(jaga_store_notice_items(db, ctx, n.id, &stored, &nstored), JAGA_OK);
    assert_int_equal(nstored, 3);
    assert_true(stored[0].actioned_at > 0);
    assert_string_equal(stored[0].action, "withhold");
    assert_int_equal(stored[1].actioned_at, 0);
    free(stored);
    /* Twice: a conflict, nothing changes. An unknown case: not found. */
    assert_int_equal(jaga_case_apply_decision(ctx, db, map, &d, countries, 1, &res),
                     JAGA_ERR_CONFLICT);
    d.case_id = 9999;
    assert_int_equal(jaga_case_apply_decision(ctx, db, map, &d, countries, 1, &res),
                     JAGA_ERR_NOT_FOUND);
    /* no_violation on the hash item's case: actioned, no restriction. */
    jaga_case_decision ok = {.case_id = items[1].case_id, .action = "no_violation"};
    assert_int_equal(jaga_case_apply_decision(ctx, db, map, &ok, NULL, 0, &res), JAGA_OK);
    assert_int_equal(res.added, 0);

    /* A scan matching an unverified NCII entry: held everywhere with a case; recorded once. */
    jaga_bank ncii;
    jaga_bank_init(&ncii, "NCII");
    assert_int_equal(jaga_store_bank_create(db, ctx, &ncii), JAGA_OK);
    assert_int_equal(jaga_matcher_set_bank(matcher, ctx, db, &ncii), JAGA_OK);
    jaga_entry e = {.bank_id = ncii.id, .type = JAGA_SIGNAL_MD5, .quality = -1};
    strcpy(e.value, "d41d8cd98f00b204e9800998ecf8427e");
    strcpy(e.labels, "category=ncii_deepfake");
    jaga_apply_result ar;
    assert_int_equal(jaga_store_entry_apply(db, ctx, &e, &ar), JAGA_OK);
    assert_int_equal(jaga_matcher_apply(matcher, ctx, &e), JAGA_OK);
    jaga_match_query dq = {.md5 = e.value};
    assert_int_equal(jaga_matcher_match(matcher, ctx, &dq, found, 4, &count), JAGA_OK);
    assert_int_equal(count, 1);
    jaga_content c = {.content_id = "post-9", .pdq = "", .matches_json = strdup("[]")};
    assert_int_equal(jaga_scan_record(ctx, db, p, matcher, map, &c, found, count), JAGA_OK);
    assert_int_equal(seen(map, "post-9", "FR"), JAGA_VIS_WITHHELD);
    jaga_case *cases;
    size_t ncases;
    assert_int_equal(jaga_store_case_list(db, ctx, "post-9", &cases, &ncases), JAGA_OK);
    assert_int_equal(ncases, 1);
    assert_string_equal(cases[0].source, "rule:ncii-hash-match");
    free(cases);
    assert_int_equal(jaga_scan_record(ctx, db, p, matcher, map, &c, found, count),
                     JAGA_ERR_CONFLICT);
    assert_int_equal(jaga_visibility_map_count(map), 2); /* the decided one, post-9's hold */
    jaga_content_clear(&c);

    jaga_visibility_map_free(map);
    jaga_matcher_free(matcher);
    jaga_policy_free(p);
    test_store_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_notice_and_decision)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

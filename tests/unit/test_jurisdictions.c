/* Cases per jurisdiction, against the shipped default policy and the routing example of
 * docs/review.md: a regulator's order is decided in its own jurisdiction by a team whose remit
 * holds it; a decision changes nothing where it does not act; legal grounds are those of the
 * country decided. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/jaga.h"
#include "test_support.h"

/* docs/review.md's "teams" example. */
static const jaga_route doc_routes[] = {
    {.team = "ncii-my",
     .lead = "ncii-leads",
     .jurisdictions = {"MY"},
     .njurisdictions = 1,
     .specialties = {"ncii"},
     .nspecialties = 1},
    {.team = "malay",
     .lead = "malay-leads",
     .jurisdictions = {"MY"},
     .njurisdictions = 1,
     .languages = {"ms"},
     .nlanguages = 1},
    {.team = "indonesian", .jurisdictions = {"ID"}, .njurisdictions = 1},
    {.team = "global"},
};
static const jaga_routing doc_routing = {doc_routes, 4};

static void open_review(test_review *r)
{
    test_review_open(r);
    r->rv.routing = &doc_routing;
}

/* who, of teams, claims the case and decides no_violation, answered want. */
static void clear(test_review *r, int64_t case_id, const char *who, const char *teams,
                  jaga_status want)
{
    test_claim(r, case_id, who);
    jaga_decision d = {.case_id = case_id, .action = "no_violation"};
    snprintf(d.decided_by, sizeof(d.decided_by), "%s", who);
    snprintf(d.teams, sizeof(d.teams), "%s", teams);
    test_decide(r, &d, want);
}

static int64_t notice(test_review *r, const char *jurisdiction, const char *content, jaga_notice *n)
{
    memset(n, 0, sizeof(*n));
    snprintf(n->jurisdiction, sizeof(n->jurisdiction), "%s", jurisdiction);
    snprintf(n->reference, sizeof(n->reference), "%s/1", jurisdiction);
    jaga_notice_item item = {.kind = "content"};
    snprintf(item.value, sizeof(item.value), "%s", content);
    assert_int_equal(jaga_notice_receive(r->t.ctx, &r->rv, n, &item, 1), JAGA_OK);
    return item.case_id;
}

static jaga_case case_of(test_review *r, int64_t id)
{
    jaga_case c;
    assert_int_equal(jaga_store_case_get(r->t.store, r->t.ctx, id, &c), JAGA_OK);
    return c;
}

/* An Indonesian case and a Malaysian notice on the same content: two cases, each in its own
 * team's queue; ID's no_violation leaves MY's order and MY's notice item as they were. */
static void test_notice_of_another_jurisdiction(void **state)
{
    (void)state;
    test_review r;
    open_review(&r);
    jaga_notice id_notice, my_notice;
    int64_t id_case = notice(&r, "ID", "post-1", &id_notice);
    int64_t my_case = notice(&r, "MY", "post-1", &my_notice);
    assert_true(id_case != my_case);
    assert_string_equal(case_of(&r, id_case).team, "indonesian");
    assert_string_equal(case_of(&r, my_case).team, "malay"); /* MY's language is ms */
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_WITHHELD);
    assert_int_equal(test_seen(r.map, "post-1", "ID"), JAGA_VIS_WITHHELD);

    clear(&r, id_case, "mod-id", "indonesian", JAGA_OK);
    assert_int_equal(test_seen(r.map, "post-1", "ID"), JAGA_VIS_ALLOW);
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_WITHHELD); /* MY's order */
    jaga_notice_item *items;
    size_t n;
    assert_int_equal(jaga_store_notice_items(r.t.store, r.t.ctx, my_notice.id, &items, &n),
                     JAGA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].actioned_at, 0);
    assert_string_equal(items[0].action, "");
    free(items);
    assert_string_equal(case_of(&r, my_case).status, "open");

    /* The Indonesian team cannot decide MY's case even holding it: outside its remit. */
    clear(&r, my_case, "mod-id", "indonesian", JAGA_ERR_DENIED);
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_WITHHELD);
    test_review_close(&r);
}

/* The effect a decision result gives place. */
static void assert_effect(const jaga_decision_result *res, const char *place,
                          jaga_visibility before, jaga_visibility after)
{
    for (size_t i = 0; i < res->neffect; i++)
        if (strcmp(res->effect[i].place, place) == 0) {
            assert_int_equal(res->effect[i].before, before);
            assert_int_equal(res->effect[i].after, after);
            return;
        }
    fail_msg("no effect in %s", place);
}

/* A provisional hold everywhere (NCII on a bank nobody verified) on an upload from MY: the case
 * is MY's, for ncii-my; withholding in MY keeps the hold everywhere else, which goes on to the
 * platform-wide case of the global team. */
static void test_hold_everywhere_outlives_local_decision(void **state)
{
    (void)state;
    test_review r;
    open_review(&r);
    jaga_ctx *ctx = r.t.ctx;
    test_scan_ncii(&r, "upload-my", "MY");
    jaga_case *cases;
    size_t n;
    assert_int_equal(jaga_store_case_list(r.t.store, ctx, "upload-my", &cases, &n), JAGA_OK);
    assert_int_equal(n, 1);
    jaga_case mine = cases[0];
    free(cases);
    assert_string_equal(mine.jurisdiction, "MY");
    assert_string_equal(mine.language, "ms");
    assert_string_equal(mine.team, "ncii-my");
    assert_string_equal(mine.lead_team, "ncii-leads");
    assert_int_equal(test_seen(r.map, "upload-my", "BR"), JAGA_VIS_WITHHELD);

    test_claim(&r, mine.id, "mod-my");
    /* Removal acts everywhere: not for a team whose remit is MY. */
    jaga_decision wide = {.case_id = mine.id,
                          .action = "remove",
                          .ground = "terms",
                          .category = "ncii_deepfake",
                          .decided_by = "mod-my",
                          .teams = "ncii-my"};
    test_decide(&r, &wide, JAGA_ERR_DENIED);
    /* A Malaysian law is not Indonesia's: refused with MY's and ID's choices named. */
    jaga_decision d = {.case_id = mine.id,
                       .action = "withhold",
                       .countries = "ID",
                       .ground = "law",
                       .legal_id = "MY-OSA-2025",
                       .category = "ncii_deepfake",
                       .decided_by = "mod-my",
                       .teams = "ncii-my"};
    test_decide(&r, &d, JAGA_ERR_INVALID); /* ID is not this case's jurisdiction */
    strcpy(d.countries, "MY");
    strcpy(d.legal_id, "ID-ITE-27-1");
    test_decide(&r, &d, JAGA_ERR_INVALID);
    assert_non_null(strstr(jaga_errmsg(ctx), "MY-OSA-2025"));
    strcpy(d.legal_id, "MY-OSA-2025");
    /* Previewed first: what viewers in each place will see, and nothing written. */
    jaga_decision_result res;
    d.preview = 1;
    assert_int_equal(jaga_case_apply_decision(ctx, &r.rv, &d, &res), JAGA_OK);
    assert_int_equal(d.id, 0);
    assert_int_equal(res.neffect, 2);
    assert_effect(&res, "*", JAGA_VIS_WITHHELD, JAGA_VIS_WITHHELD); /* the hold stays */
    assert_effect(&res, "MY", JAGA_VIS_WITHHELD, JAGA_VIS_WITHHELD);
    jaga_decision clear_my = d;
    strcpy(clear_my.action, "no_violation");
    assert_int_equal(jaga_case_apply_decision(ctx, &r.rv, &clear_my, &res), JAGA_OK);
    assert_effect(&res, "MY", JAGA_VIS_WITHHELD, JAGA_VIS_ALLOW);
    assert_effect(&res, "*", JAGA_VIS_WITHHELD, JAGA_VIS_WITHHELD);
    jaga_decision *none;
    assert_int_equal(jaga_store_decisions(r.t.store, ctx, mine.id, &none, &n), JAGA_OK);
    free(none);
    assert_int_equal(n, 0);
    assert_int_equal(test_seen(r.map, "upload-my", "MY"), JAGA_VIS_WITHHELD);
    d.preview = 0;
    assert_int_equal(jaga_case_apply_decision(ctx, &r.rv, &d, &res), JAGA_OK);
    assert_true(d.id > 0);
    assert_effect(&res, "MY", JAGA_VIS_WITHHELD, JAGA_VIS_WITHHELD);
    assert_non_null(strstr(d.statement, "Online Safety Act 2025"));
    assert_non_null(strstr(d.statement, "\"territorial_scope\":[]")); /* not the EEA */
    assert_int_equal(test_seen(r.map, "upload-my", "MY"), JAGA_VIS_WITHHELD);
    assert_int_equal(test_seen(r.map, "upload-my", "BR"), JAGA_VIS_WITHHELD); /* still held */
    jaga_visibility_answer a;
    jaga_visibility_map_answer(r.map, "upload-my", "MY", "MY", &a);
    assert_false(a.provisional); /* MY's is the person's decision */
    jaga_visibility_map_answer(r.map, "upload-my", "BR", "ZZ", &a);
    assert_true(a.provisional);

    /* The hold elsewhere waits in the global team's queue, as the platform's case. */
    assert_int_equal(jaga_store_case_list(r.t.store, ctx, "upload-my", &cases, &n), JAGA_OK);
    assert_int_equal(n, 2);
    jaga_case everywhere = cases[1];
    free(cases);
    assert_string_equal(everywhere.jurisdiction, "*");
    assert_string_equal(everywhere.team, "global");
    assert_string_equal(everywhere.status, "open");
    clear(&r, everywhere.id, "mod-global", "global", JAGA_OK);
    assert_int_equal(test_seen(r.map, "upload-my", "BR"), JAGA_VIS_ALLOW);
    assert_int_equal(test_seen(r.map, "upload-my", "MY"), JAGA_VIS_WITHHELD); /* MY's stays */
    test_review_close(&r);
}

/* A local no_violation under a provisional hold everywhere clears its country only. */
static void test_local_clearance(void **state)
{
    (void)state;
    test_review r;
    open_review(&r);
    /* A deepfake report from MY in Malay: rapid, for ncii-my (the report rule's specialty). */
    jaga_report rep = {
        .content_id = "post-5", .category = "ncii_deepfake", .country = "MY", .language = "ms"};
    assert_int_equal(jaga_report_receive(r.t.ctx, &r.rv, &rep), JAGA_OK);
    jaga_case c = case_of(&r, rep.case_id);
    assert_string_equal(c.team, "ncii-my");
    assert_string_equal(c.jurisdiction, "MY");
    assert_true(rep.rapid);
    assert_int_equal(test_seen(r.map, "post-5", "DE"), JAGA_VIS_WITHHELD);
    clear(&r, c.id, "mod-my", "ncii-my", JAGA_OK);
    assert_int_equal(test_seen(r.map, "post-5", "MY"), JAGA_VIS_ALLOW);
    assert_int_equal(test_seen(r.map, "post-5", "DE"), JAGA_VIS_WITHHELD);
    test_review_close(&r);
}

/* An explicit image uploaded from MY (classifier score over the rules' 0.9): withheld in MY
 * under its law, in ID under its own, blurred elsewhere; each law's hold a case of its own
 * jurisdiction: MY's (the platform-wide rule's too, the uploader's) for malay (no specialty;
 * MY speaks ms), ID's for indonesian, AU's for global. */
static void test_explicit_hold_goes_to_malay(void **state)
{
    (void)state;
    test_review r;
    open_review(&r);
    jaga_content c = {.pdq = "", .matches_json = strdup("[]")};
    snprintf(c.content_id, sizeof(c.content_id), "explicit-1");
    snprintf(c.uploader_country, sizeof(c.uploader_country), "MY");
    snprintf(c.scores, sizeof(c.scores), "{\"porn\": 0.97, \"neutral\": 0.01}");
    assert_int_equal(jaga_scan_record(r.t.ctx, &r.rv, &c, NULL, 0), JAGA_OK);
    jaga_content_clear(&c);
    assert_int_equal(test_seen(r.map, "explicit-1", "MY"), JAGA_VIS_WITHHELD);
    assert_int_equal(test_seen(r.map, "explicit-1", "ID"), JAGA_VIS_WITHHELD);
    assert_int_equal(test_seen(r.map, "explicit-1", "BR"), JAGA_VIS_BLUR);
    static const char *const want[][4] = {{"MY", "ms", "malay", "malay-leads"},
                                          {"ID", "id", "indonesian", "indonesian-lead"},
                                          {"AU", "en", "global", "global-lead"}};
    for (size_t k = 0; k < 3; k++) {
        jaga_case found;
        assert_int_equal(
            jaga_store_case_active(r.t.store, r.t.ctx, "explicit-1", want[k][0], &found), JAGA_OK);
        assert_string_equal(found.language, want[k][1]);
        assert_string_equal(found.team, want[k][2]);
        assert_string_equal(found.lead_team, want[k][3]);
    }
    jaga_case *cases;
    size_t n;
    assert_int_equal(jaga_store_case_list(r.t.store, r.t.ctx, "explicit-1", &cases, &n), JAGA_OK);
    free(cases);
    assert_int_equal(n, 3);
    test_review_close(&r);
}

/* Remits from routes: the teams and leads of routes with jurisdictions reach those only; a
 * route without any, or a team no route names, reaches everywhere. */
static void test_remit(void **state)
{
    (void)state;
    assert_true(jaga_route_remit(&doc_routing, "ncii-my", "MY"));
    assert_true(jaga_route_remit(&doc_routing, "ncii-leads", "MY"));
    assert_false(jaga_route_remit(&doc_routing, "ncii-my", "ID"));
    assert_false(jaga_route_remit(&doc_routing, "ncii-my", "*"));
    assert_true(jaga_route_remit(&doc_routing, "malay,indonesian", "ID"));
    assert_true(jaga_route_remit(&doc_routing, "indonesian-lead", "ID"));
    assert_true(jaga_route_remit(&doc_routing, "global", "*"));
    assert_true(jaga_route_remit(&doc_routing, "global-lead", "VN"));
    assert_true(jaga_route_remit(&doc_routing, "child-safety", "*"));
    assert_false(jaga_route_remit(&doc_routing, "", "MY"));
    assert_true(jaga_route_remit(NULL, "anyone", "*"));
}

/* A platform-wide decision on a country's case settles the content's platform-wide case: the
 * hold it waited on is this decision's to end. */
static void test_platform_wide_settles(void **state)
{
    (void)state;
    test_review r;
    open_review(&r);
    jaga_ctx *ctx = r.t.ctx;
    test_scan_ncii(&r, "upload-x", ""); /* no uploader country: the platform's own case */
    int64_t my = test_report(&r, "upload-x", "harassment", "MY", 0);
    jaga_case *cases;
    size_t n;
    assert_int_equal(jaga_store_case_list(r.t.store, ctx, "upload-x", &cases, &n), JAGA_OK);
    assert_int_equal(n, 2);
    int64_t wide = strcmp(cases[0].jurisdiction, "*") == 0 ? cases[0].id : cases[1].id;
    free(cases);
    test_claim(&r, my, "mod-global");
    jaga_decision d = {.case_id = my,
                       .action = "remove",
                       .ground = "terms",
                       .category = "ncii_deepfake",
                       .decided_by = "mod-global",
                       .teams = "global"};
    test_decide(&r, &d, JAGA_OK);
    jaga_case settled;
    assert_int_equal(jaga_store_case_get(r.t.store, ctx, wide, &settled), JAGA_OK);
    assert_string_equal(settled.status, "decided");
    assert_int_equal(settled.decision_id, d.id);
    assert_int_equal(test_seen(r.map, "upload-x", "BR"), JAGA_VIS_REMOVED);
    /* A local decision leaves it be. */
    test_scan_ncii(&r, "upload-y", "");
    int64_t mine = test_report(&r, "upload-y", "harassment", "MY", 0);
    test_claim(&r, mine, "mod-my");
    jaga_decision local = {.case_id = mine,
                           .action = "withhold",
                           .countries = "MY",
                           .ground = "terms",
                           .category = "harassment",
                           .decided_by = "mod-my",
                           .teams = "ncii-my"};
    test_decide(&r, &local, JAGA_OK);
    jaga_case open_wide;
    assert_int_equal(jaga_store_case_active(r.t.store, ctx, "upload-y", "*", &open_wide), JAGA_OK);
    assert_string_equal(open_wide.status, "open");
    test_review_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notice_of_another_jurisdiction),
        cmocka_unit_test(test_hold_everywhere_outlives_local_decision),
        cmocka_unit_test(test_local_clearance),
        cmocka_unit_test(test_explicit_hold_goes_to_malay),
        cmocka_unit_test(test_remit),
        cmocka_unit_test(test_platform_wide_settles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The review queue: routing, deadline order, leases, many concurrent claimers, the sweeper
 * (escalations, breaches, expiries, webhook events), webhook signatures. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jaga/jaga.h"
#include "test_support.h"

static void test_routing(void **state)
{
    (void)state;
    jaga_route routes[3] = {0};
    strcpy(routes[0].team, "ncii-my");
    strcpy(routes[0].jurisdictions[0], "MY");
    routes[0].njurisdictions = 1;
    strcpy(routes[0].specialties[0], "ncii");
    routes[0].nspecialties = 1;
    strcpy(routes[1].team, "ms");
    strcpy(routes[1].lead, "ms-leads");
    strcpy(routes[1].languages[0], "ms");
    routes[1].nlanguages = 1;
    strcpy(routes[2].team, "id");
    strcpy(routes[2].jurisdictions[0], "ID");
    routes[2].njurisdictions = 1;
    jaga_routing routing = {routes, 3};
    char team[JAGA_CASE_CODE_MAX], lead[JAGA_CASE_CODE_MAX];
    jaga_route_case(&routing, "MY", "ms", "ncii", team, lead);
    assert_string_equal(team, "ncii-my");
    assert_string_equal(lead, "ncii-my-lead");
    jaga_route_case(&routing, "MY", "ms", "", team, lead);
    assert_string_equal(team, "ms");
    assert_string_equal(lead, "ms-leads");
    jaga_route_case(&routing, "ID", "id", "", team, lead);
    assert_string_equal(team, "id");
    /* No route: the rule's team, else the global one. */
    jaga_route_case(&routing, "VN", "vi", "child-safety", team, lead);
    assert_string_equal(team, "child-safety");
    jaga_route_case(NULL, "VN", "vi", "", team, lead);
    assert_string_equal(team, "global");
    assert_string_equal(lead, "global-lead");
}

static void test_deadline_order_and_leases(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    jaga_ctx *ctx = r.t.ctx;
    /* Harassment from BR: 72 h (the default jurisdiction's notice deadline). A deepfake
     * reported from MY: first review within 5 minutes. A scam from ID: 24 h. */
    int64_t slow = test_report(&r, "a", "harassment", "BR", 0);
    int64_t rapid = test_report(&r, "b", "ncii_deepfake", "MY", 0);
    int64_t scam = test_report(&r, "c", "scam", "ID", 0);
    jaga_case c;
    /* The deepfake report goes to the team its report rule names (no routes here). */
    assert_int_equal(jaga_queue_claim(ctx, &r.rv, "ncii", "mod-1", 600, &c), JAGA_OK);
    assert_int_equal(c.id, rapid);
    assert_int_equal(c.first_reviewed_at, r.rv.now); /* the first look, in time */
    assert_int_equal(jaga_queue_claim(ctx, &r.rv, "global", "mod-2", 600, &c), JAGA_OK);
    assert_int_equal(c.id, scam);
    assert_int_equal(jaga_queue_claim(ctx, &r.rv, "global", "mod-3", 600, &c), JAGA_OK);
    assert_int_equal(c.id, slow);
    assert_int_equal(jaga_queue_claim(ctx, &r.rv, "global", "mod-4", 600, &c), JAGA_ERR_NOT_FOUND);
    /* Released: back in line. An expired lease returns the case by itself. */
    assert_int_equal(jaga_case_release(ctx, &r.rv, scam, "mod-1"), JAGA_ERR_CONFLICT);
    assert_int_equal(jaga_case_release(ctx, &r.rv, scam, "mod-2"), JAGA_OK);
    assert_int_equal(jaga_queue_claim(ctx, &r.rv, "global", "mod-4", 600, &c), JAGA_OK);
    assert_int_equal(c.id, scam);
    r.rv.now += 601;
    assert_int_equal(jaga_queue_claim(ctx, &r.rv, "ncii", "mod-5", 600, &c), JAGA_OK);
    assert_int_equal(c.id, rapid); /* mod-1's lease ran out */
    jaga_decision d = {.case_id = rapid, .action = "no_violation", .decided_by = "mod-1"};
    jaga_decision_result res;
    assert_int_equal(jaga_case_apply_decision(ctx, &r.rv, &d, &res), JAGA_ERR_CONFLICT);
    strcpy(d.decided_by, "mod-5");
    assert_int_equal(jaga_case_apply_decision(ctx, &r.rv, &d, &res), JAGA_OK);
    /* Ties on the deadline: the more urgent priority first (a trusted flagger's), then the
     * case with more reports. */
    r.rv.now += 1000;
    int64_t user = test_report(&r, "d", "hate_speech", "BR", 0);
    int64_t flagger = test_report(&r, "e", "hate_speech", "BR", 1);
    int64_t many = test_report(&r, "f", "hate_speech", "BR", 0);
    test_report(&r, "f", "hate_speech", "BR", 0);
    jaga_case *queue;
    size_t n;
    assert_int_equal(jaga_store_case_queue(r.t.store, ctx, "global", 10, &queue, &n), JAGA_OK);
    assert_int_equal(n, 5);              /* a, c (held) and the three new ones */
    assert_int_equal(queue[0].id, scam); /* due in 24 h */
    assert_int_equal(queue[1].id, slow); /* in 72 h */
    assert_int_equal(queue[2].id, flagger);
    assert_int_equal(queue[3].id, many);
    assert_int_equal(queue[4].id, user);
    free(queue);
    test_review_close(&r);
}

/* Claimers on their own store handles, each claiming until the queue is empty or it has
 * taken its share: no one claimer can empty the queue alone, however the threads are
 * scheduled, so several always contend. */
typedef struct claimer {
    const char *path;
    pthread_barrier_t *start;
    int64_t now;
    char name[16];
    int64_t got[128];
    size_t ngot, most;
    int failed;
} claimer;

static void *claim_all(void *arg)
{
    claimer *c = arg;
    jaga_ctx *ctx = NULL;
    jaga_store *db = NULL;
    jaga_ctx_open(&ctx);
    c->failed = jaga_store_open(ctx, c->path, &db) != JAGA_OK;
    jaga_review rv = {.db = db, .now = c->now};
    pthread_barrier_wait(c->start); /* all at once */
    while (!c->failed && c->ngot < c->most) {
        jaga_case got;
        jaga_status st = jaga_queue_claim(ctx, &rv, "global", c->name, 3600, &got);
        if (st == JAGA_ERR_NOT_FOUND)
            break;
        if (st != JAGA_OK || c->ngot == 128) {
            fprintf(stderr, "%s: %s\n", c->name, jaga_errmsg(ctx));
            c->failed = 1;
            break;
        }
        c->got[c->ngot++] = got.id;
        struct timespec pause = {0, 1000 * 1000}; /* a moderator opens the case */
        nanosleep(&pause, NULL);
    }
    jaga_store_free(db);
    jaga_ctx_free(ctx);
    return NULL;
}

static void test_concurrent_claims(void **state)
{
    (void)state;
    enum { CASES = 120, CLAIMERS = 16 };
    test_review r;
    test_review_open(&r);
    int64_t ids[CASES];
    for (int i = 0; i < CASES; i++) {
        char content[32];
        snprintf(content, sizeof(content), "content-%d", i);
        ids[i] = test_report(&r, content, "scam", "BR", 0);
    }
    claimer c[CLAIMERS];
    pthread_t threads[CLAIMERS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, CLAIMERS);
    for (int i = 0; i < CLAIMERS; i++) {
        c[i] = (claimer){.path = r.t.path, .start = &start, .now = r.rv.now, .most = CASES / 4};
        snprintf(c[i].name, sizeof(c[i].name), "mod-%02d", i);
        assert_int_equal(pthread_create(&threads[i], NULL, claim_all, &c[i]), 0);
    }
    int seen[CASES] = {0};
    size_t total = 0, busy = 0;
    for (int i = 0; i < CLAIMERS; i++) {
        pthread_join(threads[i], NULL);
        assert_false(c[i].failed);
        for (size_t k = 0; k < c[i].ngot; k++) {
            int64_t id = c[i].got[k];
            assert_true(id >= ids[0] && id <= ids[CASES - 1]);
            seen[id - ids[0]]++;
        }
        total += c[i].ngot;
        busy += c[i].ngot > 0;
    }
    pthread_barrier_destroy(&start);
    assert_true(busy >= 4); /* they did contend: each took a quarter at most */
    /* Every case claimed, none by two moderators. */
    assert_int_equal(total, CASES);
    for (int i = 0; i < CASES; i++)
        assert_int_equal(seen[i], 1);
    test_review_close(&r);
}

static void test_sweeper(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    jaga_ctx *ctx = r.t.ctx;
    jaga_route route = {.team = "ms", .lead = "ms-leads", .languages = {"ms"}, .nlanguages = 1};
    jaga_routing routing = {&route, 1};
    r.rv.routing = &routing;
    r.rv.webhooks = 1;
    /* A deepfake reported from MY: held provisionally everywhere (the report rule), due for
     * a first look in 5 minutes and for action in 24 hours. */
    int64_t id = test_report(&r, "post-1", "ncii_deepfake", "MY", 0);
    jaga_case c;
    assert_int_equal(jaga_store_case_get(r.t.store, ctx, id, &c), JAGA_OK);
    assert_string_equal(c.team, "ms");
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_WITHHELD);
    jaga_sweep_result res;
    assert_int_equal(jaga_cases_sweep(ctx, &r.rv, 100, &res), JAGA_OK);
    assert_int_equal(res.escalated, 0);
    /* Six minutes on, nobody has looked: escalated once, to the lead team, more urgent. */
    r.rv.now += 360;
    assert_int_equal(jaga_cases_sweep(ctx, &r.rv, 100, &res), JAGA_OK);
    assert_int_equal(res.escalated, 1);
    assert_int_equal(jaga_store_case_get(r.t.store, ctx, id, &c), JAGA_OK);
    assert_string_equal(c.status, "escalated");
    assert_string_equal(c.team, "ms-leads");
    assert_int_equal(c.breaches, 1);
    assert_int_equal(c.breached, JAGA_BREACH_FIRST_REVIEW);
    assert_int_equal(c.priority, 1);
    assert_int_equal(jaga_cases_sweep(ctx, &r.rv, 100, &res), JAGA_OK);
    assert_int_equal(res.escalated, 0); /* counted once */
    /* The lead team claims it (its first look, late); the action deadline passes too. */
    assert_int_equal(jaga_queue_claim(ctx, &r.rv, "ms-leads", "lead-1", 60, &c), JAGA_OK);
    r.rv.now += 25 * 3600;
    assert_int_equal(jaga_cases_sweep(ctx, &r.rv, 100, &res), JAGA_OK);
    assert_int_equal(res.escalated, 1);
    assert_int_equal(jaga_store_case_get(r.t.store, ctx, id, &c), JAGA_OK);
    assert_int_equal(c.breaches, 2);
    /* Each escalation went out as a webhook event, in the same transaction. */
    jaga_delivery *out;
    size_t n;
    assert_int_equal(jaga_store_deliveries(r.t.store, ctx, "pending", 0, 10, &out, &n), JAGA_OK);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].event, "case.escalated");
    assert_non_null(strstr(out[0].body, "\"breach\":\"first review\""));
    assert_true(strcmp(out[0].event_id, out[1].event_id) != 0);
    free(out);
    /* A week after the report, its unconfirmed provisional hold ends by itself. */
    r.rv.now += 7 * 86400;
    assert_int_equal(jaga_cases_sweep(ctx, &r.rv, 100, &res), JAGA_OK);
    assert_int_equal(res.expired, 1);
    assert_int_equal(test_seen(r.map, "post-1", "MY"), JAGA_VIS_ALLOW);
    jaga_case_event *history;
    assert_int_equal(jaga_store_case_events(r.t.store, ctx, id, &history, &n), JAGA_OK);
    assert_string_equal(history[n - 1].kind, "expired");
    free(history);
    test_review_close(&r);
}

/* Work done in a transaction of its own can run inside a larger one (group commit): nested
 * transactions are savepoints, a failing one undoes only itself. */
static void test_nested_transactions(void **state)
{
    (void)state;
    test_store t;
    test_store_open(&t);
    jaga_report a = {.content_id = "kept", .category = "scam"}, b = a;
    strcpy(b.content_id, "undone");
    assert_int_equal(jaga_store_begin(t.store, t.ctx), JAGA_OK);
    assert_int_equal(jaga_store_begin(t.store, t.ctx), JAGA_OK);
    assert_int_equal(jaga_store_report_add(t.store, t.ctx, &a), JAGA_OK);
    assert_int_equal(jaga_store_commit(t.store, t.ctx), JAGA_OK);
    assert_int_equal(jaga_store_begin(t.store, t.ctx), JAGA_OK);
    assert_int_equal(jaga_store_report_add(t.store, t.ctx, &b), JAGA_OK);
    jaga_store_rollback(t.store);
    assert_int_equal(jaga_store_commit(t.store, t.ctx), JAGA_OK);
    assert_int_equal(jaga_store_commit(t.store, t.ctx), JAGA_ERR_INVALID); /* none open */
    jaga_report got;
    assert_int_equal(jaga_store_report_get(t.store, t.ctx, a.id, &got), JAGA_OK);
    assert_string_equal(got.content_id, "kept");
    assert_int_equal(jaga_store_report_get(t.store, t.ctx, b.id, &got), JAGA_ERR_NOT_FOUND);
    test_store_close(&t);
}

static void test_webhook_signatures(void **state)
{
    (void)state;
    const char *secret = "a shared secret of some length";
    const char *body = "{\"event\":\"case.decided\"}";
    char sig[JAGA_SIGNATURE_MAX];
    jaga_webhook_sign(secret, 1800000000, body, strlen(body), sig);
    assert_int_equal(strncmp(sig, "t=1800000000,v1=", 16), 0);
    assert_int_equal(strlen(sig), 16 + 64);
    assert_int_equal(jaga_webhook_verify(NULL, secret, sig, body, strlen(body), 1800000010, 300),
                     JAGA_OK);
    /* Another body, another secret, a replay an hour later, a mangled header: refused. */
    const char *forged = "{\"event\":\"case.decided\",\"x\":1}";
    assert_int_equal(
        jaga_webhook_verify(NULL, secret, sig, forged, strlen(forged), 1800000010, 300),
        JAGA_ERR_INVALID);
    assert_int_equal(jaga_webhook_verify(NULL, "another secret entirely", sig, body, strlen(body),
                                         1800000010, 300),
                     JAGA_ERR_INVALID);
    assert_int_equal(jaga_webhook_verify(NULL, secret, sig, body, strlen(body), 1800003600, 300),
                     JAGA_ERR_INVALID);
    assert_int_equal(jaga_webhook_verify(NULL, secret, "t=1800000000,v1=zz", body, strlen(body),
                                         1800000010, 300),
                     JAGA_ERR_INVALID);
    assert_int_equal(jaga_webhook_verify(NULL, secret, NULL, body, strlen(body), 1800000010, 300),
                     JAGA_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routing),
        cmocka_unit_test(test_deadline_order_and_leases),
        cmocka_unit_test(test_concurrent_claims),
        cmocka_unit_test(test_sweeper),
        cmocka_unit_test(test_nested_transactions),
        cmocka_unit_test(test_webhook_signatures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

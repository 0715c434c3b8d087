/* The exchange routes' JSON bodies: peers, subscriptions, verdicts; good and malformed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchange_request.h"
#include "test_support.h"

#define KEY "b10c1dd675f268cac92274415431edc27fe556a1ae218d737a2c18e02f46b04d"

static void test_peer_bodies(void **state)
{
    (void)state;
    jaga_peer p;
    char err[256];
    const char *good = "{\"name\":\"node-b\",\"public_key\":\"" KEY "\",\"url\":\"http://h:1\","
                       "\"banks\":\"NCII,CSAM\"}";
    assert_int_equal(exchange_peer_parse(good, strlen(good), &p, err, sizeof(err)), 0);
    assert_string_equal(p.name, "node-b");
    assert_string_equal(p.banks, "NCII,CSAM");
    assert_int_equal(p.public_key[0], 0xb1);
    const char *bad[] = {"",
                         "[]",
                         "{\"public_key\":\"" KEY "\"}",
                         "{\"name\":\"x\"}",
                         "{\"name\":\"x\",\"public_key\":\"zz\"}",
                         "{\"name\":\"x\",\"public_key\":\"" KEY "\",\"banks\":5}",
                         "{\"name\":\"x\",\"public_key\":\"" KEY "\",\"url\":7}",
                         "{\"name\":\"x\",\"public_key\":\"" KEY "\",\"colour\":1}",
                         "{\"name\":\"x\",\"name\":\"y\",\"public_key\":\"" KEY "\"}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(exchange_peer_parse(bad[i], strlen(bad[i]), &p, err, sizeof(err)), -1);
    char *big = calloc(1, EXCHANGE_BODY_MAX + 2);
    memset(big, ' ', EXCHANGE_BODY_MAX + 1);
    big[0] = '{', big[EXCHANGE_BODY_MAX] = '}';
    assert_int_equal(exchange_peer_parse(big, EXCHANGE_BODY_MAX + 1, &p, err, sizeof(err)), -1);
    free(big);
}

static void test_subscribe_bodies(void **state)
{
    (void)state;
    exchange_subscribe_request q;
    char err[256];
    const char *good = "{\"peer\":\"node-a\",\"bank\":\"NCII\"}";
    assert_int_equal(exchange_subscribe_parse(good, strlen(good), &q, err, sizeof(err)), 0);
    assert_string_equal(q.local_bank, "");
    const char *local = "{\"peer\":\"node-a\",\"bank\":\"NCII\",\"local_bank\":\"A_NCII\"}";
    assert_int_equal(exchange_subscribe_parse(local, strlen(local), &q, err, sizeof(err)), 0);
    assert_string_equal(q.local_bank, "A_NCII");
    const char *bad[] = {"{}", "{\"peer\":\"a\"}", "{\"bank\":\"NCII\"}",
                         "{\"peer\":\"a\",\"bank\":\"NCII\",\"local_bank\":3}",
                         "{\"peer\":\"a\",\"bank\":\"NCII\",\"wait\":3}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(exchange_subscribe_parse(bad[i], strlen(bad[i]), &q, err, sizeof(err)),
                         -1);
}

static void test_verdict_bodies(void **state)
{
    (void)state;
    char err[256];
    size_t n;
    const char *good = "{\"verdicts\":[{\"signal_type\":\"pdq\",\"value\":\"" KEY "\","
                       "\"verdict\":\"false_positive\",\"at\":1000},{\"signal_type\":\"md5\","
                       "\"value\":\"x\",\"verdict\":\"confirmed\",\"at\":2000}]}";
    jaga_feedback *v = exchange_verdicts_parse(good, strlen(good), 5000, &n, err, sizeof(err));
    assert_non_null(v);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].verdict, JAGA_FEEDBACK_FALSE_POSITIVE);
    assert_int_equal(v[1].type, JAGA_SIGNAL_MD5);
    assert_int_equal(v[1].at, 2000);
    free(v);
    const char *bad[] = {
        "{}",
        "{\"verdicts\":[]}",
        "{\"verdicts\":{}}",
        "{\"verdicts\":[1]}",
        "{\"verdicts\":[{\"signal_type\":\"gif\",\"value\":\"x\",\"verdict\":\"confirmed\","
        "\"at\":1}]}",
        "{\"verdicts\":[{\"signal_type\":\"md5\",\"value\":\"x\",\"verdict\":\"maybe\",\"at\":1}]}",
        "{\"verdicts\":[{\"signal_type\":\"md5\",\"value\":\"x\",\"verdict\":\"confirmed\"}]}",
        "{\"verdicts\":[{\"signal_type\":\"md5\",\"value\":\"x\",\"verdict\":\"confirmed\","
        "\"at\":99999}]}", /* in the future */
        "{\"verdicts\":[{\"signal_type\":\"md5\",\"value\":\"x\",\"verdict\":\"confirmed\","
        "\"at\":1,\"note\":\"\"}]}",
        "{\"verdicts\":[],\"more\":1}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_null(exchange_verdicts_parse(bad[i], strlen(bad[i]), 5000, &n, err, sizeof(err)));
    /* Past the limit of verdicts. */
    size_t cap = (EXCHANGE_VERDICTS_MAX + 1) * 80 + 64, used = 0;
    char *many = malloc(cap);
    used += (size_t)snprintf(many, cap, "{\"verdicts\":[");
    for (int i = 0; i <= EXCHANGE_VERDICTS_MAX; i++)
        used += (size_t)snprintf(many + used, cap - used,
                                 "%s{\"signal_type\":\"md5\",\"value\":\"x\",\"verdict\":"
                                 "\"confirmed\",\"at\":1}",
                                 i ? "," : "");
    used += (size_t)snprintf(many + used, cap - used, "]}");
    assert_null(exchange_verdicts_parse(many, used, 5000, &n, err, sizeof(err)));
    free(many);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peer_bodies),
        cmocka_unit_test(test_subscribe_bodies),
        cmocka_unit_test(test_verdict_bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

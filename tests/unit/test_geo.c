/* Viewer countries: a MaxMind DB the tests write themselves (tools/make_mmdb.py), then the
 * fetched ip-location-db database where it is present. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jaga/geo.h"
#include "test_support.h"

static void expect_country(jaga_geo *g, const char *ip, const char *want)
{
    char cc[3];
    jaga_status st = jaga_geo_country(g, ip, cc);
    if (st != JAGA_OK || strcmp(cc, want) != 0)
        fail_msg("%s: %s %s, want %s", ip, jaga_status_str(st), cc, want);
}

static void test_own_database(void **state)
{
    (void)state;
    jaga_geo *g;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    assert_int_equal(jaga_geo_open(ctx, JAGA_TEST_MMDB, &g), JAGA_OK);
    expect_country(g, "1.2.3.4", "MY");
    expect_country(g, "10.200.1.1", "ID");
    expect_country(g, "198.51.100.7", "AU");
    expect_country(g, "2001:db8::1", "IN");
    expect_country(g, "2001:db8:1::5", "MY"); /* the narrower network wins */
    char cc[3];
    assert_int_equal(jaga_geo_country(g, "198.51.100.8", cc), JAGA_ERR_NOT_FOUND);
    assert_int_equal(jaga_geo_country(g, "8.8.8.8", cc), JAGA_ERR_NOT_FOUND);
    /* A regional code is no country. */
    assert_int_equal(jaga_geo_country(g, "192.0.2.5", cc), JAGA_ERR_NOT_FOUND);
    assert_true(jaga_country_known("MY") && jaga_country_known("XK") && jaga_country_known("AD") &&
                jaga_country_known("ZW"));
    assert_false(jaga_country_known("EU") || jaga_country_known("ZZ") || jaga_country_known("my") ||
                 jaga_country_known("MYS"));
    const char *bad[] = {"",          "1.2.3",    "1.2.3.4.5", "256.1.1.1", "example.com",
                         "localhost", "1.2.3.4 ", "::g",       "1.2.3.4/24"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (jaga_geo_country(g, bad[i], cc) != JAGA_ERR_INVALID)
            fail_msg("\"%s\" taken for an address", bad[i]);
    jaga_geo_free(g);
    /* Not a database, and no file. */
    assert_int_equal(jaga_geo_open(ctx, JAGA_SOURCE_DIR "/policy/default.json", &g),
                     JAGA_ERR_DECODE);
    assert_null(g);
    assert_int_equal(jaga_geo_open(ctx, "/nonexistent/x.mmdb", &g), JAGA_ERR_IO);
    jaga_ctx_free(ctx);
}

static void test_fetched_database(void **state)
{
    (void)state;
    const char *path = getenv("JAGA_GEO_DB");
    if (!path)
        path = JAGA_SOURCE_DIR "/.cache/geo/package/geo-whois-asn-country.mmdb";
    if (access(path, R_OK) != 0) {
        print_message("skipped: %s not found (scripts/fetch-data fetches it)\n", path);
        skip();
    }
    jaga_geo *g;
    assert_int_equal(jaga_geo_open(NULL, path, &g), JAGA_OK);
    expect_country(g, "8.8.8.8", "US");
    expect_country(g, "2001:4860:4860::8888", "US");
    char cc[3];
    assert_int_equal(jaga_geo_country(g, "127.0.0.1", cc), JAGA_ERR_NOT_FOUND);
    jaga_geo_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_database),
        cmocka_unit_test(test_fetched_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

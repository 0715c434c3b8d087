/* Paths and query arguments as routes take them: known names once each, text values, text
 * paths; what is refused is named in the message, unless its name is no plain word. */
#include <string.h>

#include "query_check.h"
#include "test_support.h"

static const char *const scan = "content_id uploader_id uploader_country dihedral media_url";

static const char *check(const char *path, const query_arg *args, size_t n, const char *params)
{
    static char err[256];
    return query_check(path, args, n, params, err, sizeof(err)) == 0 ? NULL : err;
}

static query_arg arg(const char *name, const char *value)
{
    return (query_arg){name, value, value ? strlen(value) : 0};
}

static void test_accepted(void **state)
{
    (void)state;
    query_arg a[] = {arg("content_id", "post-1"), arg("uploader_country", "MY"),
                     arg("media_url", "https://cdn.example/x.jpg")};
    assert_null(check("/v1/scan", a, 3, scan));
    assert_null(check("/v1/scan", NULL, 0, scan));
    assert_null(check("/v1/content/caf\xc3\xa9", NULL, 0, NULL));
    query_arg empty[] = {arg("dihedral", ""), arg("uploader_id", NULL)};
    assert_null(check("/v1/scan", empty, 2, scan)); /* empty values are the route's to judge */
}

static void test_refused(void **state)
{
    (void)state;
    query_arg unknown[] = {arg("content_id", "a"), arg("debug", "1")};
    assert_string_equal(check("/v1/scan", unknown, 2, scan), "unknown query argument debug");
    query_arg none[] = {arg("team", "x")};
    assert_string_equal(check("/v1/me", none, 1, NULL), "unknown query argument team");
    query_arg twice[] = {arg("content_id", "a"), arg("content_id", "b")};
    assert_string_equal(check("/v1/scan", twice, 2, scan),
                        "query argument content_id is given twice");
    query_arg bytes[] = {arg("content_id", "\xff\xfe-q")};
    assert_string_equal(check("/v1/scan", bytes, 1, scan),
                        "query argument content_id is not valid UTF-8");
    query_arg crlf[] = {arg("content_id", "a\r\nSet-Cookie: x")};
    assert_string_equal(check("/v1/scan", crlf, 1, scan),
                        "query argument content_id has a control character");
    query_arg odd[] = {arg("content\xff", "a")};
    assert_string_equal(check("/v1/scan", odd, 1, scan),
                        "query argument 1 has no name this route takes");
    char huge[QUERY_VALUE_MAX + 2];
    memset(huge, 'a', sizeof(huge) - 1);
    huge[sizeof(huge) - 1] = '\0';
    query_arg big[] = {arg("content_id", huge)};
    assert_string_equal(check("/v1/scan", big, 1, scan),
                        "query argument content_id is over the limit");
    query_arg many[QUERY_ARGS_MAX + 1];
    for (size_t i = 0; i < QUERY_ARGS_MAX + 1; i++)
        many[i] = arg("content_id", "a");
    assert_non_null(strstr(check("/v1/scan", many, QUERY_ARGS_MAX + 1, scan), "over 16"));
    assert_string_equal(check("/v1/content/\xc0\xaf", NULL, 0, NULL),
                        "the path is not valid UTF-8");
    assert_string_equal(check("/v1/content/a\x01", NULL, 0, NULL),
                        "the path has a control character");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

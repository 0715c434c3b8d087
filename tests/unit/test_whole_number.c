/* Whole numbers from requests: digits only, under a ceiling; ids from path segments. */
#include <stdint.h>

#include "test_support.h"
#include "whole_number.h"

static void test_whole_numbers(void **state)
{
    (void)state;
    uint64_t v = 7;
    assert_int_equal(whole_number("0", 10, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(whole_number("0010", 10, &v), 0);
    assert_int_equal(v, 10);
    assert_int_equal(whole_number("18446744073709551615", UINT64_MAX, &v), 0);
    assert_true(v == UINT64_MAX);
    static const char *const refused[] = {"",
                                          "11",
                                          "+5",
                                          "-1",
                                          " 5",
                                          "5 ",
                                          "5x",
                                          "0x10",
                                          "1e3",
                                          "18446744073709551616",
                                          "99999999999999999999999"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        v = 42;
        if (whole_number(refused[i], i == 1 ? 10 : UINT64_MAX, &v) == 0)
            fail_msg("\"%s\" was read as %llu", refused[i], (unsigned long long)v);
        assert_int_equal(v, 42);
    }
    assert_int_equal(whole_number(NULL, 10, &v), -1);
    /* Ceilings below a digit. */
    assert_int_equal(whole_number("5", 0, &v), -1);
    assert_int_equal(whole_number("0", 0, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(whole_number("10", 9, &v), -1);
    assert_int_equal(whole_number("9", 9, &v), 0);
}

static void test_path_ids(void **state)
{
    (void)state;
    assert_int_equal(path_id("/v1/cases/12", 2), 12);
    assert_int_equal(path_id("/v1/cases/12/claim", 2), 12);
    assert_int_equal(path_id("/v1/cases/0", 2), 0);
    assert_int_equal(path_id("/v1/cases/-3", 2), 0);
    assert_int_equal(path_id("/v1/cases/+3", 2), 0);
    assert_int_equal(path_id("/v1/cases/9223372036854775807", 2), INT64_MAX);
    assert_int_equal(path_id("/v1/cases/9223372036854775808", 2), 0);
    assert_int_equal(path_id("/v1/cases", 2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_numbers),
        cmocka_unit_test(test_path_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

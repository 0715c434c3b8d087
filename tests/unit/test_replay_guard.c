/* The replay guard: a signature is served once within its window, again once the window has
 * passed; a guard full of live signatures refuses rather than forgets. */
#include <string.h>

#include "replay_guard.h"
#include "test_support.h"

static void signature(uint8_t out[64], uint32_t n)
{
    memset(out, 0, 64);
    memcpy(out, &n, sizeof(n));
    out[20] = (uint8_t)(n >> 3); /* prefixes differ beyond the table slot too */
}

static void test_once(void **state)
{
    (void)state;
    replay_guard *g = replay_guard_open(1024, 300);
    assert_non_null(g);
    uint8_t a[64], b[64];
    signature(a, 7);
    signature(b, 8);
    assert_int_equal(replay_guard_check(g, a, 1000, 1000), 0);
    assert_int_equal(replay_guard_check(g, a, 1000, 1100), 1); /* a replay */
    assert_int_equal(replay_guard_check(g, b, 1000, 1100), 0);
    /* Past the window the request's time is refused anyway; its slot is free again. */
    assert_int_equal(replay_guard_check(g, a, 1400, 1401), 0);
    replay_guard_free(g);
}

static void test_full(void **state)
{
    (void)state;
    replay_guard *g = replay_guard_open(8, 300);
    uint8_t s[64];
    for (uint32_t i = 0; i < 8; i++) {
        signature(s, i * 8); /* all in one probe run */
        assert_int_equal(replay_guard_check(g, s, 1000, 1000), 0);
    }
    signature(s, 99);
    assert_int_equal(replay_guard_check(g, s, 1000, 1000), -1);
    for (uint32_t i = 0; i < 8; i++) {
        signature(s, i * 8);
        assert_int_equal(replay_guard_check(g, s, 1000, 1000), 1); /* none forgotten */
    }
    signature(s, 99);
    assert_int_equal(replay_guard_check(g, s, 1400, 1400), 0); /* room once they aged out */
    replay_guard_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_once),
        cmocka_unit_test(test_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

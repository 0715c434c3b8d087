/* The cache of drawn renditions: copies in and out, one rendition a slot, both caps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rendition_cache.h"
#include "test_support.h"

static void test_cache(void **state)
{
    (void)state;
    rendition_cache *c = rendition_cache_open(4, 100, 250);
    assert_non_null(c);
    uint8_t a[100], *out = NULL;
    size_t len = 0;
    memset(a, 'a', sizeof(a));
    assert_int_equal(rendition_cache_get(c, "post-1", &out, &len), 0);
    rendition_cache_put(c, "post-1", a, 80);
    a[0] = 'x'; /* the cache holds its own copy */
    assert_int_equal(rendition_cache_get(c, "post-1", &out, &len), 1);
    assert_true(len == 80 && out[0] == 'a');
    free(out);
    rendition_cache_put(c, "big", a, 101); /* over max_bytes: not kept */
    assert_int_equal(rendition_cache_get(c, "big", &out, &len), 0);
    assert_null(out);
    /* Fill past max_total: what would pass 250 bytes in all is not kept. */
    char id[16];
    int kept = 0;
    for (int i = 0; i < 40; i++) {
        snprintf(id, sizeof(id), "id-%d", i);
        rendition_cache_put(c, id, a, 100);
        kept += rendition_cache_get(c, id, &out, &len);
        free(out);
    }
    assert_true(kept > 0);
    size_t total = 0;
    for (int i = 0; i < 40; i++) {
        snprintf(id, sizeof(id), "id-%d", i);
        if (rendition_cache_get(c, id, &out, &len))
            total += len;
        free(out);
    }
    if (rendition_cache_get(c, "post-1", &out, &len))
        total += len;
    free(out);
    assert_true(total <= 250);
    rendition_cache_free(c);
    rendition_cache_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cache)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

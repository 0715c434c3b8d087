/* libFuzzer target: vPDQ hash lines ("frame,quality,hex,timestamp") from outside, as
 * jaga vpdq --compare reads them. Whatever parses compares fully with itself. */
#include <stdint.h>
#include <stdlib.h>

#include "jaga/vpdq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jaga_vpdq_feature *f = NULL;
    size_t n = 0;
    if (jaga_vpdq_parse_lines(NULL, (const char *)data, size, 256, &f, &n) != JAGA_OK)
        return 0;
    jaga_vpdq_comparison c;
    if (jaga_vpdq_compare(NULL, f, n, f, n, NULL, &c) == JAGA_OK && c.query_kept &&
        (c.query_percent != 100.0 || c.compared_percent != 100.0 || !c.matched))
        abort();
    free(f);
    return 0;
}

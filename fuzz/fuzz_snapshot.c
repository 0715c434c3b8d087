/* libFuzzer target: PDQ index snapshot files. The input is a snapshot without its checksum
 * trailer; the target appends the right one, so that the fuzzer reaches the structural
 * checks behind the checksum. A loaded index must answer queries without fault. */
#include <stdlib.h>
#include <string.h>

#include "index/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 22))
        return 0;
    enum { TRAILER = 16 };
    uint8_t *file = malloc(size + TRAILER);
    if (!file)
        return 0;
    memcpy(file, data, size);
    jaga__snapshot_seal(file, size + TRAILER);
    jaga_index *x = NULL;
    if (jaga__snapshot_adopt(NULL, file, size + TRAILER, 0, &x) == JAGA_OK) {
        file = NULL; /* the index owns it now */
        jaga_pdq_hash q;
        memset(&q, 0x5a, sizeof(q));
        static jaga_index_match out[16];
        size_t n;
        for (int radius = 0; radius <= 64; radius += 31) {
            jaga_index_query query = {.hashes = &q, .nhashes = 1, .radius = radius};
            jaga_index_query_pdq(x, NULL, &query, out, 16, &n);
        }
        jaga_index_withdraw(x, NULL, 1);
        jaga_index_add(x, NULL, 2, 0, &q);
    }
    jaga_index_free(x);
    free(file);
    return 0;
}

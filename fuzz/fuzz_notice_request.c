/* libFuzzer target: the JSON body of POST /v1/notices. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "notice_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    notice_request n;
    char err[256];
    if (notice_request_parse((const char *)data, size, &n, err, sizeof(err)) == 0) {
        if (n.nitems == 0 || n.nitems > NOTICE_ITEMS_MAX)
            __builtin_trap();
        for (size_t i = 0; i < n.nitems; i++)
            if (!n.items[i].kind[0] || strlen(n.items[i].value) > JAGA_NOTICE_VALUE_MAX)
                __builtin_trap();
        notice_request_free(&n);
    }
    return 0;
}

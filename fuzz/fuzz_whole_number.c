/* libFuzzer target: whole numbers from request paths and query strings. Whatever is
 * accepted prints back as the same digits (leading zeros aside) and stays under the
 * ceiling; the ceiling is taken from the input's first bytes. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "whole_number.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t max = UINT64_MAX;
    if (size >= 8) {
        memcpy(&max, data, 8);
        data += 8, size -= 8;
    }
    if (size > 64)
        return 0;
    char text[65], back[32];
    memcpy(text, data, size);
    text[size] = '\0';
    uint64_t v = 0;
    if (whole_number(text, max, &v) != 0)
        return 0;
    const char *digits = text;
    while (digits[0] == '0' && digits[1])
        digits++;
    snprintf(back, sizeof(back), "%" PRIu64, v);
    if (v > max || strcmp(back, digits) != 0)
        abort();
    return 0;
}

/* libFuzzer target: the JSON bodies of the bank routes (create/update and withdraw). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bank_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jaga_bank bank;
    char err[256];
    for (int creating = 0; creating <= 1; creating++) {
        jaga_bank_init(&bank, "");
        bank_request_parse((const char *)data, size, creating, &bank, err, sizeof(err));
    }
    jaga_signal_type type;
    char(*values)[JAGA_SIGNAL_VALUE_MAX];
    size_t n;
    if (withdraw_request_parse((const char *)data, size, &type, &values, &n, err, sizeof(err)) == 0)
        free(values);
    return 0;
}

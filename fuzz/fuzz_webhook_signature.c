/* libFuzzer target: webhook signature headers (what a platform's receiver checks). The input
 * is a header line, a newline, then the body. A well-formed header may verify or not; a body
 * signed here must always verify, and never once its signature is one character off. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "jaga/cases.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char secret[] = "a fuzzing secret of some length";
    const int64_t now = 1800000000;
    char header[256];
    const char *nl = memchr(data, '\n', size);
    size_t hl = nl ? (size_t)(nl - (const char *)data) : size;
    if (hl >= sizeof(header))
        return 0;
    memcpy(header, data, hl);
    header[hl] = '\0';
    const char *body = nl ? nl + 1 : "";
    size_t len = nl ? size - hl - 1 : 0;
    jaga_webhook_verify(NULL, secret, header, body, len, now, 300);
    char sig[JAGA_SIGNATURE_MAX];
    jaga_webhook_sign(secret, now, body, len, sig);
    if (jaga_webhook_verify(NULL, secret, sig, body, len, now, 300) != JAGA_OK)
        __builtin_trap();
    sig[strlen(sig) - 1] = sig[strlen(sig) - 1] == '0' ? '1' : '0';
    if (jaga_webhook_verify(NULL, secret, sig, body, len, now, 300) == JAGA_OK)
        __builtin_trap();
    return 0;
}

/* Webhook signatures: HMAC-SHA256 over the timestamp and the body. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/cases.h"
#include "jaga/core.h"

static void mac_hex(const char *secret, int64_t timestamp, const char *body, size_t len,
                    char out[65])
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    char prefix[32];
    int plen = snprintf(prefix, sizeof(prefix), "%lld.", (long long)timestamp);
    unsigned char *message = malloc((size_t)plen + len + 1);
    out[0] = '\0';
    if (!message)
        return;
    memcpy(message, prefix, (size_t)plen);
    memcpy(message + plen, body, len);
    if (HMAC(EVP_sha256(), secret, (int)strlen(secret), message, (size_t)plen + len, mac,
             &mac_len) &&
        mac_len == 32)
        for (unsigned i = 0; i < mac_len; i++)
            snprintf(out + 2 * i, 3, "%02x", mac[i]);
    free(message);
}

void jaga_webhook_sign(const char *secret, int64_t timestamp, const char *body, size_t len,
                       char out[JAGA_SIGNATURE_MAX])
{
    char hex[65];
    mac_hex(secret, timestamp, body, len, hex);
    snprintf(out, JAGA_SIGNATURE_MAX, "t=%lld,v1=%s", (long long)timestamp, hex);
}

jaga_status jaga_webhook_verify(jaga_ctx *ctx, const char *secret, const char *header,
                                const char *body, size_t len, int64_t now, int64_t tolerance_s)
{
    long long t;
    char given[65], want[65];
    int used = 0;
    if (!header || sscanf(header, "t=%lld,v1=%64[0-9a-f]%n", &t, given, &used) != 2 ||
        header[used] != '\0' || strlen(given) != 64)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "webhook: the signature header is malformed");
    if (t < now - tolerance_s || t > now + tolerance_s)
        return jaga_fail(
            ctx, JAGA_ERR_INVALID,
            "webhook: signed %lld s from now, outside the %lld s tolerance (a replay?)",
            (long long)(t - now), (long long)tolerance_s);
    mac_hex(secret, (int64_t)t, body, len, want);
    if (strlen(want) != 64 || CRYPTO_memcmp(given, want, 64) != 0)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "webhook: the signature does not match the body");
    return JAGA_OK;
}

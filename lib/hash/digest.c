#include "jaga/digest.h"

#include <openssl/evp.h>

#include "util/ctx.h"

static int digest_one(const EVP_MD *md, const void *data, size_t len, uint8_t *out)
{
    unsigned int n = 0;
    return EVP_Digest(data ? data : "", len, out, &n, md, NULL) == 1 ? 0 : -1;
}

jaga_status jaga_digest_bytes(jaga_ctx *ctx, const void *data, size_t len, jaga_digests *out)
{
    if (digest_one(EVP_sha256(), data, len, out->sha256) != 0 ||
        digest_one(EVP_md5(), data, len, out->md5) != 0)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "digest: libcrypto failed");
    return JAGA_OK;
}

void jaga_hex_encode(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

jaga_status jaga_hex_decode(const char *hex, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = nibble(hex[2 * i]), lo = hi < 0 ? -1 : nibble(hex[2 * i + 1]);
        if (lo < 0)
            return JAGA_ERR_INVALID;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return hex[2 * n] == '\0' ? JAGA_OK : JAGA_ERR_INVALID;
}

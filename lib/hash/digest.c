#include "jaga/digest.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/core.h"

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

jaga_status jaga_digest_file(jaga_ctx *ctx, const char *path, jaga_digests *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return jaga_fail(ctx, JAGA_ERR_IO, "%s: %s", path, strerror(errno));
    enum { PIECE = 1 << 20 };
    EVP_MD_CTX *sha = EVP_MD_CTX_new(), *md5 = EVP_MD_CTX_new();
    char *piece = malloc(PIECE);
    int ok = sha && md5 && piece && EVP_DigestInit_ex(sha, EVP_sha256(), NULL) == 1 &&
             EVP_DigestInit_ex(md5, EVP_md5(), NULL) == 1;
    size_t n;
    while (ok && (n = fread(piece, 1, PIECE, f)) > 0)
        ok = EVP_DigestUpdate(sha, piece, n) == 1 && EVP_DigestUpdate(md5, piece, n) == 1;
    int read_error = ferror(f);
    unsigned len;
    ok = ok && EVP_DigestFinal_ex(sha, out->sha256, &len) == 1 &&
         EVP_DigestFinal_ex(md5, out->md5, &len) == 1;
    fclose(f);
    free(piece);
    EVP_MD_CTX_free(sha);
    EVP_MD_CTX_free(md5);
    if (read_error)
        return jaga_fail(ctx, JAGA_ERR_IO, "%s: read error", path);
    return ok ? JAGA_OK : jaga_fail(ctx, JAGA_ERR_NOMEM, "digest: libcrypto failed");
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

/* The baseline of bench/audit: raw SHA-256 of bytes as fast as OpenSSL gives it (the
 * algorithm fetched once, one context reused), so that the ratios measure the log's own
 * overhead and nothing of OpenSSL's lookups. */
#ifndef JAGA_BENCH_RAW_SHA256_H
#define JAGA_BENCH_RAW_SHA256_H

#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct raw_sha256 {
    EVP_MD *md;
    EVP_MD_CTX *ctx;
} raw_sha256;

static inline void raw_sha256_open(raw_sha256 *r)
{
    r->md = EVP_MD_fetch(NULL, "SHA256", NULL);
    r->ctx = EVP_MD_CTX_new();
    if (!r->md || !r->ctx)
        abort();
}

static inline void raw_sha256_hash(raw_sha256 *r, const void *data, size_t len, uint8_t out[32])
{
    EVP_DigestInit_ex2(r->ctx, r->md, NULL);
    EVP_DigestUpdate(r->ctx, data, len);
    EVP_DigestFinal_ex(r->ctx, out, NULL);
}

static inline void raw_sha256_close(raw_sha256 *r)
{
    EVP_MD_CTX_free(r->ctx);
    EVP_MD_free(r->md);
}

#endif

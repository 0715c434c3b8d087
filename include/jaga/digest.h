/*
 * Cryptographic digests of raw bytes: the exact-match signals that StopNCII (MD5 of videos)
 * and NCMEC (MD5, SHA-256) exchange. Backed by OpenSSL libcrypto. Thread-safe.
 */
#ifndef JAGA_DIGEST_H
#define JAGA_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_digests {
    uint8_t sha256[32];
    uint8_t md5[16];
} jaga_digests;

/* SHA-256 and MD5 of len bytes at data (data may be NULL when len is 0).
 * Returns JAGA_OK, or JAGA_ERR_NOMEM when libcrypto fails; details on ctx. */
jaga_status jaga_digest_bytes(jaga_ctx *ctx, const void *data, size_t len, jaga_digests *out);

/* SHA-256 and MD5 of the file at path, read in pieces. JAGA_OK, JAGA_ERR_IO (unreadable),
 * JAGA_ERR_NOMEM. */
jaga_status jaga_digest_file(jaga_ctx *ctx, const char *path, jaga_digests *out);

/* Lowercase hex of n bytes into out, which holds 2n + 1 chars. */
void jaga_hex_encode(const uint8_t *bytes, size_t n, char *out);

/* Exactly 2n hex digits (either case) at hex into n bytes. JAGA_OK or JAGA_ERR_INVALID. */
jaga_status jaga_hex_decode(const char *hex, uint8_t *out, size_t n);

#ifdef __cplusplus
}
#endif
#endif

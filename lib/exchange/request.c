/* Peer requests signed with the caller's node key. */
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/digest.h"
#include "jaga/exchange.h"
#include "util/ctx.h"

static const char request_prefix[] = "jaga-exchange-request-v1";

/* The SHA-256 of what a request's signature covers; 0, or -1 when out of memory. */
static int request_digest(const char *method, const char *target, int64_t time, const void *body,
                          size_t len, uint8_t out[32])
{
    uint8_t body_hash[32];
    unsigned n = 32;
    char when[24];
    snprintf(when, sizeof(when), "%" PRId64, time);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_Digest(body ? body : "", len, body_hash, &n, EVP_sha256(), NULL) == 1 &&
             EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
             EVP_DigestUpdate(md, request_prefix, sizeof(request_prefix)) == 1 &&
             EVP_DigestUpdate(md, method, strlen(method) + 1) == 1 &&
             EVP_DigestUpdate(md, target, strlen(target) + 1) == 1 &&
             EVP_DigestUpdate(md, when, strlen(when) + 1) == 1 &&
             EVP_DigestUpdate(md, body_hash, 32) == 1 && EVP_DigestFinal_ex(md, out, &n) == 1;
    EVP_MD_CTX_free(md);
    return ok ? 0 : -1;
}

jaga_status jaga_exchange_request_sign(const jaga_audit_key *key, jaga_ctx *ctx, const char *method,
                                       const char *target, const void *body, size_t len,
                                       int64_t now, char out[JAGA_PEER_AUTH_MAX])
{
    uint8_t digest[32], signature[64], public_key[32];
    if (request_digest(method, target, now, body, len, digest) != 0)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory to sign a request");
    jaga_status st = jaga_audit_key_sign(key, ctx, digest, 32, signature);
    if (st != JAGA_OK)
        return st;
    char key_hex[65], sig_hex[129];
    jaga_audit_key_public(key, public_key);
    jaga_hex_encode(public_key, 32, key_hex);
    jaga_hex_encode(signature, 64, sig_hex);
    snprintf(out, JAGA_PEER_AUTH_MAX, "JagaPeer %s %" PRId64 " %s", key_hex, now, sig_hex);
    return JAGA_OK;
}

jaga_status jaga_exchange_request_parse(const char *header, uint8_t key[32], int64_t *time,
                                        uint8_t signature[64])
{
    char key_hex[65], sig_hex[129], when[21];
    if (!header || strncmp(header, "JagaPeer ", 9) != 0 || strlen(header) >= JAGA_PEER_AUTH_MAX)
        return JAGA_ERR_INVALID;
    const char *p = header + 9, *sp = strchr(p, ' '), *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
    if (!sp || !sp2 || sp - p != 64 || sp2 - sp - 1 < 1 || sp2 - sp - 1 > 19 ||
        strlen(sp2 + 1) != 128)
        return JAGA_ERR_INVALID;
    memcpy(key_hex, p, 64), key_hex[64] = '\0';
    memcpy(when, sp + 1, (size_t)(sp2 - sp - 1)), when[sp2 - sp - 1] = '\0';
    memcpy(sig_hex, sp2 + 1, 129);
    char *end;
    long long t = strtoll(when, &end, 10);
    if (*end || t <= 0 || jaga_hex_decode(key_hex, key, 32) != JAGA_OK ||
        jaga_hex_decode(sig_hex, signature, 64) != JAGA_OK)
        return JAGA_ERR_INVALID;
    *time = t;
    return JAGA_OK;
}

int jaga_exchange_request_check(const uint8_t key[32], int64_t time, const uint8_t signature[64],
                                const char *method, const char *target, const void *body,
                                size_t len, int64_t now)
{
    uint8_t digest[32];
    if (time < now - JAGA_PEER_REQUEST_SKEW || time > now + JAGA_PEER_REQUEST_SKEW)
        return 0;
    return request_digest(method, target, time, body, len, digest) == 0 &&
           jaga_signature_check(key, digest, 32, signature);
}

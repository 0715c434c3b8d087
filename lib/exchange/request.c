/* Peer requests signed with the caller's node key. */
#include <inttypes.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/digest.h"
#include "jaga/exchange.h"
#include "jaga/core.h"

static const char request_prefix[] = "jaga-exchange-request-v2";

/* The SHA-256 of what a request's signature covers; 0, or -1 when out of memory. */
static int request_digest(const char *method, const char *target, int64_t time,
                          const uint8_t nonce[16], const void *body, size_t len, uint8_t out[32])
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
             EVP_DigestUpdate(md, nonce, 16) == 1 && EVP_DigestUpdate(md, body_hash, 32) == 1 &&
             EVP_DigestFinal_ex(md, out, &n) == 1;
    EVP_MD_CTX_free(md);
    return ok ? 0 : -1;
}

jaga_status jaga_exchange_request_sign(const jaga_audit_key *key, jaga_ctx *ctx, const char *method,
                                       const char *target, const void *body, size_t len,
                                       int64_t now, char out[JAGA_PEER_AUTH_MAX])
{
    uint8_t digest[32], signature[64], public_key[32], nonce[16];
    if (RAND_bytes(nonce, sizeof(nonce)) != 1)
        return jaga_fail(ctx, JAGA_ERR_IO, "no random bytes for a request's nonce");
    if (request_digest(method, target, now, nonce, body, len, digest) != 0)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory to sign a request");
    jaga_status st = jaga_audit_key_sign(key, ctx, digest, 32, signature);
    if (st != JAGA_OK)
        return st;
    char key_hex[65], nonce_hex[33], sig_hex[129];
    jaga_audit_key_public(key, public_key);
    jaga_hex_encode(public_key, 32, key_hex);
    jaga_hex_encode(nonce, 16, nonce_hex);
    jaga_hex_encode(signature, 64, sig_hex);
    snprintf(out, JAGA_PEER_AUTH_MAX, "JagaPeer %s %" PRId64 " %s %s", key_hex, now, nonce_hex,
             sig_hex);
    return JAGA_OK;
}

jaga_status jaga_exchange_request_parse(const char *header, jaga_peer_auth *out)
{
    if (!header || strncmp(header, "JagaPeer ", 9) != 0 || strlen(header) >= JAGA_PEER_AUTH_MAX)
        return JAGA_ERR_INVALID;
    /* KEY TIME NONCE SIGNATURE, one space apart. */
    const char *part[4], *p = header + 9;
    size_t len[4];
    for (int i = 0; i < 4; i++) {
        part[i] = p;
        len[i] = strcspn(p, " ");
        p += len[i];
        if (i < 3 && *p++ != ' ')
            return JAGA_ERR_INVALID;
    }
    if (*p || len[0] != 64 || len[1] < 1 || len[1] > 19 || len[2] != 32 || len[3] != 128)
        return JAGA_ERR_INVALID;
    char key_hex[65], when[20], nonce_hex[33], sig_hex[129];
    memcpy(key_hex, part[0], 64), key_hex[64] = '\0';
    memcpy(when, part[1], len[1]), when[len[1]] = '\0';
    memcpy(nonce_hex, part[2], 32), nonce_hex[32] = '\0';
    memcpy(sig_hex, part[3], 128), sig_hex[128] = '\0';
    char *end;
    long long t = strtoll(when, &end, 10);
    if (*end || when[0] < '0' || when[0] > '9' || t <= 0 ||
        jaga_hex_decode(key_hex, out->key, 32) != JAGA_OK ||
        jaga_hex_decode(nonce_hex, out->nonce, 16) != JAGA_OK ||
        jaga_hex_decode(sig_hex, out->signature, 64) != JAGA_OK)
        return JAGA_ERR_INVALID;
    out->time = t;
    return JAGA_OK;
}

int jaga_exchange_request_check(const jaga_peer_auth *auth, const char *method, const char *target,
                                const void *body, size_t len, int64_t now)
{
    uint8_t digest[32];
    if (auth->time < now - JAGA_PEER_REQUEST_SKEW || auth->time > now + JAGA_PEER_REQUEST_SKEW)
        return 0;
    return request_digest(method, target, auth->time, auth->nonce, body, len, digest) == 0 &&
           jaga_signature_check(auth->key, digest, 32, auth->signature);
}

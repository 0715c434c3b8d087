/* The audit log's Ed25519 key (OpenSSL) and the signatures of tree heads. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit_internal.h"
#include "jaga/core.h"

struct jaga_audit_key {
    EVP_PKEY *pkey;
    uint8_t public_key[32];
};

int jaga_audit_key_path(const char *db_path, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s.audit-key", db_path);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static jaga_status key_read(jaga_ctx *ctx, const char *path, FILE *f, EVP_PKEY **out)
{
    *out = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    if (!*out || EVP_PKEY_get_base_id(*out) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(*out);
        *out = NULL;
        return jaga_fail(ctx, JAGA_ERR_DECODE, "audit key %s: not an Ed25519 private key (PEM)",
                         path);
    }
    return JAGA_OK;
}

/* A new key written to a file that did not exist, readable by its owner only. */
static jaga_status key_create(jaga_ctx *ctx, const char *path, EVP_PKEY **out)
{
    *out = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    if (!*out)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "audit key: OpenSSL could not make an Ed25519 key");
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
    int ok = f && PEM_write_PrivateKey(f, *out, NULL, NULL, 0, NULL, NULL) == 1 && fflush(f) == 0 &&
             fsync(fileno(f)) == 0;
    int err = errno;
    if (f)
        ok = (fclose(f) == 0) && ok;
    else if (fd >= 0)
        close(fd);
    if (!ok) {
        EVP_PKEY_free(*out);
        *out = NULL;
        if (fd >= 0)
            unlink(path);
        return jaga_fail(ctx, JAGA_ERR_IO, "audit key %s: %s", path, strerror(err));
    }
    return JAGA_OK;
}

jaga_status jaga_audit_key_open(jaga_store *store, jaga_ctx *ctx, const char *path,
                                jaga_audit_key **out)
{
    *out = NULL;
    EVP_PKEY *pkey = NULL;
    jaga_status st;
    FILE *f = fopen(path, "r");
    if (f) {
        st = jaga_file_private(ctx, fileno(f), path);
        if (st == JAGA_OK)
            st = key_read(ctx, path, f, &pkey);
        fclose(f);
    } else if (errno != ENOENT) {
        st = jaga_fail(ctx, JAGA_ERR_IO, "audit key %s: %s", path, strerror(errno));
    } else {
        jaga_tree_head latest;
        st = jaga_store_audit_head_latest(store, ctx, &latest);
        if (st == JAGA_OK)
            st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND,
                           "audit key %s is missing, and the log has heads signed with it:"
                           " restore the file",
                           path);
        else if (st == JAGA_ERR_NOT_FOUND)
            st = key_create(ctx, path, &pkey);
    }
    jaga_audit_key *key = st == JAGA_OK ? calloc(1, sizeof(*key)) : NULL;
    size_t len = 32;
    if (st == JAGA_OK && !key)
        st = jaga_fail(ctx, JAGA_ERR_NOMEM, "audit key: no memory");
    if (st == JAGA_OK && EVP_PKEY_get_raw_public_key(pkey, key->public_key, &len) != 1)
        st = jaga_fail(ctx, JAGA_ERR_DECODE, "audit key %s: no public key", path);
    if (st != JAGA_OK) {
        free(key);
        EVP_PKEY_free(pkey);
        return st;
    }
    key->pkey = pkey;
    *out = key;
    return JAGA_OK;
}

void jaga_audit_key_free(jaga_audit_key *key)
{
    if (!key)
        return;
    EVP_PKEY_free(key->pkey);
    free(key);
}

void jaga_audit_key_public(const jaga_audit_key *key, uint8_t out[32])
{
    memcpy(out, key->public_key, 32);
}

static void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

void jaga_tree_head_message(const jaga_tree_head *h, uint8_t out[JAGA_TREE_HEAD_MESSAGE])
{
    memcpy(out, "jaga-tree-head-v1", 18); /* with its NUL */
    put_be64(out + 18, h->size);
    put_be64(out + 26, (uint64_t)h->signed_at);
    memcpy(out + 34, h->root, 32);
}

jaga_status jaga_audit_key_sign(const jaga_audit_key *key, jaga_ctx *ctx, const void *msg,
                                size_t len, uint8_t signature[64])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t siglen = 64;
    int ok = md && EVP_DigestSignInit(md, NULL, NULL, NULL, key->pkey) == 1 &&
             EVP_DigestSign(md, signature, &siglen, msg, len) == 1 && siglen == 64;
    EVP_MD_CTX_free(md);
    return ok ? JAGA_OK : jaga_fail(ctx, JAGA_ERR_NOMEM, "signing with the node's key failed");
}

int jaga_signature_check(const uint8_t public_key[32], const void *msg, size_t len,
                         const uint8_t signature[64])
{
    EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, public_key, 32);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = pkey && md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, pkey) == 1 &&
             EVP_DigestVerify(md, signature, 64, msg, len) == 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    return ok;
}

/* Signs h in place. */
jaga_status jaga__audit_head_sign(const jaga_audit_key *key, jaga_ctx *ctx, jaga_tree_head *h)
{
    uint8_t msg[JAGA_TREE_HEAD_MESSAGE];
    jaga_tree_head_message(h, msg);
    return jaga_audit_key_sign(key, ctx, msg, sizeof(msg), h->signature);
}

int jaga_tree_head_check(const uint8_t public_key[32], const jaga_tree_head *h)
{
    uint8_t msg[JAGA_TREE_HEAD_MESSAGE];
    jaga_tree_head_message(h, msg);
    return jaga_signature_check(public_key, msg, sizeof(msg), h->signature);
}

/* RFC 6962 Merkle trees: hashing, the append-only right edge, proofs and their checks. */
#include "jaga/merkle.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <string.h>

#include "jaga/core.h"

/* SHA-256 through an algorithm fetched once and a context kept per thread: OpenSSL 3's
 * one-shot SHA256() looks the algorithm up on every call, and a fresh context per hash takes
 * locks for reference counts; either costs more than hashing a short leaf. */
static EVP_MD *sha256_md;
static pthread_key_t sha256_ctx_key;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_ctx_free(void *ctx)
{
    EVP_MD_CTX_free(ctx);
}

static void sha256_fetch(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    pthread_key_create(&sha256_ctx_key, sha256_ctx_free);
}

static EVP_MD_CTX *sha256_ctx(void)
{
    pthread_once(&sha256_once, sha256_fetch);
    EVP_MD_CTX *c = pthread_getspecific(sha256_ctx_key);
    if (!c && (c = EVP_MD_CTX_new()) && pthread_setspecific(sha256_ctx_key, c) != 0) {
        EVP_MD_CTX_free(c);
        c = NULL;
    }
    return c;
}

/* SHA-256 of one prefix byte and two parts (b may be NULL). */
static void sha256_of(uint8_t prefix, const void *a, size_t alen, const void *b, size_t blen,
                      uint8_t out[JAGA_MERKLE_HASH])
{
    EVP_MD_CTX *c = sha256_ctx();
    if (!c || !sha256_md || !EVP_DigestInit_ex2(c, sha256_md, NULL) ||
        !EVP_DigestUpdate(c, &prefix, 1) || !EVP_DigestUpdate(c, a, alen) ||
        (b && !EVP_DigestUpdate(c, b, blen)) || !EVP_DigestFinal_ex(c, out, NULL))
        memset(out, 0, JAGA_MERKLE_HASH); /* out of memory: a hash that proves nothing */
}

void jaga_merkle_leaf_hash(const void *data, size_t len, uint8_t out[JAGA_MERKLE_HASH])
{
    sha256_of(0x00, data, len, NULL, 0, out);
}

void jaga_merkle_node_hash(const uint8_t left[JAGA_MERKLE_HASH],
                           const uint8_t right[JAGA_MERKLE_HASH], uint8_t out[JAGA_MERKLE_HASH])
{
    sha256_of(0x01, left, JAGA_MERKLE_HASH, right, JAGA_MERKLE_HASH, out);
}

void jaga_merkle_append(jaga_merkle_edge *e, const uint8_t leaf_hash[JAGA_MERKLE_HASH],
                        jaga_merkle_node_sink sink, void *arg)
{
    uint8_t cur[JAGA_MERKLE_HASH];
    uint64_t index = e->size;
    unsigned level = 0;
    memcpy(cur, leaf_hash, sizeof(cur));
    if (sink)
        sink(arg, 0, index, cur);
    /* Each set low bit of the size is a perfect subtree waiting for a right sibling. */
    while (level < JAGA_MERKLE_LEVELS - 1 && (e->size >> level) & 1) {
        jaga_merkle_node_hash(e->edge[level], cur, cur);
        level++;
        if (sink)
            sink(arg, level, index >> level, cur);
    }
    memcpy(e->edge[level], cur, sizeof(cur));
    e->size++;
}

void jaga_merkle_root(const jaga_merkle_edge *e, uint8_t out[JAGA_MERKLE_HASH])
{
    int have = 0;
    for (unsigned k = 0; k < JAGA_MERKLE_LEVELS; k++) {
        if (!((e->size >> k) & 1))
            continue;
        if (have)
            jaga_merkle_node_hash(e->edge[k], out, out);
        else
            memcpy(out, e->edge[k], JAGA_MERKLE_HASH);
        have = 1;
    }
    if (!have)
        SHA256((const uint8_t *)"", 0, out);
}

/* The largest power of two below n (n > 1). */
static uint64_t split(uint64_t n)
{
    uint64_t k = 1;
    while (k << 1 < n)
        k <<= 1;
    return k;
}

/* MTH(D[start:start+count]) through the perfect subtrees (count > 0); start is aligned as the
 * RFC's recursion keeps it. */
static jaga_status subtree(jaga_merkle_node_fn fn, void *arg, uint64_t start, uint64_t count,
                           uint8_t out[JAGA_MERKLE_HASH])
{
    if ((count & (count - 1)) == 0) {
        unsigned level = 0;
        while ((1ull << level) < count)
            level++;
        return fn(arg, level, start >> level, out) == 0
                   ? JAGA_OK
                   : jaga_fail(NULL, JAGA_ERR_IO, "merkle: node unreadable");
    }
    uint64_t k = split(count);
    uint8_t left[JAGA_MERKLE_HASH], right[JAGA_MERKLE_HASH];
    jaga_status st = subtree(fn, arg, start, k, left);
    if (st == JAGA_OK)
        st = subtree(fn, arg, start + k, count - k, right);
    if (st == JAGA_OK)
        jaga_merkle_node_hash(left, right, out);
    return st;
}

jaga_status jaga_merkle_tree_root(jaga_merkle_node_fn fn, void *arg, uint64_t size,
                                  uint8_t out[JAGA_MERKLE_HASH])
{
    if (!size) {
        SHA256((const uint8_t *)"", 0, out);
        return JAGA_OK;
    }
    return subtree(fn, arg, 0, size, out);
}

/* A proof being built. */
typedef struct proof {
    jaga_merkle_node_fn fn;
    void *arg;
    uint8_t (*out)[JAGA_MERKLE_HASH];
    size_t n;
} proof;

static jaga_status add(proof *p, uint64_t start, uint64_t count)
{
    if (p->n == JAGA_MERKLE_LEVELS)
        return jaga_fail(NULL, JAGA_ERR_LIMIT, "merkle: proof too long");
    return subtree(p->fn, p->arg, start, count, p->out[p->n++]);
}

/* RFC 6962 PATH(m, D[start:start+count]). */
static jaga_status path(proof *p, uint64_t m, uint64_t start, uint64_t count)
{
    if (count <= 1)
        return JAGA_OK;
    uint64_t k = split(count);
    jaga_status st = m < k ? path(p, m, start, k) : path(p, m - k, start + k, count - k);
    if (st == JAGA_OK)
        st = m < k ? add(p, start + k, count - k) : add(p, start, k);
    return st;
}

jaga_status jaga_merkle_inclusion_proof(jaga_merkle_node_fn fn, void *arg, uint64_t index,
                                        uint64_t size, uint8_t (*out)[JAGA_MERKLE_HASH], size_t *n)
{
    proof p = {fn, arg, out, 0};
    *n = 0;
    if (index >= size)
        return jaga_fail(NULL, JAGA_ERR_INVALID, "merkle: leaf %llu is not in a tree of %llu",
                         (unsigned long long)index, (unsigned long long)size);
    jaga_status st = path(&p, index, 0, size);
    *n = st == JAGA_OK ? p.n : 0;
    return st;
}

/* RFC 6962 SUBPROOF(m, D[start:start+count], whole). */
static jaga_status subproof(proof *p, uint64_t m, uint64_t start, uint64_t count, int whole)
{
    if (m == count)
        return whole ? JAGA_OK : add(p, start, count);
    uint64_t k = split(count);
    jaga_status st =
        m <= k ? subproof(p, m, start, k, whole) : subproof(p, m - k, start + k, count - k, 0);
    if (st == JAGA_OK)
        st = m <= k ? add(p, start + k, count - k) : add(p, start, k);
    return st;
}

jaga_status jaga_merkle_consistency_proof(jaga_merkle_node_fn fn, void *arg, uint64_t old_size,
                                          uint64_t new_size, uint8_t (*out)[JAGA_MERKLE_HASH],
                                          size_t *n)
{
    proof p = {fn, arg, out, 0};
    *n = 0;
    if (!old_size || old_size > new_size)
        return jaga_fail(NULL, JAGA_ERR_INVALID, "merkle: no proof from %llu to %llu leaves",
                         (unsigned long long)old_size, (unsigned long long)new_size);
    jaga_status st = old_size == new_size ? JAGA_OK : subproof(&p, old_size, 0, new_size, 1);
    *n = st == JAGA_OK ? p.n : 0;
    return st;
}

/* Shifts fn and sn right together until fn's low bit is set or fn is 0. */
static void shift_to_set(uint64_t *fn, uint64_t *sn)
{
    while (*fn && !(*fn & 1))
        *fn >>= 1, *sn >>= 1;
}

int jaga_merkle_verify_inclusion(const uint8_t leaf_hash[JAGA_MERKLE_HASH], uint64_t index,
                                 uint64_t size, const uint8_t (*proof)[JAGA_MERKLE_HASH], size_t n,
                                 const uint8_t root[JAGA_MERKLE_HASH])
{
    if (index >= size)
        return 0;
    uint64_t fn = index, sn = size - 1;
    uint8_t r[JAGA_MERKLE_HASH];
    memcpy(r, leaf_hash, sizeof(r));
    for (size_t i = 0; i < n; i++) {
        if (!sn)
            return 0;
        if ((fn & 1) || fn == sn) {
            jaga_merkle_node_hash(proof[i], r, r);
            if (!(fn & 1))
                shift_to_set(&fn, &sn);
        } else {
            jaga_merkle_node_hash(r, proof[i], r);
        }
        fn >>= 1, sn >>= 1;
    }
    return sn == 0 && memcmp(r, root, sizeof(r)) == 0;
}

int jaga_merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
                                   const uint8_t old_root[JAGA_MERKLE_HASH],
                                   const uint8_t new_root[JAGA_MERKLE_HASH],
                                   const uint8_t (*proof)[JAGA_MERKLE_HASH], size_t n)
{
    if (!old_size || old_size > new_size)
        return 0;
    if (old_size == new_size)
        return n == 0 && memcmp(old_root, new_root, JAGA_MERKLE_HASH) == 0;
    /* An old tree that is a perfect subtree is the proof's implicit first hash. */
    int implicit = (old_size & (old_size - 1)) == 0;
    if (n + implicit == 0)
        return 0;
    const uint8_t *first = implicit ? old_root : proof[0];
    size_t next = implicit ? 0 : 1;
    uint64_t fn = old_size - 1, sn = new_size - 1;
    while (fn & 1)
        fn >>= 1, sn >>= 1;
    uint8_t fr[JAGA_MERKLE_HASH], sr[JAGA_MERKLE_HASH];
    memcpy(fr, first, sizeof(fr));
    memcpy(sr, first, sizeof(sr));
    for (size_t i = next; i < n; i++) {
        if (!sn)
            return 0;
        if ((fn & 1) || fn == sn) {
            jaga_merkle_node_hash(proof[i], fr, fr);
            jaga_merkle_node_hash(proof[i], sr, sr);
            if (!(fn & 1))
                shift_to_set(&fn, &sn);
        } else {
            jaga_merkle_node_hash(sr, proof[i], sr);
        }
        fn >>= 1, sn >>= 1;
    }
    return sn == 0 && memcmp(fr, old_root, sizeof(fr)) == 0 &&
           memcmp(sr, new_root, sizeof(sr)) == 0;
}

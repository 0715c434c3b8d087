/* RFC 6962 Merkle trees: the published test vectors, the append-only edge against a direct
 * recursive reading of the RFC, and every inclusion and consistency proof of trees up to 70
 * leaves, verified, and refused once tampered with. */
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/merkle.h"
#include "test_support.h"

enum { MAX = 70 };
typedef uint8_t hash[JAGA_MERKLE_HASH];

/* The perfect subtrees the appends report, by level and index. */
static hash nodes[8][MAX];

static void keep(void *arg, unsigned level, uint64_t index, const uint8_t h[JAGA_MERKLE_HASH])
{
    (void)arg;
    assert_true(level < 8 && index < MAX);
    memcpy(nodes[level][index], h, JAGA_MERKLE_HASH);
}

static int read_node(void *arg, unsigned level, uint64_t index, uint8_t out[JAGA_MERKLE_HASH])
{
    (void)arg;
    memcpy(out, nodes[level][index], JAGA_MERKLE_HASH);
    return 0;
}

/* MTH straight from RFC 6962 section 2.1, over leaf hashes. */
static void mth(const hash *leaves, uint64_t n, uint8_t out[JAGA_MERKLE_HASH])
{
    if (n == 1) {
        memcpy(out, leaves[0], JAGA_MERKLE_HASH);
        return;
    }
    uint64_t k = 1;
    while (k * 2 < n)
        k *= 2;
    hash l, r;
    mth(leaves, k, l);
    mth(leaves + k, n - k, r);
    jaga_merkle_node_hash(l, r, out);
}

static void hex(const uint8_t *h, char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void test_vectors(void **state)
{
    (void)state;
    /* The inputs and roots of the RFC 6962 test vectors (certificate-transparency). */
    uint8_t run8[8], run16[16]; /* 0x50..0x57 and 0x60..0x6f */
    for (int k = 0; k < 16; k++) {
        if (k < 8)
            run8[k] = (uint8_t)(0x50 + k);
        run16[k] = (uint8_t)(0x60 + k);
    }
    const void *inputs[8] = {"",   "\x00", "\x10", "\x20\x21", "\x30\x31", "\x40\x41\x42\x43",
                             run8, run16};
    static const size_t lens[8] = {0, 1, 1, 2, 2, 4, 8, 16};
    static const char *const roots[8] = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
    jaga_merkle_edge e = {0};
    hash root;
    char text[65];
    jaga_merkle_root(&e, root);
    hex(root, text);
    assert_string_equal(text, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    for (int i = 0; i < 8; i++) {
        hash leaf;
        jaga_merkle_leaf_hash(inputs[i], lens[i], leaf);
        jaga_merkle_append(&e, leaf, keep, NULL);
        jaga_merkle_root(&e, root);
        hex(root, text);
        assert_string_equal(text, roots[i]);
        assert_int_equal(jaga_merkle_tree_root(read_node, NULL, (uint64_t)i + 1, root), JAGA_OK);
        hex(root, text);
        assert_string_equal(text, roots[i]);
    }
}

static void test_proofs(void **state)
{
    (void)state;
    hash leaves[MAX], roots[MAX + 1], proof[JAGA_MERKLE_LEVELS];
    jaga_merkle_edge e = {0};
    for (int i = 0; i < MAX; i++) {
        char data[16];
        int len = snprintf(data, sizeof(data), "leaf %d", i);
        jaga_merkle_leaf_hash(data, (size_t)len, leaves[i]);
        jaga_merkle_append(&e, leaves[i], keep, NULL);
        jaga_merkle_root(&e, roots[i + 1]);
        hash want;
        mth(leaves, (uint64_t)i + 1, want);
        assert_memory_equal(roots[i + 1], want, JAGA_MERKLE_HASH);
    }
    size_t n;
    for (uint64_t size = 1; size <= MAX; size++) {
        for (uint64_t i = 0; i < size; i++) {
            assert_int_equal(jaga_merkle_inclusion_proof(read_node, NULL, i, size, proof, &n),
                             JAGA_OK);
            assert_true(jaga_merkle_verify_inclusion(leaves[i], i, size, (const hash *)proof, n,
                                                     roots[size]));
            /* Another leaf, another index, another tree: refused. */
            assert_false(jaga_merkle_verify_inclusion(leaves[(i + 1) % MAX], i, size,
                                                      (const hash *)proof, n, roots[size]));
            if (size > 1)
                assert_false(jaga_merkle_verify_inclusion(leaves[i], (i + 1) % size, size,
                                                          (const hash *)proof, n, roots[size]));
            if (n) {
                proof[n - 1][3] ^= 1;
                assert_false(jaga_merkle_verify_inclusion(leaves[i], i, size, (const hash *)proof,
                                                          n, roots[size]));
            }
        }
        assert_int_equal(jaga_merkle_inclusion_proof(read_node, NULL, size, size, proof, &n),
                         JAGA_ERR_INVALID);
        for (uint64_t old = 1; old <= size; old++) {
            assert_int_equal(jaga_merkle_consistency_proof(read_node, NULL, old, size, proof, &n),
                             JAGA_OK);
            assert_true(jaga_merkle_verify_consistency(old, size, roots[old], roots[size],
                                                       (const hash *)proof, n));
            if (old < size) {
                /* A rewritten history (another old root) or a tampered proof: refused. */
                assert_false(jaga_merkle_verify_consistency(old, size, roots[old - 1 ? old - 1 : 2],
                                                            roots[size], (const hash *)proof, n));
                if (n) {
                    proof[0][0] ^= 0x80;
                    assert_false(jaga_merkle_verify_consistency(old, size, roots[old], roots[size],
                                                                (const hash *)proof, n));
                }
            }
        }
    }
    assert_int_equal(jaga_merkle_consistency_proof(read_node, NULL, 0, 5, proof, &n),
                     JAGA_ERR_INVALID);
    assert_int_equal(jaga_merkle_consistency_proof(read_node, NULL, 6, 5, proof, &n),
                     JAGA_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_proofs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

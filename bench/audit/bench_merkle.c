/* bench/audit: the Merkle tree alone (RFC 6962 leaf hash, append to the right edge, keeping
 * every perfect subtree it completes as a store would) against raw SHA-256 of the same leaves,
 * in the same run; prints leaves/s of each and the ratio (goal >= 0.3).
 *
 *   bench_merkle [LEAVES]    (default 1000000, each a 160-byte record like an audit leaf) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jaga/merkle.h"
#include "raw_sha256.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* What a store would keep: every node, here into a ring so memory stays flat. */
static uint8_t kept[4096][JAGA_MERKLE_HASH];
static size_t nkept;

static void keep(void *arg, unsigned level, uint64_t index, const uint8_t h[JAGA_MERKLE_HASH])
{
    (void)arg, (void)level, (void)index;
    memcpy(kept[nkept++ % 4096], h, JAGA_MERKLE_HASH);
}

static void record(char *buf, size_t cap, long i)
{
    snprintf(buf, cap,
             "{\"kind\":\"decision\",\"case\":%ld,\"content\":\"sha256:%064lx\","
             "\"action\":\"withhold\",\"by\":\"04efb2ba75ae\",\"at\":%ld}",
             i, (unsigned long)i * 2654435761ul, 1800000000 + i);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    char buf[256];
    uint8_t h[JAGA_MERKLE_HASH], sink = 0;
    double best_raw = 0, best_tree = 0;
    raw_sha256 sha;
    raw_sha256_open(&sha);
    for (int round = 0; round < 3; round++) { /* alternating, the best of three each */
        double t0 = now();
        for (long i = 0; i < n; i++) {
            record(buf, sizeof(buf), i);
            raw_sha256_hash(&sha, buf, strlen(buf), h);
            sink ^= h[0];
        }
        double raw = n / (now() - t0);
        jaga_merkle_edge *e = calloc(1, sizeof(*e));
        t0 = now();
        for (long i = 0; i < n; i++) {
            record(buf, sizeof(buf), i);
            jaga_merkle_leaf_hash(buf, strlen(buf), h);
            jaga_merkle_append(e, h, keep, NULL);
        }
        double tree = n / (now() - t0);
        jaga_merkle_root(e, h);
        sink ^= h[0];
        free(e);
        best_raw = raw > best_raw ? raw : best_raw;
        best_tree = tree > best_tree ? tree : best_tree;
    }
    raw_sha256_close(&sha);
    printf("bench/audit: %ld leaves (checksum %u)\n", n, sink);
    printf("  raw SHA-256 of the leaves: %.0f leaves/s\n", best_raw);
    printf("  Merkle tree appends      : %.0f leaves/s\n", best_tree);
    printf("  ratio tree / raw: %.3f (goal >= 0.3)\n", best_tree / best_raw);
    return 0;
}

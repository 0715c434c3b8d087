/* bench_index: the PDQ index against the linear scan over the same entries, in one run.
 *
 * Banks of 1M and 10M random PDQ hashes, uniform or clustered (1% near-duplicates of others,
 * 0..40 bits flipped). 1000 queries at radius 31: half planted within 31 bits of an entry,
 * half random. Prints build time, memory per entry, queries/s of the index and of the scan,
 * their ratio, and the recall of the index against the scan over every query.
 *
 *   bench_index [--quick]        (--quick: 100k and 1M entries)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jaga/index.h"
#include "synth_hash.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t state = 0x2545F4914F6CDD1Dull;

enum { QUERIES = 1000, CAP = 4096 };

static int same_matches(const jaga_index_match *a, size_t na, const jaga_index_match *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (a[i].entry_id != b[i].entry_id || a[i].distance != b[i].distance)
            return 0;
    return 1;
}

static int run(size_t n, int clustered)
{
    jaga_pdq_hash *hashes = malloc(n * sizeof(*hashes));
    uint64_t *ids = malloc(n * sizeof(*ids));
    uint32_t *banks = malloc(n * sizeof(*banks));
    if (!hashes || !ids || !banks)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (clustered && i > 0 && synth_next(&state) % 100 == 0) {
            hashes[i] = hashes[synth_next(&state) % i];
            hashes[i] = synth_flipped(&state, &hashes[i], (int)(synth_next(&state) % 41));
        } else {
            synth_random_hash(&state, &hashes[i]);
        }
        ids[i] = i + 1;
        banks[i] = (uint32_t)(i % 4);
    }
    jaga_index *x;
    if (jaga_index_open(&x) != JAGA_OK)
        return -1;
    double t0 = now();
    if (jaga_index_add_batch(x, NULL, n, ids, banks, hashes) != JAGA_OK)
        return -1;
    double build = now() - t0;

    static jaga_pdq_hash queries[QUERIES];
    for (int q = 0; q < QUERIES; q++) {
        if (q % 2 == 0) {
            queries[q] = hashes[synth_next(&state) % n];
            queries[q] = synth_flipped(&state, &queries[q], (int)(synth_next(&state) % 32));
        } else {
            synth_random_hash(&state, &queries[q]);
        }
    }
    static jaga_index_match a[CAP], b[CAP];
    static size_t counts[QUERIES];
    size_t matches = 0;
    t0 = now();
    for (int q = 0; q < QUERIES; q++) {
        jaga_index_query query = {.hashes = &queries[q], .nhashes = 1, .radius = 31};
        if (jaga_index_query_pdq(x, NULL, &query, a, CAP, &counts[q]) != JAGA_OK)
            return -1;
        matches += counts[q];
    }
    double index_qps = QUERIES / (now() - t0);

    /* The scan answers every query too: its time gives the ratio, its answer the recall. */
    size_t agree = 0;
    double scan_time = 0;
    for (int q = 0; q < QUERIES; q++) {
        jaga_index_query query = {.hashes = &queries[q], .nhashes = 1, .radius = 31};
        size_t na, nb;
        double s0 = now();
        if (jaga_index_scan_pdq(x, NULL, &query, b, CAP, &nb) != JAGA_OK)
            return -1;
        scan_time += now() - s0;
        if (jaga_index_query_pdq(x, NULL, &query, a, CAP, &na) != JAGA_OK)
            return -1;
        agree += same_matches(a, na, b, nb);
    }
    double scan_qps = QUERIES / scan_time;

    char path[] = "/tmp/jaga-bench-index-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    t0 = now();
    jaga_index *loaded = NULL;
    if (jaga_index_save(x, NULL, path) != JAGA_OK)
        return -1;
    double save = now() - t0;
    t0 = now();
    if (jaga_index_load(NULL, path, &loaded) != JAGA_OK)
        return -1;
    double load = now() - t0;
    unlink(path);
    jaga_index_free(loaded);
    printf("%5.1fM %-9s %7.1f s %8.1f B %12.0f %10.1f %8.1fx %7.4f %8zu %6.1f s %6.1f s\n",
           (double)n / 1e6, clustered ? "clustered" : "uniform", build,
           (double)jaga_index_memory(x) / (double)n, index_qps, scan_qps, index_qps / scan_qps,
           (double)agree / QUERIES, matches, save, load);
    fflush(stdout);
    jaga_index_free(x);
    free(hashes);
    free(ids);
    free(banks);
    return agree == QUERIES ? 0 : 1;
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    size_t sizes[2] = {1000000, 10000000};
    if (quick)
        sizes[0] = 100000, sizes[1] = 1000000;
    printf("PDQ index, radius 31, %d queries (half planted), one thread\n", QUERIES);
    printf("%-6s %-9s %9s %10s %12s %10s %9s %7s %8s %8s %8s\n", "size", "bank", "build",
           "mem/entry", "index q/s", "scan q/s", "ratio", "recall", "matches", "save", "load");
    int rc = 0;
    for (int s = 0; s < 2; s++)
        for (int clustered = 0; clustered <= 1; clustered++)
            rc |= run(sizes[s], clustered);
    printf("goal at 10M: >= 4000 q/s, recall 1.0, <= 200 B/entry, build <= 20 s, load <= 3 s\n");
    return rc;
}

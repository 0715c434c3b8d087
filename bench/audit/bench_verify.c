/* bench/audit: `jaga audit verify`'s work (jaga_audit_verify: every leaf read from the store,
 * rehashed, the tree recomputed and matched against every stored node) over LEAVES stored
 * leaves, against raw SHA-256 of the same leaves' bytes from memory, in the same run; then
 * what the log adds to a decision's durable commit (the time of its leaf appends, observed
 * inside the decisions, against the decisions' whole time).
 *
 *   bench_verify [LEAVES [DECISIONS]]    (default 1000000 and 300) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jaga/audit.h"
#include "jaga/cases.h"
#include "jaga/matcher.h"
#include "jaga/store.h"
#include "jaga/visibility.h"
#include "raw_sha256.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(jaga_ctx *ctx, const char *what)
{
    fprintf(stderr, "bench_verify: %s: %s\n", what, ctx ? jaga_errmsg(ctx) : "");
    exit(1);
}

/* Entries of one bank, 50 000 to a transaction: a leaf each, like a bank import. */
static void fill(jaga_store *db, jaga_ctx *ctx, long n)
{
    jaga_bank bank;
    jaga_bank_init(&bank, "BENCH");
    if (jaga_store_bank_create(db, ctx, &bank) != JAGA_OK)
        die(ctx, "bank");
    for (long i = 0; i < n; i++) {
        if (i % 50000 == 0 && (i && jaga_store_commit(db, ctx) != JAGA_OK))
            die(ctx, "commit");
        if (i % 50000 == 0 && jaga_store_begin(db, ctx) != JAGA_OK)
            die(ctx, "begin");
        jaga_entry e = {.bank_id = bank.id, .type = JAGA_SIGNAL_SHA256, .quality = -1};
        snprintf(e.value, sizeof(e.value), "%016lx%048lx", (unsigned long)i * 2654435761ul,
                 (unsigned long)i);
        snprintf(e.labels, sizeof(e.labels), "category=ncii;source=bench");
        jaga_apply_result res;
        if (jaga_store_entry_apply(db, ctx, &e, &res) != JAGA_OK)
            die(ctx, "entry");
    }
    if (jaga_store_commit(db, ctx) != JAGA_OK)
        die(ctx, "commit");
}

typedef struct leaves {
    char *data;
    size_t *end; /* leaf i is data[end[i-1] .. end[i]) */
    size_t n, len;
} leaves;

static void load(jaga_store *db, jaga_ctx *ctx, leaves *l, long n)
{
    l->end = malloc((size_t)n * sizeof(size_t));
    size_t cap = (size_t)n * 256;
    l->data = malloc(cap);
    jaga_audit_scan *scan;
    jaga_audit_row row;
    if (!l->end || !l->data || jaga_store_audit_scan(db, ctx, 0, 0, &scan) != JAGA_OK)
        die(ctx, "load");
    while ((long)l->n < n && jaga_audit_scan_next(scan, ctx, &row) == JAGA_OK) {
        if (l->len + row.len > cap)
            die(NULL, "leaves over 256 bytes");
        memcpy(l->data + l->len, row.data, row.len);
        l->len += row.len;
        l->end[l->n++] = l->len;
    }
    jaga_audit_scan_close(scan);
}

static double raw_rate(const leaves *l, uint8_t *sink)
{
    uint8_t h[32];
    raw_sha256 sha;
    raw_sha256_open(&sha);
    double t0 = now();
    for (size_t i = 0, start = 0; i < l->n; start = l->end[i++]) {
        raw_sha256_hash(&sha, l->data + start, l->end[i] - start, h);
        *sink ^= h[0];
    }
    double rate = (double)l->n / (now() - t0);
    raw_sha256_close(&sha);
    return rate;
}

typedef struct audit_time {
    double seconds;
    long appends;
    int on;
} audit_time;

static void observe(void *arg, const char *op, double seconds)
{
    audit_time *a = arg;
    if (a->on && strcmp(op, "audit_append") == 0) {
        a->seconds += seconds;
        a->appends++;
    }
}

/* DECISIONS cases from reports, each claimed, then decided in its own durable commit. */
static void decisions(const char *path, long n)
{
    jaga_ctx *ctx = NULL;
    jaga_store *db = NULL;
    jaga_policy *policy = NULL;
    jaga_matcher *matcher = NULL;
    jaga_visibility_map *map = NULL;
    jaga_ctx_open(&ctx);
    if (jaga_store_open(ctx, path, &db) != JAGA_OK ||
        jaga_policy_load(ctx, JAGA_SOURCE_DIR "/policy/default.json", &policy) != JAGA_OK ||
        jaga_matcher_open(ctx, db, NULL, &matcher) != JAGA_OK ||
        jaga_visibility_map_open(&map) != JAGA_OK)
        die(ctx, "review set-up");
    jaga_review rv = {.db = db, .policy = policy, .matcher = matcher, .map = map};
    audit_time at = {0};
    jaga_store_observe(db, observe, &at);
    double total = 0;
    for (long i = 0; i < n; i++) {
        jaga_report rep = {
            .key_prefix = "platform0001", .category = "hate_speech", .country = "FR"};
        snprintf(rep.content_id, sizeof(rep.content_id), "bench-%ld", i);
        jaga_case c;
        if (jaga_report_receive(ctx, &rv, &rep) != JAGA_OK ||
            jaga_case_claim(ctx, &rv, rep.case_id, "mod-1", 600, &c) != JAGA_OK)
            die(ctx, "report and claim");
        jaga_decision d = {.case_id = rep.case_id,
                           .action = "remove",
                           .ground = "terms",
                           .category = "hate_speech",
                           .decided_by = "mod-1"};
        jaga_decision_result res;
        at.on = 1;
        double t0 = now();
        if (jaga_case_apply_decision(ctx, &rv, &d, &res) != JAGA_OK)
            die(ctx, "decision");
        total += now() - t0;
        at.on = 0;
    }
    printf("  %ld decisions, each one durable commit: %.0f us each, of which %.1f us for its"
           " %.1f audit leaves (%.1f%%)\n",
           n, 1e6 * total / (double)n, 1e6 * at.seconds / (double)n, (double)at.appends / (double)n,
           100.0 * at.seconds / total);
    jaga_visibility_map_free(map);
    jaga_matcher_free(matcher);
    jaga_policy_free(policy);
    jaga_store_free(db);
    jaga_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    long nd = argc > 2 ? atol(argv[2]) : 300;
    char dir[] = "/tmp/jaga-bench-audit-XXXXXX", path[64], key_path[80];
    if (!mkdtemp(dir))
        die(NULL, "temporary folder");
    snprintf(path, sizeof(path), "%s/bench.db", dir);
    jaga_ctx *ctx = NULL;
    jaga_store *db = NULL;
    jaga_audit_key *key = NULL;
    jaga_tree_head head;
    jaga_ctx_open(&ctx);
    if (jaga_store_open(ctx, path, &db) != JAGA_OK)
        die(ctx, "store");
    fill(db, ctx, n - 1);
    jaga_audit_key_path(path, key_path, sizeof(key_path));
    if (jaga_audit_key_open(db, ctx, key_path, &key) != JAGA_OK ||
        jaga_audit_head(db, key, ctx, 1800000000, &head) != JAGA_OK)
        die(ctx, "head");
    leaves l = {0};
    load(db, ctx, &l, n);
    uint8_t pub[32], sink = 0;
    jaga_audit_key_public(key, pub);
    double best_raw = 0, best_verify = 0;
    for (int round = 0; round < 3; round++) { /* alternating, the best of three each */
        double raw = raw_rate(&l, &sink);
        jaga_audit_summary sum;
        double t0 = now();
        if (jaga_audit_verify(db, ctx, pub, NULL, NULL, &sum) != JAGA_OK || sum.problems)
            die(ctx, "verify");
        double verify = (double)sum.leaves / (now() - t0);
        best_raw = raw > best_raw ? raw : best_raw;
        best_verify = verify > best_verify ? verify : best_verify;
    }
    printf("bench/audit verify: %zu stored leaves, %zu signed heads (checksum %u)\n", l.n, 1ul,
           sink);
    printf("  raw SHA-256 of the leaves: %.0f leaves/s\n", best_raw);
    printf("  jaga_audit_verify        : %.0f leaves/s\n", best_verify);
    printf("  ratio verify / raw: %.3f (goal >= 0.3)\n", best_verify / best_raw);
    free(l.data);
    free(l.end);
    jaga_audit_key_free(key);
    jaga_store_free(db);
    jaga_ctx_free(ctx);
    decisions(path, nd);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}

/* jaga_audit_verify: the whole tree recomputed from the leaves' data, in one pass, against
 * what the store holds (leaf hashes, the nodes above them, the signed heads). Memory stays
 * O(log n) plus a few batches: a reader thread on a handle of its own reads the leaves
 * (verify_feed.c) while this one rehashes them, grows the tree and walks the stored nodes,
 * one walk per level moving along as the recomputed tree completes its nodes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify_feed.h"
#include "jaga/digest.h"
#include "jaga/core.h"

enum { PROBLEMS_TOLD = 50 };

typedef struct level_walk {
    jaga_audit_scan *scan;
    jaga_audit_row row;
    int has_row; /* row holds the next stored node not yet matched */
    int done;
} level_walk;

typedef struct verifier {
    jaga_store *store;
    jaga_ctx *ctx;
    jaga_audit_problem_fn problem;
    void *arg;
    jaga_audit_summary *summary;
    level_walk levels[JAGA_MERKLE_LEVELS];
    jaga_status failed; /* a store failure stops the walk */
} verifier;

static void report(verifier *v, const char *fmt, ...)
{
    if (++v->summary->problems > PROBLEMS_TOLD || !v->problem)
        return;
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    v->problem(v->arg, text);
}

/* The next stored node of a level, or none (done). */
static int walk_peek(verifier *v, unsigned level, uint64_t from)
{
    level_walk *w = &v->levels[level];
    if (w->has_row || w->done)
        return w->has_row;
    if (!w->scan) {
        jaga_status st = jaga_store_audit_scan(v->store, v->ctx, level, from, &w->scan);
        if (st != JAGA_OK) {
            v->failed = st;
            w->done = 1;
            return 0;
        }
    }
    jaga_status st = jaga_audit_scan_next(w->scan, v->ctx, &w->row);
    if (st == JAGA_OK)
        w->has_row = 1;
    else
        w->done = 1;
    if (st != JAGA_OK && st != JAGA_ERR_NOT_FOUND)
        v->failed = st;
    return w->has_row;
}

/* A node the recomputed tree completed, matched against the stored one of its place. */
static void check_node(void *arg, unsigned level, uint64_t index, const uint8_t hash[32])
{
    verifier *v = arg;
    if (level == 0 || v->failed != JAGA_OK)
        return;
    level_walk *w = &v->levels[level];
    while (walk_peek(v, level, 0) && w->row.index < index) {
        report(v, "node %u/%llu is stored but the tree has no such node", level,
               (unsigned long long)w->row.index);
        w->has_row = 0;
    }
    if (!walk_peek(v, level, 0) || w->row.index != index) {
        report(v, "node %u/%llu is missing from the store", level, (unsigned long long)index);
        return;
    }
    if (memcmp(w->row.hash, hash, 32) != 0)
        report(v, "node %u/%llu differs from the tree recomputed from the leaves", level,
               (unsigned long long)index);
    w->has_row = 0;
}

static void check_head(verifier *v, const uint8_t public_key[32], const jaga_tree_head *h,
                       const jaga_merkle_edge *edge)
{
    v->summary->heads++;
    if (!jaga_tree_head_check(public_key, h))
        report(v, "the tree head of size %llu has a bad signature", (unsigned long long)h->size);
    uint8_t root[32];
    jaga_merkle_root(edge, root);
    if (memcmp(root, h->root, 32) != 0) {
        char want[65];
        jaga_hex_encode(root, 32, want);
        report(v, "the signed head of size %llu does not match the leaves (their root is %s)",
               (unsigned long long)h->size, want);
    }
}

/* Rehashes a leaf into hash and reports what does not hold. */
static void check_leaf(verifier *v, const read_leaf *leaf, uint64_t expected,
                       uint8_t hash[JAGA_MERKLE_HASH])
{
    if (leaf->index > expected)
        report(v, "leaves %llu to %llu are missing", (unsigned long long)expected,
               (unsigned long long)leaf->index - 1);
    unsigned flags = jaga__verify_leaf(leaf, hash);
    if (flags & LEAF_HASH_DIFFERS)
        report(v, "leaf %llu: its data does not match its stored hash",
               (unsigned long long)leaf->index);
    if (flags & LEAF_KIND_DIFFERS)
        report(v, "leaf %llu: its kind '%s' is not the one in its data",
               (unsigned long long)leaf->index, leaf->kind);
}

static void check_rest(verifier *v, uint64_t leaves)
{
    for (unsigned level = 1; level < JAGA_MERKLE_LEVELS && v->failed == JAGA_OK; level++) {
        while (walk_peek(v, level, leaves >> level)) {
            report(v, "node %u/%llu is stored but the tree has no such node", level,
                   (unsigned long long)v->levels[level].row.index);
            v->levels[level].has_row = 0;
        }
    }
}

/* Heads up to the tree's present size, checked against it. */
static void heads_up_to(verifier *v, const uint8_t public_key[32], const jaga_tree_head *heads,
                        size_t n_heads, size_t *next, const jaga_merkle_edge *edge)
{
    while (*next < n_heads && heads[*next].size <= edge->size) {
        if (heads[*next].size < edge->size) /* a gap skipped past it */
            report(v, "the signed head of size %llu has no tree of its size",
                   (unsigned long long)heads[*next].size);
        else
            check_head(v, public_key, &heads[*next], edge);
        (*next)++;
    }
}

jaga_status jaga_audit_verify(jaga_store *store, jaga_ctx *ctx, const uint8_t public_key[32],
                              jaga_audit_problem_fn problem, void *arg, jaga_audit_summary *summary)
{
    memset(summary, 0, sizeof(*summary));
    verifier *v = calloc(1, sizeof(*v));
    jaga_merkle_edge *edge = calloc(1, sizeof(*edge));
    jaga_tree_head *heads = NULL;
    size_t n_heads = 0, next_head = 0;
    uint64_t size = 0, size_after = 0;
    verify_feed *feed = NULL;
    jaga_status st = v && edge ? JAGA_OK : jaga_fail(ctx, JAGA_ERR_NOMEM, "audit: no memory");
    if (st == JAGA_OK) {
        *v = (verifier){.store = store,
                        .ctx = ctx,
                        .problem = problem,
                        .arg = arg,
                        .summary = summary,
                        .failed = JAGA_OK};
        st = jaga_store_audit_heads(store, ctx, &heads, &n_heads);
    }
    if (st == JAGA_OK)
        st = jaga_store_audit_size(store, ctx, &size);
    if (st == JAGA_OK)
        st = jaga__verify_feed_open(store, ctx, size, &feed);
    const read_leaf *leaves;
    size_t n;
    uint8_t hash[JAGA_MERKLE_HASH];
    while (st == JAGA_OK && v->failed == JAGA_OK &&
           (st = jaga__verify_feed_next(feed, ctx, &leaves, &n)) == JAGA_OK && n) {
        for (size_t i = 0; i < n; i++) {
            heads_up_to(v, public_key, heads, n_heads, &next_head, edge);
            check_leaf(v, &leaves[i], edge->size, hash);
            jaga_merkle_append(edge, hash, check_node, v);
        }
        heads_up_to(v, public_key, heads, n_heads, &next_head, edge);
    }
    jaga__verify_feed_close(feed);
    if (st == JAGA_OK)
        heads_up_to(v, public_key, heads, n_heads, &next_head, edge);
    if (st == JAGA_OK)
        st = v->failed;
    if (st == JAGA_OK)
        st = jaga_store_audit_size(store, ctx, &size_after);
    /* Nodes or heads past the end are tampering, unless the log grew during the check. */
    if (st == JAGA_OK && size_after == size)
        check_rest(v, edge->size);
    if (st == JAGA_OK)
        st = v->failed;
    for (; st == JAGA_OK && next_head < n_heads; next_head++)
        if (heads[next_head].size > size_after)
            report(v, "the signed head of size %llu is beyond the log's %llu leaves",
                   (unsigned long long)heads[next_head].size, (unsigned long long)edge->size);
    if (st == JAGA_OK) {
        summary->leaves = edge->size;
        jaga_merkle_root(edge, summary->root);
    }
    for (unsigned level = 0; v && level < JAGA_MERKLE_LEVELS; level++)
        jaga_audit_scan_close(v->levels[level].scan);
    free(heads);
    free(edge);
    free(v);
    return st;
}

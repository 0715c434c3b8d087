/* bench_visibility DB N: seeds DB with N restrictions (a third in MY, a third everywhere, a
 * third in ID) unless it holds some already, loads them into a visibility map, then times
 * answers for random content ids (half of them unrestricted) against the floor of the same
 * work: finding the id in a plain hash table with no locks, scopes or answers. Prints both
 * rates and their ratio, measured in this process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#include "jaga/jaga.h"

enum { QUERIES = 2000000 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int seed(jaga_store *db, int n)
{
    static const char *const scopes[] = {"MY", "*", "ID"};
    if (jaga_store_begin(db, NULL) != JAGA_OK)
        return -1;
    for (int i = 0; i < n; i++) {
        jaga_restriction r = {.visibility = JAGA_VIS_WITHHELD, .provisional = 1};
        snprintf(r.content_id, sizeof(r.content_id), "c%d", i);
        snprintf(r.scope, sizeof(r.scope), "%s", scopes[i % 3]);
        snprintf(r.reason, sizeof(r.reason), "bench");
        snprintf(r.source, sizeof(r.source), "bench");
        if (jaga_store_restriction_add(db, NULL, &r) != JAGA_OK)
            return -1;
    }
    return jaga_store_commit(db, NULL) == JAGA_OK ? 0 : -1;
}

static int has_any(void *arg, const jaga_restriction *r)
{
    (void)r;
    *(int *)arg = 1;
    return 1;
}

/* The floor: the ids in an open-addressing table of strings, looked up without locks. */
typedef struct plain {
    char **slots;
    size_t n;
} plain;

static size_t plain_find(const plain *t, const char *id)
{
    size_t i = (size_t)XXH3_64bits(id, strlen(id)) & (t->n - 1);
    while (t->slots[i] && strcmp(t->slots[i], id) != 0)
        i = (i + 1) & (t->n - 1);
    return i;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: bench_visibility DB N\n", stderr);
        return 2;
    }
    int n = atoi(argv[2]);
    jaga_ctx *ctx = NULL;
    jaga_store *db = NULL;
    jaga_ctx_open(&ctx);
    if (n < 1 || jaga_store_open(ctx, argv[1], &db) != JAGA_OK) {
        fprintf(stderr, "bench_visibility: %s\n", jaga_errmsg(ctx));
        return 1;
    }
    int seeded = 0;
    jaga_store_restrictions_each(db, NULL, NULL, has_any, &seeded);
    if (!seeded && seed(db, n) != 0) {
        fputs("bench_visibility: seeding failed\n", stderr);
        return 1;
    }
    jaga_visibility_map *m;
    double t0 = now();
    if (jaga_visibility_map_open(&m) != JAGA_OK || jaga_visibility_map_load(m, ctx, db)) {
        fprintf(stderr, "bench_visibility: %s\n", jaga_errmsg(ctx));
        return 1;
    }
    double load_s = now() - t0;
    plain t = {calloc(4 * (size_t)n, sizeof(char *)), 4 * (size_t)n};
    for (size_t s = 1; s < t.n; s <<= 1)
        if (s << 1 > t.n)
            t.n = s; /* a power of two */
    char(*ids)[16] = malloc(QUERIES * sizeof(*ids));
    srand(1);
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof(id), "c%d", i);
        t.slots[plain_find(&t, id)] = strdup(id);
    }
    for (int q = 0; q < QUERIES; q++)
        snprintf(ids[q], sizeof(ids[q]), "c%d", rand() % (2 * n));
    size_t hits = 0;
    t0 = now();
    for (int q = 0; q < QUERIES; q++)
        hits += t.slots[plain_find(&t, ids[q])] != NULL;
    double floor_s = now() - t0;
    size_t withheld = 0;
    jaga_visibility_answer a;
    t0 = now();
    for (int q = 0; q < QUERIES; q++) {
        jaga_visibility_map_answer(m, ids[q], "MY", "MY", &a);
        withheld += a.visibility == JAGA_VIS_WITHHELD;
    }
    double answer_s = now() - t0;
    printf("  %d restrictions loaded into memory in %.2f s\n", n, load_s);
    printf("  answers (map, MY viewer): %10.0f /s (%zu of %d withheld)\n", QUERIES / answer_s,
           withheld, QUERIES);
    printf("  floor (plain table)     : %10.0f /s (%zu found)\n", QUERIES / floor_s, hits);
    printf("  ratio answers / floor   : %.3f\n", floor_s / answer_s);
    jaga_visibility_map_free(m);
    jaga_store_free(db);
    jaga_ctx_free(ctx);
    return 0;
}

/* An open-addressing table of signature prefixes with their request times. A slot whose time
 * lies outside the window is free again, so the table never needs sweeping; an attacker
 * cannot fill it, since only verified signatures go in. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "replay_guard.h"

enum { PREFIX = 16, PROBES = 64 };

typedef struct slot {
    uint8_t prefix[PREFIX]; /* an Ed25519 signature's first 128 bits name it well enough */
    int64_t time;           /* 0: never used */
} slot;

struct replay_guard {
    pthread_mutex_t lock;
    uint32_t n;
    int64_t window;
    slot *slots;
};

replay_guard *replay_guard_open(uint32_t slots, int64_t window)
{
    replay_guard *g = calloc(1, sizeof(*g));
    if (g && (g->slots = calloc(slots ? slots : 1, sizeof(slot)))) {
        pthread_mutex_init(&g->lock, NULL);
        g->n = slots ? slots : 1;
        g->window = window;
        return g;
    }
    free(g);
    return NULL;
}

void replay_guard_free(replay_guard *g)
{
    if (!g)
        return;
    pthread_mutex_destroy(&g->lock);
    free(g->slots);
    free(g);
}

int replay_guard_check(replay_guard *g, const uint8_t signature[64], int64_t time, int64_t now)
{
    uint32_t start;
    memcpy(&start, signature, sizeof(start));
    int rc = -1;
    pthread_mutex_lock(&g->lock);
    slot *free_slot = NULL;
    for (uint32_t k = 0; k < PROBES && k < g->n; k++) {
        slot *sl = &g->slots[(start + k) % g->n];
        int live = sl->time && sl->time >= now - g->window && sl->time <= now + g->window;
        if (live && memcmp(sl->prefix, signature, PREFIX) == 0) {
            rc = 1;
            break;
        }
        if (!live && !free_slot)
            free_slot = sl;
        if (!sl->time)
            break; /* never used: nothing was put beyond it */
    }
    if (rc != 1 && free_slot) {
        memcpy(free_slot->prefix, signature, PREFIX);
        free_slot->time = time ? time : 1;
        rc = 0;
    }
    pthread_mutex_unlock(&g->lock);
    return rc;
}

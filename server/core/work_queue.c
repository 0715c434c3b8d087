#include "work_queue.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct job {
    work_fn fn;
    void *arg;
    struct job *next;
} job;

struct work_queue {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    job *head, *tail;
    int closing;
    pthread_t *threads;
    unsigned n;
};

static void *worker(void *arg)
{
    work_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        while (!q->head && !q->closing)
            pthread_cond_wait(&q->ready, &q->lock);
        job *j = q->head;
        if (j && !(q->head = j->next))
            q->tail = NULL;
        pthread_mutex_unlock(&q->lock);
        if (!j)
            return NULL; /* closing and drained */
        j->fn(j->arg);
        free(j);
    }
}

work_queue *work_queue_open(unsigned n)
{
    work_queue *q = calloc(1, sizeof(*q));
    if (!q || !(q->threads = calloc(n ? n : 1, sizeof(pthread_t)))) {
        free(q);
        return NULL;
    }
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->ready, NULL);
    for (; q->n < (n ? n : 1); q->n++)
        if (pthread_create(&q->threads[q->n], NULL, worker, q) != 0) {
            work_queue_free(q);
            return NULL;
        }
    return q;
}

int work_queue_push(work_queue *q, work_fn fn, void *arg)
{
    job *j = malloc(sizeof(*j));
    if (!j)
        return -1;
    *j = (job){fn, arg, NULL};
    pthread_mutex_lock(&q->lock);
    int rc = q->closing ? -1 : 0;
    if (rc == 0) {
        if (q->tail)
            q->tail->next = j;
        else
            q->head = j;
        q->tail = j;
        pthread_cond_signal(&q->ready);
    }
    pthread_mutex_unlock(&q->lock);
    if (rc != 0)
        free(j);
    return rc;
}

void work_queue_free(work_queue *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->lock);
    q->closing = 1;
    pthread_cond_broadcast(&q->ready);
    pthread_mutex_unlock(&q->lock);
    for (unsigned i = 0; i < q->n; i++)
        pthread_join(q->threads[i], NULL);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->ready);
    free(q->threads);
    free(q);
}

/* A fixed set of worker threads taking jobs in order. The server hands decoding and hashing
 * to it and suspends the connection meanwhile, so that CPU work spreads over every core
 * whichever I/O thread a connection landed on. */
#ifndef JAGA_SERVER_WORK_QUEUE_H
#define JAGA_SERVER_WORK_QUEUE_H

typedef struct work_queue work_queue;
typedef void (*work_fn)(void *arg);

/* n threads; NULL when they cannot be started. */
work_queue *work_queue_open(unsigned n);

/* Queues fn(arg); 0, or -1 when out of memory or closing. */
int work_queue_push(work_queue *q, work_fn fn, void *arg);

/* Runs what is queued, then stops and joins the threads. A no-op on NULL. */
void work_queue_free(work_queue *q);

#endif

/* Per-key token buckets. */
#ifndef JAGA_SERVER_RATE_LIMIT_H
#define JAGA_SERVER_RATE_LIMIT_H

typedef struct rate_limiter rate_limiter;

enum { RATE_KEY_MAX = 128 }; /* a key's bytes, with its NUL: longer ones are cut */

/* rate tokens per second, up to burst; rate 0 disables limiting. NULL when out of memory. */
rate_limiter *rate_limit_open(double rate, double burst);
void rate_limit_free(rate_limiter *l);

/* Takes a token for key: 0 when granted, else the seconds until one is available. */
double rate_limit_take(rate_limiter *l, const char *key);

/* Takes cost tokens from key's bucket without refusing: it may go down to minus the burst,
 * and the key waits until it refills. */
void rate_limit_charge(rate_limiter *l, const char *key, double cost);

#endif

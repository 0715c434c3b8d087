/* Per-key token buckets. */
#ifndef JAGA_SERVER_RATE_LIMIT_H
#define JAGA_SERVER_RATE_LIMIT_H

typedef struct rate_limiter rate_limiter;

/* rate tokens per second, up to burst; rate 0 disables limiting. NULL when out of memory. */
rate_limiter *rate_limit_open(double rate, double burst);
void rate_limit_free(rate_limiter *l);

/* Takes a token for key: 0 when granted, else the seconds until one is available. */
double rate_limit_take(rate_limiter *l, const char *key);

#endif

/* News of bank changes for the feeds' long polls. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <time.h>

#include "exchange_feed.h"

uint64_t exchange_news(server_state *s)
{
    pthread_mutex_lock(&s->news_lock);
    uint64_t n = s->news;
    pthread_mutex_unlock(&s->news_lock);
    return n;
}

void exchange_notify(server_state *s)
{
    pthread_mutex_lock(&s->news_lock);
    s->news++;
    pthread_cond_broadcast(&s->news_cond);
    pthread_mutex_unlock(&s->news_lock);
}

void exchange_wait(server_state *s, uint64_t seen, double seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    double whole = floor(seconds);
    until.tv_sec += (time_t)whole;
    until.tv_nsec += (long)((seconds - whole) * 1e9);
    if (until.tv_nsec >= 1000000000L)
        until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&s->news_lock);
    while (s->news == seen && !s->exchange_stopping)
        if (pthread_cond_timedwait(&s->news_cond, &s->news_lock, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&s->news_lock);
}

void exchange_stop(server_state *s)
{
    pthread_mutex_lock(&s->news_lock);
    s->exchange_stopping = 1;
    pthread_cond_broadcast(&s->news_cond);
    pthread_mutex_unlock(&s->news_lock);
    exchange_fetcher_stop(s);
}

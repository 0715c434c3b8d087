/* Hash exchange in the server: news of bank changes for the feeds' long polls, and the
 * fetcher that pulls every subscription from its peer. */
#ifndef JAGA_SERVER_EXCHANGE_FEED_H
#define JAGA_SERVER_EXCHANGE_FEED_H

#include <stdint.h>

#include "server.h"

typedef struct exchange_fetcher exchange_fetcher;

/* How many bank changes the server has made (a counter read before a store read), and the
 * call after each one that wakes the feeds waiting for news. */
uint64_t exchange_news(server_state *s);
void exchange_notify(server_state *s);

/* Sleeps until news after seen, seconds pass, or the exchange stops. */
void exchange_wait(server_state *s, uint64_t seen, double seconds);

/* Stops the exchange: waiting feeds answer, pulls end. */
void exchange_stop(server_state *s);

/* Starts the fetcher: a thread that looks for subscriptions every few seconds and pulls each
 * one on a thread of its own (a long poll at its peer, exchange_wait_s), applying changes to
 * the store and then the matcher under the bank lock. 0 or -1. */
int exchange_fetcher_start(server_state *s);

/* Joins the fetcher's threads (after exchange_stop). A no-op when none started. */
void exchange_fetcher_stop(server_state *s);

#endif

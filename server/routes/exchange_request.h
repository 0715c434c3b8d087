/* The JSON bodies of the exchange routes: a peer to register, a subscription to make, the
 * verdicts a peer sends. */
#ifndef JAGA_SERVER_EXCHANGE_REQUEST_H
#define JAGA_SERVER_EXCHANGE_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/exchange.h"

/* Bodies are at most this long; a peer sends at most this many verdicts at once. */
enum {
    EXCHANGE_BODY_MAX = 65536,
    EXCHANGE_VERDICTS_BODY_MAX = 1 << 20,
    EXCHANGE_VERDICTS_MAX = 1000
};

/* {"name", "public_key" (64 hex digits), "url", "banks"} (url and banks optional; no other
 * field) into out. 0, or -1 with the reason in err. The peer is not checked further here
 * (jaga_peer_check). */
int exchange_peer_parse(const char *body, size_t len, jaga_peer *out, char *err, size_t errlen);

typedef struct exchange_subscribe_request {
    char peer[JAGA_PEER_NAME_MAX], bank[JAGA_BANK_NAME_MAX], local_bank[JAGA_BANK_NAME_MAX];
} exchange_subscribe_request;

/* {"peer", "bank", "local_bank"} (local_bank optional, "" when absent; no other field). 0, or
 * -1 with the reason in err. */
int exchange_subscribe_parse(const char *body, size_t len, exchange_subscribe_request *out,
                             char *err, size_t errlen);

/* {"verdicts": [{"signal_type", "value", "verdict", "at"}, ...]}: 1 to EXCHANGE_VERDICTS_MAX,
 * each at a Unix time not past now's skew, into a malloc'd array (*n of them; entry, bank and
 * peer ids 0) for the caller to free. NULL with the reason in err. */
jaga_feedback *exchange_verdicts_parse(const char *body, size_t len, int64_t now, size_t *n,
                                       char *err, size_t errlen);

#endif

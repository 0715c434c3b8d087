/* The JSON body of POST /v1/lookup, parsed strictly. */
#ifndef JAGA_SERVER_LOOKUP_REQUEST_H
#define JAGA_SERVER_LOOKUP_REQUEST_H

#include <stddef.h>

#include "jaga/bank.h"
#include "jaga/pdq.h"

#define LOOKUP_BODY_MAX 65536
#define LOOKUP_BANKS_MAX 32

/* {"pdq": ["<64 hex>", ...] (1 or 8, the 8 dihedral variants), "md5": "<32 hex>",
 *  "sha256": "<64 hex>", "banks": ["NAME", ...]}: at least one signal, nothing else. */
typedef struct lookup_request {
    jaga_pdq_hash pdq[JAGA_DIH_COUNT];
    size_t npdq;
    char md5[33], sha256[65];
    int has_md5, has_sha256;
    char banks[LOOKUP_BANKS_MAX][JAGA_BANK_NAME_MAX];
    size_t nbanks;
} lookup_request;

/* 0, or -1 with what is wrong in err. */
int lookup_request_parse(const char *body, size_t len, lookup_request *out, char *err,
                         size_t errlen);

#endif

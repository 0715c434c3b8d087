/* The JSON body of POST /v1/notices, parsed strictly. */
#ifndef JAGA_SERVER_NOTICE_REQUEST_H
#define JAGA_SERVER_NOTICE_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/store.h"

#define NOTICE_ITEMS_MAX 1000
#define NOTICE_BODY_MAX (NOTICE_ITEMS_MAX * 2200 + 8192)

/* {"reference": "...", "legal_basis": "ID", "urgency": "normal"|"urgent", "deadline": "24h",
 *  "penalty": {"currency": "MYR", "amount": 5000000}, "jurisdiction": "MY",
 *  "items": [{"content_id": ".."} | {"pdq": ".."} | {"md5": ".."} | {"sha256": ".."} |
 *            {"url": "https://.."}, ...]} (1 to 1000 items; reference and items required). */
typedef struct notice_request {
    char jurisdiction[3]; /* "" when not given */
    char reference[128], legal_basis[48];
    int urgent;
    int64_t deadline_s; /* 0: the policy's */
    int has_penalty;
    char currency[4];
    double amount;
    jaga_notice_item *items; /* kind and value filled; free with notice_request_free */
    size_t nitems;
} notice_request;

int notice_request_parse(const char *body, size_t len, notice_request *out, char *err,
                         size_t errlen);
void notice_request_free(notice_request *r);

#endif

/* The JSON bodies of the bank routes, parsed strictly. */
#ifndef JAGA_SERVER_BANK_REQUEST_H
#define JAGA_SERVER_BANK_REQUEST_H

#include <stddef.h>

#include "jaga/bank.h"

#define BANK_BODY_MAX 65536
#define WITHDRAW_VALUES_MAX 10000

/* Applies {"name", "description", "signal_types": [...], "pdq_threshold", "verified",
 * "enabled"} over bank; name only when creating. 0, or -1 with err. */
int bank_request_parse(const char *body, size_t len, int creating, jaga_bank *bank, char *err,
                       size_t errlen);

/* {"signal_type": "pdq", "values": ["<hex>", ...]}: the type and a malloc'd array of
 * values (free()). 0, or -1 with err. */
int withdraw_request_parse(const char *body, size_t len, jaga_signal_type *type,
                           char (**values)[JAGA_SIGNAL_VALUE_MAX], size_t *n, char *err,
                           size_t errlen);

#endif

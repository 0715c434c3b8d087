/* Internal: the loaded policy. */
#ifndef JAGA_POLICY_INTERNAL_H
#define JAGA_POLICY_INTERNAL_H

#include "jaga/policy.h"

struct jaga_policy {
    char version[64];
    jaga_jurisdiction *jurisdictions;
    size_t njurisdictions, fallback; /* fallback: the default jurisdiction's index */
    jaga_rule *rules;
    size_t nrules;
};

/* "48h", "90m", "1h30m", "2d", "30s" into seconds (1 s .. 366 d). JAGA_OK or
 * JAGA_ERR_INVALID. */
jaga_status jaga_duration_parse(const char *text, int64_t *out);

#endif

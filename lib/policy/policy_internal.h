/* Internal: the loaded policy. */
#ifndef JAGA_POLICY_INTERNAL_H
#define JAGA_POLICY_INTERNAL_H

#include "jaga/policy.h"

struct jaga_policy {
    char version[64];
    jaga_review_times review;
    jaga_jurisdiction *jurisdictions;
    size_t njurisdictions, fallback; /* fallback: the default jurisdiction's index */
    jaga_rule *rules;
    size_t nrules;
};

#endif

/* libFuzzer target: policy documents. A policy that loads must answer decisions. */
#include <stddef.h>
#include <stdint.h>

#include "jaga/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jaga_policy *p = NULL;
    if (jaga_policy_parse(NULL, "fuzz", (const char *)data, size, &p) != JAGA_OK)
        return 0;
    jaga_policy_match m = {"B", "category=ncii_deepfake", 0};
    jaga_policy_score s = {"porn", 0.95};
    const char *report = "ncii_deepfake";
    jaga_policy_input in = {&m, 1, &s, 1, &report, 1, 1};
    jaga_verdict v;
    size_t n;
    const jaga_jurisdiction *j = jaga_policy_jurisdictions(p, &n);
    for (size_t i = 0; i < n; i++)
        jaga_policy_decide(p, j[i].code, &in, &v);
    jaga_policy_decide(p, "??", &in, &v);
    jaga_policy_free(p);
    return 0;
}

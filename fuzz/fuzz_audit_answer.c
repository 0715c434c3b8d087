/* libFuzzer target: what an auditor's watcher reads from a server, a tree head and a proof
 * (jaga_tree_head_parse, jaga_audit_proof_parse). A parsed head is re-rendered and parsed
 * again to the same value; a parsed proof is never longer than the tree's levels. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jaga/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jaga_tree_head h, again;
    if (jaga_tree_head_parse(NULL, (const char *)data, size, &h) == JAGA_OK) {
        char text[512], root[65], sig[129];
        for (int i = 0; i < 32; i++)
            snprintf(root + 2 * i, 3, "%02x", h.root[i]);
        for (int i = 0; i < 64; i++)
            snprintf(sig + 2 * i, 3, "%02x", h.signature[i]);
        int n = snprintf(text, sizeof(text),
                         "{\"size\":%llu,\"root\":\"%s\",\"signed_at\":%lld,\"signature\":\"%s\"}",
                         (unsigned long long)h.size, root, (long long)h.signed_at, sig);
        if (jaga_tree_head_parse(NULL, text, (size_t)n, &again) != JAGA_OK ||
            memcmp(&h, &again, sizeof(h)) != 0)
            __builtin_trap();
        uint8_t pub[32] = {0};
        jaga_tree_head_check(pub, &h);
    }
    uint8_t proof[JAGA_MERKLE_LEVELS][JAGA_MERKLE_HASH];
    size_t n = 0;
    if (jaga_audit_proof_parse(NULL, (const char *)data, size, proof, &n) == JAGA_OK &&
        n > JAGA_MERKLE_LEVELS)
        __builtin_trap();
    return 0;
}

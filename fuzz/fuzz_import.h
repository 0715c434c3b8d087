/* The body shared by the bank-import fuzz targets: one in-memory store and bank, every
 * input imported twice (all-or-nothing, then skipping bad records). */
#ifndef JAGA_FUZZ_IMPORT_H
#define JAGA_FUZZ_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/bank_io.h"

static int fuzz_import(const uint8_t *data, size_t size, jaga_bank_format format)
{
    static jaga_store *store;
    static jaga_ctx *ctx;
    static jaga_bank bank;
    if (!store) {
        if (jaga_ctx_open(&ctx) != JAGA_OK || jaga_store_open(ctx, ":memory:", &store) != JAGA_OK)
            return 0;
        jaga_bank_init(&bank, "FUZZ");
        if (jaga_store_bank_create(store, ctx, &bank) != JAGA_OK)
            return 0;
    }
    jaga_import_report report;
    /* The second pass also labels every record, as an operator's --labels does. */
    jaga_import_hooks labels = {.labels = "category=fuzz"};
    for (int skip_bad = 0; skip_bad <= 1; skip_bad++)
        jaga_bank_import(store, ctx, &bank, format, (const char *)data, size, skip_bad,
                         skip_bad ? &labels : NULL, &report);
    return 0;
}

#endif

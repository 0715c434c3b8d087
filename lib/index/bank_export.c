/* Bank export: csv (every field, re-importable) and te lines. */
#include <stdio.h>

#include "jaga/bank_io.h"
#include "util/ctx.h"

typedef struct export_state {
    FILE *out;
    jaga_bank_format format;
    int failed;
} export_state;

static int export_entry(void *arg, const jaga_entry *e)
{
    export_state *s = arg;
    int rc;
    if (s->format == JAGA_BANK_TE)
        rc = fprintf(s->out, "%s %s\n", jaga_signal_type_name(e->type), e->value);
    else if (e->quality >= 0)
        rc = fprintf(s->out, "%s,%s,%d,%s,%s,%lld\n", jaga_signal_type_name(e->type), e->value,
                     e->quality, e->labels, e->withdrawn ? "withdrawn" : "active",
                     (long long)e->added_at);
    else
        rc = fprintf(s->out, "%s,%s,,%s,%s,%lld\n", jaga_signal_type_name(e->type), e->value,
                     e->labels, e->withdrawn ? "withdrawn" : "active", (long long)e->added_at);
    s->failed = rc < 0;
    return s->failed;
}

jaga_status jaga_bank_export(jaga_store *store, jaga_ctx *ctx, const jaga_bank *bank,
                             jaga_bank_format format, int with_withdrawn, FILE *out)
{
    if (format == JAGA_BANK_STOPNCII)
        return jaga_fail(ctx, JAGA_ERR_UNSUPPORTED, "export: stopncii is an import format only");
    export_state s = {.out = out, .format = format};
    if (format == JAGA_BANK_CSV &&
        fputs("signal_type,signal,quality,labels,status,added_at\n", out) < 0)
        return jaga_fail(ctx, JAGA_ERR_IO, "export: write failed");
    jaga_status st = jaga_store_entries_each(
        store, ctx, bank->id, with_withdrawn && format == JAGA_BANK_CSV, export_entry, &s);
    if (st == JAGA_OK && (s.failed || fflush(out) != 0))
        st = jaga_fail(ctx, JAGA_ERR_IO, "export: write failed");
    return st;
}

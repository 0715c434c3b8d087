/* Bank export: csv (every field, re-importable) and te lines. */
#include <stdio.h>

#include "jaga/bank_io.h"
#include "jaga/core.h"

const char *jaga_bank_export_header(jaga_bank_format format)
{
    return format == JAGA_BANK_CSV ? "signal_type,signal,quality,labels,status,added_at\n" : "";
}

/* vpdq ["hex,quality,timestamp", ...] */
static int write_vpdq(const jaga_entry *e, FILE *out)
{
    int failed = fputs("vpdq [", out) < 0;
    for (size_t i = 0; i < e->nfeatures && !failed; i++) {
        char feature[JAGA_VPDQ_LINE_MAX];
        jaga_vpdq_feature_compact(&e->features[i], feature);
        failed = fprintf(out, "%s\"%s\"", i ? ", " : "", feature) < 0;
    }
    return failed || fputs("]\n", out) < 0 ? -1 : 0;
}

int jaga_bank_export_write(jaga_bank_format format, const jaga_entry *e, FILE *out)
{
    char quality[16] = "";
    if (e->quality >= 0)
        snprintf(quality, sizeof(quality), "%d", e->quality);
    int n;
    if (format == JAGA_BANK_TE && e->type == JAGA_SIGNAL_VPDQ)
        return write_vpdq(e, out);
    if (format == JAGA_BANK_TE)
        n = fprintf(out, "%s %s\n", jaga_signal_type_name(e->type), e->value);
    else
        n = fprintf(out, "%s,%s,%s,%s,%s,%lld\n", jaga_signal_type_name(e->type), e->value, quality,
                    e->labels, e->withdrawn ? "withdrawn" : "active", (long long)e->added_at);
    return n < 0 ? -1 : 0;
}

typedef struct export_state {
    FILE *out;
    jaga_bank_format format;
    int failed;
} export_state;

static int export_entry(void *arg, const jaga_entry *e)
{
    export_state *s = arg;
    s->failed = jaga_bank_export_write(s->format, e, s->out) != 0;
    return s->failed;
}

jaga_status jaga_bank_export(jaga_store *store, jaga_ctx *ctx, const jaga_bank *bank,
                             jaga_bank_format format, int with_withdrawn, FILE *out)
{
    if (format != JAGA_BANK_CSV && format != JAGA_BANK_TE)
        return jaga_fail(ctx, JAGA_ERR_UNSUPPORTED,
                         "export: csv or te only (the others are "
                         "import formats)");
    export_state s = {.out = out, .format = format};
    if (fputs(jaga_bank_export_header(format), out) < 0)
        return jaga_fail(ctx, JAGA_ERR_IO, "export: write failed");
    jaga_entry_filter f = {.bank_id = bank->id,
                           .with_withdrawn = with_withdrawn && format == JAGA_BANK_CSV};
    jaga_status st = jaga_store_entries_each(store, ctx, &f, export_entry, &s);
    if (st == JAGA_OK && (s.failed || fflush(out) != 0))
        st = jaga_fail(ctx, JAGA_ERR_IO, "export: write failed");
    return st;
}

/* jaga export sor: the statements of reasons of decisions since a time, as the DSA
 * Transparency Database's API takes them: one JSON object per line, {"statements": [...]}
 * with at most 100 statements, the body of one POST /api/v1/statements each. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/time_text.h"

enum { BATCH_MAX = 100, PAGE = 500 };

static void usage(FILE *out)
{
    fputs("usage: jaga export [--db PATH] sor --since TIME [--batch N]\n"
          "Writes the statements of reasons of the decisions made since TIME (Unix seconds,\n"
          "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ) as JSON lines, each {\"statements\": [...]} with\n"
          "at most N (default and most 100) statements: the body of one submission to the DSA\n"
          "Transparency Database. Decisions without a statement there (no violation, appeals,\n"
          "restrictions outside the EEA) are counted on standard error and left out.\n",
          out);
}

/* The statement to export, or NULL for a decision the database takes none for. */
static json_t *statement_of(const jaga_decision *d)
{
    json_t *s = json_loads(d->statement, 0, NULL);
    if (!s || json_object_size(s) == 0 ||
        json_array_size(json_object_get(s, "territorial_scope")) == 0) {
        json_decref(s);
        return NULL;
    }
    return s;
}

static void flush_batch(json_t *batch, size_t *batches)
{
    if (json_array_size(batch) == 0)
        return;
    json_t *line = json_pack("{s:O}", "statements", batch);
    char *text = json_dumps(line, JSON_COMPACT);
    printf("%s\n", text);
    free(text);
    json_decref(line);
    json_array_clear(batch);
    (*batches)++;
}

static int export_sor(jaga_store *store, jaga_ctx *ctx, int64_t since, size_t batch_max)
{
    json_t *batch = json_array();
    size_t exported = 0, left_out = 0, batches = 0;
    int64_t after = 0;
    for (;;) {
        jaga_decision *list = NULL;
        size_t n = 0;
        if (jaga_store_decisions_since(store, ctx, since, after, PAGE, &list, &n) != JAGA_OK) {
            fprintf(stderr, "jaga export: %s\n", jaga_errmsg(ctx));
            json_decref(batch);
            return CLI_FAILED;
        }
        for (size_t i = 0; i < n; i++) {
            json_t *s = statement_of(&list[i]);
            left_out += s == NULL;
            if (!s)
                continue;
            json_array_append_new(batch, s);
            exported++;
            if (json_array_size(batch) == batch_max)
                flush_batch(batch, &batches);
        }
        after = n ? list[n - 1].id : after;
        free(list);
        if (n < PAGE)
            break;
    }
    flush_batch(batch, &batches);
    json_decref(batch);
    fprintf(stderr,
            "jaga export: %zu statements of reasons in %zu batches; %zu decisions without one\n",
            exported, batches, left_out);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}

int cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                             {"since", required_argument, NULL, 's'},
                                             {"batch", required_argument, NULL, 'b'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int64_t since = -1;
    long batch = BATCH_MAX;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'd')
            db = optarg;
        else if (opt == 's' && time_text_parse(optarg, &since) == 0)
            continue;
        else if (opt == 'b' && (batch = strtol(optarg, NULL, 10)) >= 1 && batch <= BATCH_MAX)
            continue;
        else if (opt == 'h')
            return usage(stdout), CLI_OK;
        else
            return usage(stderr), CLI_USAGE;
    }
    if (optind + 1 != argc || strcmp(argv[optind], "sor") != 0 || since < 0)
        return usage(stderr), CLI_USAGE;
    jaga_ctx *ctx = NULL;
    if (jaga_ctx_open(&ctx) != JAGA_OK)
        return CLI_FAILED;
    jaga_store *store = cli_store_open("export", db, ctx);
    int rc = store ? export_sor(store, ctx, since, (size_t)batch) : CLI_FAILED;
    jaga_store_free(store);
    jaga_ctx_free(ctx);
    return rc;
}

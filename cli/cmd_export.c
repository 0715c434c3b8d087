/* jaga export sor: the statements of reasons jaga made (people's decisions, automated
 * restrictions) as the DSA Transparency Database's API takes them: one JSON object per line,
 * {"statements": [...]} with at most 100 statements, the body of one POST /api/v1/statements
 * each. A cursor (the last statement's number) lets the next export start after it. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jaga/core.h"

enum { BATCH_MAX = 100, PAGE = 500 };

static void usage(FILE *out)
{
    fputs("usage: jaga export [--db PATH] sor [--since TIME] [--after CURSOR] [--batch N]\n"
          "Writes the statements of reasons made since TIME (Unix seconds, YYYY-MM-DD or\n"
          "YYYY-MM-DDTHH:MM:SSZ) and after CURSOR (the cursor a previous export printed; a\n"
          "re-export from it repeats no statement) as JSON lines, each {\"statements\": [...]}\n"
          "with at most N (default and most 100) statements: the body of one submission to the\n"
          "DSA Transparency Database. People's decisions and jaga's automated restrictions\n"
          "(verified-bank removals, provisional holds) that reach the EEA have one. Standard\n"
          "error says how many, those lacking a content date (content jaga never scanned: add\n"
          "it before submitting), and the cursor to pass next time.\n",
          out);
}

/* A cursor: the decimal number a previous export printed. */
static int cursor_parse(const char *text, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (!isdigit((unsigned char)text[0]) || errno || *end)
        return 0;
    *out = v;
    return 1;
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

static int export_sor(jaga_store *store, jaga_ctx *ctx, int64_t since, int64_t after,
                      size_t batch_max)
{
    json_t *batch = json_array();
    size_t exported = 0, undated = 0, batches = 0;
    for (;;) {
        jaga_statement *list = NULL;
        size_t n = 0;
        if (jaga_store_statements_after(store, ctx, since, after, PAGE, &list, &n) != JAGA_OK) {
            fprintf(stderr, "jaga export: %s\n", jaga_errmsg(ctx));
            json_decref(batch);
            return CLI_FAILED;
        }
        for (size_t i = 0; i < n; i++) {
            json_t *s = json_loads(list[i].body, 0, NULL);
            if (!s)
                continue;
            undated += json_object_get(s, "content_date") == NULL;
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
            "jaga export: %zu statements of reasons in %zu batches; %zu without a content date\n"
            "jaga export: cursor %lld\n",
            exported, batches, undated, (long long)after);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}

int cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},    {"since", required_argument, NULL, 's'},
        {"after", required_argument, NULL, 'a'}, {"batch", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int64_t since = 0, after = 0;
    long batch = BATCH_MAX;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'd')
            db = optarg;
        else if (opt == 's' && jaga_time_parse(optarg, &since) == 0)
            continue;
        else if (opt == 'a' && cursor_parse(optarg, &after))
            continue;
        else if (opt == 'b' && (batch = strtol(optarg, NULL, 10)) >= 1 && batch <= BATCH_MAX)
            continue;
        else if (opt == 'h')
            return usage(stdout), CLI_OK;
        else
            return usage(stderr), CLI_USAGE;
    }
    if (optind + 1 != argc || strcmp(argv[optind], "sor") != 0)
        return usage(stderr), CLI_USAGE;
    jaga_ctx *ctx = NULL;
    if (jaga_ctx_open(&ctx) != JAGA_OK)
        return CLI_FAILED;
    jaga_store *store = cli_store_open("export", db, ctx);
    int rc = store ? export_sor(store, ctx, since, after, (size_t)batch) : CLI_FAILED;
    jaga_store_free(store);
    jaga_ctx_free(ctx);
    return rc;
}

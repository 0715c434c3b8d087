/* jaga report transparency: the transparency report of a period, computed from the audit log
 * and carrying the signed tree head it was computed from. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "jaga/core.h"
#include "jaga/audit.h"
#include "jaga/transparency.h"

static void usage(FILE *out)
{
    fputs("usage: jaga report [--db PATH] transparency --from TIME [--to TIME]\n"
          "                   [--jurisdiction CC] [--format json|csv|html] [--key-file FILE]\n"
          "Notices from authorities per jurisdiction and legal basis (median times to first\n"
          "review and to action, share within deadline, breaches, penalty exposure), reports\n"
          "by category and source, decisions by action and ground, automated detection and\n"
          "actions, appeals and reversals, first-review deadlines met; per quarter and for the\n"
          "period. Times: Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC); --to is\n"
          "exclusive. The figures come from the audit log's leaves under a tree head signed\n"
          "now (with the key beside the store), which the report carries. Default: json.\n",
          out);
}

static int report(jaga_store *store, jaga_ctx *ctx, const jaga_transparency_query *q,
                  jaga_transparency_format fmt, const char *key_path)
{
    jaga_audit_key *key = NULL;
    jaga_tree_head head;
    uint8_t pub[32];
    char *text = NULL;
    size_t len = 0;
    jaga_status st = jaga_audit_key_open(store, ctx, key_path, &key);
    if (st == JAGA_OK)
        st = jaga_audit_head(store, key, ctx, (int64_t)time(NULL), &head);
    if (st == JAGA_OK) {
        jaga_audit_key_public(key, pub);
        st = jaga_transparency_report(store, ctx, q, &head, pub, fmt, &text, &len);
    }
    jaga_audit_key_free(key);
    if (st != JAGA_OK) {
        fprintf(stderr, "jaga report: %s\n", jaga_errmsg(ctx));
        return CLI_FAILED;
    }
    int ok = fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0;
    free(text);
    return ok ? CLI_OK : CLI_FAILED;
}

int cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},     {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},     {"jurisdiction", required_argument, NULL, 'j'},
        {"format", required_argument, NULL, 'o'}, {"key-file", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *db = NULL, *key_file = NULL;
    jaga_transparency_query q = {.from = -1};
    jaga_transparency_format fmt = JAGA_TRANSPARENCY_JSON;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'd')
            db = optarg;
        else if (opt == 'f' && jaga_time_parse(optarg, &q.from) == 0)
            continue;
        else if (opt == 't' && jaga_time_parse(optarg, &q.to) == 0)
            continue;
        else if (opt == 'j' && strlen(optarg) == 2)
            memcpy(q.jurisdiction, optarg, 3);
        else if (opt == 'o' && jaga_transparency_format_parse(optarg, &fmt) == JAGA_OK)
            continue;
        else if (opt == 'k')
            key_file = optarg;
        else if (opt == 'h')
            return usage(stdout), CLI_OK;
        else
            return usage(stderr), CLI_USAGE;
    }
    char key_path[1100];
    if (optind + 1 != argc || strcmp(argv[optind], "transparency") != 0 || q.from < 0 ||
        (key_file ? snprintf(key_path, sizeof(key_path), "%s", key_file) >= (int)sizeof(key_path)
                  : jaga_audit_key_path(cli_db_path(db), key_path, sizeof(key_path)) != 0))
        return usage(stderr), CLI_USAGE;
    jaga_ctx *ctx = NULL;
    if (jaga_ctx_open(&ctx) != JAGA_OK)
        return CLI_FAILED;
    jaga_store *store = cli_store_open("report", db, ctx);
    int rc = store ? report(store, ctx, &q, fmt, key_path) : CLI_FAILED;
    jaga_store_free(store);
    jaga_ctx_free(ctx);
    return rc;
}

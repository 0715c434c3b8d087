/* jaga bank: create, list, import, export, withdraw and stats of hash banks. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jaga/bank_io.h"
#include "jaga/core.h"

static void usage(FILE *out)
{
    fputs("usage: jaga bank [--db PATH] COMMAND ...\n"
          "  create NAME [--description TEXT] [--signals pdq,md5,sha256,vpdq] [--threshold N]\n"
          "              [--verified] [--disabled]\n"
          "  list\n"
          "  stats [NAME]\n"
          "  import NAME [--format csv|te|stopncii|threatexchange|ncmec] [--skip-bad] [--labels L] "
          "FILE|-\n"
          "  export NAME [--format csv|te] [--all]\n"
          "  withdraw NAME TYPE VALUE...\n"
          "The store is --db PATH, else $JAGA_DB, else ./jaga.db.\n",
          out);
}

static unsigned parse_signals(const char *list)
{
    unsigned mask = 0;
    char buf[64];
    snprintf(buf, sizeof(buf), "%s", list);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        jaga_signal_type t;
        if (jaga_signal_type_parse(tok, &t) != JAGA_OK)
            return 0;
        mask |= 1u << t;
    }
    return mask;
}

static void signals_text(unsigned mask, char *out, size_t cap)
{
    out[0] = '\0';
    for (int t = 0; t < JAGA_SIGNAL_COUNT; t++)
        if (mask & (1u << t))
            snprintf(out + strlen(out), cap - strlen(out), "%s%s", out[0] ? "," : "",
                     jaga_signal_type_name((jaga_signal_type)t));
}

static int bank_create(jaga_store *store, jaga_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"description", required_argument, NULL, 'd'}, {"signals", required_argument, NULL, 's'},
        {"threshold", required_argument, NULL, 't'},   {"verified", no_argument, NULL, 'v'},
        {"disabled", no_argument, NULL, 'x'},          {NULL, 0, NULL, 0}};
    if (argc < 2 || argv[1][0] == '-')
        return usage(stderr), CLI_USAGE;
    jaga_bank bank;
    jaga_bank_init(&bank, argv[1]);
    int opt;
    optind = 2;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end;
        if (opt == 'd') {
            snprintf(bank.description, sizeof(bank.description), "%s", optarg);
        } else if (opt == 's') {
            if (!(bank.signal_types = parse_signals(optarg)))
                return fprintf(stderr, "jaga bank: --signals takes pdq,md5,sha256\n"), CLI_USAGE;
        } else if (opt == 't') {
            bank.pdq_threshold = (int)strtol(optarg, &end, 10);
            if (*end || !*optarg)
                return fprintf(stderr, "jaga bank: --threshold takes 0..63\n"), CLI_USAGE;
        } else if (opt == 'v') {
            bank.verified = 1;
        } else if (opt == 'x') {
            bank.enabled = 0;
        } else {
            return usage(stderr), CLI_USAGE;
        }
    }
    if (optind != argc)
        return usage(stderr), CLI_USAGE;
    if (jaga_store_bank_create(store, ctx, &bank) != JAGA_OK) {
        fprintf(stderr, "jaga bank: %s\n", jaga_errmsg(ctx));
        return CLI_FAILED;
    }
    printf("created bank %s\n", bank.name);
    return CLI_OK;
}

static void print_bank_row(const jaga_bank *b)
{
    char signals[32];
    signals_text(b->signal_types, signals, sizeof(signals));
    printf("%-24s %-20s %9d %8s %7s %10lld %10lld\n", b->name, signals, b->pdq_threshold,
           b->verified ? "yes" : "no", b->enabled ? "yes" : "no", (long long)b->active,
           (long long)b->withdrawn);
}

static int bank_list(jaga_store *store, jaga_ctx *ctx, const char *only)
{
    jaga_bank *banks;
    size_t n;
    if (jaga_store_bank_list(store, ctx, &banks, &n) != JAGA_OK) {
        fprintf(stderr, "jaga bank: %s\n", jaga_errmsg(ctx));
        return CLI_FAILED;
    }
    printf("%-24s %-20s %9s %8s %7s %10s %10s\n", "bank", "signals", "threshold", "verified",
           "enabled", "active", "withdrawn");
    int shown = 0;
    for (size_t i = 0; i < n; i++)
        if (!only || strcmp(banks[i].name, only) == 0) {
            print_bank_row(&banks[i]);
            shown++;
        }
    free(banks);
    if (only && !shown) {
        fprintf(stderr, "jaga bank: no bank named %s\n", only);
        return CLI_FAILED;
    }
    return CLI_OK;
}

static void report_problem(void *arg, size_t line, const char *message)
{
    fprintf(stderr, "jaga bank import: %s:%zu: %s\n", (const char *)arg, line, message);
}

/* Reads FILE or standard input, up to limit bytes. */
static char *read_input(const char *path, size_t limit, size_t *len, jaga_ctx *ctx)
{
    if (strcmp(path, "-") != 0) {
        void *data;
        if (jaga_file_read(ctx, path, limit, &data, len) != JAGA_OK) {
            fprintf(stderr, "jaga bank import: %s: %s\n", path, jaga_errmsg(ctx));
            return NULL;
        }
        return data;
    }
    size_t cap = 1 << 16;
    char *buf = malloc(cap);
    *len = 0;
    for (size_t got; buf && (got = fread(buf + *len, 1, cap - *len, stdin)) > 0;) {
        *len += got;
        if (*len > limit) {
            fprintf(stderr, "jaga bank import: input exceeds the limit of %zu bytes\n", limit);
            free(buf);
            return NULL;
        }
        if (*len == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown)
                free(buf);
            buf = grown;
        }
    }
    return buf;
}

static int bank_import(jaga_store *store, jaga_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"skip-bad", no_argument, NULL, 's'},
                                             {"labels", required_argument, NULL, 'l'},
                                             {NULL, 0, NULL, 0}};
    jaga_bank_format format = JAGA_BANK_CSV;
    const char *labels = NULL;
    int skip_bad = 0, opt;
    optind = 2;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'f' && jaga_bank_format_parse(optarg, &format) == JAGA_OK)
            continue;
        if (opt == 's') {
            skip_bad = 1;
            continue;
        }
        if (opt == 'l') {
            labels = optarg;
            continue;
        }
        return usage(stderr), CLI_USAGE;
    }
    if (argc < 2 || optind != argc - 1)
        return usage(stderr), CLI_USAGE;
    jaga_bank bank;
    if (jaga_store_bank_get(store, ctx, argv[1], &bank) != JAGA_OK) {
        fprintf(stderr, "jaga bank import: %s\n", jaga_errmsg(ctx));
        return CLI_FAILED;
    }
    const char *path = argv[optind];
    size_t len;
    size_t limit = jaga_bank_import_limit(format);
    char *data = read_input(path, limit, &len, ctx);
    if (!data)
        return CLI_FAILED;
    jaga_import_report r;
    jaga_import_hooks hooks = {.problem = report_problem, .arg = (void *)path, .labels = labels};
    jaga_status st = jaga_bank_import(store, ctx, &bank, format, data, len, skip_bad, &hooks, &r);
    free(data);
    if (st != JAGA_OK) {
        fprintf(stderr, "jaga bank import: %s\n", jaga_errmsg(ctx));
        return CLI_FAILED;
    }
    printf("imported into %s: %zu records, %zu added, %zu already present, %zu reactivated, "
           "%zu withdrawn, %zu unknown withdrawals, %zu refused for quality below %d, "
           "%zu malformed skipped\n",
           bank.name, r.records, r.added, r.present, r.reactivated, r.withdrawn, r.unknown,
           r.low_quality, JAGA_PDQ_QUALITY_MIN, r.bad);
    return CLI_OK;
}

static int bank_export(jaga_store *store, jaga_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'}, {"all", no_argument, NULL, 'a'}, {0, 0, 0, 0}};
    jaga_bank_format format = JAGA_BANK_CSV;
    int all = 0, opt;
    optind = 2;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'f' && jaga_bank_format_parse(optarg, &format) == JAGA_OK)
            continue;
        if (opt == 'a') {
            all = 1;
            continue;
        }
        return usage(stderr), CLI_USAGE;
    }
    if (argc < 2 || optind != argc)
        return usage(stderr), CLI_USAGE;
    jaga_bank bank;
    jaga_status st = jaga_store_bank_get(store, ctx, argv[1], &bank);
    if (st == JAGA_OK)
        st = jaga_bank_export(store, ctx, &bank, format, all, stdout);
    if (st != JAGA_OK) {
        fprintf(stderr, "jaga bank export: %s\n", jaga_errmsg(ctx));
        return CLI_FAILED;
    }
    return CLI_OK;
}

static int bank_withdraw(jaga_store *store, jaga_ctx *ctx, int argc, char **argv)
{
    jaga_signal_type type;
    if (argc < 4 || jaga_signal_type_parse(argv[2], &type) != JAGA_OK)
        return usage(stderr), CLI_USAGE;
    jaga_bank bank;
    if (jaga_store_bank_get(store, ctx, argv[1], &bank) != JAGA_OK) {
        fprintf(stderr, "jaga bank withdraw: %s\n", jaga_errmsg(ctx));
        return CLI_FAILED;
    }
    int failed = 0;
    for (int i = 3; i < argc; i++) {
        jaga_entry e = {.bank_id = bank.id, .type = type, .quality = -1, .withdrawn = 1};
        snprintf(e.value, sizeof(e.value), "%s", argv[i]);
        jaga_apply_result r;
        if (strlen(argv[i]) >= sizeof(e.value) ||
            jaga_store_entry_apply(store, ctx, &e, &r) != JAGA_OK) {
            fprintf(stderr, "jaga bank withdraw: %s: %s\n", argv[i],
                    strlen(argv[i]) >= sizeof(e.value) ? "too long" : jaga_errmsg(ctx));
            failed = 1;
        } else if (r == JAGA_APPLY_UNKNOWN) {
            fprintf(stderr, "jaga bank withdraw: %s: not an active entry of %s\n", argv[i],
                    bank.name);
            failed = 1;
        } else {
            printf("withdrew %s %s from %s\n", argv[2], e.value, bank.name);
        }
    }
    return failed ? CLI_FAILED : CLI_OK;
}

int cmd_bank(int argc, char **argv)
{
    const char *db = NULL;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--db") == 0)
        db = argv[2], first = 3;
    if (argc <= first || strcmp(argv[first], "--help") == 0) {
        usage(argc <= first ? stderr : stdout);
        return argc <= first ? CLI_USAGE : CLI_OK;
    }
    static const char *const commands[] = {"create", "list",   "stats",
                                           "import", "export", "withdraw"};
    int which = -1;
    for (int i = 0; i < 6; i++)
        if (strcmp(argv[first], commands[i]) == 0)
            which = i;
    if (which < 0) {
        fprintf(stderr, "jaga bank: unknown command '%s'\n", argv[first]);
        return usage(stderr), CLI_USAGE;
    }
    jaga_ctx *ctx;
    if (jaga_ctx_open(&ctx) != JAGA_OK)
        return CLI_FAILED;
    jaga_store *store = cli_store_open("bank", db, ctx);
    int rc = CLI_FAILED;
    int sub_argc = argc - first;
    char **sub_argv = argv + first;
    if (store) {
        switch (which) {
        case 0:
            rc = bank_create(store, ctx, sub_argc, sub_argv);
            break;
        case 1:
        case 2:
            rc = sub_argc > 2 ? (usage(stderr), CLI_USAGE)
                              : bank_list(store, ctx, sub_argc == 2 ? sub_argv[1] : NULL);
            break;
        case 3:
            rc = bank_import(store, ctx, sub_argc, sub_argv);
            break;
        case 4:
            rc = bank_export(store, ctx, sub_argc, sub_argv);
            break;
        default:
            rc = bank_withdraw(store, ctx, sub_argc, sub_argv);
        }
    }
    jaga_store_free(store);
    jaga_ctx_free(ctx);
    return rc;
}

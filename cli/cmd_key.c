/* jaga key: API keys. The key itself is printed once, at creation, and never again. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "jaga/auth.h"

static void usage(FILE *out)
{
    fputs("usage: jaga key [--db PATH] create --role admin|platform|moderator|regulator|auditor\n"
          "                                [--jurisdiction CC] [--team NAME]... [--name TEXT]\n"
          "       jaga key [--db PATH] list\n"
          "       jaga key [--db PATH] revoke PREFIX\n"
          "A regulator key is bound to one jurisdiction (ISO country code), a moderator key to\n"
          "one or more teams. The key is printed once; only its prefix is kept readable.\n",
          out);
}

static int key_create(jaga_store *store, jaga_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {{"role", required_argument, NULL, 'r'},
                                             {"jurisdiction", required_argument, NULL, 'j'},
                                             {"team", required_argument, NULL, 't'},
                                             {"name", required_argument, NULL, 'n'},
                                             {NULL, 0, NULL, 0}};
    jaga_key key;
    memset(&key, 0, sizeof(key));
    key.role = JAGA_ROLE_COUNT;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        size_t used = strlen(key.teams);
        if (opt == 'r' && jaga_role_parse(optarg, &key.role) == JAGA_OK)
            continue;
        if (opt == 'j' && strlen(optarg) < sizeof(key.jurisdiction)) {
            strcpy(key.jurisdiction, optarg);
            continue;
        }
        if (opt == 't' && used + strlen(optarg) + 2 < sizeof(key.teams)) {
            snprintf(key.teams + used, sizeof(key.teams) - used, "%s%s", used ? "," : "", optarg);
            continue;
        }
        if (opt == 'n' && strlen(optarg) < sizeof(key.name)) {
            strcpy(key.name, optarg);
            continue;
        }
        return usage(stderr), CLI_USAGE;
    }
    if (optind != argc || key.role == JAGA_ROLE_COUNT)
        return usage(stderr), CLI_USAGE;
    char text[JAGA_KEY_TEXT_LEN + 1];
    jaga_status st = jaga_key_check(ctx, &key);
    if (st == JAGA_OK)
        st = jaga_key_generate(ctx, &key, text);
    if (st == JAGA_OK)
        st = jaga_store_key_create(store, ctx, &key);
    if (st != JAGA_OK) {
        fprintf(stderr, "jaga key: %s\n", jaga_errmsg(ctx));
        return CLI_FAILED;
    }
    printf("%s\n", text);
    fprintf(stderr, "jaga key: created %s key %s; it is shown only this once\n",
            jaga_role_name(key.role), key.prefix);
    memset(text, 0, sizeof(text));
    return CLI_OK;
}

static int key_list(jaga_store *store, jaga_ctx *ctx)
{
    jaga_key *keys;
    size_t n;
    if (jaga_store_key_list(store, ctx, &keys, &n) != JAGA_OK) {
        fprintf(stderr, "jaga key: %s\n", jaga_errmsg(ctx));
        return CLI_FAILED;
    }
    printf("%-12s %-9s %-4s %-20s %-8s %s\n", "prefix", "role", "cc", "teams", "state", "name");
    for (size_t i = 0; i < n; i++)
        printf("%-12s %-9s %-4s %-20s %-8s %s\n", keys[i].prefix, jaga_role_name(keys[i].role),
               keys[i].jurisdiction, keys[i].teams, keys[i].revoked_at ? "revoked" : "active",
               keys[i].name);
    free(keys);
    return CLI_OK;
}

int cmd_key(int argc, char **argv)
{
    const char *db = NULL;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--db") == 0)
        db = argv[2], first = 3;
    if (argc <= first)
        return usage(stderr), CLI_USAGE;
    const char *sub = argv[first];
    if (strcmp(sub, "create") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "revoke") != 0)
        return usage(strcmp(sub, "--help") == 0 ? stdout : stderr),
               strcmp(sub, "--help") == 0 ? CLI_OK : CLI_USAGE;
    if ((strcmp(sub, "revoke") == 0 && argc != first + 2) ||
        (strcmp(sub, "list") == 0 && argc != first + 1))
        return usage(stderr), CLI_USAGE;
    jaga_ctx *ctx;
    if (jaga_ctx_open(&ctx) != JAGA_OK)
        return CLI_FAILED;
    jaga_store *store = cli_store_open("key", db, ctx);
    int rc = CLI_FAILED;
    if (store && strcmp(sub, "create") == 0) {
        rc = key_create(store, ctx, argc - first, argv + first);
    } else if (store && strcmp(sub, "list") == 0) {
        rc = key_list(store, ctx);
    } else if (store) {
        if (jaga_store_key_revoke(store, ctx, argv[first + 1]) == JAGA_OK) {
            printf("revoked key %s\n", argv[first + 1]);
            rc = CLI_OK;
        } else {
            fprintf(stderr, "jaga key: %s\n", jaga_errmsg(ctx));
        }
    }
    jaga_store_free(store);
    jaga_ctx_free(ctx);
    return rc;
}

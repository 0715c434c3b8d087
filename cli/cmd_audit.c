/* jaga audit: verify the store's audit log, sign and print its head, watch a server's log. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit_watch.h"
#include "cli.h"
#include "jaga/audit.h"
#include "jaga/digest.h"

static void usage(FILE *out)
{
    fputs("usage: jaga audit [--db PATH] verify [--key-file FILE | --public-key HEX]\n"
          "       jaga audit [--db PATH] head [--key-file FILE]\n"
          "       jaga audit watch URL [--state FILE] [--interval SECONDS] [--once]\n"
          "verify recomputes the audit log's Merkle tree from every leaf in the store and checks\n"
          "the stored hashes, nodes and signed tree heads; it exits 1 when anything is wrong.\n"
          "head signs a tree head when the log grew (the key beside the store, DB.audit-key,\n"
          "is made for a new log) and prints it. watch is an auditor's tool: it fetches a\n"
          "server's signed heads (key in $JAGA_KEY), keeps the last one in --state (default\n"
          "./jaga-audit-watch.json) and checks each new head's signature and its consistency\n"
          "proof against it; it exits 1 at the first inconsistency.\n",
          out);
}

/* Bytes as lowercase hex on out. */
static void hex(FILE *out, const uint8_t *b, size_t n)
{
    char text[2 * 64 + 1];
    jaga_hex_encode(b, n, text);
    fputs(text, out);
}

static void tell(void *arg, const char *problem)
{
    (void)arg;
    printf("problem: %s\n", problem);
}

static int key_path_of(const char *db_flag, const char *key_file, char *out, size_t cap)
{
    if (key_file)
        return snprintf(out, cap, "%s", key_file) < (int)cap ? 0 : -1;
    return jaga_audit_key_path(cli_db_path(db_flag), out, cap);
}

static int verify(jaga_store *store, jaga_ctx *ctx, const char *key_path, const char *public_hex)
{
    uint8_t pub[32] = {0};
    jaga_audit_key *key = NULL;
    if (public_hex && jaga_hex_decode(public_hex, pub, 32) != JAGA_OK) {
        fprintf(stderr, "jaga audit: --public-key takes 64 hex digits\n");
        return CLI_USAGE;
    }
    if (!public_hex) {
        FILE *f = fopen(key_path, "r");
        if (!f && errno == ENOENT) {
            jaga_tree_head h;
            if (jaga_store_audit_head_latest(store, ctx, &h) == JAGA_OK) {
                fprintf(stderr, "jaga audit: %s is missing; give --public-key\n", key_path);
                return CLI_FAILED;
            }
        } else {
            if (f)
                fclose(f);
            if (jaga_audit_key_open(store, ctx, key_path, &key) != JAGA_OK) {
                fprintf(stderr, "jaga audit: %s\n", jaga_errmsg(ctx));
                return CLI_FAILED;
            }
            jaga_audit_key_public(key, pub);
            jaga_audit_key_free(key);
        }
    }
    jaga_audit_summary sum;
    if (jaga_audit_verify(store, ctx, pub, tell, NULL, &sum) != JAGA_OK) {
        fprintf(stderr, "jaga audit: %s\n", jaga_errmsg(ctx));
        return CLI_FAILED;
    }
    printf("leaves: %llu\nroot: ", (unsigned long long)sum.leaves);
    hex(stdout, sum.root, 32);
    printf("\nsigned heads checked: %zu\nproblems: %zu\n", sum.heads, sum.problems);
    printf("%s\n", sum.problems ? "the audit log does NOT verify" : "the audit log verifies");
    return sum.problems ? CLI_FAILED : CLI_OK;
}

static int head(jaga_store *store, jaga_ctx *ctx, const char *key_path)
{
    jaga_audit_key *key = NULL;
    jaga_tree_head h;
    jaga_status st = jaga_audit_key_open(store, ctx, key_path, &key);
    if (st == JAGA_OK)
        st = jaga_audit_head(store, key, ctx, (int64_t)time(NULL), &h);
    jaga_audit_key_free(key);
    if (st != JAGA_OK) {
        fprintf(stderr, "jaga audit: %s\n", jaga_errmsg(ctx));
        return CLI_FAILED;
    }
    printf("{\"size\":%llu,\"root\":\"", (unsigned long long)h.size);
    hex(stdout, h.root, 32);
    printf("\",\"signed_at\":%lld,\"signature\":\"", (long long)h.signed_at);
    hex(stdout, h.signature, 64);
    printf("\"}\n");
    return CLI_OK;
}

int cmd_audit(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                             {"key-file", required_argument, NULL, 'k'},
                                             {"public-key", required_argument, NULL, 'p'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    if (argc >= 2 && strcmp(argv[1], "watch") == 0)
        return audit_watch(argc - 1, argv + 1);
    const char *db = NULL, *key_file = NULL, *public_hex = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'd')
            db = optarg;
        else if (opt == 'k')
            key_file = optarg;
        else if (opt == 'p')
            public_hex = optarg;
        else if (opt == 'h')
            return usage(stdout), CLI_OK;
        else
            return usage(stderr), CLI_USAGE;
    }
    const char *action = optind + 1 == argc ? argv[optind] : "";
    char key_path[1100];
    if ((strcmp(action, "verify") != 0 && strcmp(action, "head") != 0) ||
        key_path_of(db, key_file, key_path, sizeof(key_path)) != 0)
        return usage(stderr), CLI_USAGE;
    jaga_ctx *ctx = NULL;
    if (jaga_ctx_open(&ctx) != JAGA_OK)
        return CLI_FAILED;
    jaga_store *store = cli_store_open("audit", db, ctx);
    int rc = !store                          ? CLI_FAILED
             : strcmp(action, "verify") == 0 ? verify(store, ctx, key_path, public_hex)
                                             : head(store, ctx, key_path);
    jaga_store_free(store);
    jaga_ctx_free(ctx);
    return rc;
}

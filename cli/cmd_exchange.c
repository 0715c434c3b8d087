/* jaga exchange: hash exchange with other jaga nodes (jaga/exchange.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "jaga/digest.h"
#include "jaga/exchange.h"

static void usage(FILE *out)
{
    fputs("usage: jaga exchange [--db PATH] [--audit-key PATH] COMMAND ...\n"
          "  node-key                         this node's public key (its audit log's key)\n"
          "  peer add NAME --key HEX [--url URL] [--banks BANK,...]\n"
          "                                   a peer node: its key, where its API is, the\n"
          "                                   banks it may read here\n"
          "  peer list | peer revoke NAME\n"
          "  subscribe PEER BANK [--into LOCAL]  pull the peer's bank into LOCAL (made when\n"
          "                                   missing; BANK's name by default)\n"
          "  subscriptions                    every subscription, its cursor and last error\n"
          "  pull PEER BANK [--into LOCAL] [--limit N] [--wait SECONDS]\n"
          "                                   pull until caught up (subscribing first if needed)\n"
          "  feedback PEER BANK TYPE VALUE confirmed|false_positive\n"
          "                                   send a reviewer's verdict on the peer's entry\n"
          "  verdicts BANK                    the verdicts peers sent on this node's bank\n"
          "A running server pulls its subscriptions itself; pull is for a node whose server is\n"
          "stopped (a server started later loads what it pulled).\n",
          out);
}

typedef struct exchange_cli {
    jaga_store *store;
    jaga_ctx *ctx;
    const char *key_path;
} exchange_cli;

static int fail(exchange_cli *x)
{
    fprintf(stderr, "jaga exchange: %s\n", jaga_errmsg(x->ctx));
    return CLI_FAILED;
}

static jaga_audit_key *node_key(exchange_cli *x)
{
    jaga_audit_key *key = NULL;
    if (jaga_audit_key_open(x->store, x->ctx, x->key_path, &key) != JAGA_OK)
        fail(x);
    return key;
}

static int node_key_print(exchange_cli *x)
{
    jaga_audit_key *key = node_key(x);
    if (!key)
        return CLI_FAILED;
    uint8_t pub[32];
    char hex[65];
    jaga_audit_key_public(key, pub);
    jaga_hex_encode(pub, 32, hex);
    printf("%s\n", hex);
    jaga_audit_key_free(key);
    return CLI_OK;
}

static int peer_add(exchange_cli *x, int argc, char **argv)
{
    static const struct option longopts[] = {{"key", required_argument, NULL, 'k'},
                                             {"url", required_argument, NULL, 'u'},
                                             {"banks", required_argument, NULL, 'b'},
                                             {NULL, 0, NULL, 0}};
    jaga_peer p = {0};
    int opt, have_key = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'k' && strlen(optarg) == 64 && jaga_hex_decode(optarg, p.public_key, 32) == 0)
            have_key = 1;
        else if (opt == 'u' && strlen(optarg) < sizeof(p.url))
            strcpy(p.url, optarg);
        else if (opt == 'b' && strlen(optarg) < sizeof(p.banks))
            strcpy(p.banks, optarg);
        else
            return usage(stderr), CLI_USAGE;
    }
    if (optind != argc - 1 || !have_key || strlen(argv[optind]) >= sizeof(p.name))
        return usage(stderr), CLI_USAGE;
    strcpy(p.name, argv[optind]);
    if (jaga_store_peer_add(x->store, x->ctx, &p) != JAGA_OK)
        return fail(x);
    printf("peer %s added\n", p.name);
    return CLI_OK;
}

static int peer_list(exchange_cli *x)
{
    jaga_peer *peers;
    size_t n;
    if (jaga_store_peer_list(x->store, x->ctx, &peers, &n) != JAGA_OK)
        return fail(x);
    for (size_t i = 0; i < n; i++) {
        char key[65];
        jaga_hex_encode(peers[i].public_key, 32, key);
        printf("%s %s %s %s %s\n", peers[i].name, peers[i].revoked_at ? "revoked" : "active", key,
               peers[i].url[0] ? peers[i].url : "-", peers[i].banks[0] ? peers[i].banks : "-");
    }
    free(peers);
    return CLI_OK;
}

/* The subscription to the peer's bank, made first when there is none (into local). */
static int subscription_find(exchange_cli *x, const char *peer, const char *bank, const char *local,
                             int make, jaga_subscription *sub)
{
    jaga_status st = jaga_store_subscription_get(x->store, x->ctx, peer, bank, sub);
    if (st == JAGA_ERR_NOT_FOUND && make)
        st = jaga_exchange_subscribe(x->store, x->ctx, peer, bank, local, sub);
    return st == JAGA_OK ? 0 : (fail(x), -1);
}

static int subscribe(exchange_cli *x, int argc, char **argv, int pull)
{
    static const struct option longopts[] = {{"into", required_argument, NULL, 'i'},
                                             {"limit", required_argument, NULL, 'l'},
                                             {"wait", required_argument, NULL, 'w'},
                                             {NULL, 0, NULL, 0}};
    const char *into = NULL;
    double limit = 0, wait = 0;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'i')
            into = optarg;
        else if (pull && opt == 'l' &&
                 cli_parse_number(optarg, 1, JAGA_EXCHANGE_ITEMS_MAX, &limit) == 0)
            ;
        else if (pull && opt == 'w' && cli_parse_number(optarg, 0, 30, &wait) == 0)
            ;
        else
            return usage(stderr), CLI_USAGE;
    }
    if (optind != argc - 2)
        return usage(stderr), CLI_USAGE;
    const char *peer = argv[optind], *bank = argv[optind + 1];
    jaga_subscription sub;
    if (!pull) {
        if (jaga_exchange_subscribe(x->store, x->ctx, peer, bank, into, &sub) != JAGA_OK)
            return fail(x);
        printf("subscribed to %s's %s into %s\n", sub.peer, sub.remote_bank, sub.bank);
        return CLI_OK;
    }
    if (subscription_find(x, peer, bank, into, 1, &sub) != 0)
        return CLI_FAILED;
    jaga_peer p;
    if (jaga_store_peer_get(x->store, x->ctx, peer, &p) != JAGA_OK)
        return fail(x);
    jaga_audit_key *key = node_key(x);
    if (!key)
        return CLI_FAILED;
    jaga_pull_options o = {.wait_s = (unsigned)wait, .limit = (size_t)limit};
    jaga_pull_report rep;
    jaga_status st = jaga_exchange_pull(x->store, x->ctx, key, &p, &sub, &o, &rep);
    jaga_audit_key_free(key);
    printf("{\"batches\":%zu,\"changes\":%zu,\"applied\":%zu,\"cursor\":%lld,\"rejected\":%s}\n",
           rep.batches, rep.changes, rep.applied, (long long)rep.cursor,
           rep.rejected ? "true" : "false");
    return st == JAGA_OK ? CLI_OK : fail(x);
}

static int subscriptions(exchange_cli *x)
{
    jaga_subscription *subs;
    size_t n;
    if (jaga_store_subscription_list(x->store, x->ctx, &subs, &n) != JAGA_OK)
        return fail(x);
    for (size_t i = 0; i < n; i++) {
        printf("{\"peer\":");
        cli_json_string(stdout, subs[i].peer);
        printf(",\"remote_bank\":\"%s\",\"bank\":\"%s\",\"cursor\":%lld,\"pulled_at\":%lld,"
               "\"rejected\":%lld,\"last_error\":",
               subs[i].remote_bank, subs[i].bank, (long long)subs[i].cursor,
               (long long)subs[i].pulled_at, (long long)subs[i].rejected);
        cli_json_string(stdout, subs[i].last_error);
        printf("}\n");
    }
    free(subs);
    return CLI_OK;
}

static int feedback(exchange_cli *x, char **argv)
{
    jaga_signal_type type;
    jaga_feedback_verdict verdict;
    char value[JAGA_SIGNAL_VALUE_MAX];
    if (jaga_signal_type_parse(argv[2], &type) != JAGA_OK ||
        jaga_feedback_verdict_parse(argv[4], &verdict) != JAGA_OK)
        return usage(stderr), CLI_USAGE;
    jaga_peer p;
    if (jaga_signal_normalize(x->ctx, type, argv[3], value) != JAGA_OK ||
        jaga_store_peer_get(x->store, x->ctx, argv[0], &p) != JAGA_OK)
        return fail(x);
    jaga_audit_key *key = node_key(x);
    if (!key)
        return CLI_FAILED;
    jaga_status st = jaga_exchange_feedback_send(x->ctx, key, &p, argv[1], type, value, verdict,
                                                 (int64_t)time(NULL));
    jaga_audit_key_free(key);
    if (st != JAGA_OK)
        return fail(x);
    printf("sent: %s on %s %s\n", argv[4], argv[2], value);
    return CLI_OK;
}

static int verdicts(exchange_cli *x, const char *bank_name)
{
    jaga_bank bank;
    jaga_feedback *fb;
    size_t n;
    if (jaga_store_bank_get(x->store, x->ctx, bank_name, &bank) != JAGA_OK ||
        jaga_store_feedback_list(x->store, x->ctx, bank.id, &fb, &n) != JAGA_OK)
        return fail(x);
    for (size_t i = 0; i < n; i++)
        printf("%s %s %s %s %lld\n", jaga_signal_type_name(fb[i].type), fb[i].value, fb[i].peer,
               jaga_feedback_verdict_name(fb[i].verdict), (long long)fb[i].at);
    free(fb);
    return CLI_OK;
}

static int run(exchange_cli *x, int argc, char **argv)
{
    const char *cmd = argv[0];
    if (strcmp(cmd, "node-key") == 0 && argc == 1)
        return node_key_print(x);
    if (strcmp(cmd, "peer") == 0 && argc >= 3 && strcmp(argv[1], "add") == 0)
        return peer_add(x, argc - 1, argv + 1);
    if (strcmp(cmd, "peer") == 0 && argc == 2 && strcmp(argv[1], "list") == 0)
        return peer_list(x);
    if (strcmp(cmd, "peer") == 0 && argc == 3 && strcmp(argv[1], "revoke") == 0) {
        if (jaga_store_peer_revoke(x->store, x->ctx, argv[2]) != JAGA_OK)
            return fail(x);
        printf("peer %s revoked\n", argv[2]);
        return CLI_OK;
    }
    if (strcmp(cmd, "subscribe") == 0 || strcmp(cmd, "pull") == 0)
        return subscribe(x, argc, argv, cmd[0] == 'p');
    if (strcmp(cmd, "subscriptions") == 0 && argc == 1)
        return subscriptions(x);
    if (strcmp(cmd, "feedback") == 0 && argc == 6)
        return feedback(x, argv + 1);
    if (strcmp(cmd, "verdicts") == 0 && argc == 2)
        return verdicts(x, argv[1]);
    return usage(stderr), CLI_USAGE;
}

int cmd_exchange(int argc, char **argv)
{
    const char *db = NULL, *key_flag = NULL;
    int first = 1;
    while (argc > first + 1 &&
           (strcmp(argv[first], "--db") == 0 || strcmp(argv[first], "--audit-key") == 0)) {
        *(argv[first][2] == 'd' ? &db : &key_flag) = argv[first + 1];
        first += 2;
    }
    if (argc <= first || strcmp(argv[first], "--help") == 0)
        return usage(argc <= first ? stderr : stdout), argc <= first ? CLI_USAGE : CLI_OK;
    char key_path[1100];
    if (key_flag)
        snprintf(key_path, sizeof(key_path), "%s", key_flag);
    else if (jaga_audit_key_path(cli_db_path(db), key_path, sizeof(key_path)) != 0)
        return CLI_FAILED;
    exchange_cli x = {.key_path = key_path};
    if (jaga_ctx_open(&x.ctx) != JAGA_OK)
        return CLI_FAILED;
    int rc = CLI_FAILED;
    if ((x.store = cli_store_open("exchange", db, x.ctx)))
        rc = run(&x, argc - first, argv + first);
    jaga_store_free(x.store);
    jaga_ctx_free(x.ctx);
    return rc;
}

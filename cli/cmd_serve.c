/* jaga serve: the HTTP API. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "server.h"

static void usage(FILE *out)
{
    fputs("usage: jaga serve [--config FILE] [--listen HOST:PORT] [--db PATH] [--threads N]\n"
          "       jaga serve --routes\n"
          "Serves the HTTP API (docs/api.md) until SIGINT or SIGTERM. Flags override the config\n"
          "file; the default is 127.0.0.1:8080 and ./jaga.db (or $JAGA_DB). Port 0 picks a free\n"
          "port; the address is printed on standard output once listening. --routes prints\n"
          "every route with the roles that may call it, its body and its query arguments.\n",
          out);
}

int cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
                                             {"listen", required_argument, NULL, 'l'},
                                             {"db", required_argument, NULL, 'd'},
                                             {"threads", required_argument, NULL, 't'},
                                             {"routes", no_argument, NULL, 'r'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    server_config config;
    server_config_defaults(&config);
    snprintf(config.db, sizeof(config.db), "%s", cli_db_path(NULL));
    const char *config_file = NULL, *listen = NULL, *db = NULL;
    long threads = 0;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'c')
            config_file = optarg;
        else if (opt == 'l')
            listen = optarg;
        else if (opt == 'd')
            db = optarg;
        else if (opt == 't' && (threads = strtol(optarg, NULL, 10)) > 0 && threads <= 256)
            continue;
        else if (opt == 'h')
            return usage(stdout), CLI_OK;
        else if (opt == 'r')
            return server_print_routes(stdout), CLI_OK;
        else
            return usage(stderr), CLI_USAGE;
    }
    if (optind != argc)
        return usage(stderr), CLI_USAGE;
    char err[512];
    if (config_file && server_config_load(&config, config_file, err, sizeof(err)) != 0) {
        fprintf(stderr, "jaga serve: %s\n", err);
        return CLI_USAGE;
    }
    if (listen && server_config_listen(&config, listen) != 0) {
        fprintf(stderr, "jaga serve: --listen wants HOST:PORT\n");
        return CLI_USAGE;
    }
    if (db)
        snprintf(config.db, sizeof(config.db), "%s", db);
    if (threads)
        config.threads = (unsigned)threads;
    return server_run(&config) ? CLI_FAILED : CLI_OK;
}

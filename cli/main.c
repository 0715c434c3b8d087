/* jaga: the command-line front end, a git-style table of subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "jaga/jaga.h"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"hash", cmd_hash, "PDQ perceptual hashes (and digests) of image files"},
    {"vpdq", cmd_vpdq, "vPDQ hashes of a video file (a PDQ hash every second)"},
    {"watch", cmd_watch, "a live stream against the banks and the classifier, as it arrives"},
    {"distance", cmd_distance, "Hamming distance between two PDQ hashes"},
    {"bank", cmd_bank, "hash banks: create, list, import, export, withdraw, stats"},
    {"match", cmd_match, "match images, hashes or digests against the banks"},
    {"classify", cmd_classify, "explicit-content scores of image files (nsfwjs's models)"},
    {"blur", cmd_blur, "the blurred rendition of an image file, as JPEG"},
    {"key", cmd_key, "API keys: create (shown once), list, revoke"},
    {"exchange", cmd_exchange, "hash exchange with other jaga nodes: peers, subscriptions, pulls"},
    {"policy", cmd_policy, "policies: check a document, show the verdict for signals"},
    {"serve", cmd_serve, "the HTTP API server"},
    {"report", cmd_report, "transparency reports, computed from the audit log"},
    {"export", cmd_export, "DSA statements of reasons as the Transparency Database takes them"},
    {"audit", cmd_audit, "the audit log: verify it, sign its head, watch a server's"},
};

static void usage(FILE *out)
{
    fputs("usage: jaga COMMAND [ARGS]\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'jaga COMMAND --help' describes a command.\n", out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("jaga %s\n", JAGA_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "jaga: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return CLI_USAGE;
}

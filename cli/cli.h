/* The jaga command: shared declarations of the subcommands. */
#ifndef JAGA_CLI_H
#define JAGA_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "jaga/store.h"

/* Exit statuses of every subcommand. */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

int cmd_hash(int argc, char **argv);
int cmd_distance(int argc, char **argv);
int cmd_bank(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_blur(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_vpdq(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_exchange(int argc, char **argv);

/* The store path from a --db flag (or NULL), $JAGA_DB, or ./jaga.db. */
const char *cli_db_path(const char *flag);

/* Opens that store; prints "jaga CMD: reason" and returns NULL on failure. */
jaga_store *cli_store_open(const char *cmd, const char *flag, jaga_ctx *ctx);

/* Writes s as a JSON string literal: control characters escaped, invalid UTF-8 replaced by
 * U+FFFD, so that any file name gives valid JSON. */
void cli_json_string(FILE *out, const char *s);

/* Writes s as a CSV field (RFC 4180 quoting when it holds a comma, quote or line break). */
void cli_csv_field(FILE *out, const char *s);

/* Parses a decimal unsigned number with an optional k/M/G suffix (powers of 1024 for bytes,
 * of 1000 otherwise). Returns 0, or -1 on malformed text. */
int cli_parse_size(const char *text, int binary, unsigned long long *out);

/* A decimal number (seconds, a percentage, a score) from min to max. 0, or -1 otherwise. */
int cli_parse_number(const char *text, double min, double max, double *out);

#endif

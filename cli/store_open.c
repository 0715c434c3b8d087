/* The store the bank and match commands work on: --db PATH, else $JAGA_DB, else ./jaga.db. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

const char *cli_db_path(const char *flag)
{
    const char *env = getenv("JAGA_DB");
    return flag ? flag : env && *env ? env : "jaga.db";
}

jaga_store *cli_store_open(const char *cmd, const char *flag, jaga_ctx *ctx)
{
    jaga_store *store = NULL;
    const char *path = cli_db_path(flag);
    if (jaga_store_open(ctx, path, &store) != JAGA_OK)
        fprintf(stderr, "jaga %s: %s\n", cmd, jaga_errmsg(ctx));
    return store;
}

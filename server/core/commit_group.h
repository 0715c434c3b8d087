/* Group commit: review changes of many requests in one store transaction, one sync for all.
 * The first thread to arrive leads: it runs every change queued by then, each in a nested
 * transaction of its own (a failing one undoes only itself), and commits once; threads that
 * arrive meanwhile wait and form the next group. A change is acknowledged only after its
 * group's commit. */
#ifndef JAGA_SERVER_COMMIT_GROUP_H
#define JAGA_SERVER_COMMIT_GROUP_H

#include "server.h"

typedef struct commit_group commit_group;

commit_group *commit_group_open(void);
void commit_group_free(commit_group *g);

/* Runs op as review_run does, grouped: op's status, or the group commit's failure (the
 * server then stops, so that a restart reloads memory from the store). */
jaga_status commit_group_run(server_state *s, jaga_ctx *ctx, review_op op, void *arg);

#endif

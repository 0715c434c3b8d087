/* Prepared statements kept per connection: the store runs the same few dozen statements over
 * and over, and preparing one costs more than running it. jaga__sq_prepare hands out a connection's
 * cached statement for that SQL text (or prepares and keeps it); jaga__sq_finish resets it for the
 * next use. A statement already in use (a nested query with the same text) is prepared anew
 * and finalized after. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

enum { CACHED_MAX = 96, CONNECTIONS_MAX = 256 };

typedef struct cached {
    char *sql;
    sqlite3_stmt *stmt;
    int in_use;
} cached;

typedef struct statement_cache {
    sqlite3 *db;
    cached entries[CACHED_MAX];
    size_t n;
} statement_cache;

/* Connections with a cache. A connection is used by one thread at a time; the lock guards
 * only this list. */
static statement_cache *caches[CONNECTIONS_MAX];
static pthread_mutex_t caches_lock = PTHREAD_MUTEX_INITIALIZER;

static statement_cache *cache_of(sqlite3 *db)
{
    statement_cache *found = NULL;
    pthread_mutex_lock(&caches_lock);
    for (size_t i = 0; i < CONNECTIONS_MAX && !found; i++)
        if (caches[i] && caches[i]->db == db)
            found = caches[i];
    pthread_mutex_unlock(&caches_lock);
    return found;
}

void jaga__sq_cache_open(sqlite3 *db)
{
    statement_cache *c = calloc(1, sizeof(*c));
    if (!c)
        return; /* statements are prepared each time instead */
    c->db = db;
    pthread_mutex_lock(&caches_lock);
    size_t i = 0;
    while (i < CONNECTIONS_MAX && caches[i])
        i++;
    if (i < CONNECTIONS_MAX)
        caches[i] = c;
    pthread_mutex_unlock(&caches_lock);
    if (i == CONNECTIONS_MAX)
        free(c);
}

void jaga__sq_cache_close(sqlite3 *db)
{
    statement_cache *c = NULL;
    pthread_mutex_lock(&caches_lock);
    for (size_t i = 0; i < CONNECTIONS_MAX && !c; i++)
        if (caches[i] && caches[i]->db == db)
            c = caches[i], caches[i] = NULL;
    pthread_mutex_unlock(&caches_lock);
    for (size_t i = 0; c && i < c->n; i++) {
        sqlite3_finalize(c->entries[i].stmt);
        free(c->entries[i].sql);
    }
    free(c);
}

sqlite3_stmt *jaga__sq_prepare(sqlite3 *db, const char *sql)
{
    statement_cache *c = cache_of(db);
    for (size_t i = 0; c && i < c->n; i++)
        if (!c->entries[i].in_use && strcmp(c->entries[i].sql, sql) == 0) {
            c->entries[i].in_use = 1;
            return c->entries[i].stmt;
        }
    sqlite3_stmt *stmt = NULL;
    int keep = c && c->n < CACHED_MAX;
    if (sqlite3_prepare_v3(db, sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, NULL) !=
        SQLITE_OK)
        return NULL;
    char *copy = keep ? strdup(sql) : NULL;
    if (copy)
        c->entries[c->n++] = (cached){copy, stmt, 1};
    return stmt;
}

void jaga__sq_finish(sqlite3_stmt *stmt)
{
    if (!stmt)
        return;
    statement_cache *c = cache_of(sqlite3_db_handle(stmt));
    for (size_t i = 0; c && i < c->n; i++)
        if (c->entries[i].stmt == stmt) {
            sqlite3_reset(stmt);
            sqlite3_clear_bindings(stmt);
            c->entries[i].in_use = 0;
            return;
        }
    sqlite3_finalize(stmt);
}

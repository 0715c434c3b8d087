/* sqlite_inserts: the baseline of bench/reports. T threads, each with its own connection to a
 * fresh SQLite file in jaga's settings (WAL, full synchronous commits), insert R report rows
 * each, one committed transaction per row: the rate of durable inserts of the same rows, with
 * nothing else done. The threads take turns on a mutex rather than on SQLite's busy handler
 * (which sleeps): the fastest way for many producers to commit row by row.
 *
 *   sqlite_inserts PATH T R
 *
 * Prints "N rows/s". */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *path;
static int per_thread, failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER, writer = PTHREAD_MUTEX_INITIALIZER;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int run(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static void *inserter(void *arg)
{
    int id = (int)(long)arg, failed = 0;
    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        run(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;") != 0)
        failed = per_thread;
    sqlite3_busy_timeout(db, 5000);
    if (!failed && sqlite3_prepare_v2(db,
                                      "INSERT INTO reports (content_id, content_known,"
                                      " reporter_id, key_prefix, trusted_flagger, category, text,"
                                      " country, language, rapid, case_id, received_at)"
                                      " VALUES (?, 0, '', 'platform0001', 0, 'ncii_deepfake',"
                                      " '', 'MY', '', 1, 0, ?)",
                                      -1, &ins, NULL) != SQLITE_OK)
        failed = per_thread;
    for (int i = 0; !failed && i < per_thread; i++) {
        char content[32];
        snprintf(content, sizeof(content), "c%d", id * per_thread + i);
        sqlite3_bind_text(ins, 1, content, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins, 2, (sqlite3_int64)time(NULL));
        pthread_mutex_lock(&writer);
        if (run(db, "BEGIN IMMEDIATE") != 0 || sqlite3_step(ins) != SQLITE_DONE ||
            run(db, "COMMIT") != 0) {
            failed++;
            run(db, "ROLLBACK");
        }
        pthread_mutex_unlock(&writer);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_close(db);
    pthread_mutex_lock(&lock);
    failures += failed;
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: sqlite_inserts PATH THREADS ROWS_EACH\n", stderr);
        return 2;
    }
    path = argv[1];
    int threads = atoi(argv[2]);
    per_thread = atoi(argv[3]);
    sqlite3 *db = NULL;
    if (threads < 1 || threads > 256 || per_thread < 1 || sqlite3_open(path, &db) != SQLITE_OK ||
        run(db, "PRAGMA journal_mode = WAL;"
                "CREATE TABLE reports (id INTEGER PRIMARY KEY, content_id TEXT NOT NULL,"
                " content_known INTEGER NOT NULL, reporter_id TEXT NOT NULL,"
                " key_prefix TEXT NOT NULL, trusted_flagger INTEGER NOT NULL,"
                " category TEXT NOT NULL, text TEXT NOT NULL, country TEXT NOT NULL,"
                " language TEXT NOT NULL, rapid INTEGER NOT NULL, case_id INTEGER NOT NULL,"
                " received_at INTEGER NOT NULL);"
                "CREATE INDEX reports_by_case ON reports (case_id, id);"
                "CREATE INDEX reports_by_content ON reports (content_id);") != 0)
        return 2;
    sqlite3_close(db);
    pthread_t tid[256];
    double t0 = now();
    for (int t = 0; t < threads; t++)
        pthread_create(&tid[t], NULL, inserter, (void *)(long)t);
    for (int t = 0; t < threads; t++)
        pthread_join(tid[t], NULL);
    double elapsed = now() - t0;
    printf("%.1f rows/s, %d failed of %d\n", threads * per_thread / elapsed, failures,
           threads * per_thread);
    return failures ? 1 : 0;
}

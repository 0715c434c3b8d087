/* The audit log: a leaf for every change, in the change's transaction; signed heads; proofs
 * against the stored nodes; and verification that reports every kind of tampering done to
 * the store behind jaga's back. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jaga/audit.h"
#include "jaga/store.h"
#include "test_support.h"

/* A review store with some of every kind of change in its log. */
static void fill(test_review *r)
{
    jaga_ctx *ctx = r->t.ctx;
    jaga_bank bank;
    jaga_bank_init(&bank, "NCII");
    if (jaga_store_bank_create(r->t.store, ctx, &bank) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(ctx));
    for (int i = 0; i < 5; i++) {
        jaga_entry e = {.bank_id = bank.id, .type = JAGA_SIGNAL_SHA256, .quality = -1};
        snprintf(e.value, sizeof(e.value), "%064x", i + 1);
        jaga_apply_result res;
        assert_int_equal(jaga_store_entry_apply(r->t.store, ctx, &e, &res), JAGA_OK);
    }
    jaga_country_block b = {.country = "XA", .reason = "court_order"};
    assert_int_equal(jaga_store_block_set(r->t.store, ctx, &b), JAGA_OK);
    int64_t case_id = test_report(r, "content-1", "hate_speech", "BR", 0);
    test_report(r, "content-2", "hate_speech", "DE", 1);
    jaga_case c;
    assert_int_equal(jaga_case_claim(ctx, &r->rv, case_id, "mod-1", 600, &c), JAGA_OK);
    jaga_decision d = {.case_id = case_id,
                       .action = "remove",
                       .ground = "terms",
                       .category = "hate_speech",
                       .decided_by = "mod-1"};
    jaga_decision_result res;
    if (jaga_case_apply_decision(ctx, &r->rv, &d, &res) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(ctx));
}

typedef struct kinds_seen {
    int bank, entry, block, report, decision, case_open, event;
    int reporter_in_clear;
} kinds_seen;

static void count_kinds(jaga_store *store, jaga_ctx *ctx, kinds_seen *k)
{
    jaga_audit_scan *scan;
    jaga_audit_row row;
    assert_int_equal(jaga_store_audit_scan(store, ctx, 0, 0, &scan), JAGA_OK);
    uint64_t expected = 0;
    while (jaga_audit_scan_next(scan, ctx, &row) == JAGA_OK) {
        assert_int_equal(row.index, expected++);
        k->bank += strcmp(row.kind, "bank.create") == 0;
        k->entry += strcmp(row.kind, "entry.add") == 0;
        k->block += strcmp(row.kind, "block.set") == 0;
        k->report += strcmp(row.kind, "report.add") == 0;
        k->decision += strcmp(row.kind, "decision.add") == 0;
        k->case_open += strcmp(row.kind, "case.open") == 0;
        k->event += strcmp(row.kind, "case.event") == 0;
        k->reporter_in_clear += strstr(row.data, "reporter-secret-name") != NULL;
    }
    jaga_audit_scan_close(scan);
}

static void test_every_change_is_a_leaf(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    fill(&r);
    jaga_report rep = {.category = "ncii",
                       .reporter_id = "reporter-secret-name",
                       .text = "reporter-secret-name wrote this",
                       .key_prefix = "platform0001"};
    strcpy(rep.content_id, "content-3");
    assert_int_equal(jaga_report_receive(r.t.ctx, &r.rv, &rep), JAGA_OK);
    kinds_seen k = {0};
    count_kinds(r.t.store, r.t.ctx, &k);
    assert_int_equal(k.bank, 1);
    assert_int_equal(k.entry, 5);
    assert_int_equal(k.block, 1);
    assert_int_equal(k.report, 3);
    assert_int_equal(k.decision, 1);
    assert_int_equal(k.case_open, 3);
    assert_true(k.event >= 4); /* opened x3, claimed, decided */
    assert_int_equal(k.reporter_in_clear, 0);
    /* A change that fails leaves no leaf; one rolled back takes its leaf with it. */
    uint64_t before, after;
    assert_int_equal(jaga_store_audit_size(r.t.store, r.t.ctx, &before), JAGA_OK);
    jaga_bank dup;
    jaga_bank_init(&dup, "NCII");
    assert_int_equal(jaga_store_bank_create(r.t.store, r.t.ctx, &dup), JAGA_ERR_CONFLICT);
    assert_int_equal(jaga_store_begin(r.t.store, r.t.ctx), JAGA_OK);
    jaga_country_block b = {.country = "XB"};
    assert_int_equal(jaga_store_block_set(r.t.store, r.t.ctx, &b), JAGA_OK);
    jaga_store_rollback(r.t.store);
    assert_int_equal(jaga_store_audit_size(r.t.store, r.t.ctx, &after), JAGA_OK);
    assert_int_equal(after, before);
    assert_int_equal(jaga_store_block_set(r.t.store, r.t.ctx, &b), JAGA_OK);
    uint8_t pub[32];
    jaga_audit_key *key = test_audit_key(&r.t, pub);
    jaga_audit_summary sum;
    assert_int_equal(jaga_audit_verify(r.t.store, r.t.ctx, pub, NULL, NULL, &sum), JAGA_OK);
    assert_int_equal(sum.problems, 0);
    assert_int_equal(sum.leaves, after + 1);
    jaga_audit_key_free(key);
    test_review_close(&r);
}

static void test_heads_and_proofs(void **state)
{
    (void)state;
    test_review r;
    test_review_open(&r);
    jaga_ctx *ctx = r.t.ctx;
    char key_path[128];
    jaga_audit_key_path(r.t.path, key_path, sizeof(key_path));
    jaga_audit_key *key;
    assert_int_equal(jaga_audit_key_open(r.t.store, ctx, key_path, &key), JAGA_OK);
    struct stat sb;
    assert_int_equal(stat(key_path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    uint8_t pub[32];
    jaga_audit_key_public(key, pub);
    jaga_tree_head old, now, again;
    fill(&r);
    assert_int_equal(jaga_audit_head(r.t.store, key, ctx, 1000, &old), JAGA_OK);
    assert_true(jaga_tree_head_check(pub, &old));
    jaga_country_block b = {.country = "XC"};
    assert_int_equal(jaga_store_block_set(r.t.store, ctx, &b), JAGA_OK);
    test_report(&r, "content-9", "ncii", "MY", 0);
    assert_int_equal(jaga_audit_head(r.t.store, key, ctx, 2000, &now), JAGA_OK);
    assert_true(now.size > old.size);
    /* Not grown: the same head, not a new signature. */
    assert_int_equal(jaga_audit_head(r.t.store, key, ctx, 3000, &again), JAGA_OK);
    assert_int_equal(again.signed_at, 2000);
    /* A head changed after signing no longer checks. */
    jaga_tree_head forged = now;
    forged.size--;
    assert_false(jaga_tree_head_check(pub, &forged));
    uint8_t proof[JAGA_MERKLE_LEVELS][JAGA_MERKLE_HASH];
    size_t n;
    for (uint64_t i = 0; i < now.size; i++) {
        uint8_t leaf[32];
        assert_int_equal(jaga_store_audit_node(r.t.store, ctx, 0, i, leaf), JAGA_OK);
        assert_int_equal(jaga_audit_inclusion(r.t.store, ctx, i, now.size, proof, &n), JAGA_OK);
        assert_true(jaga_merkle_verify_inclusion(leaf, i, now.size, proof, n, now.root));
        leaf[0] ^= 1;
        assert_false(jaga_merkle_verify_inclusion(leaf, i, now.size, proof, n, now.root));
    }
    assert_int_equal(jaga_audit_consistency(r.t.store, ctx, old.size, now.size, proof, &n),
                     JAGA_OK);
    assert_true(jaga_merkle_verify_consistency(old.size, now.size, old.root, now.root, proof, n));
    assert_int_equal(jaga_audit_inclusion(r.t.store, ctx, 0, now.size + 5, proof, &n),
                     JAGA_ERR_INVALID);
    jaga_audit_key_free(key);
    /* The key cannot be made anew for a log with signed heads. */
    assert_int_equal(unlink(key_path), 0);
    assert_int_equal(jaga_audit_key_open(r.t.store, ctx, key_path, &key), JAGA_ERR_NOT_FOUND);
    assert_non_null(strstr(jaga_errmsg(ctx), "restore"));
    test_review_close(&r);
}

/* Two connections appending in turn: each sees the other's leaves. */
static void test_two_connections(void **state)
{
    (void)state;
    test_store t;
    test_store_open(&t);
    jaga_store *other;
    assert_int_equal(jaga_store_open(t.ctx, t.path, &other), JAGA_OK);
    for (int i = 0; i < 20; i++) {
        jaga_country_block b = {.country = "XA"};
        b.country[1] = (char)('A' + i);
        assert_int_equal(jaga_store_block_set(i % 3 ? t.store : other, t.ctx, &b), JAGA_OK);
    }
    uint8_t pub[32];
    jaga_audit_key *key = test_audit_key(&t, pub);
    jaga_audit_summary sum;
    assert_int_equal(jaga_audit_verify(other, t.ctx, pub, NULL, NULL, &sum), JAGA_OK);
    assert_int_equal(sum.problems, 0);
    assert_int_equal(sum.leaves, 20);
    jaga_audit_key_free(key);
    jaga_store_free(other);
    test_store_close(&t);
}

/* A store with no file (so no second handle): the leaves are read in the caller's thread. */
static void test_store_in_memory(void **state)
{
    (void)state;
    jaga_ctx *ctx;
    jaga_store *db, *other = NULL;
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    assert_int_equal(jaga_store_open(ctx, ":memory:", &db), JAGA_OK);
    assert_int_equal(jaga_store_reopen(db, ctx, &other), JAGA_ERR_INVALID);
    for (int i = 0; i < 5000; i++) { /* more than one batch */
        jaga_country_block b = {.country = "XA"};
        b.country[1] = (char)('A' + i % 26);
        assert_int_equal(jaga_store_block_set(db, ctx, &b), JAGA_OK);
    }
    uint8_t pub[32] = {0};
    jaga_audit_summary sum;
    assert_int_equal(jaga_audit_verify(db, ctx, pub, NULL, NULL, &sum), JAGA_OK);
    assert_int_equal(sum.problems, 0);
    assert_int_equal(sum.leaves, 5000);
    jaga_store_free(db);
    jaga_ctx_free(ctx);
}

/* What a watcher reads from a server: heads and proofs, well-formed or not. */
static void test_answers_parsed(void **state)
{
    (void)state;
    char head[512];
    snprintf(head, sizeof(head),
             "{\"size\":12,\"root\":\"%064d\",\"signed_at\":1800000000,\"signature\":"
             "\"%0128d\",\"extra\":1}",
             7, 9);
    jaga_tree_head h;
    assert_int_equal(jaga_tree_head_parse(NULL, head, strlen(head), &h), JAGA_OK);
    assert_true(h.size == 12 && h.signed_at == 1800000000 && h.root[31] == 7 &&
                h.signature[63] == 9);
    const char *bad_heads[] = {"",
                               "[]",
                               "{\"size\":-1}",
                               "{\"size\":1,\"root\":\"00\",\"signed_at\":1,\"signature\":\"\"}",
                               "{\"size\":\"1\"}",
                               "{\"size\":1,\"size\":2}",
                               "{\"size\":1"};
    for (size_t i = 0; i < sizeof(bad_heads) / sizeof(bad_heads[0]); i++)
        assert_int_equal(jaga_tree_head_parse(NULL, bad_heads[i], strlen(bad_heads[i]), &h),
                         JAGA_ERR_DECODE);
    char big[70000];
    memset(big, ' ', sizeof(big));
    big[0] = '{', big[sizeof(big) - 1] = '}';
    assert_int_equal(jaga_tree_head_parse(NULL, big, sizeof(big), &h), JAGA_ERR_DECODE);
    uint8_t proof[JAGA_MERKLE_LEVELS][JAGA_MERKLE_HASH];
    size_t n;
    char text[256];
    snprintf(text, sizeof(text), "{\"proof\":[\"%064d\",\"%064d\"]}", 1, 2);
    assert_int_equal(jaga_audit_proof_parse(NULL, text, strlen(text), proof, &n), JAGA_OK);
    assert_true(n == 2 && proof[1][31] == 2);
    const char *bad_proofs[] = {"{\"proof\":\"x\"}", "{\"proof\":[\"zz\"]}", "{}", "nope"};
    for (size_t i = 0; i < sizeof(bad_proofs) / sizeof(bad_proofs[0]); i++) {
        assert_int_equal(
            jaga_audit_proof_parse(NULL, bad_proofs[i], strlen(bad_proofs[i]), proof, &n),
            JAGA_ERR_DECODE);
        assert_int_equal(n, 0);
    }
}

typedef struct told {
    char text[4096];
} told;

static void tell(void *arg, const char *problem)
{
    told *t = arg;
    size_t used = strlen(t->text);
    snprintf(t->text + used, sizeof(t->text) - used, "%s\n", problem);
}

/* Tampering done with plain SQL on the store's file, then a verification: what it said. */
static size_t tampered(const char *sql, const char *expect)
{
    test_review r;
    test_review_open(&r);
    jaga_ctx *ctx = r.t.ctx;
    uint8_t pub[32];
    jaga_audit_key *key = test_audit_key(&r.t, pub);
    fill(&r);
    jaga_tree_head h;
    assert_int_equal(jaga_audit_head(r.t.store, key, ctx, 1000, &h), JAGA_OK);
    assert_true(h.size > 20);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(r.t.path, &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
    sqlite3_close(db);
    told t = {{0}};
    jaga_audit_summary sum;
    assert_int_equal(jaga_audit_verify(r.t.store, ctx, pub, tell, &t, &sum), JAGA_OK);
    if (!strstr(t.text, expect))
        fail_msg("after %s: expected '%s' in:\n%s", sql, expect, t.text);
    jaga_audit_key_free(key);
    test_review_close(&r);
    return sum.problems;
}

static void test_tampering_is_reported(void **state)
{
    (void)state;
    /* A leaf's data edited. */
    assert_true(tampered("UPDATE audit_leaves SET data = replace(data, 'remove', 'blur')"
                         " WHERE kind = 'decision.add'",
                         "does not match its stored hash") > 0);
    /* Edited with its hash recomputed: the tree no longer gives the signed root. */
    assert_true(tampered("UPDATE audit_leaves SET data = replace(data, '\"remove\"', '\"blur\"'),"
                         " hash = randomblob(32) WHERE kind = 'decision.add';"
                         "UPDATE audit_nodes SET hash = randomblob(32)",
                         "does not match the leaves") > 0);
    /* A leaf deleted. */
    assert_true(tampered("DELETE FROM audit_leaves WHERE idx = 3", "leaves 3 to 3 are missing") >
                0);
    /* Two leaves swapped (data and hashes together). */
    assert_true(tampered("UPDATE audit_leaves SET idx = -1 WHERE idx = 1;"
                         "UPDATE audit_leaves SET idx = 1 WHERE idx = 2;"
                         "UPDATE audit_leaves SET idx = 2 WHERE idx = -1",
                         "node 1/0 differs") > 0);
    /* The log cut short behind its signed head. */
    assert_true(tampered("DELETE FROM audit_leaves WHERE idx >= 10;"
                         "DELETE FROM audit_nodes WHERE (idx + 1) << level > 10",
                         "beyond the log") > 0);
    /* A stored node changed, removed, or added. */
    assert_true(tampered("UPDATE audit_nodes SET hash = randomblob(32) WHERE level = 2 AND idx = 1",
                         "node 2/1 differs") > 0);
    assert_true(
        tampered("DELETE FROM audit_nodes WHERE level = 1 AND idx = 2", "node 1/2 is missing") > 0);
    assert_true(tampered("INSERT INTO audit_nodes VALUES (30, 0, randomblob(32))",
                         "node 30/0 is stored but the tree has no such node") > 0);
    /* A leaf's kind column changed (what reports filter on). */
    assert_true(tampered("UPDATE audit_leaves SET kind = 'block.clear' WHERE idx = 0",
                         "leaf 0: its kind") > 0);
    /* A signed head edited. */
    assert_true(tampered("UPDATE audit_heads SET root = randomblob(32)", "bad signature") > 0);
    assert_true(tampered("UPDATE audit_heads SET signed_at = signed_at + 1", "bad signature") > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_change_is_a_leaf), cmocka_unit_test(test_heads_and_proofs),
        cmocka_unit_test(test_two_connections),        cmocka_unit_test(test_store_in_memory),
        cmocka_unit_test(test_answers_parsed),         cmocka_unit_test(test_tampering_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

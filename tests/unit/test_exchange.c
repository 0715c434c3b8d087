/* Hash exchange: the numbered changes of a bank, signed batches (every field covered, order
 * checked, JSON both ways, malformed and oversized input refused), batches applied with the
 * checkpoint (all or nothing, never twice), peer requests' signatures, peers, verdicts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jaga/exchange.h"
#include "test_support.h"

typedef struct fixture {
    test_store t;
    jaga_audit_key *key;
    uint8_t pub[32];
    jaga_bank bank;
} fixture;

static void open_fixture(fixture *f)
{
    test_store_open(&f->t);
    f->key = test_audit_key(&f->t, f->pub);
    jaga_bank_init(&f->bank, "NCII");
    assert_int_equal(jaga_store_bank_create(f->t.store, f->t.ctx, &f->bank), JAGA_OK);
}

static void close_fixture(fixture *f)
{
    jaga_audit_key_free(f->key);
    test_store_close(&f->t);
}

static void apply(fixture *f, jaga_signal_type type, const char *value, int withdrawn,
                  jaga_apply_result want)
{
    jaga_entry e = {.bank_id = f->bank.id, .type = type, .quality = 90, .withdrawn = withdrawn};
    snprintf(e.value, sizeof(e.value), "%s", value);
    snprintf(e.labels, sizeof(e.labels), "category=ncii");
    jaga_apply_result res;
    assert_int_equal(jaga_store_entry_apply(f->t.store, f->t.ctx, &e, &res), JAGA_OK);
    assert_int_equal(res, want);
}

static const char *hex(int n)
{
    static char out[8][65];
    static int next;
    char *s = out[next++ % 8];
    snprintf(s, 65, "%064x", n);
    return s;
}

typedef struct walk {
    int64_t seq[16];
    int withdrawn[16];
    char value[16][65];
    int n;
} walk;

static int record(void *arg, int64_t seq, const jaga_entry *e)
{
    walk *w = arg;
    w->seq[w->n] = seq;
    w->withdrawn[w->n] = e->withdrawn;
    snprintf(w->value[w->n++], 65, "%s", e->value);
    return w->n == 16;
}

/* Every change numbered in order, an entry's withdrawal and reactivation too; a repeat none. */
static void test_changes_in_order(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    apply(&f, JAGA_SIGNAL_SHA256, hex(1), 0, JAGA_APPLY_ADDED);
    apply(&f, JAGA_SIGNAL_SHA256, hex(2), 0, JAGA_APPLY_ADDED);
    apply(&f, JAGA_SIGNAL_SHA256, hex(1), 0, JAGA_APPLY_PRESENT);
    apply(&f, JAGA_SIGNAL_SHA256, hex(1), 1, JAGA_APPLY_WITHDRAWN);
    apply(&f, JAGA_SIGNAL_SHA256, hex(9), 1, JAGA_APPLY_UNKNOWN);
    apply(&f, JAGA_SIGNAL_SHA256, hex(1), 0, JAGA_APPLY_REACTIVATED);
    walk w = {0};
    assert_int_equal(jaga_store_changes(f.t.store, f.t.ctx, f.bank.id, 0, 0, record, &w), JAGA_OK);
    assert_int_equal(w.n, 4);
    const int withdrawn[] = {0, 0, 1, 0};
    const int which[] = {1, 2, 1, 1};
    for (int i = 0; i < 4; i++) {
        assert_true(i == 0 || w.seq[i] > w.seq[i - 1]);
        assert_int_equal(w.withdrawn[i], withdrawn[i]);
        assert_string_equal(w.value[i], hex(which[i]));
    }
    int64_t head;
    assert_int_equal(jaga_store_changes_head(f.t.store, f.t.ctx, f.bank.id, &head), JAGA_OK);
    assert_int_equal(head, w.seq[3]);
    walk after = {0};
    assert_int_equal(jaga_store_changes(f.t.store, f.t.ctx, f.bank.id, w.seq[1], 1, record, &after),
                     JAGA_OK);
    assert_int_equal(after.n, 1);
    assert_int_equal(after.seq[0], w.seq[2]);
    close_fixture(&f);
}

typedef struct filler {
    jaga_exchange_batch *b;
    jaga_ctx *ctx;
} filler;

static int fill(void *arg, int64_t seq, const jaga_entry *e)
{
    filler *fl = arg;
    assert_int_equal(jaga_exchange_batch_add(fl->b, fl->ctx, seq, e), JAGA_OK);
    return 0;
}

/* A signed batch of the fixture bank's changes after from. */
static jaga_exchange_batch *publish(fixture *f, int64_t from)
{
    filler fl = {NULL, f->t.ctx};
    assert_int_equal(jaga_exchange_batch_new("NCII", from, &fl.b), JAGA_OK);
    assert_int_equal(jaga_store_changes(f->t.store, f->t.ctx, f->bank.id, from, 0, fill, &fl),
                     JAGA_OK);
    assert_int_equal(jaga_exchange_batch_sign(fl.b, f->key, f->t.ctx), JAGA_OK);
    return fl.b;
}

static jaga_status check(fixture *f, const jaga_exchange_batch *b, int64_t cursor,
                         const char **reason)
{
    return jaga_exchange_batch_check(b, f->t.ctx, f->pub, "NCII", cursor, reason);
}

/* Through JSON and back: the same digest, still signed; a vpdq addition keeps its features. */
static jaga_exchange_batch *round_trip(fixture *f, const jaga_exchange_batch *b)
{
    size_t len;
    char *json = jaga_exchange_batch_json(b, &len);
    assert_non_null(json);
    jaga_exchange_batch *back;
    if (jaga_exchange_batch_parse(f->t.ctx, json, len, &back) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(f->t.ctx));
    free(json);
    uint8_t d1[32], d2[32];
    jaga_exchange_batch_digest(b, d1);
    jaga_exchange_batch_digest(back, d2);
    assert_memory_equal(d1, d2, 32);
    return back;
}

static void add_video(fixture *f)
{
    jaga_vpdq_feature features[3];
    for (int i = 0; i < 3; i++) {
        memset(&features[i], 0, sizeof(features[i]));
        features[i].quality = 80 + i;
        features[i].timestamp = (float)i;
        for (int w = 0; w < 16; w++)
            features[i].hash.w[w] = (uint16_t)(0x9e37 * (i + 1) * (w + 3));
    }
    jaga_entry e = {.bank_id = f->bank.id, .type = JAGA_SIGNAL_VPDQ, .quality = -1};
    e.features = features;
    e.nfeatures = 3;
    assert_int_equal(jaga_vpdq_entry_value(f->t.ctx, features, 3, e.value), JAGA_OK);
    jaga_apply_result res;
    assert_int_equal(jaga_store_entry_apply(f->t.store, f->t.ctx, &e, &res), JAGA_OK);
}

static void test_batch_signed_and_checked(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    apply(&f, JAGA_SIGNAL_SHA256, hex(1), 0, JAGA_APPLY_ADDED);
    add_video(&f);
    apply(&f, JAGA_SIGNAL_SHA256, hex(1), 1, JAGA_APPLY_WITHDRAWN);
    jaga_exchange_batch *b = publish(&f, 0);
    assert_int_equal(b->n, 3);
    assert_int_equal(b->items[1].entry.nfeatures, 3);
    assert_string_equal(b->items[2].entry.labels, ""); /* a withdrawal is type and value */
    const char *reason;
    assert_int_equal(check(&f, b, 0, &reason), JAGA_OK);
    assert_null(reason);
    jaga_exchange_batch *back = round_trip(&f, b);
    assert_int_equal(check(&f, back, 0, &reason), JAGA_OK);
    assert_int_equal(back->items[1].entry.nfeatures, 3);
    assert_int_equal(back->items[1].entry.features[2].quality, 82);

    /* Every field is covered by the signature. */
    for (int field = 0; field < 9; field++) {
        jaga_exchange_batch *t = round_trip(&f, b);
        jaga_entry *e = &t->items[field < 5 ? 0 : 1].entry;
        switch (field) {
        case 0:
            e->value[63] = e->value[63] == '0' ? '1' : '0';
            break;
        case 1:
            e->withdrawn = 1;
            break;
        case 2:
            e->quality = 50;
            break;
        case 3:
            strcpy(e->labels, "category=other");
            break;
        case 4:
            e->type = JAGA_SIGNAL_PDQ;
            break;
        case 5:
            ((jaga_vpdq_feature *)e->features)[0].quality = 10;
            break;
        case 6:
            t->more = 1;
            break;
        case 7:
            t->to++;
            break;
        case 8:
            strcpy(t->bank, "OTHER");
            break;
        }
        assert_int_equal(check(&f, t, 0, &reason), JAGA_ERR_DECODE);
        assert_string_equal(reason, "signature");
        jaga_exchange_batch_free(t);
    }
    /* Another key's signature, or none. */
    uint8_t other[32];
    memcpy(other, f.pub, 32);
    other[0] ^= 1;
    assert_int_equal(jaga_exchange_batch_check(b, f.t.ctx, other, "NCII", 0, &reason),
                     JAGA_ERR_DECODE);
    /* Right signature, wrong place: another cursor, another bank. */
    assert_int_equal(check(&f, b, 1, &reason), JAGA_ERR_DECODE);
    assert_string_equal(reason, "order");
    assert_int_equal(jaga_exchange_batch_check(b, f.t.ctx, f.pub, "OTHER", 0, &reason),
                     JAGA_ERR_DECODE);
    assert_string_equal(reason, "order");
    /* A batch that ends before its last change, even signed so. */
    jaga_exchange_batch *t = round_trip(&f, b);
    t->to = t->items[1].seq;
    assert_int_equal(jaga_exchange_batch_sign(t, f.key, f.t.ctx), JAGA_OK);
    assert_int_equal(check(&f, t, 0, &reason), JAGA_ERR_DECODE);
    assert_string_equal(reason, "order");
    jaga_exchange_batch_free(t);
    /* Changes out of order cannot be added. */
    jaga_exchange_batch *o;
    assert_int_equal(jaga_exchange_batch_new("NCII", 5, &o), JAGA_OK);
    jaga_entry e = {.type = JAGA_SIGNAL_MD5, .quality = -1};
    snprintf(e.value, sizeof(e.value), "%032x", 7);
    assert_int_equal(jaga_exchange_batch_add(o, f.t.ctx, 5, &e), JAGA_ERR_INVALID);
    assert_int_equal(jaga_exchange_batch_add(o, f.t.ctx, 6, &e), JAGA_OK);
    assert_int_equal(jaga_exchange_batch_add(o, f.t.ctx, 6, &e), JAGA_ERR_INVALID);
    jaga_exchange_batch_free(o);
    jaga_exchange_batch_free(back);
    jaga_exchange_batch_free(b);
    close_fixture(&f);
}

/* A video withdrawn and banked again: its withdrawal names it by value, its additions carry
 * the features, whatever the entry's state now. */
static void test_video_changes(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    add_video(&f);
    jaga_exchange_batch *first = publish(&f, 0);
    apply(&f, JAGA_SIGNAL_VPDQ, first->items[0].entry.value, 1, JAGA_APPLY_WITHDRAWN);
    add_video(&f); /* reactivated */
    jaga_exchange_batch *b = publish(&f, 0);
    assert_int_equal(b->n, 3);
    const int withdrawn[] = {0, 1, 0};
    const size_t features[] = {3, 0, 3};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(b->items[i].entry.withdrawn, withdrawn[i]);
        assert_int_equal(b->items[i].entry.nfeatures, features[i]);
    }
    jaga_exchange_batch *back = round_trip(&f, b);
    const char *reason;
    assert_int_equal(check(&f, back, 0, &reason), JAGA_OK);
    jaga_exchange_batch_free(back);
    jaga_exchange_batch_free(b);
    jaga_exchange_batch_free(first);
    close_fixture(&f);
}

static void test_batch_malformed(void **state)
{
    (void)state;
    jaga_ctx *ctx;
    jaga_ctx_open(&ctx);
    const char *sig = "\"publisher\":\"" /* 64 zeros */
                      "0000000000000000000000000000000000000000000000000000000000000000\","
                      "\"signature\":\"00000000000000000000000000000000000000000000000000000000"
                      "000000000000000000000000000000000000000000000000000000000000000000000000\"";
    char good[1024];
    snprintf(good, sizeof(good),
             "{\"bank\":\"NCII\",\"from\":0,\"to\":0,\"more\":false,%s,"
             "\"changes\":[]}",
             sig);
    jaga_exchange_batch *b = NULL;
    assert_int_equal(jaga_exchange_batch_parse(ctx, good, strlen(good), &b), JAGA_OK);
    jaga_exchange_batch_free(b);
    const char *changes[] = {
        "[{\"seq\":1,\"change\":\"add\",\"signal_type\":\"pdq\"}]",
        "[{\"seq\":-1,\"change\":\"add\",\"signal_type\":\"md5\",\"value\":\"x\"}]",
        "[{\"seq\":1,\"change\":\"move\",\"signal_type\":\"md5\",\"value\":\"x\"}]",
        "[{\"seq\":1,\"change\":\"add\",\"signal_type\":\"gif\",\"value\":\"x\"}]",
        "[{\"seq\":1,\"change\":\"add\",\"signal_type\":\"md5\",\"value\":\"x\",\"quality\":101}]",
        "[{\"seq\":1,\"change\":\"add\",\"signal_type\":\"vpdq\",\"value\":\"x\","
        "\"features\":[\"zz,1,0\"]}]",
        "[{\"seq\":1,\"change\":\"add\",\"signal_type\":\"vpdq\",\"value\":\"x\",\"features\":[]}]",
        "[{\"seq\":2,\"change\":\"add\",\"signal_type\":\"md5\",\"value\":\"x\"},"
        "{\"seq\":2,\"change\":\"add\",\"signal_type\":\"md5\",\"value\":\"y\"}]",
        "[1]",
        "{}",
    };
    for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
        char text[2048];
        snprintf(text, sizeof(text),
                 "{\"bank\":\"NCII\",\"from\":0,\"to\":9,\"more\":false,%s,"
                 "\"changes\":%s}",
                 sig, changes[i]);
        assert_int_equal(jaga_exchange_batch_parse(ctx, text, strlen(text), &b), JAGA_ERR_DECODE);
        assert_null(b);
    }
    const char *docs[] = {"",
                          "[]",
                          "{\"bank\":\"ncii\"}",
                          "{\"bank\":\"NCII\",\"from\":0}",
                          "{\"bank\":\"NCII\",\"from\":0,\"to\":0,\"more\":0,\"changes\":[]}",
                          ("{\"bank\":\"NCII\",\"from\":0,\"to\":0,\"more\":false,\"changes\":[],"
                           "\"publisher\":\"00\",\"signature\":\"00\"}")};
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
        assert_int_equal(jaga_exchange_batch_parse(ctx, docs[i], strlen(docs[i]), &b),
                         JAGA_ERR_DECODE);
    /* Over the limits: too many changes; too many bytes (refused before parsing). */
    size_t cap = (JAGA_EXCHANGE_ITEMS_MAX + 1) * 128 + 1024, n = 0;
    char *big = malloc(cap);
    n += (size_t)snprintf(big, cap,
                          "{\"bank\":\"NCII\",\"from\":0,\"to\":0,\"more\":false,%s,"
                          "\"changes\":[",
                          sig);
    for (int i = 0; i <= JAGA_EXCHANGE_ITEMS_MAX; i++)
        n += (size_t)snprintf(big + n, cap - n,
                              "%s{\"seq\":%d,\"change\":\"withdraw\","
                              "\"signal_type\":\"md5\",\"value\":\"%032x\"}",
                              i ? "," : "", i + 1, i);
    n += (size_t)snprintf(big + n, cap - n, "]}");
    assert_int_equal(jaga_exchange_batch_parse(ctx, big, n, &b), JAGA_ERR_LIMIT);
    assert_int_equal(jaga_exchange_batch_parse(ctx, big, JAGA_EXCHANGE_JSON_MAX + 1, &b),
                     JAGA_ERR_LIMIT);
    free(big);
    jaga_ctx_free(ctx);
}

/* Applied with the checkpoint: once; a second time is refused whole; a refused change takes
 * the batch back. */
static void test_batch_applied_once(void **state)
{
    (void)state;
    fixture pub, sub;
    open_fixture(&pub);
    open_fixture(&sub);
    apply(&pub, JAGA_SIGNAL_SHA256, hex(1), 0, JAGA_APPLY_ADDED);
    apply(&pub, JAGA_SIGNAL_SHA256, hex(2), 0, JAGA_APPLY_ADDED);
    add_video(&pub);
    apply(&pub, JAGA_SIGNAL_SHA256, hex(1), 1, JAGA_APPLY_WITHDRAWN);
    jaga_peer peer = {.name = "node-a", .banks = ""};
    memcpy(peer.public_key, pub.pub, 32);
    assert_int_equal(jaga_store_peer_add(sub.t.store, sub.t.ctx, &peer), JAGA_OK);
    jaga_subscription s;
    assert_int_equal(
        jaga_exchange_subscribe(sub.t.store, sub.t.ctx, "node-a", "NCII", "FROM_A", &s), JAGA_OK);
    jaga_exchange_batch *b = publish(&pub, 0);
    size_t applied;
    assert_int_equal(jaga_exchange_batch_apply(sub.t.store, sub.t.ctx, &s, b, NULL, NULL, &applied),
                     JAGA_OK);
    assert_int_equal(applied, 4);
    jaga_subscription now;
    assert_int_equal(jaga_store_subscription_get(sub.t.store, sub.t.ctx, "node-a", "NCII", &now),
                     JAGA_OK);
    assert_int_equal(now.cursor, b->to);
    assert_string_equal(now.bank, "FROM_A");
    jaga_bank local;
    assert_int_equal(jaga_store_bank_get(sub.t.store, sub.t.ctx, "FROM_A", &local), JAGA_OK);
    assert_int_equal(local.active, 2);
    assert_int_equal(local.withdrawn, 1);
    /* The same batch again: the cursor has moved, nothing changes. */
    assert_int_equal(jaga_exchange_batch_apply(sub.t.store, sub.t.ctx, &s, b, NULL, NULL, &applied),
                     JAGA_ERR_CONFLICT);
    assert_int_equal(jaga_store_bank_get(sub.t.store, sub.t.ctx, "FROM_A", &local), JAGA_OK);
    assert_int_equal(local.active + local.withdrawn, 3);
    /* A batch whose last change the store refuses: none of it lands. */
    apply(&pub, JAGA_SIGNAL_SHA256, hex(3), 0, JAGA_APPLY_ADDED);
    apply(&pub, JAGA_SIGNAL_MD5, "0123456789abcdef0123456789abcdef", 0, JAGA_APPLY_ADDED);
    jaga_exchange_batch *next = publish(&pub, b->to);
    strcpy(next->items[1].entry.labels, "bad,label");
    assert_int_equal(
        jaga_exchange_batch_apply(sub.t.store, sub.t.ctx, &now, next, NULL, NULL, &applied),
        JAGA_ERR_INVALID);
    assert_int_equal(jaga_store_bank_get(sub.t.store, sub.t.ctx, "FROM_A", &local), JAGA_OK);
    assert_int_equal(local.active + local.withdrawn, 3);
    assert_int_equal(jaga_store_subscription_get(sub.t.store, sub.t.ctx, "node-a", "NCII", &now),
                     JAGA_OK);
    assert_int_equal(now.cursor, b->to);
    /* A refusal is logged; the last error says why. */
    assert_int_equal(jaga_store_subscription_fail(sub.t.store, sub.t.ctx, now.id, "signature",
                                                  "not signed", NULL),
                     JAGA_OK);
    assert_int_equal(jaga_store_subscription_get(sub.t.store, sub.t.ctx, "node-a", "NCII", &now),
                     JAGA_OK);
    assert_int_equal(now.rejected, 1);
    assert_string_equal(now.last_error, "signature: not signed");
    jaga_exchange_batch_free(next);
    jaga_exchange_batch_free(b);
    close_fixture(&sub);
    close_fixture(&pub);
}

static void test_request_signatures(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    int64_t now = (int64_t)time(NULL);
    char header[JAGA_PEER_AUTH_MAX];
    const char *body = "{\"verdicts\":[]}";
    assert_int_equal(jaga_exchange_request_sign(f.key, f.t.ctx, "POST",
                                                "/v1/exchange/NCII/feedback", body, strlen(body),
                                                now, header),
                     JAGA_OK);
    jaga_peer_auth a;
    assert_int_equal(jaga_exchange_request_parse(header, &a), JAGA_OK);
    assert_memory_equal(a.key, f.pub, 32);
    assert_int_equal(a.time, now);
    const char *target = "/v1/exchange/NCII/feedback";
    size_t blen = strlen(body);
    assert_true(jaga_exchange_request_check(&a, "POST", target, body, blen, now));
    assert_true(
        jaga_exchange_request_check(&a, "POST", target, body, blen, now + JAGA_PEER_REQUEST_SKEW));
    assert_false(jaga_exchange_request_check(&a, "POST", target, body, blen,
                                             now + JAGA_PEER_REQUEST_SKEW + 1));
    assert_false(jaga_exchange_request_check(&a, "GET", target, body, blen, now));
    assert_false(
        jaga_exchange_request_check(&a, "POST", "/v1/exchange/X/feedback", body, blen, now));
    assert_false(jaga_exchange_request_check(&a, "POST", target, "{}", 2, now));
    jaga_peer_auth later = a, other = a;
    later.time++;
    assert_false(jaga_exchange_request_check(&later, "POST", target, body, blen, now));
    other.nonce[0] ^= 1; /* the nonce is signed too */
    assert_false(jaga_exchange_request_check(&other, "POST", target, body, blen, now));
    /* The same request signed again differs: a fresh nonce each time. */
    char again[JAGA_PEER_AUTH_MAX];
    assert_int_equal(
        jaga_exchange_request_sign(f.key, f.t.ctx, "POST", target, body, blen, now, again),
        JAGA_OK);
    assert_string_not_equal(again, header);
    const char *bad[] = {"",
                         "Bearer x",
                         "JagaPeer",
                         "JagaPeer a 1 b",
                         "JagaPeer 00 1 00",
                         "JagaPeer  1 ",
                         "JagaPeer a 1 b c d"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(jaga_exchange_request_parse(bad[i], &a), JAGA_ERR_INVALID);
    char copy[JAGA_PEER_AUTH_MAX + 8];
    snprintf(copy, sizeof(copy), "%s", header);
    copy[9 + 64 + 1] = 'x'; /* the time's first digit */
    assert_int_equal(jaga_exchange_request_parse(copy, &a), JAGA_ERR_INVALID);
    /* The version 1 header, without a nonce, is no longer taken. */
    char v1[JAGA_PEER_AUTH_MAX];
    const char *sig = strrchr(header, ' ');
    snprintf(v1, sizeof(v1), "%.*s%s", (int)(sig - header - 33), header, sig);
    assert_int_equal(jaga_exchange_request_parse(v1, &a), JAGA_ERR_INVALID);
    close_fixture(&f);
}

static void test_peers_and_verdicts(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    jaga_peer p = {.name = "regulator-my", .url = "https://jaga.example.my", .banks = "NCII,CSAM"};
    p.public_key[0] = 7;
    assert_int_equal(jaga_store_peer_add(f.t.store, f.t.ctx, &p), JAGA_OK);
    assert_true(jaga_peer_may_read(&p, "NCII"));
    assert_true(jaga_peer_may_read(&p, "CSAM"));
    assert_false(jaga_peer_may_read(&p, "NCI"));
    assert_false(jaga_peer_may_read(&p, "NCII,CSAM"));
    const char *names[] = {"", "Upper", "9lives", "has space", "a/b"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        jaga_peer q = {0};
        snprintf(q.name, sizeof(q.name), "%s", names[i]);
        assert_int_equal(jaga_peer_check(f.t.ctx, &q), JAGA_ERR_INVALID);
    }
    const char *banks[] = {"ncii", "NCII,", ",NCII", "NCII,,CSAM", "NC II"};
    for (size_t i = 0; i < sizeof(banks) / sizeof(banks[0]); i++) {
        jaga_peer q = {.name = "x"};
        snprintf(q.banks, sizeof(q.banks), "%s", banks[i]);
        assert_int_equal(jaga_peer_check(f.t.ctx, &q), JAGA_ERR_INVALID);
    }
    const char *urls[] = {"ftp://h", "http://u:p@h", "http://h/ x", "h:80"};
    for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
        jaga_peer q = {.name = "x"};
        snprintf(q.url, sizeof(q.url), "%s", urls[i]);
        assert_int_equal(jaga_peer_check(f.t.ctx, &q), JAGA_ERR_INVALID);
    }
    jaga_peer got;
    assert_int_equal(jaga_store_peer_by_key(f.t.store, f.t.ctx, p.public_key, &got), JAGA_OK);
    assert_string_equal(got.name, "regulator-my");
    assert_int_equal(jaga_store_peer_revoke(f.t.store, f.t.ctx, "regulator-my"), JAGA_OK);
    assert_int_equal(jaga_store_peer_revoke(f.t.store, f.t.ctx, "regulator-my"),
                     JAGA_ERR_NOT_FOUND);
    assert_int_equal(jaga_store_peer_get(f.t.store, f.t.ctx, "regulator-my", &got), JAGA_OK);
    assert_false(jaga_peer_may_read(&got, "NCII"));

    apply(&f, JAGA_SIGNAL_SHA256, hex(0xab), 0, JAGA_APPLY_ADDED);
    jaga_feedback fb = {.bank_id = f.bank.id,
                        .peer_id = p.id,
                        .type = JAGA_SIGNAL_SHA256,
                        .verdict = JAGA_FEEDBACK_CONFIRMED,
                        .at = 2000};
    snprintf(fb.value, sizeof(fb.value), "%064X", 0xab); /* case does not matter */
    assert_int_equal(jaga_store_feedback_put(f.t.store, f.t.ctx, &fb), JAGA_OK);
    fb.verdict = JAGA_FEEDBACK_FALSE_POSITIVE;
    fb.at = 1000; /* older: kept out */
    assert_int_equal(jaga_store_feedback_put(f.t.store, f.t.ctx, &fb), JAGA_OK);
    jaga_feedback *list;
    size_t n;
    assert_int_equal(jaga_store_feedback_list(f.t.store, f.t.ctx, f.bank.id, &list, &n), JAGA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].verdict, JAGA_FEEDBACK_CONFIRMED);
    assert_string_equal(list[0].peer, "regulator-my");
    free(list);
    fb.at = 3000;
    assert_int_equal(jaga_store_feedback_put(f.t.store, f.t.ctx, &fb), JAGA_OK);
    assert_int_equal(jaga_store_feedback_list(f.t.store, f.t.ctx, f.bank.id, &list, &n), JAGA_OK);
    assert_int_equal(list[0].verdict, JAGA_FEEDBACK_FALSE_POSITIVE);
    free(list);
    snprintf(fb.value, sizeof(fb.value), "%s", hex(2));
    assert_int_equal(jaga_store_feedback_put(f.t.store, f.t.ctx, &fb), JAGA_ERR_NOT_FOUND);
    jaga_feedback_verdict v;
    assert_int_equal(jaga_feedback_verdict_parse("false_positive", &v), JAGA_OK);
    assert_int_equal(jaga_feedback_verdict_parse("maybe", &v), JAGA_ERR_INVALID);
    close_fixture(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_changes_in_order),   cmocka_unit_test(test_batch_signed_and_checked),
        cmocka_unit_test(test_video_changes),      cmocka_unit_test(test_batch_malformed),
        cmocka_unit_test(test_batch_applied_once), cmocka_unit_test(test_request_signatures),
        cmocka_unit_test(test_peers_and_verdicts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

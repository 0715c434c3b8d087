/* The store interface: peers, bank changes, subscriptions and verdicts (jaga/exchange.h), with
 * their audit leaves. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "jaga/digest.h"
#include "store/store_backend.h"
#include "jaga/core.h"
#include "core/names.h"

static const char *const verdict_names[] = {"confirmed", "false_positive"};

const char *jaga_feedback_verdict_name(jaga_feedback_verdict v)
{
    return v < JAGA_FEEDBACK_COUNT ? verdict_names[v] : "unknown";
}

jaga_status jaga_feedback_verdict_parse(const char *name, jaga_feedback_verdict *out)
{
    int v = jaga_name_index(verdict_names, JAGA_FEEDBACK_COUNT, name);
    if (v < 0)
        return JAGA_ERR_INVALID;
    *out = (jaga_feedback_verdict)v;
    return JAGA_OK;
}

static int name_ok(const char *name)
{
    if (!islower((unsigned char)name[0]))
        return 0;
    for (const char *p = name; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && !strchr(".-_", *p))
            return 0;
    return 1;
}

/* Whether text is a comma-separated list of bank names. */
static int bank_list_ok(const char *text)
{
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, ",");
        if (!jaga_bank_name_ok(p, len))
            return 0;
        p += len;
        if (*p == ',' && !*++p)
            return 0;
    }
    return 1;
}

jaga_status jaga_peer_check(jaga_ctx *ctx, const jaga_peer *p)
{
    if (strnlen(p->name, sizeof(p->name)) >= sizeof(p->name) || !name_ok(p->name))
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "a peer's name is lowercase letters, digits, '.', '-' and '_', starting "
                         "with a letter, at most %d characters",
                         JAGA_PEER_NAME_MAX - 1);
    size_t ulen = strnlen(p->url, sizeof(p->url));
    if (ulen >= sizeof(p->url) ||
        (ulen && strncmp(p->url, "http://", 7) != 0 && strncmp(p->url, "https://", 8) != 0))
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a peer's url is http:// or https://");
    for (const char *c = p->url; *c; c++)
        if ((unsigned char)*c <= 0x20 || *c == 0x7f || *c == '@')
            return jaga_fail(ctx, JAGA_ERR_INVALID,
                             "a peer's url has no spaces, control characters or credentials");
    if (strnlen(p->banks, sizeof(p->banks)) >= sizeof(p->banks) || !bank_list_ok(p->banks))
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a peer's banks are bank names, comma-separated");
    return JAGA_OK;
}

int jaga_peer_may_read(const jaga_peer *p, const char *bank)
{
    size_t n = strlen(bank);
    if (p->revoked_at || n == 0)
        return 0;
    for (const char *b = p->banks; *b;) {
        size_t len = strcspn(b, ",");
        if (len == n && strncmp(b, bank, n) == 0)
            return 1;
        b += len + (b[len] == ',');
    }
    return 0;
}

static int leaf_peer(store_leaf *l, const jaga_peer *p)
{
    char key[65];
    jaga_hex_encode(p->public_key, 32, key);
    jaga__leaf_begin(l, "peer.add");
    jaga__leaf_int(l, "peer", p->id);
    jaga__leaf_str(l, "name", p->name);
    jaga__leaf_str(l, "public_key", key);
    jaga__leaf_str(l, "url", p->url);
    jaga__leaf_str(l, "banks", p->banks);
    return jaga__leaf_end(l);
}

static int leaf_peer_revoke(store_leaf *l, const char *name)
{
    jaga__leaf_begin(l, "peer.revoke");
    jaga__leaf_str(l, "name", name);
    return jaga__leaf_end(l);
}

static int leaf_subscription(store_leaf *l, const jaga_subscription *sub)
{
    jaga__leaf_begin(l, "subscription.add");
    jaga__leaf_int(l, "subscription", sub->id);
    jaga__leaf_int(l, "peer", sub->peer_id);
    jaga__leaf_str(l, "remote_bank", sub->remote_bank);
    jaga__leaf_int(l, "bank", sub->bank_id);
    return jaga__leaf_end(l);
}

/* A batch applied or refused: which subscription, where, how many changes, and the batch's
 * digest (members < 0 or NULL left out). */
static int leaf_batch(store_leaf *l, const char *kind, int64_t id, int64_t from, int64_t to,
                      int64_t count, const char *reason, const uint8_t digest[32])
{
    jaga__leaf_begin(l, kind);
    jaga__leaf_int(l, "subscription", id);
    if (from >= 0)
        jaga__leaf_int(l, "from", from);
    if (to >= 0)
        jaga__leaf_int(l, "to", to);
    if (count >= 0)
        jaga__leaf_int(l, "changes", count);
    if (reason)
        jaga__leaf_str(l, "reason", reason);
    if (digest) {
        char hex[65];
        jaga_hex_encode(digest, 32, hex);
        jaga__leaf_str(l, "digest", hex);
    }
    return jaga__leaf_end(l);
}

static int leaf_feedback(store_leaf *l, const jaga_feedback *fb)
{
    jaga__leaf_begin(l, "feedback.put");
    jaga__leaf_int(l, "entry", fb->entry_id);
    jaga__leaf_int(l, "bank", fb->bank_id);
    jaga__leaf_int(l, "peer", fb->peer_id);
    jaga__leaf_str(l, "verdict", jaga_feedback_verdict_name(fb->verdict));
    jaga__leaf_int(l, "at", fb->at);
    return jaga__leaf_end(l);
}

jaga_status jaga_store_peer_add(jaga_store *s, jaga_ctx *ctx, jaga_peer *p)
{
    jaga_status st = jaga_peer_check(ctx, p);
    if (st != JAGA_OK)
        return st;
    STORE_AUDITED(peer_add, leaf_peer(&leaf, p), p);
}

jaga_status jaga_store_peer_get(jaga_store *s, jaga_ctx *ctx, const char *name, jaga_peer *out)
{
    STORE_CALL(peer_get, name, out);
}

jaga_status jaga_store_peer_by_key(jaga_store *s, jaga_ctx *ctx, const uint8_t key[32],
                                   jaga_peer *out)
{
    STORE_CALL(peer_by_key, key, out);
}

jaga_status jaga_store_peer_list(jaga_store *s, jaga_ctx *ctx, jaga_peer **out, size_t *n)
{
    STORE_CALL(peer_list, out, n);
}

jaga_status jaga_store_peer_revoke(jaga_store *s, jaga_ctx *ctx, const char *name)
{
    STORE_AUDITED(peer_revoke, leaf_peer_revoke(&leaf, name), name);
}

jaga_status jaga_store_changes(jaga_store *s, jaga_ctx *ctx, int64_t bank_id, int64_t after,
                               size_t limit, jaga_change_fn fn, void *arg)
{
    STORE_CALL(changes, bank_id, after, limit, fn, arg);
}

jaga_status jaga_store_changes_head(jaga_store *s, jaga_ctx *ctx, int64_t bank_id, int64_t *out)
{
    STORE_CALL(changes_head, bank_id, out);
}

jaga_status jaga_store_subscription_add(jaga_store *s, jaga_ctx *ctx, jaga_subscription *sub)
{
    if (!jaga_bank_name_ok(sub->remote_bank, strnlen(sub->remote_bank, JAGA_BANK_NAME_MAX)))
        return jaga_fail(ctx, JAGA_ERR_INVALID, "the peer's bank name is malformed");
    STORE_AUDITED(subscription_add, leaf_subscription(&leaf, sub), sub);
}

jaga_status jaga_store_subscription_get(jaga_store *s, jaga_ctx *ctx, const char *peer,
                                        const char *remote_bank, jaga_subscription *out)
{
    STORE_CALL(subscription_get, peer, remote_bank, out);
}

jaga_status jaga_store_subscription_list(jaga_store *s, jaga_ctx *ctx, jaga_subscription **out,
                                         size_t *n)
{
    STORE_CALL(subscription_list, out, n);
}

jaga_status jaga_store_subscription_advance(jaga_store *s, jaga_ctx *ctx, int64_t id, int64_t from,
                                            int64_t to, size_t count, const uint8_t digest[32])
{
    STORE_AUDITED(subscription_advance,
                  leaf_batch(&leaf, "exchange.batch", id, from, to, (int64_t)count, NULL, digest),
                  id, from, to);
}

jaga_status jaga_store_subscription_fail(jaga_store *s, jaga_ctx *ctx, int64_t id,
                                         const char *reason, const char *detail,
                                         const uint8_t digest[32])
{
    char error[256];
    snprintf(error, sizeof(error), "%s%s%s", reason ? reason : "", reason ? ": " : "", detail);
    STORE_AUDITED(subscription_fail,
                  reason && leaf_batch(&leaf, "exchange.reject", id, -1, -1, -1, reason, digest),
                  id, reason != NULL, error);
}

jaga_status jaga_store_feedback_put(jaga_store *s, jaga_ctx *ctx, jaga_feedback *fb)
{
    if (fb->verdict >= JAGA_FEEDBACK_COUNT || fb->at <= 0)
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "a verdict is confirmed or false_positive, at a "
                         "time");
    char value[JAGA_SIGNAL_VALUE_MAX];
    jaga_status st = jaga_signal_normalize(ctx, fb->type, fb->value, value);
    if (st != JAGA_OK)
        return st;
    memcpy(fb->value, value, sizeof(value));
    int kept = 0;
    STORE_AUDITED(feedback_put, kept && leaf_feedback(&leaf, fb), fb, &kept);
}

jaga_status jaga_store_feedback_list(jaga_store *s, jaga_ctx *ctx, int64_t bank_id,
                                     jaga_feedback **out, size_t *n)
{
    STORE_CALL(feedback_list, bank_id, out, n);
}

jaga_status jaga_store_verdict_queue(jaga_store *s, jaga_ctx *ctx, int64_t entry_id,
                                     jaga_feedback_verdict verdict, int64_t at, int *queued)
{
    if (verdict >= JAGA_FEEDBACK_COUNT)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a verdict is confirmed or false_positive");
    STORE_CALL(verdict_queue, entry_id, verdict, at, queued);
}

jaga_status jaga_store_verdicts_due(jaga_store *s, jaga_ctx *ctx, int64_t now, size_t limit,
                                    jaga_outgoing_verdict **out, size_t *n)
{
    STORE_CALL(verdicts_due, now, limit, out, n);
}

jaga_status jaga_store_verdict_done(jaga_store *s, jaga_ctx *ctx, int64_t id, const char *error,
                                    int64_t next_at)
{
    STORE_CALL(verdict_done, id, error, next_at);
}

/*
 * API keys: who may call what. A key has a role, and for some roles a scope: a regulator is
 * bound to one jurisdiction, a moderator to teams. Keys are shown once, at creation, and
 * stored only as a SHA-256 of their secret part; a key's prefix identifies it in lists and
 * logs without revealing it.
 *
 * Key text: "jaga_" + 12 hex digits of prefix + "_" + 48 hex digits of secret.
 */
#ifndef JAGA_AUTH_H
#define JAGA_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum jaga_role {
    JAGA_ROLE_ADMIN = 0, /* everything */
    JAGA_ROLE_PLATFORM,  /* scan, hash, lookup, visibility */
    JAGA_ROLE_MODERATOR, /* review queues of its teams */
    JAGA_ROLE_REGULATOR, /* notices of its jurisdiction */
    JAGA_ROLE_AUDITOR,   /* read-only reports and audit */
    JAGA_ROLE_FLAGGER,   /* a trusted flagger (DSA Art. 22): files reports that come first */
    JAGA_ROLE_COUNT
} jaga_role;

/* "admin", "platform", "moderator", "regulator", "auditor", "flagger". */
const char *jaga_role_name(jaga_role role);
jaga_status jaga_role_parse(const char *name, jaga_role *out);

#define JAGA_KEY_PREFIX_LEN 12
#define JAGA_KEY_TEXT_LEN (5 + JAGA_KEY_PREFIX_LEN + 1 + 48)
#define JAGA_KEY_TEAMS_MAX 256

typedef struct jaga_key {
    int64_t id;
    char prefix[JAGA_KEY_PREFIX_LEN + 1];
    jaga_role role;
    char jurisdiction[3];           /* ISO 3166-1 alpha-2 for regulators, else "" */
    char teams[JAGA_KEY_TEAMS_MAX]; /* comma-separated, for moderators */
    char name[128];                 /* who it is for */
    uint8_t secret_hash[32];        /* SHA-256 of the secret part */
    int64_t created_at, revoked_at; /* revoked_at 0: in force */
} jaga_key;

/* Checks the role's scope: a regulator needs a jurisdiction (two capital letters), a
 * moderator at least one team; other roles take neither. JAGA_OK or JAGA_ERR_INVALID. */
jaga_status jaga_key_check(jaga_ctx *ctx, const jaga_key *key);

/* Fills key->prefix and key->secret_hash with fresh random values and writes the key's text
 * (JAGA_KEY_TEXT_LEN + 1 bytes) to text. JAGA_OK or JAGA_ERR_NOMEM (no randomness). */
jaga_status jaga_key_generate(jaga_ctx *ctx, jaga_key *key, char *text);

/* Splits a key's text into its prefix and the SHA-256 of its secret. JAGA_OK, or
 * JAGA_ERR_INVALID when the text is not shaped like a key. */
jaga_status jaga_key_parse(const char *text, char prefix[JAGA_KEY_PREFIX_LEN + 1],
                           uint8_t secret_hash[32]);

/* Whether a presented secret hash equals the stored one, in constant time. */
int jaga_key_secret_equal(const uint8_t a[32], const uint8_t b[32]);

#ifdef __cplusplus
}
#endif
#endif

/* API keys: generation, parsing, scope checks. */
#include "jaga/auth.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "jaga/digest.h"
#include "jaga/core.h"
#include "core/names.h"

static const char *const role_names[JAGA_ROLE_COUNT] = {"admin",     "platform", "moderator",
                                                        "regulator", "auditor",  "flagger"};

const char *jaga_role_name(jaga_role role)
{
    return (unsigned)role < JAGA_ROLE_COUNT ? role_names[role] : "unknown";
}

jaga_status jaga_role_parse(const char *name, jaga_role *out)
{
    int r = jaga_name_index(role_names, JAGA_ROLE_COUNT, name);
    if (r < 0)
        return JAGA_ERR_INVALID;
    *out = (jaga_role)r;
    return JAGA_OK;
}

jaga_status jaga_key_check(jaga_ctx *ctx, const jaga_key *key)
{
    if ((unsigned)key->role >= JAGA_ROLE_COUNT)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "unknown role");
    const char *j = key->jurisdiction;
    int has_j = j[0] != '\0', has_teams = key->teams[0] != '\0';
    if (key->role == JAGA_ROLE_REGULATOR &&
        (strlen(j) != 2 || !isupper((unsigned char)j[0]) || !isupper((unsigned char)j[1])))
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "a regulator key needs a jurisdiction (ISO country code, e.g. MY)");
    if (key->role == JAGA_ROLE_MODERATOR && !has_teams)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a moderator key needs at least one team");
    if (key->role != JAGA_ROLE_REGULATOR && has_j)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "only regulator keys take a jurisdiction");
    if (key->role != JAGA_ROLE_MODERATOR && has_teams)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "only moderator keys take teams");
    for (const char *t = key->teams; *t; t++)
        if (!isalnum((unsigned char)*t) && *t != '_' && *t != '-' && *t != ',')
            return jaga_fail(ctx, JAGA_ERR_INVALID, "team names are letters, digits, - and _");
    return JAGA_OK;
}

static void sha256(const void *data, size_t len, uint8_t out[32])
{
    unsigned int n = 0;
    EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

jaga_status jaga_key_generate(jaga_ctx *ctx, jaga_key *key, char *text)
{
    uint8_t prefix[JAGA_KEY_PREFIX_LEN / 2], secret[24];
    if (RAND_bytes(prefix, sizeof(prefix)) != 1 || RAND_bytes(secret, sizeof(secret)) != 1)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "key: no randomness available");
    char secret_hex[2 * sizeof(secret) + 1];
    jaga_hex_encode(prefix, sizeof(prefix), key->prefix);
    jaga_hex_encode(secret, sizeof(secret), secret_hex);
    sha256(secret_hex, strlen(secret_hex), key->secret_hash);
    snprintf(text, JAGA_KEY_TEXT_LEN + 1, "jaga_%s_%s", key->prefix, secret_hex);
    OPENSSL_cleanse(secret, sizeof(secret));
    OPENSSL_cleanse(secret_hex, sizeof(secret_hex));
    return JAGA_OK;
}

static int all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
            return 0;
    return 1;
}

jaga_status jaga_key_parse(const char *text, char prefix[JAGA_KEY_PREFIX_LEN + 1],
                           uint8_t secret_hash[32])
{
    const size_t p = 5, s = p + JAGA_KEY_PREFIX_LEN + 1;
    if (!text || strnlen(text, JAGA_KEY_TEXT_LEN + 1) != JAGA_KEY_TEXT_LEN ||
        strncmp(text, "jaga_", 5) != 0 || text[s - 1] != '_' ||
        !all_hex(text + p, JAGA_KEY_PREFIX_LEN) || !all_hex(text + s, 48))
        return JAGA_ERR_INVALID;
    memcpy(prefix, text + p, JAGA_KEY_PREFIX_LEN);
    prefix[JAGA_KEY_PREFIX_LEN] = '\0';
    sha256(text + s, 48, secret_hash);
    return JAGA_OK;
}

int jaga_key_secret_equal(const uint8_t a[32], const uint8_t b[32])
{
    return CRYPTO_memcmp(a, b, 32) == 0;
}

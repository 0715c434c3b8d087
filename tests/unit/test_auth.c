/* API keys: generation, parsing, scopes, storage and revocation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jaga/auth.h"
#include "jaga/store.h"
#include "test_support.h"

static void test_generate_and_parse(void **state)
{
    (void)state;
    jaga_key a = {.role = JAGA_ROLE_PLATFORM}, b = a;
    char ta[JAGA_KEY_TEXT_LEN + 1], tb[JAGA_KEY_TEXT_LEN + 1];
    assert_int_equal(jaga_key_generate(NULL, &a, ta), JAGA_OK);
    assert_int_equal(jaga_key_generate(NULL, &b, tb), JAGA_OK);
    assert_int_equal(strlen(ta), JAGA_KEY_TEXT_LEN);
    assert_string_not_equal(ta, tb);
    char prefix[JAGA_KEY_PREFIX_LEN + 1];
    uint8_t hash[32];
    assert_int_equal(jaga_key_parse(ta, prefix, hash), JAGA_OK);
    assert_string_equal(prefix, a.prefix);
    assert_true(jaga_key_secret_equal(hash, a.secret_hash));
    assert_false(jaga_key_secret_equal(hash, b.secret_hash));
    /* The secret is not derivable from what is stored: the text holds it, the key does not. */
    assert_null(strstr(ta + 18, a.prefix));
    char bad[JAGA_KEY_TEXT_LEN + 2];
    const char *malformed[] = {"", "jaga_", "Bearer x", "jaga_0123456789ab_", NULL};
    for (int i = 0; malformed[i]; i++)
        assert_int_equal(jaga_key_parse(malformed[i], prefix, hash), JAGA_ERR_INVALID);
    strcpy(bad, ta);
    bad[20] = 'G';
    assert_int_equal(jaga_key_parse(bad, prefix, hash), JAGA_ERR_INVALID);
    strcpy(bad, ta);
    strcat(bad, "0");
    assert_int_equal(jaga_key_parse(bad, prefix, hash), JAGA_ERR_INVALID);
    strcpy(bad, ta);
    bad[4] = '-';
    assert_int_equal(jaga_key_parse(bad, prefix, hash), JAGA_ERR_INVALID);
}

static void test_scopes(void **state)
{
    (void)state;
    jaga_key k;
    memset(&k, 0, sizeof(k));
    k.role = JAGA_ROLE_REGULATOR;
    assert_int_equal(jaga_key_check(NULL, &k), JAGA_ERR_INVALID);
    strcpy(k.jurisdiction, "my");
    assert_int_equal(jaga_key_check(NULL, &k), JAGA_ERR_INVALID);
    strcpy(k.jurisdiction, "MY");
    assert_int_equal(jaga_key_check(NULL, &k), JAGA_OK);
    k.role = JAGA_ROLE_PLATFORM;
    assert_int_equal(jaga_key_check(NULL, &k), JAGA_ERR_INVALID);
    k.jurisdiction[0] = '\0';
    assert_int_equal(jaga_key_check(NULL, &k), JAGA_OK);
    k.role = JAGA_ROLE_MODERATOR;
    assert_int_equal(jaga_key_check(NULL, &k), JAGA_ERR_INVALID);
    strcpy(k.teams, "malay,global");
    assert_int_equal(jaga_key_check(NULL, &k), JAGA_OK);
    strcpy(k.teams, "mal ay");
    assert_int_equal(jaga_key_check(NULL, &k), JAGA_ERR_INVALID);
    jaga_role r;
    assert_int_equal(jaga_role_parse("auditor", &r), JAGA_OK);
    assert_int_equal(r, JAGA_ROLE_AUDITOR);
    assert_int_equal(jaga_role_parse("root", &r), JAGA_ERR_INVALID);
}

static void test_stored_and_revoked(void **state)
{
    (void)state;
    char path[] = "/tmp/jaga-test-auth-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    jaga_ctx *ctx;
    jaga_store *store;
    assert_int_equal(jaga_ctx_open(&ctx), JAGA_OK);
    assert_int_equal(jaga_store_open(ctx, path, &store), JAGA_OK);
    jaga_key k;
    memset(&k, 0, sizeof(k));
    k.role = JAGA_ROLE_REGULATOR;
    strcpy(k.jurisdiction, "ID");
    strcpy(k.name, "Komdigi");
    char text[JAGA_KEY_TEXT_LEN + 1];
    assert_int_equal(jaga_key_generate(ctx, &k, text), JAGA_OK);
    assert_int_equal(jaga_store_key_create(store, ctx, &k), JAGA_OK);
    jaga_key got;
    assert_int_equal(jaga_store_key_get(store, ctx, k.prefix, &got), JAGA_OK);
    assert_int_equal(got.role, JAGA_ROLE_REGULATOR);
    assert_string_equal(got.jurisdiction, "ID");
    assert_memory_equal(got.secret_hash, k.secret_hash, 32);
    assert_int_equal(got.revoked_at, 0);
    jaga_key *all;
    size_t n;
    assert_int_equal(jaga_store_key_list(store, ctx, &all, &n), JAGA_OK);
    assert_int_equal(n, 1);
    free(all);
    assert_int_equal(jaga_store_key_revoke(store, ctx, k.prefix), JAGA_OK);
    assert_int_equal(jaga_store_key_revoke(store, ctx, k.prefix), JAGA_ERR_NOT_FOUND);
    assert_int_equal(jaga_store_key_get(store, ctx, k.prefix, &got), JAGA_OK);
    assert_true(got.revoked_at > 0);
    assert_int_equal(jaga_store_key_get(store, ctx, "000000000000", &got), JAGA_ERR_NOT_FOUND);
    k.role = JAGA_ROLE_PLATFORM; /* keeps a jurisdiction: refused */
    assert_int_equal(jaga_store_key_create(store, ctx, &k), JAGA_ERR_INVALID);
    jaga_store_free(store);
    jaga_ctx_free(ctx);
    char side[64];
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_and_parse),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_stored_and_revoked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

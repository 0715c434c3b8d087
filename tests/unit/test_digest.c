/* Digests against the FIPS 180-2 and RFC 1321 test vectors. */
#include <string.h>

#include "jaga/digest.h"
#include "test_support.h"

static void check(const char *text, const char *sha256, const char *md5)
{
    jaga_digests d;
    char hex[65];
    assert_int_equal(jaga_digest_bytes(NULL, text, strlen(text), &d), JAGA_OK);
    jaga_hex_encode(d.sha256, sizeof(d.sha256), hex);
    assert_string_equal(hex, sha256);
    jaga_hex_encode(d.md5, sizeof(d.md5), hex);
    assert_string_equal(hex, md5);
}

static void test_known_vectors(void **state)
{
    (void)state;
    check("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "d41d8cd98f00b204e9800998ecf8427e");
    check("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
          "900150983cd24fb0d6963f7d28e17f72");
    check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
          "8215ef0796a20bcaaae116d3876c664a");
}

static void test_null_with_zero_length(void **state)
{
    (void)state;
    jaga_digests d;
    char hex[33];
    assert_int_equal(jaga_digest_bytes(NULL, NULL, 0, &d), JAGA_OK);
    jaga_hex_encode(d.md5, sizeof(d.md5), hex);
    assert_string_equal(hex, "d41d8cd98f00b204e9800998ecf8427e");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_null_with_zero_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Identifiers and texts from outside: strict UTF-8 (RFC 3629's table of well-formed byte
 * sequences), control and bidirectional formatting characters refused, limits held. */
#include <string.h>

#include "jaga/ident.h"
#include "test_support.h"

static const char *ident(const char *s)
{
    return jaga_ident_problem(s, strlen(s), 16);
}

static void test_well_formed(void **state)
{
    (void)state;
    assert_null(ident("post-1"));
    assert_null(ident("caf\xc3\xa9"));              /* U+00E9 */
    assert_null(ident("\xe0\xa4\x95\xe0\xa4\xbe")); /* Devanagari */
    assert_null(ident("\xf0\x9f\x98\x80"));         /* U+1F600 */
    assert_null(ident("\xf4\x8f\xbf\xbf"));         /* U+10FFFF, the last */
    assert_null(ident("\xef\xbb\xbf"
                      "a"));                /* a BOM is a character */
    assert_null(ident("0123456789abcdef")); /* exactly the limit */
}

static void test_malformed(void **state)
{
    (void)state;
    const char *utf8 = "is not valid UTF-8";
    assert_string_equal(ident("\xff\xfe-q"), utf8);
    assert_string_equal(ident("\xc0\xaf"), utf8);         /* overlong "/" */
    assert_string_equal(ident("\xe0\x80\xaf"), utf8);     /* overlong, three bytes */
    assert_string_equal(ident("\xf0\x80\x80\xaf"), utf8); /* overlong, four bytes */
    assert_string_equal(ident("\xed\xa0\x80"), utf8);     /* a surrogate */
    assert_string_equal(ident("\xf4\x90\x80\x80"), utf8); /* past U+10FFFF */
    assert_string_equal(ident("\xf8\x88\x80\x80\x80"), utf8);
    assert_string_equal(ident("a\xc3"), utf8); /* cut short */
    assert_string_equal(ident("\xe2\x82"), utf8);
    assert_string_equal(ident("\x80"), utf8);     /* a lone continuation */
    assert_string_equal(ident("\xc3\x28"), utf8); /* no continuation */
}

static void test_controls(void **state)
{
    (void)state;
    const char *control = "has a control character";
    assert_string_equal(ident("a\r\nb"), control);
    assert_string_equal(ident("a\tb"), control);
    assert_string_equal(ident("a\x7f"), control);    /* DEL */
    assert_string_equal(ident("\xc2\x85"), control); /* NEL, C1 */
    assert_string_equal(ident("\xc2\x9f"), control); /* the last of C1 */
    assert_string_equal(ident("x\xe2\x80\xae"
                              "gpj"),
                        control);                                    /* RIGHT-TO-LEFT OVERRIDE */
    assert_string_equal(ident("\xe2\x81\xa6"), control);             /* LEFT-TO-RIGHT ISOLATE */
    assert_null(ident("\xc2\xa0"));                                  /* NBSP is no control */
    assert_string_equal(jaga_ident_problem("a\0b", 3, 16), control); /* a NUL inside */
    /* Free text keeps its lines and tabs, and may be empty. */
    assert_null(jaga_text_problem("line 1\r\nline 2\tend", 18, 64));
    assert_null(jaga_text_problem("", 0, 64));
    assert_string_equal(jaga_text_problem("a\x01", 2, 64), control);
    assert_string_equal(jaga_text_problem("\xe2\x80\xae", 3, 64), control);
}

static void test_limits(void **state)
{
    (void)state;
    assert_string_equal(ident(""), "is empty");
    assert_string_equal(jaga_ident_problem(NULL, 0, 16), "is empty");
    assert_string_equal(ident("0123456789abcdefg"), "is over the limit");
    assert_string_equal(jaga_text_problem("abc", 3, 2), "is over the limit");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_well_formed),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_controls),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

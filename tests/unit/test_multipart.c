/* multipart/form-data: well-formed forms, and every kind of malformed one refused with a
 * message. */
#include <stdio.h>
#include <string.h>

#include "multipart.h"
#include "test_support.h"

static const char *const TYPE = "multipart/form-data; boundary=XyZ";

static int parse(const char *type, const char *body, size_t len, multipart_part *parts, char *err)
{
    return multipart_parse(type, body, len, parts, err, 256);
}

static void expect_text(multipart_text t, const char *want)
{
    assert_int_equal(t.len, strlen(want));
    assert_memory_equal(t.p, want, t.len);
}

static void test_form(void **state)
{
    (void)state;
    /* Binary data with CR, LF and a near-boundary inside, a preamble and an epilogue. */
    static const char body[] =
        "preamble\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"content_id\"\r\n"
        "\r\n"
        "post-1\r\n"
        "--XyZ  \r\n"
        "content-disposition: form-data; name=image; filename=\"a b.jpg\"\r\n"
        "Content-Type: image/jpeg\r\n"
        "\r\n"
        "\xff\xd8\r\n--Xy\r\n\x00\xff\xd9\r\n"
        "--XyZ--\r\n"
        "epilogue";
    multipart_part parts[MULTIPART_PARTS_MAX];
    char err[256];
    assert_int_equal(parse(TYPE, body, sizeof(body) - 1, parts, err), 2);
    expect_text(parts[0].name, "content_id");
    expect_text(parts[0].data, "post-1");
    assert_null(parts[0].filename.p);
    expect_text(parts[1].name, "image");
    expect_text(parts[1].filename, "a b.jpg");
    expect_text(parts[1].content_type, "image/jpeg");
    assert_int_equal(parts[1].data.len, 13);
    assert_memory_equal(parts[1].data.p, "\xff\xd8\r\n--Xy\r\n\x00\xff\xd9", 13);
    assert_ptr_equal(multipart_find(parts, 2, "image"), &parts[1]);
    assert_null(multipart_find(parts, 2, "imag"));
    /* A quoted boundary, a body that opens with it, an empty part. */
    static const char quoted[] = "--a:b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n"
                                 "\r\n--a:b--";
    assert_int_equal(parse("Multipart/Form-Data; charset=utf-8; boundary=\"a:b\"", quoted,
                           sizeof(quoted) - 1, parts, err),
                     1);
    assert_int_equal(parts[0].data.len, 0);
    assert_true(multipart_is_form("multipart/form-data"));
    assert_false(multipart_is_form("multipart/form-datax"));
    assert_false(multipart_is_form("image/jpeg"));
    assert_false(multipart_is_form(NULL));
}

static void expect_refused(const char *type, const char *body, const char *says)
{
    multipart_part parts[MULTIPART_PARTS_MAX];
    char err[256] = "";
    assert_int_equal(parse(type, body, strlen(body), parts, err), -1);
    if (!strstr(err, says))
        fail_msg("\"%s\" does not say \"%s\"", err, says);
}

static void test_malformed(void **state)
{
    (void)state;
    const char *part = "--XyZ\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n";
    char body[4096 + 512];
    expect_refused("multipart/form-data", "--XyZ--", "boundary");
    expect_refused("multipart/form-data; boundary=", "----", "boundary");
    expect_refused("multipart/form-data; boundary=\"XyZ", "--XyZ--", "boundary");
    expect_refused("multipart/form-data; boundary="
                   "12345678901234567890123456789012345678901234567890123456789012345678901",
                   "--1--", "boundary");
    expect_refused("text/plain; boundary=XyZ", part, "boundary");
    expect_refused(TYPE, "no boundary here", "no boundary");
    expect_refused(TYPE, "", "no boundary");
    expect_refused(TYPE, "--XyZ", "CRLF");
    expect_refused(TYPE, "--XyZx\r\n", "CRLF");
    expect_refused(TYPE, part, "truncated");
    expect_refused(TYPE, "--XyZ\r\nContent-Disposition: form-data; name=\"x\"\r\n", "headers");
    expect_refused(TYPE, "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--",
                   "Content-Disposition");
    expect_refused(TYPE, "--XyZ\r\n\r\n1\r\n--XyZ--", "Content-Disposition");
    expect_refused(TYPE, "--XyZ\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\n1\r\n--XyZ--",
                   "form-data");
    expect_refused(TYPE, "--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--", "name");
    expect_refused(TYPE, "--XyZ\r\nno colon\r\n\r\n1\r\n--XyZ--", "colon");
    /* Too many parts. */
    body[0] = '\0';
    for (int i = 0; i <= MULTIPART_PARTS_MAX; i++)
        strcat(body, part);
    strcat(body, "--XyZ--");
    expect_refused(TYPE, body, "more than");
    /* A header block over the limit. */
    snprintf(body, sizeof(body),
             "--XyZ\r\nContent-Disposition: form-data; name=\"x\"\r\nX: %0*d\r\n\r\n1\r\n--XyZ--",
             MULTIPART_HEADERS_MAX, 0);
    expect_refused(TYPE, body, "over");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Identifiers and texts from outside: UTF-8 decoded strictly (RFC 3629), control and
 * bidirectional formatting characters refused. */
#include <stdint.h>

#include "jaga/ident.h"

/* The code point at *p (advanced past it), or -1 for a byte sequence that is no UTF-8. */
static int32_t next_code_point(const unsigned char **p, const unsigned char *end)
{
    const unsigned char *s = *p;
    unsigned char b = s[0];
    int n = b < 0x80                 ? 0
            : b >= 0xc2 && b <= 0xdf ? 1
            : b >= 0xe0 && b <= 0xef ? 2
            : b >= 0xf0 && b <= 0xf4 ? 3
                                     : -1;
    if (n < 0 || end - s <= n)
        return -1;
    int32_t cp = n == 0 ? b : b & (0x3f >> n);
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return -1;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    static const int32_t least[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return -1; /* overlong, past Unicode, or a surrogate */
    *p = s + n + 1;
    return cp;
}

static int control(int32_t cp, int text)
{
    if (text && (cp == '\n' || cp == '\r' || cp == '\t'))
        return 0;
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

static const char *problem(const char *text, size_t len, size_t max, int free_text)
{
    if (!text || (!len && !free_text))
        return "is empty";
    if (len > max)
        return "is over the limit";
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    while (p < end) {
        int32_t cp = next_code_point(&p, end);
        if (cp < 0)
            return "is not valid UTF-8";
        if (control(cp, free_text))
            return "has a control character";
    }
    return NULL;
}

const char *jaga_ident_problem(const char *text, size_t len, size_t max)
{
    return problem(text, len, max, 0);
}

const char *jaga_text_problem(const char *text, size_t len, size_t max)
{
    return problem(text, len, max, 1);
}

#include "jaga/core.h"

#include <stdlib.h>
#include <string.h>

enum { DEPTH_MAX = 64 };

typedef struct scan {
    const char *p, *end;
    int line;
} scan;

static void blank(scan *s)
{
    for (; s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r');
         s->p++)
        s->line += *s->p == '\n';
}

/* A string at s->p: its raw contents (escapes left as they are) in [*from, *to). */
static int string(scan *s, const char **from, const char **to)
{
    if (s->p >= s->end || *s->p != '"')
        return -1;
    *from = ++s->p;
    for (; s->p < s->end && *s->p != '"'; s->p++)
        if (*s->p == '\\')
            s->p++;
    if (s->p >= s->end)
        return -1;
    *to = s->p++;
    return 0;
}

static int skip(scan *s, int depth);

/* Walks the members or elements of the container at s->p; fn sees each with its key (or
 * index) and returns 1 to stop there. */
static int members(scan *s, int depth, int (*fn)(void *, scan *, const char *, size_t, size_t),
                   void *arg)
{
    char close = *s->p == '{' ? '}' : ']';
    int object = close == '}';
    s->p++;
    for (size_t i = 0;; i++) {
        blank(s);
        if (s->p < s->end && *s->p == close) {
            s->p++;
            return 0;
        }
        const char *k = NULL, *kend = NULL;
        if (object) {
            if (string(s, &k, &kend) != 0)
                return -1;
            blank(s);
            if (s->p >= s->end || *s->p++ != ':')
                return -1;
            blank(s);
        }
        int stop = fn(arg, s, k, k ? (size_t)(kend - k) : 0, i);
        if (stop)
            return stop;
        if (skip(s, depth + 1) != 0)
            return -1;
        blank(s);
        if (s->p < s->end && *s->p == ',')
            s->p++;
    }
}

static int ignore(void *arg, scan *s, const char *k, size_t klen, size_t i)
{
    (void)arg, (void)s, (void)k, (void)klen, (void)i;
    return 0;
}

static int skip(scan *s, int depth)
{
    if (depth > DEPTH_MAX || s->p >= s->end)
        return -1;
    if (*s->p == '{' || *s->p == '[')
        return members(s, depth, ignore, NULL) < 0 ? -1 : 0;
    if (*s->p == '"') {
        const char *a, *b;
        return string(s, &a, &b);
    }
    while (s->p < s->end && !strchr(",}] \t\r\n", *s->p))
        s->p++;
    return 0;
}

typedef struct target {
    const char *seg;
    size_t seglen;
} target;

static int wanted(void *arg, scan *s, const char *k, size_t klen, size_t i)
{
    (void)s;
    const target *t = arg;
    if (k)
        return klen == t->seglen && memcmp(k, t->seg, klen) == 0;
    char index[24];
    size_t n = t->seglen < sizeof(index) ? t->seglen : sizeof(index) - 1;
    memcpy(index, t->seg, n);
    index[n] = '\0';
    return strspn(index, "0123456789") == n && n > 0 && strtoull(index, NULL, 10) == i;
}

int jaga_json_line(const char *text, size_t len, const char *path)
{
    scan s = {text, text + len, 1};
    blank(&s);
    for (int depth = 0; *path && depth < DEPTH_MAX; depth++) {
        if (s.p >= s.end || (*s.p != '{' && *s.p != '['))
            return s.line;
        int line = s.line;
        const char *slash = strchr(path, '/');
        target t = {path, slash ? (size_t)(slash - path) : strlen(path)};
        int found = members(&s, depth, wanted, &t);
        if (found < 0)
            return 0;
        if (!found)
            return line; /* no such member: the container's line */
        path = slash ? slash + 1 : "";
    }
    return s.p <= s.end ? s.line : 0;
}

/* Times as text: Unix seconds, a date (YYYY-MM-DD, midnight UTC) or a UTC time
 * (YYYY-MM-DDTHH:MM:SSZ), from the command line and from outside exchanges' records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jaga/core.h"

int jaga_time_parse(const char *text, int64_t *out)
{
    char *end = NULL;
    if (text[0] >= '0' && text[0] <= '9' && !strchr(text, '-')) {
        long long v = strtoll(text, &end, 10);
        if (*end || v < 0)
            return -1;
        *out = v;
        return 0;
    }
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    int used = 0, more = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3)
        return -1;
    if (text[used] == 'T' &&
        sscanf(text + used, "T%2d:%2d:%2dZ%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &more) == 3)
        used += more;
    if (text[used] || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = (int64_t)timegm(&tm);
    return 0;
}

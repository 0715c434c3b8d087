/* Country lookups in a MaxMind DB. */
#include "jaga/geo.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <maxminddb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jaga/core.h"

struct jaga_geo {
    MMDB_s db;
};

jaga_status jaga_geo_open(jaga_ctx *ctx, const char *path, jaga_geo **out)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return jaga_fail(ctx, JAGA_ERR_IO, "geo: %s: %s", path, strerror(errno));
    if ((long long)sb.st_size > JAGA_GEO_BYTES_MAX)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "geo: %s is over %lld bytes", path,
                         JAGA_GEO_BYTES_MAX);
    jaga_geo *g = calloc(1, sizeof(*g));
    if (!g)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "geo: no memory");
    int rc = MMDB_open(path, MMDB_MODE_MMAP, &g->db);
    if (rc != MMDB_SUCCESS) {
        free(g);
        return jaga_fail(ctx, rc == MMDB_FILE_OPEN_ERROR ? JAGA_ERR_IO : JAGA_ERR_DECODE,
                         "geo: %s: %s", path, MMDB_strerror(rc));
    }
    *out = g;
    return JAGA_OK;
}

void jaga_geo_free(jaga_geo *g)
{
    if (!g)
        return;
    MMDB_close(&g->db);
    free(g);
}

/* Whether text is an IPv4 or IPv6 address in numeric form (no names are ever resolved). */
static int numeric_ip(const char *text)
{
    unsigned char buf[16];
    return strlen(text) < 64 &&
           (inet_pton(AF_INET, text, buf) == 1 || inet_pton(AF_INET6, text, buf) == 1);
}

jaga_status jaga_geo_country(jaga_geo *g, const char *ip, char cc[3])
{
    cc[0] = '\0';
    if (!numeric_ip(ip))
        return JAGA_ERR_INVALID;
    int gai = 0, err = 0;
    MMDB_lookup_result_s r = MMDB_lookup_string(&g->db, ip, &gai, &err);
    if (gai != 0)
        return JAGA_ERR_INVALID;
    if (err != MMDB_SUCCESS || !r.found_entry)
        return JAGA_ERR_NOT_FOUND;
    MMDB_entry_data_s v;
    if ((MMDB_get_value(&r.entry, &v, "country_code", NULL) != MMDB_SUCCESS || !v.has_data) &&
        (MMDB_get_value(&r.entry, &v, "country", "iso_code", NULL) != MMDB_SUCCESS || !v.has_data))
        return JAGA_ERR_NOT_FOUND;
    if (v.type != MMDB_DATA_TYPE_UTF8_STRING || v.data_size != 2 ||
        !isupper((unsigned char)v.utf8_string[0]) || !isupper((unsigned char)v.utf8_string[1]))
        return JAGA_ERR_NOT_FOUND;
    cc[0] = v.utf8_string[0], cc[1] = v.utf8_string[1], cc[2] = '\0';
    if (!jaga_country_known(cc)) {
        cc[0] = '\0';
        return JAGA_ERR_NOT_FOUND;
    }
    return JAGA_OK;
}

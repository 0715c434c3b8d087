/*
 * Viewer countries from IP addresses: a MaxMind DB (libmaxminddb) of countries, such as the
 * ip-location-db country database the setup fetches, or GeoLite2/GeoIP2 Country dropped in
 * its place. Records are read from "country_code" (ip-location-db) or "country.iso_code"
 * (MaxMind's layout).
 *
 * Thread safety: lookups from any number of threads on one open database.
 */
#ifndef JAGA_GEO_H
#define JAGA_GEO_H

#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_geo jaga_geo;

/* Opens (maps) the database at path, at most JAGA_GEO_BYTES_MAX bytes. JAGA_ERR_IO when it
 * cannot be read, JAGA_ERR_LIMIT when larger, JAGA_ERR_DECODE when it is not a MaxMind DB.
 * Free with jaga_geo_free(). */
#define JAGA_GEO_BYTES_MAX ((long long)1 << 30)
jaga_status jaga_geo_open(jaga_ctx *ctx, const char *path, jaga_geo **out);

void jaga_geo_free(jaga_geo *geo);

/* The country of an IPv4 or IPv6 address (text) into cc: JAGA_OK; JAGA_ERR_NOT_FOUND when
 * the database holds no country for it (callers fall back to the default jurisdiction);
 * JAGA_ERR_INVALID when the text is not an IP address. A record with a code that is not an
 * assigned country (regional codes such as EU) counts as no country. */
jaga_status jaga_geo_country(jaga_geo *geo, const char *ip, char cc[3]);

/* Whether cc is an assigned ISO 3166-1 alpha-2 code (or XK, Kosovo). */
int jaga_country_known(const char *cc);

#ifdef __cplusplus
}
#endif
#endif

/* The JSON body of POST /v1/keys. */
#ifndef JAGA_SERVER_KEY_REQUEST_H
#define JAGA_SERVER_KEY_REQUEST_H

#include <stddef.h>

#include "jaga/auth.h"

#define KEY_BODY_MAX 4096

/* {"role", "jurisdiction", "teams": [...], "name"} (role required, nothing else) into a fresh
 * k; NULL, or what is wrong. The scope itself is checked by jaga_key_check. */
const char *key_request_parse(const char *text, size_t len, jaga_key *k);

#endif

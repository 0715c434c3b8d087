/* Matches as the API shows them, for answers that embed them (lookups, streams). */
#include "http.h"

json_t *matches_to_json(server_state *s, jaga_store *db, const jaga_match *m, size_t n)
{
    char *text = jaga_scan_matches_text(s->matcher, db, m, n, NULL, 0);
    json_t *out = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return out;
}

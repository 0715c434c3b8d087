/* Matches as the API shows them: bank name and the entry's labels, read from the store. */
#include "http.h"

json_t *matches_to_json(server_state *s, jaga_store *db, const jaga_match *m, size_t n)
{
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        jaga_bank b;
        if (jaga_matcher_bank(s->matcher, m[i].bank_id, &b) != JAGA_OK)
            b.name[0] = '\0';
        jaga_entry e;
        if (jaga_store_entry_get(db, NULL, m[i].entry_id, &e) != JAGA_OK)
            e.labels[0] = '\0';
        json_array_append_new(out,
                              json_pack("{s:s,s:s,s:i,s:I,s:s}", "bank", b.name, "signal_type",
                                        jaga_signal_type_name(m[i].type), "distance", m[i].distance,
                                        "entry_id", (json_int_t)m[i].entry_id, "labels", e.labels));
    }
    return out;
}

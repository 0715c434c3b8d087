/* Internal: what the audit files share. */
#ifndef JAGA_AUDIT_INTERNAL_H
#define JAGA_AUDIT_INTERNAL_H

#include "jaga/audit.h"

/* Signs h (size, root, signed_at filled) in place. */
jaga_status jaga__audit_head_sign(const jaga_audit_key *key, jaga_ctx *ctx, jaga_tree_head *h);

#endif

/* Internal: the name tables of enums (signal types, roles, formats). */
#ifndef JAGA_CORE_NAMES_H
#define JAGA_CORE_NAMES_H

/* The index of name in names[0..n-1], or -1 (also for a NULL name). */
int jaga_name_index(const char *const *names, int n, const char *name);

#endif

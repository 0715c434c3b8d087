/* jaga audit watch: an auditor's watch over a server's audit log. */
#ifndef JAGA_CLI_AUDIT_WATCH_H
#define JAGA_CLI_AUDIT_WATCH_H

#include <stddef.h>
#include <stdint.h>

/* argv[0] is "watch". */
int audit_watch(int argc, char **argv);

#endif

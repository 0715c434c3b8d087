/* jaga audit watch: an auditor's watch over a server's audit log. */
#ifndef JAGA_CLI_AUDIT_WATCH_H
#define JAGA_CLI_AUDIT_WATCH_H

#include <stddef.h>
#include <stdint.h>

/* argv[0] is "watch". */
int audit_watch(int argc, char **argv);

/* n bytes from 2n hex digits: 0, or -1 when text is not that. */
int cli_parse_hex(const char *text, uint8_t *out, size_t n);

#endif

/* jaga distance: the Hamming distance between two PDQ hashes. */
#include <stdio.h>

#include "cli.h"
#include "jaga/pdq.h"

int cmd_distance(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: jaga distance HASH HASH\n"
              "Prints the Hamming distance (0..256) between two 64-hex-digit PDQ hashes.\n",
              stderr);
        return CLI_USAGE;
    }
    jaga_pdq_hash a, b;
    for (int i = 1; i <= 2; i++)
        if (jaga_pdq_from_hex(argv[i], i == 1 ? &a : &b) != JAGA_OK) {
            fprintf(stderr, "jaga distance: '%s' is not a PDQ hash (64 hex digits)\n", argv[i]);
            return CLI_USAGE;
        }
    printf("%d\n", jaga_pdq_distance(&a, &b));
    return CLI_OK;
}

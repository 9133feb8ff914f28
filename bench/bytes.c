/*
 * bytes.c - where the bytes of a dataset's engine go, structure by structure: the table of
 * bench/README.md. The one bench program that reads the engine's insides (through the debug
 * header the tests use); the figures are what authz_get_stats().bytes counts.
 *   usage: authz_bytes [A|M|L ...]   (default: M)
 */
#include <stdio.h>
#include <string.h>

#include "access/authz_debug.h"
#include "datasets.h"

int main(int argc, char **argv) {
    const char *names = argc > 1 ? NULL : "M";
    for (int i = 1; names || i < argc; i++) {
        char name = names ? names[0] : argv[i][0];
        bench_shape s = bench_shape_of(name);
        authz_engine *e;
        if (bench_build(&s, &e) != 0) {
            fprintf(stderr, "building %c failed\n", name);
            return 1;
        }
        printf("%c:\n\n", name);
        authz__bytes_report(e, stdout);
        printf("\n");
        authz_engine_free(e);
        if (names) break;
    }
    return 0;
}

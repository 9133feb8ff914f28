/*
 * save.c - `authz save`: a model (JSON Lines of writes, or a snapshot) into a snapshot file.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: authz save --load MODEL SNAPSHOT\n"
    "\n"
    "Builds the model in MODEL (JSON Lines of write requests, or a snapshot) and writes it\n"
    "to SNAPSHOT atomically (temporary file, fsync, rename, directory fsync).\n";

int cli_save(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) return fputs(help, stdout), CLI_OK;
    if (argc != 4 || strcmp(argv[1], "--load") != 0) {
        fprintf(stderr, "authz save: need --load MODEL SNAPSHOT\n\n%s", help);
        return CLI_USAGE;
    }
    authz_engine *e = cli_load_model(argv[2]);
    if (!e) return CLI_INPUT;
    authz_error err = {0};
    authz_status st = authz_save(e, argv[3], &err);
    authz_engine_free(e);
    if (st) {
        fprintf(stderr, "authz save: %s\n", err.message);
        return CLI_INPUT;
    }
    return CLI_OK;
}

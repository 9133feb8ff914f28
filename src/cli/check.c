/*
 * check.c - `authz check`: one permission check for shell scripts and health checks.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: authz check --load MODEL [--namespace NS] USER RESOURCE ACTION\n"
    "\n"
    "Prints \"allowed\" or \"denied\" for USER doing ACTION on RESOURCE (a resource code,\n"
    "code:id, code:* or *) in namespace NS (default: default). MODEL is a snapshot or JSON\n"
    "Lines of write requests.\n"
    "\n"
    "exit status: 0 allowed, 1 denied, 2 misuse or a bad question (unknown namespace,\n"
    "malformed resource), which is explained on standard error\n";

int cli_check(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) return fputs(help, stdout), CLI_OK;
    const char *load = NULL, *ns = NULL, *pos[3];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--load") && i + 1 < argc) {
            load = argv[++i];
        } else if (!strcmp(argv[i], "--namespace") && i + 1 < argc) {
            ns = argv[++i];
        } else if (argv[i][0] != '-' && npos < 3) {
            pos[npos++] = argv[i];
        } else {
            fprintf(stderr, "authz check: unexpected argument %s\n\n%s", argv[i], help);
            return CLI_USAGE;
        }
    }
    if (!load || npos != 3) {
        fprintf(stderr, "authz check: need --load MODEL and USER RESOURCE ACTION\n\n%s", help);
        return CLI_USAGE;
    }
    authz_engine *e = cli_load_model(load);
    if (!e) return CLI_USAGE;
    bool allowed = false;
    authz_error err = {0};
    authz_status st = authz_check(e, ns, pos[0], pos[1], pos[2], &allowed, &err);
    authz_engine_free(e);
    if (st) {
        fprintf(stderr, "authz check: %s\n", err.message);
        return CLI_USAGE;
    }
    puts(allowed ? "allowed" : "denied");
    return allowed ? CLI_OK : CLI_INPUT;
}

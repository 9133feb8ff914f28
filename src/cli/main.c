/*
 * main.c - `authz`: dispatches to a subcommand. Every subcommand answers --help.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: authz <command> [options]\n"
    "\n"
    "authz is an in-memory authorization engine speaking GenAuth's V3 permission API.\n"
    "\n"
    "commands:\n"
    "  exec   run JSON Lines requests ({\"method\": ..., \"params\": {...}}) and print one\n"
    "         GenAuth envelope per line\n"
    "  check  answer one permission check against a model: prints allowed or denied\n"
    "  save   write a model (JSON Lines of writes, or a snapshot) to a snapshot file\n"
    "  serve  serve GenAuth's V3 HTTP API on loopback\n"
    "  methods  list the JSON and HTTP methods (--markdown: the docs/api.md reference)\n"
    "\n"
    "`authz <command> --help` describes each one. `authz --version` prints the version.\n";

int cli_wants_help(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(usage, stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("authz %s\n", authz_version());
        return CLI_OK;
    }
    if (!strcmp(cmd, "exec")) return cli_exec(argc - 1, argv + 1);
    if (!strcmp(cmd, "check")) return cli_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "save")) return cli_save(argc - 1, argv + 1);
    if (!strcmp(cmd, "serve")) return cli_serve(argc - 1, argv + 1);
    if (!strcmp(cmd, "methods")) return cli_methods(argc - 1, argv + 1);
    fprintf(stderr, "authz: unknown command \"%s\"\n\n%s", cmd, usage);
    return CLI_USAGE;
}

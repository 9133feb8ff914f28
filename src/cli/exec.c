/*
 * exec.c - `authz exec`: JSON Lines requests in, one GenAuth envelope per line out.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: authz exec [--load MODEL] [--save SNAPSHOT] [--lang zh-CN] [FILE ...]\n"
    "\n"
    "Reads JSON Lines requests from each FILE (standard input when none), one per line:\n"
    "  {\"method\": \"is_action_allowed\", \"params\": {\"userId\": \"u1\", ...}, \"id\": 7}\n"
    "and prints one GenAuth envelope per request, with \"id\" echoed when given:\n"
    "  {\"id\":7,\"statusCode\":200,\"message\":\"\",\"requestId\":\"...\",\"data\":{...}}\n"
    "Methods are GenAuth's (Python SDK names): create_namespace, authorize_resources,\n"
    "is_action_allowed, list_roles, ... A failed request is an answer, not an exit.\n"
    "\n"
    "  --load MODEL     start from MODEL: a snapshot, or JSON Lines of writes\n"
    "  --save SNAPSHOT  write the resulting engine to SNAPSHOT at the end\n"
    "  --lang zh-CN     GenAuth's Chinese error messages\n"
    "\n"
    "exit status: 0, also when requests fail; 1 if input cannot be read; 2 on misuse\n";

typedef struct exec_opts {
    const char *load, *save;
    authz_lang lang;
    int first_file;
} exec_opts;

static int parse(int argc, char **argv, exec_opts *o) {
    *o = (exec_opts){NULL, NULL, AUTHZ_LANG_EN, argc};
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        const char **slot = !strcmp(argv[i], "--load")   ? &o->load
                            : !strcmp(argv[i], "--save") ? &o->save
                                                         : NULL;
        if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
            o->lang = authz_lang_parse(argv[++i]);
        } else if (slot && i + 1 < argc) {
            *slot = argv[++i];
        } else {
            fprintf(stderr, "authz exec: unknown or incomplete option %s\n\n%s", argv[i], help);
            return CLI_USAGE;
        }
    }
    o->first_file = i;
    return CLI_OK;
}

static int run_file(authz_engine *e, const char *path, authz_lang lang) {
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    const char *name = f == stdin ? "stdin" : path;
    if (!f) {
        perror(path);
        return CLI_INPUT;
    }
    long rc = cli_run_lines(e, f, name, stdout, lang, 0);
    if (f != stdin) fclose(f);
    if (rc < 0) {
        fprintf(stderr, "authz exec: cannot read %s\n", path);
        return CLI_INPUT;
    }
    return CLI_OK;
}

int cli_exec(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) return fputs(help, stdout), CLI_OK;
    exec_opts o;
    int rc = parse(argc, argv, &o);
    if (rc) return rc;
    authz_engine *e = cli_load_model(o.load);
    if (!e) return CLI_INPUT;
    if (o.first_file == argc) rc = run_file(e, "-", o.lang);
    for (int i = o.first_file; i < argc && !rc; i++) rc = run_file(e, argv[i], o.lang);
    authz_error err = {0};
    if (!rc && o.save && authz_save(e, o.save, &err) != AUTHZ_OK) {
        fprintf(stderr, "authz exec: %s\n", err.message);
        rc = CLI_INPUT;
    }
    authz_engine_free(e);
    return rc;
}

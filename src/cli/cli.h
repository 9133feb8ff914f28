/*
 * cli.h - the `authz` command: one function per subcommand, and what they share.
 */
#ifndef AUTHZ_CLI_H
#define AUTHZ_CLI_H

#include <stdio.h>

#include "authz.h"
#include "authz_json.h"

/* Exit statuses: 0 success (or `check` allowed), 1 input unreadable (or `check` denied), 2
 * misuse. */
enum { CLI_OK = 0, CLI_INPUT = 1, CLI_USAGE = 2 };

int cli_exec(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_save(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_methods(int argc, char **argv);

/*
 * Builds an engine from FILE: a snapshot (by its magic), or JSON Lines of requests whose every
 * write must succeed. NULL path: an empty engine. On failure prints why and returns NULL.
 */
authz_engine *cli_load_model(const char *path);

/*
 * Runs JSON Lines from `in`: each line {"method", "params", "id"?} gets one envelope line on
 * `out` (NULL: no output). A line that is not JSON gets a 400 envelope naming its number.
 * Returns the number of requests that failed, or -1 if `in` could not be read. `name` is used
 * in messages; `lang` selects the language of messages; `failures_only` prints only the
 * envelopes of failed requests.
 */
long cli_run_lines(authz_engine *e, FILE *in, const char *name, FILE *out, authz_lang lang,
                   int failures_only);

/* True if argv[i] asks for help. */
int cli_wants_help(int argc, char **argv);

#endif

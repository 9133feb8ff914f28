/*
 * lines.c - JSON Lines in, GenAuth envelopes out: the engine of `authz exec` and of loading a
 * model written as requests. A failed request is an answer, not an exit.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Prints the envelope with the request's "id" echoed as its first member. */
static void print_envelope(FILE *out, const char *env, json_t *id) {
    if (!out) return;
    char *id_text = id ? json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    if (id_text)
        fprintf(out, "{\"id\":%s,%s\n", id_text, env + 1);
    else
        fprintf(out, "%s\n", env);
    free(id_text);
}

static int error_line(authz_engine *e, FILE *out, json_t *id, int status, const char *msg) {
    char *env;
    if (authz_json_error_envelope(e, status, status * 100, msg, &env) != AUTHZ_OK) return -1;
    print_envelope(out, env, id);
    authz_free(env);
    return 1;
}

/* One line: 0 if its request succeeded, 1 if it failed, -1 if out of memory. */
static int run_line(authz_engine *e, const char *line, size_t len, long lineno, const char *name,
                    FILE *out, authz_lang lang, int failures_only) {
    json_error_t je;
    json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
    char msg[300];
    if (!req) {
        /* At end of input jansson reports column 0; the byte count is the column there. */
        snprintf(msg, sizeof msg, "%s line %ld: malformed JSON at column %d: %s", name, lineno,
                 je.column > 0 ? je.column : je.position, je.text);
        return error_line(e, out, NULL, 400, msg);
    }
    json_t *id = json_object_get(req, "id"), *method = json_object_get(req, "method");
    json_t *params = json_object_get(req, "params");
    int rc;
    if (!json_is_object(req) || !json_is_string(method) || (params && !json_is_object(params))) {
        snprintf(msg, sizeof msg,
                 "%s line %ld: expected {\"method\": \"...\", \"params\": {...}, \"id\": ...}",
                 name, lineno);
        rc = error_line(e, out, json_is_object(req) ? id : NULL, 400, msg);
    } else {
        char *text = params ? json_dumps(params, JSON_COMPACT) : NULL;
        char *env = NULL;
        int code = 0;
        authz_status st = authz_call_json_ex(e, json_string_value(method), text ? text : "{}",
                                             strlen(text ? text : "{}"), lang, 0, &env, &code);
        free(text);
        rc = st ? -1 : code != 200;
        if (!st && (rc || !failures_only)) print_envelope(out, env, id);
        authz_free(env);
    }
    json_decref(req);
    return rc;
}

static int blank(const char *s) {
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return 0;
    return 1;
}

long cli_run_lines(authz_engine *e, FILE *in, const char *name, FILE *out, authz_lang lang,
                   int failures_only) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0, failed = 0;
    while ((n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        if (blank(line)) continue;
        int rc = run_line(e, line, (size_t)n, lineno, name, out, lang, failures_only);
        if (rc < 0) {
            fprintf(stderr, "authz: out of memory at %s line %ld\n", name, lineno);
            failed = -1;
            break;
        }
        failed += rc;
        if (out) fflush(out);
    }
    free(line);
    return ferror(in) ? -1 : failed;
}

/*
 * load.c - reading a model for `check`, `exec --load` and `save`: a snapshot file (recognised
 * by its magic) or JSON Lines of write requests, every one of which must succeed.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int is_snapshot(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char magic[8] = {0};
    size_t n = fread(magic, 1, sizeof magic, f);
    fclose(f);
    return n == 8 && memcmp(magic, "AUTHZSNP", 8) == 0;
}

static authz_engine *load_lines(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return NULL;
    }
    authz_engine *e;
    if (authz_engine_new(NULL, &e) != AUTHZ_OK) {
        fclose(f);
        fputs("authz: out of memory\n", stderr);
        return NULL;
    }
    /* The failing requests' envelopes say what went wrong; show them. */
    long failed = cli_run_lines(e, f, path, NULL, AUTHZ_LANG_EN, 1);
    if (failed != 0) {
        rewind(f);
        authz_engine_free(e);
        if (failed > 0 && authz_engine_new(NULL, &e) == AUTHZ_OK) {
            fprintf(stderr, "authz: %s: %ld request(s) failed:\n", path, failed);
            cli_run_lines(e, f, path, stderr, AUTHZ_LANG_EN, 1);
            authz_engine_free(e);
        } else if (failed < 0) {
            fprintf(stderr, "authz: cannot read %s\n", path);
        }
        fclose(f);
        return NULL;
    }
    fclose(f);
    return e;
}

authz_engine *cli_load_model(const char *path) {
    authz_engine *e = NULL;
    if (!path) {
        if (authz_engine_new(NULL, &e) != AUTHZ_OK) fputs("authz: out of memory\n", stderr);
        return e;
    }
    if (!is_snapshot(path)) return load_lines(path);
    authz_error err = {0};
    if (authz_load(path, NULL, &e, &err) != AUTHZ_OK) {
        fprintf(stderr, "authz: %s\n", err.message);
        return NULL;
    }
    return e;
}

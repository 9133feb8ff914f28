/*
 * fuzz_forward_route.c - the route index and the path rules: every line but the last is the
 * apiIdentifier of a new API resource (some created, updated and deleted again), the last line
 * a request path. Nothing may crash; the index must pass the invariant checker; an accepted
 * path answers the same with one trailing slash added; a refused path is refused for every
 * method; a match names a resource the namespace holds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "access/authz_debug.h"
#include "authz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 4096) return 0;
    char *text = malloc(size + 2);
    memcpy(text, data, size);
    text[size] = '\0';
    authz_engine *e;
    if (authz_engine_new(NULL, &e) != AUTHZ_OK) abort();
    char *lines[64];
    size_t n = 0;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l && n < 64;
         l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    for (size_t i = 0; i + 1 < n; i++) {
        char code[16];
        snprintf(code, sizeof code, "r%zu", i);
        authz_resource_spec s = {code, AUTHZ_RESOURCE_API, NULL, NULL, lines[i], NULL, 0};
        authz_resource_create(e, NULL, &s, NULL, NULL);
        if (i % 3 == 2) { /* move an earlier one onto this template, and drop another */
            char prev[16];
            snprintf(prev, sizeof prev, "r%zu", i - 2);
            authz_resource_patch p = {.code = prev, .api_identifier = lines[i]};
            authz_resource_update(e, NULL, &p, NULL, NULL);
            snprintf(prev, sizeof prev, "r%zu", i - 1);
            authz_resource_delete(e, NULL, prev, NULL);
        }
    }
    char why[128];
    if (!authz__check_invariants(e, why, sizeof why)) abort();
    const char *path = n ? lines[n - 1] : "";
    authz_route_answer a, b;
    authz_status st = authz_route_match(e, NULL, "GET", path, &a, NULL);
    if (st != AUTHZ_OK && st != AUTHZ_EINVAL) abort();
    if (st == AUTHZ_OK && a.matched) {
        char code[AUTHZ_ROUTE_RESOURCE_MAX];
        snprintf(code, sizeof code, "%s", a.resource);
        char *colon = strchr(code, ':');
        if (colon) *colon = '\0';
        authz_resource *r = NULL;
        if (authz_resource_get(e, NULL, code, &r, NULL) != AUTHZ_OK) abort();
        authz_free(r);
    }
    size_t len = strlen(path);
    if (st == AUTHZ_OK && len > 1 && path[len - 1] != '/' && !strpbrk(path, "?#") && len < 4000) {
        char *slash = malloc(len + 2);
        memcpy(slash, path, len);
        memcpy(slash + len, "/", 2);
        if (authz_route_match(e, NULL, "get", slash, &b, NULL) != AUTHZ_OK) abort();
        if (a.matched != b.matched || strcmp(a.resource, b.resource) != 0) abort();
        free(slash);
    }
    if (st == AUTHZ_EINVAL && authz_route_match(e, NULL, "POST", path, &b, NULL) != AUTHZ_EINVAL)
        abort();
    authz_engine_free(e);
    free(text);
    return 0;
}

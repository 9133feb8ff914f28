/*
 * fuzz_forward.c - hostile forward-auth requests: the first line is the URI suffix after
 * /authz/forward (Envoy's form), each further line a "Name: value" header (any convention,
 * duplicates, a bearer token checked against a JWKS-less and a JWKS-holding endpoint). The
 * decision must be one of 200/400/401/403, and a 200 for a matched route always names the user
 * and the resource.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forward/forward.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static authz_engine *eng;
static authz_forward *plain, *scoped;

static void init(void) {
    authz_engine_new(NULL, &eng);
    authz_action_spec acts[] = {{"GET", NULL}};
    authz_resource_spec rs[] = {{"orders", AUTHZ_RESOURCE_API, NULL, NULL, "/orders/{id}", acts, 1},
                                {"all", AUTHZ_RESOURCE_API, NULL, NULL, "/a/*", NULL, 0},
                                {"root", AUTHZ_RESOURCE_API, NULL, NULL, "/", NULL, 0}};
    authz_resource_create_batch(eng, NULL, rs, 3, NULL);
    const char *get[] = {"GET"};
    authz_grant_resource g = {"*", get, 1, AUTHZ_RESOURCE_API};
    authz_grant_item item = {AUTHZ_TARGET_USER, (const char *[]){"alice"}, 1, &g, 1};
    authz_authorize(eng, NULL, &item, 1, NULL);
    char why[256];
    authz_forward_config cfg = {0};
    plain = authz_forward_new(&cfg, eng, NULL, NULL, why, sizeof why);
    authz_forward_config c2 = {.allow_ns_header = true, .unmatched_allow = true, .secret = "s"};
    scoped = authz_forward_new(&c2, eng, NULL, NULL, why, sizeof why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!eng) init();
    if (size > 8192) return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    authz_fwd_header h[32];
    size_t n = 0;
    char *save = NULL, *suffix = strtok_r(text, "\n", &save);
    for (char *l; n < 32 && (l = strtok_r(NULL, "\n", &save));) {
        char *colon = strchr(l, ':');
        if (!colon) continue;
        *colon = '\0';
        h[n++] = (authz_fwd_header){l, colon[1] == ' ' ? colon + 2 : colon + 1};
    }
    for (int k = 0; k < 2; k++) {
        authz_fwd_request rq = {h, n, "GET", suffix ? suffix : "", k == 1};
        authz_fwd_answer a;
        authz_forward_decide(k ? scoped : plain, &rq, &a);
        if (a.status != 200 && a.status != 400 && a.status != 401 && a.status != 403) abort();
        if (a.status == 200 && a.resource[0] && !a.user[0]) abort();
        if (strlen(a.body) < 20) abort();
    }
    free(text);
    return 0;
}

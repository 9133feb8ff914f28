/*
 * fuzz_http_auth.c - hostile requests into signature and token verification. The input's
 * lines are: method, path, authorization, date, nonce, signature method, signature version,
 * then x-authing header lines "name:value", and last a JSON fields object. Verification must
 * answer (accept or an apiCode 1300-1306) and never crash; a request that is not signed with
 * the secret must never be accepted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static authz_auth *auth;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!auth) auth = authz_auth_new("fuzz-key", "fuzz-secret", 0);
    if (size > 4096) return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *lines[24] = {0};
    size_t n = 0;
    for (char *p = text; p && n < 24;) {
        lines[n++] = p;
        p = strchr(p, '\n');
        if (p) *p++ = '\0';
    }
    const char *names[8], *values[8];
    size_t nx = 0;
    for (size_t i = 7; i + 1 < n && nx < 8; i++) {
        char *colon = strchr(lines[i], ':');
        if (!colon) continue;
        *colon = '\0';
        names[nx] = lines[i], values[nx++] = colon + 1;
    }
    json_t *fields = n > 7 ? json_loads(lines[n - 1], 0, NULL) : NULL;
    auth_request q = {lines[0] ? lines[0] : "GET",
                      lines[1] ? lines[1] : "/",
                      lines[2],
                      lines[3],
                      lines[4],
                      lines[5],
                      lines[6],
                      names,
                      values,
                      nx,
                      fields};
    auth_result r;
    bool ok = authz_auth_check(auth, &q, 1795000000000, &r);
    /* Accepting needs a valid HMAC over the secret, which random bytes do not have. */
    if (ok && q.authorization && !strncmp(q.authorization, "authing ", 8)) abort();
    if (!ok && (r.api_code < 1300 || r.api_code > 1306)) abort();
    json_t *tok = authz_auth_token(auth, lines[2], lines[3], 1795000000000, &r);
    json_decref(tok);
    json_decref(fields);
    free(text);
    return 0;
}

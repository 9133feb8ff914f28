/*
 * auth.h - the two authentication schemes GenAuth's SDKs use (wire spec §1.2 and §1.3):
 * AK/SK request signing (Node and Java SDKs) and a management token (Python SDK).
 * Failures carry GenAuth's apiCodes 1300-1306 with statusCode 401.
 */
#ifndef AUTHZ_HTTP_AUTH_H
#define AUTHZ_HTTP_AUTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct authz_auth authz_auth;

/* The request as the signature sees it. */
typedef struct auth_request {
    const char *method;        /* "GET" / "POST" */
    const char *path;          /* "/api/v3/create-role" */
    const char *authorization; /* header, may be NULL */
    const char *date, *nonce, *sig_method, *sig_version;
    const char *const *x_names; /* every x-authing-* header, lower case, and its value */
    const char *const *x_values;
    size_t x_count;
    json_t *fields; /* the query object (GET) or the JSON body (POST); may be NULL */
} auth_request;

typedef struct auth_result {
    int api_code; /* 0 when accepted */
    char message[160];
} auth_result;

authz_auth *authz_auth_new(const char *key_id, const char *secret, int64_t max_skew_ms);
void authz_auth_free(authz_auth *a);
/* Verifies a signed or Bearer request; fills `r`. Returns true when accepted. */
bool authz_auth_check(authz_auth *a, const auth_request *req, int64_t now_ms, auth_result *r);
/* The GET query fields authing-node-sdk 4.0.1 types as arrays at `path` (NULL-terminated; NULL
 * for a path with none): an empty one is signed as "k=[]" but sent as nothing (query.c). */
const char *const *authz__http_get_list_keys(const char *path);
/* get-management-token: a token for the right key pair, as GenAuth's data object. */
json_t *authz_auth_token(authz_auth *a, const char *key_id, const char *secret, int64_t now_ms,
                         auth_result *r);

#endif

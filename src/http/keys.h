/*
 * keys.h - the server's access keys with scopes: the key pair of --access-key-id/-secret (or
 * the environment) is `admin`; `--keys FILE` adds a JSON list of
 * {"accessKeyId", "accessKeySecret", "scope": "admin"|"read"}. Each key is checked by its own
 * authz_auth (auth.c: signatures, nonces, management tokens); a `read` key may call checks and
 * reads, and the server refuses its writes.
 */
#ifndef AUTHZ_HTTP_KEYS_H
#define AUTHZ_HTTP_KEYS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth.h"

typedef enum authz_scope { AUTHZ_SCOPE_ADMIN, AUTHZ_SCOPE_READ } authz_scope;

typedef struct authz_keys authz_keys;

/* key_id/secret: the admin pair (NULL or "" for none); file: the --keys file (NULL for none).
 * NULL with `why` on a bad file, no key at all, or allocation failure. */
authz_keys *authz_keys_new(const char *key_id, const char *secret, const char *file,
                           int64_t max_skew_ms, char *why, size_t why_size);
void authz_keys_free(authz_keys *k);
size_t authz_keys_count(const authz_keys *k);
/* Authenticates with whichever key the request names; `*scope` is that key's. */
bool authz_keys_check(authz_keys *k, const auth_request *q, int64_t now_ms, auth_result *r,
                      authz_scope *scope);
/* get-management-token for the key pair given. */
json_t *authz_keys_token(authz_keys *k, const char *key_id, const char *secret, int64_t now_ms,
                         auth_result *r);

#endif

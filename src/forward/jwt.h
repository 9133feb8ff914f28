/*
 * jwt.h - offline verification of bearer JWTs against a JWKS file (as GenAuth's OIDC publishes
 * it at /oidc/.well-known/jwks.json): RS256 (kty RSA) and ES256 (kty EC, crv P-256), signatures
 * by libcrypto. The header's `alg` must be RS256 or ES256 and fit the key (`none`, HS256 and
 * anything else are refused); `kid` picks the key (it may be left out only when the set holds one
 * key of that type). `exp` is required and must be in the future, `nbf` (if present) not, `iss`
 * and `aud` (a string or an array with a match) must equal what was configured, and `sub` is the
 * user. A verifier is immutable after loading and may be used by many threads at once.
 */
#ifndef AUTHZ_FORWARD_JWT_H
#define AUTHZ_FORWARD_JWT_H

#include <stddef.h>
#include <stdint.h>

typedef struct authz_jwks authz_jwks;

/* Loads the JWKS JSON text (`{"keys":[...]}`). NULL with `why` filled when it holds no usable
 * key or is malformed. */
authz_jwks *authz_jwks_parse(const char *text, size_t len, char *why, size_t why_size);
authz_jwks *authz_jwks_load(const char *path, char *why, size_t why_size);
void authz_jwks_free(authz_jwks *k);
size_t authz_jwks_count(const authz_jwks *k);

/* Verifies `token` at `now` (seconds). issuer/audience NULL: not checked. On success returns 0
 * and copies `sub` into user (NUL-terminated, user_size >= 129); else -1 with a short reason. */
int authz_jwt_verify(const authz_jwks *k, const char *token, int64_t now, const char *issuer,
                     const char *audience, char *user, size_t user_size, const char **why);

#endif

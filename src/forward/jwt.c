/*
 * jwt.c - JWKS loading and JWT verification (see jwt.h). Keys are built from their JWK
 * parameters with OpenSSL 3's EVP_PKEY_fromdata; signatures are checked with EVP_DigestVerify
 * (ES256's raw r||s is turned into the DER ECDSA-Sig-Value libcrypto expects).
 */
#include "forward/jwt.h"

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ALG_RS256 = 1, ALG_ES256 = 2 };

typedef struct jwk {
    char kid[128];
    int alg; /* which alg the key serves (from kty/crv) */
    EVP_PKEY *pkey;
} jwk;

struct authz_jwks {
    jwk *keys;
    size_t n;
};

/* base64url without padding (padding tolerated). Returns the decoded length or -1. */
static long b64url_decode(const char *s, size_t n, unsigned char *out, size_t cap) {
    uint32_t acc = 0;
    int bits = 0;
    size_t w = 0;
    while (n && s[n - 1] == '=') n--;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i], v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '-')
            v = 62;
        else if (c == '_')
            v = 63;
        else
            return -1;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (w == cap) return -1;
            out[w++] = (unsigned char)(acc >> bits);
        }
    }
    if (bits >= 6) return -1; /* a lone trailing character */
    return (long)w;
}

static long b64_field(json_t *o, const char *name, unsigned char *out, size_t cap) {
    const char *s = json_string_value(json_object_get(o, name));
    return s ? b64url_decode(s, strlen(s), out, cap) : -1;
}

static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *b) {
    OSSL_PARAM *params = b ? OSSL_PARAM_BLD_to_param(b) : NULL;
    EVP_PKEY_CTX *ctx = params ? EVP_PKEY_CTX_new_from_name(NULL, type, NULL) : NULL;
    EVP_PKEY *pkey = NULL;
    if (ctx && EVP_PKEY_fromdata_init(ctx) == 1)
        if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

static EVP_PKEY *rsa_key(json_t *o) {
    unsigned char n[1024], e[16];
    long nl = b64_field(o, "n", n, sizeof n), el = b64_field(o, "e", e, sizeof e);
    if (nl < 256 || el < 1) return NULL; /* RSA keys below 2048 bits are refused */
    BIGNUM *bn = BN_bin2bn(n, (int)nl, NULL), *be = BN_bin2bn(e, (int)el, NULL);
    OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
    EVP_PKEY *k = NULL;
    if (bn && be && b && OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, bn) &&
        OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, be))
        k = from_params("RSA", b);
    OSSL_PARAM_BLD_free(b);
    BN_free(bn);
    BN_free(be);
    return k;
}

static EVP_PKEY *ec_key(json_t *o) {
    const char *crv = json_string_value(json_object_get(o, "crv"));
    unsigned char pt[65];
    if (!crv || strcmp(crv, "P-256") != 0) return NULL;
    pt[0] = 4;
    if (b64_field(o, "x", pt + 1, 32) != 32 || b64_field(o, "y", pt + 33, 32) != 32) return NULL;
    OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
    EVP_PKEY *k = NULL;
    if (b && OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
        OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof pt))
        k = from_params("EC", b);
    OSSL_PARAM_BLD_free(b);
    return k;
}

authz_jwks *authz_jwks_parse(const char *text, size_t len, char *why, size_t why_size) {
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    json_t *keys = json_object_get(root, "keys");
    if (!json_is_array(keys)) {
        snprintf(why, why_size, "not a JWKS (an object with a \"keys\" array)");
        json_decref(root);
        return NULL;
    }
    authz_jwks *k = calloc(1, sizeof *k);
    if (k) k->keys = calloc(json_array_size(keys) + 1, sizeof *k->keys);
    if (!k || !k->keys) {
        snprintf(why, why_size, "out of memory");
        authz_jwks_free(k);
        json_decref(root);
        return NULL;
    }
    size_t i;
    json_t *o;
    json_array_foreach(keys, i, o) {
        const char *kty = json_string_value(json_object_get(o, "kty"));
        const char *use = json_string_value(json_object_get(o, "use"));
        const char *alg = json_string_value(json_object_get(o, "alg"));
        const char *kid = json_string_value(json_object_get(o, "kid"));
        if (!kty || (use && strcmp(use, "sig") != 0)) continue;
        jwk *j = &k->keys[k->n];
        if (!strcmp(kty, "RSA") && (!alg || !strcmp(alg, "RS256"))) {
            j->alg = ALG_RS256;
            j->pkey = rsa_key(o);
        } else if (!strcmp(kty, "EC") && (!alg || !strcmp(alg, "ES256"))) {
            j->alg = ALG_ES256;
            j->pkey = ec_key(o);
        }
        if (!j->pkey) continue; /* a key of another kind, or a malformed one */
        snprintf(j->kid, sizeof j->kid, "%s", kid ? kid : "");
        k->n++;
    }
    json_decref(root);
    if (k->n == 0) {
        snprintf(why, why_size, "the JWKS holds no usable RS256 or ES256 signing key");
        authz_jwks_free(k);
        return NULL;
    }
    return k;
}

authz_jwks *authz_jwks_load(const char *path, char *why, size_t why_size) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, why_size, "cannot open %s", path);
        return NULL;
    }
    char *buf = malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, 1 << 20, f) : 0;
    fclose(f);
    authz_jwks *k = buf ? authz_jwks_parse(buf, n, why, why_size) : NULL;
    if (!buf) snprintf(why, why_size, "out of memory");
    free(buf);
    return k;
}

void authz_jwks_free(authz_jwks *k) {
    if (!k) return;
    for (size_t i = 0; i < k->n; i++) EVP_PKEY_free(k->keys[i].pkey);
    free(k->keys);
    free(k);
}

size_t authz_jwks_count(const authz_jwks *k) { return k ? k->n : 0; }

/* ---- verification ---- */

static int fail(const char **why, const char *reason) {
    *why = reason;
    return -1;
}

static const jwk *pick_key(const authz_jwks *k, int alg, const char *kid) {
    const jwk *only = NULL;
    size_t of_alg = 0;
    for (size_t i = 0; i < k->n; i++) {
        if (k->keys[i].alg != alg) continue;
        if (kid && !strcmp(k->keys[i].kid, kid)) return &k->keys[i];
        of_alg++;
        only = &k->keys[i];
    }
    return !kid && of_alg == 1 ? only : NULL;
}

static bool verify_sig(const jwk *key, const char *signed_part, size_t signed_len,
                       const unsigned char *sig, size_t sig_len) {
    unsigned char der[80];
    const unsigned char *s = sig;
    size_t slen = sig_len;
    if (key->alg == ALG_ES256) {
        if (sig_len != 64) return false;
        ECDSA_SIG *es = ECDSA_SIG_new();
        BIGNUM *r = BN_bin2bn(sig, 32, NULL), *ss = BN_bin2bn(sig + 32, 32, NULL);
        if (!es || !r || !ss || ECDSA_SIG_set0(es, r, ss) != 1) {
            BN_free(r);
            BN_free(ss);
            ECDSA_SIG_free(es);
            return false;
        }
        unsigned char *p = der;
        int n = i2d_ECDSA_SIG(es, NULL) <= (int)sizeof der ? i2d_ECDSA_SIG(es, &p) : -1;
        ECDSA_SIG_free(es);
        if (n <= 0) return false;
        s = der;
        slen = (size_t)n;
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    bool ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key->pkey) == 1 &&
              EVP_DigestVerify(md, s, slen, (const unsigned char *)signed_part, signed_len) == 1;
    EVP_MD_CTX_free(md);
    return ok;
}

static bool aud_matches(json_t *aud, const char *want) {
    if (json_is_string(aud)) return !strcmp(json_string_value(aud), want);
    size_t i;
    json_t *v;
    json_array_foreach(aud, i,
                       v) if (json_is_string(v) && !strcmp(json_string_value(v), want)) return true;
    return false;
}

static json_t *decode_json(const char *s, size_t n) {
    unsigned char buf[8192];
    long len = b64url_decode(s, n, buf, sizeof buf);
    return len < 0 ? NULL : json_loadb((const char *)buf, (size_t)len, 0, NULL);
}

static int check_claims(json_t *p, int64_t now, const char *issuer, const char *audience,
                        char *user, size_t user_size, const char **why) {
    json_t *exp = json_object_get(p, "exp"), *nbf = json_object_get(p, "nbf");
    if (!json_is_number(exp)) return fail(why, "the token has no exp claim");
    if (json_number_value(exp) <= (double)now) return fail(why, "the token has expired");
    if (nbf && !json_is_number(nbf)) return fail(why, "the token's nbf is not a number");
    if (nbf && json_number_value(nbf) > (double)now) return fail(why, "the token is not yet valid");
    const char *iss = json_string_value(json_object_get(p, "iss"));
    if (issuer && (!iss || strcmp(iss, issuer) != 0)) return fail(why, "wrong issuer");
    if (audience && !aud_matches(json_object_get(p, "aud"), audience))
        return fail(why, "wrong audience");
    const char *sub = json_string_value(json_object_get(p, "sub"));
    size_t n = sub ? strlen(sub) : 0;
    if (n == 0 || n > 128 || n >= user_size) return fail(why, "the token has no usable sub claim");
    memcpy(user, sub, n + 1);
    return 0;
}

int authz_jwt_verify(const authz_jwks *k, const char *token, int64_t now, const char *issuer,
                     const char *audience, char *user, size_t user_size, const char **why) {
    size_t len = token ? strlen(token) : 0;
    if (len == 0 || len > 16384) return fail(why, "no token, or a token over 16 KiB");
    const char *d1 = memchr(token, '.', len);
    const char *d2 = d1 ? memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - token)) : NULL;
    if (!d2 || memchr(d2 + 1, '.', len - (size_t)(d2 + 1 - token)))
        return fail(why, "malformed token");
    json_t *h = decode_json(token, (size_t)(d1 - token));
    const char *alg_s = json_string_value(json_object_get(h, "alg"));
    const char *kid = json_string_value(json_object_get(h, "kid"));
    int alg = !alg_s                    ? 0
              : !strcmp(alg_s, "RS256") ? ALG_RS256
              : !strcmp(alg_s, "ES256") ? ALG_ES256
                                        : 0;
    const jwk *key = alg ? pick_key(k, alg, kid) : NULL;
    json_decref(h);
    if (!alg) return fail(why, "unsupported alg (RS256 and ES256 are accepted)");
    if (!key) return fail(why, "no key for the token's kid");
    unsigned char sig[1024];
    long sl = b64url_decode(d2 + 1, len - (size_t)(d2 + 1 - token), sig, sizeof sig);
    if (sl <= 0 || !verify_sig(key, token, (size_t)(d2 - token), sig, (size_t)sl))
        return fail(why, "bad signature");
    json_t *p = decode_json(d1 + 1, (size_t)(d2 - d1 - 1));
    if (!json_is_object(p)) {
        json_decref(p);
        return fail(why, "malformed payload");
    }
    int rc = check_claims(p, now, issuer, audience, user, user_size, why);
    json_decref(p);
    return rc;
}

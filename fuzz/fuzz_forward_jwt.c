/*
 * fuzz_forward_jwt.c - hostile bearer tokens and JWKS files. The first byte picks the mode:
 * even, the rest is a token verified against a JWKS of an RSA and a P-256 key made at start
 * (with issuer and audience set, and without); odd, the rest is a JWKS text to load. Nothing may
 * crash, and no token the harness did not sign may pass.
 */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forward/jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static authz_jwks *jwks;

static void b64url(const unsigned char *in, size_t n, char *out) {
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t w = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n) v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n) v |= in[i + 2];
        out[w++] = al[(v >> 18) & 63];
        out[w++] = al[(v >> 12) & 63];
        if (i + 1 < n) out[w++] = al[(v >> 6) & 63];
        if (i + 2 < n) out[w++] = al[v & 63];
    }
    out[w] = '\0';
}

static void field(EVP_PKEY *k, const char *name, char *out, int pad) {
    BIGNUM *bn = NULL;
    unsigned char buf[512];
    EVP_PKEY_get_bn_param(k, name, &bn);
    int n = pad ? BN_bn2binpad(bn, buf, pad) : BN_bn2bin(bn, buf);
    b64url(buf, (size_t)n, out);
    BN_free(bn);
}

static void init(void) {
    EVP_PKEY *rsa = EVP_RSA_gen(2048), *ec = EVP_EC_gen("P-256");
    char n[400], e[16], x[64], y[64], text[1200];
    field(rsa, OSSL_PKEY_PARAM_RSA_N, n, 0);
    field(rsa, OSSL_PKEY_PARAM_RSA_E, e, 0);
    field(ec, OSSL_PKEY_PARAM_EC_PUB_X, x, 32);
    field(ec, OSSL_PKEY_PARAM_EC_PUB_Y, y, 32);
    snprintf(text, sizeof text,
             "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"r\",\"n\":\"%s\",\"e\":\"%s\"},"
             "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"e\",\"x\":\"%s\",\"y\":\"%s\"}]}",
             n, e, x, y);
    char why[200];
    jwks = authz_jwks_parse(text, strlen(text), why, sizeof why);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(ec);
    if (!jwks) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!jwks) init();
    if (size < 1 || size > 20000) return 0;
    char *s = malloc(size);
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    if (data[0] % 2 == 0) {
        char user[160];
        const char *why;
        /* The keys are made afresh at every start and never sign anything here. */
        if (authz_jwt_verify(jwks, s, 1700000000, NULL, NULL, user, sizeof user, &why) == 0)
            abort();
        if (authz_jwt_verify(jwks, s, 1700000000, "iss", "aud", user, sizeof user, &why) == 0)
            abort();
    } else {
        char why[200];
        authz_jwks_free(authz_jwks_parse(s, size - 1, why, sizeof why));
    }
    free(s);
    return 0;
}

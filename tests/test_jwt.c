/*
 * test_jwt.c - offline JWT verification against a JWKS (src/forward/jwt.c). Keys are made here
 * with libcrypto (an RSA-2048 and a P-256 key, nothing checked in), published as a JWKS the way
 * GenAuth's OIDC does, and tokens are signed here: good RS256 and ES256 tokens pass; expired,
 * not yet valid, wrong signature, wrong or unknown alg (HS256 with the public key as the secret,
 * `none`), unknown kid, a kid of the other key type, wrong issuer or audience (string and
 * array), and missing exp or sub are refused.
 */
#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>
#include <time.h>

#include "forward/jwt.h"
#include "unit_helpers.h"

static EVP_PKEY *rsa, *ec;
static authz_jwks *jwks;
static int64_t now;

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

static void bn_field(const EVP_PKEY *k, const char *name, char *out, size_t pad) {
    BIGNUM *bn = NULL;
    assert_int_equal(1, EVP_PKEY_get_bn_param(k, name, &bn));
    unsigned char buf[512];
    int n = pad ? BN_bn2binpad(bn, buf, (int)pad) : BN_bn2bin(bn, buf);
    b64url(buf, (size_t)n, out);
    BN_free(bn);
}

static char *make_jwks(void) {
    char n[400], e[16], x[64], y[64];
    bn_field(rsa, OSSL_PKEY_PARAM_RSA_N, n, 0);
    bn_field(rsa, OSSL_PKEY_PARAM_RSA_E, e, 0);
    bn_field(ec, OSSL_PKEY_PARAM_EC_PUB_X, x, 32);
    bn_field(ec, OSSL_PKEY_PARAM_EC_PUB_Y, y, 32);
    json_t *j = json_pack("{s:[{s:s,s:s,s:s,s:s,s:s,s:s},{s:s,s:s,s:s,s:s,s:s,s:s},{s:s,s:s,s:s}]}",
                          "keys", "kty", "RSA", "kid", "rsa1", "use", "sig", "alg", "RS256", "n", n,
                          "e", e, "kty", "EC", "kid", "ec1", "crv", "P-256", "alg", "ES256", "x", x,
                          "y", y, "kty", "oct", "kid", "hmac", "k", "c2VjcmV0");
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

static int setup(void **state) {
    (void)state;
    rsa = EVP_RSA_gen(2048);
    ec = EVP_EC_gen("P-256");
    assert_non_null(rsa);
    assert_non_null(ec);
    char *text = make_jwks();
    char why[200];
    jwks = authz_jwks_parse(text, strlen(text), why, sizeof why);
    free(text);
    assert_non_null(jwks);
    assert_int_equal(2, authz_jwks_count(jwks)); /* the oct key is not a signing key we take */
    now = (int64_t)time(NULL);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    authz_jwks_free(jwks);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(ec);
    return 0;
}

/* A token: header and payload JSON as given, signed with `alg` ("RS256", "ES256", "HS256" with
 * `hmac_key`, "none"). */
static char *token_with(const char *header, const char *payload, const char *alg,
                        const char *hmac_key) {
    static char tok[8192];
    char h[1024], p[2048], sig[1024] = "";
    b64url((const unsigned char *)header, strlen(header), h);
    b64url((const unsigned char *)payload, strlen(payload), p);
    char signing[4096];
    snprintf(signing, sizeof signing, "%s.%s", h, p);
    unsigned char raw[1024];
    size_t rl = sizeof raw;
    if (!strcmp(alg, "RS256") || !strcmp(alg, "ES256")) {
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        assert_int_equal(
            1, EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, !strcmp(alg, "RS256") ? rsa : ec));
        assert_int_equal(
            1, EVP_DigestSign(md, raw, &rl, (const unsigned char *)signing, strlen(signing)));
        EVP_MD_CTX_free(md);
        if (!strcmp(alg, "ES256")) { /* DER to the JWS r||s form */
            const unsigned char *d = raw;
            ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &d, (long)rl);
            assert_non_null(es);
            BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32);
            BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32);
            ECDSA_SIG_free(es);
            rl = 64;
        }
        b64url(raw, rl, sig);
    } else if (!strcmp(alg, "HS256")) {
        unsigned int hl = 0;
        HMAC(EVP_sha256(), hmac_key, (int)strlen(hmac_key), (const unsigned char *)signing,
             strlen(signing), raw, &hl);
        b64url(raw, hl, sig);
    }
    snprintf(tok, sizeof tok, "%s.%s", signing, sig);
    return tok;
}

static char *claims(const char *extra) {
    static char p[1024];
    snprintf(p, sizeof p, "{\"sub\":\"alice\",\"exp\":%lld%s}", (long long)now + 600, extra);
    return p;
}

static const char *verify(const char *tok, const char *iss, const char *aud) {
    static char user[160];
    const char *why = NULL;
    user[0] = '\0';
    if (authz_jwt_verify(jwks, tok, now, iss, aud, user, sizeof user, &why) != 0) return why;
    return user;
}

#define RS_H "{\"alg\":\"RS256\",\"kid\":\"rsa1\",\"typ\":\"JWT\"}"
#define ES_H "{\"alg\":\"ES256\",\"kid\":\"ec1\"}"

static void test_good_tokens(void **state) {
    (void)state;
    assert_string_equal("alice", verify(token_with(RS_H, claims(""), "RS256", NULL), NULL, NULL));
    assert_string_equal("alice", verify(token_with(ES_H, claims(""), "ES256", NULL), NULL, NULL));
    /* No kid: fine while the set has one key of that type. */
    assert_string_equal(
        "alice", verify(token_with("{\"alg\":\"ES256\"}", claims(""), "ES256", NULL), NULL, NULL));
    char nbf[64];
    snprintf(nbf, sizeof nbf, ",\"nbf\":%lld", (long long)now - 5);
    assert_string_equal("alice", verify(token_with(RS_H, claims(nbf), "RS256", NULL), NULL, NULL));
}

static void test_time(void **state) {
    (void)state;
    char p[256];
    snprintf(p, sizeof p, "{\"sub\":\"alice\",\"exp\":%lld}", (long long)now - 1);
    assert_string_equal("the token has expired",
                        verify(token_with(RS_H, p, "RS256", NULL), NULL, NULL));
    snprintf(p, sizeof p, ",\"nbf\":%lld", (long long)now + 60);
    assert_string_equal("the token is not yet valid",
                        verify(token_with(ES_H, claims(p), "ES256", NULL), NULL, NULL));
    assert_string_equal("the token has no exp claim",
                        verify(token_with(RS_H, "{\"sub\":\"alice\"}", "RS256", NULL), NULL, NULL));
    snprintf(p, sizeof p, "{\"exp\":%lld}", (long long)now + 60);
    assert_string_equal("the token has no usable sub claim",
                        verify(token_with(RS_H, p, "RS256", NULL), NULL, NULL));
}

static void test_signatures_and_algs(void **state) {
    (void)state;
    char *t = token_with(RS_H, claims(""), "RS256", NULL);
    size_t n = strlen(t);
    t[n - 3] = t[n - 3] == 'A' ? 'B' : 'A';
    assert_string_equal("bad signature", verify(t, NULL, NULL));
    t = token_with(ES_H, claims(""), "ES256", NULL);
    n = strlen(t);
    t[n - 5] = t[n - 5] == 'A' ? 'B' : 'A';
    assert_string_equal("bad signature", verify(t, NULL, NULL));
    /* The payload changed after signing. */
    char good[8192], forged[8192];
    snprintf(good, sizeof good, "%s", token_with(RS_H, claims(""), "RS256", NULL));
    char *sig = strrchr(good, '.');
    char *other = token_with(RS_H, "{\"sub\":\"mallory\",\"exp\":9999999999}", "none", NULL);
    other[strlen(other) - 1] = '\0'; /* drop the trailing '.' */
    snprintf(forged, sizeof forged, "%s%s", other, sig);
    assert_string_equal("bad signature", verify(forged, NULL, NULL));
    /* Algorithm confusion: HS256 keyed with the public key's text. */
    assert_string_equal(
        "unsupported alg (RS256 and ES256 are accepted)",
        verify(token_with("{\"alg\":\"HS256\",\"kid\":\"rsa1\"}", claims(""), "HS256", "c2VjcmV0"),
               NULL, NULL));
    assert_string_equal(
        "unsupported alg (RS256 and ES256 are accepted)",
        verify(token_with("{\"alg\":\"none\"}", claims(""), "none", NULL), NULL, NULL));
    assert_string_equal(
        "no key for the token's kid",
        verify(token_with("{\"alg\":\"RS256\",\"kid\":\"other\"}", claims(""), "RS256", NULL), NULL,
               NULL));
    /* The kid of the EC key with alg RS256: the key does not serve that alg. */
    assert_string_equal(
        "no key for the token's kid",
        verify(token_with("{\"alg\":\"RS256\",\"kid\":\"ec1\"}", claims(""), "RS256", NULL), NULL,
               NULL));
    /* An ES256 signature under an RS256 header. */
    char es[8192];
    snprintf(es, sizeof es, "%s", token_with(ES_H, claims(""), "ES256", NULL));
    char *rs = token_with(RS_H, claims(""), "RS256", NULL);
    char mixed[8192];
    snprintf(mixed, sizeof mixed, "%.*s%s", (int)(strrchr(rs, '.') - rs), rs, strrchr(es, '.'));
    assert_string_equal("bad signature", verify(mixed, NULL, NULL));
    assert_string_equal("malformed token", verify("abc.def", NULL, NULL));
    assert_string_equal("malformed token", verify("a.b.c.d", NULL, NULL));
    assert_string_equal("no token, or a token over 16 KiB", verify("", NULL, NULL));
}

static void test_issuer_audience(void **state) {
    (void)state;
    const char *iss = "https://example.genauth.ai/oidc";
    char p[256];
    snprintf(p, sizeof p, ",\"iss\":\"%s\",\"aud\":\"app1\"", iss);
    char *t = token_with(RS_H, claims(p), "RS256", NULL);
    assert_string_equal("alice", verify(t, iss, "app1"));
    assert_string_equal("wrong issuer", verify(t, "https://other/oidc", "app1"));
    assert_string_equal("wrong audience", verify(t, iss, "app2"));
    snprintf(p, sizeof p, ",\"iss\":\"%s\",\"aud\":[\"app0\",\"app1\"]", iss);
    t = token_with(ES_H, claims(p), "ES256", NULL);
    assert_string_equal("alice", verify(t, iss, "app1"));
    assert_string_equal("wrong audience", verify(t, iss, "app2"));
    t = token_with(ES_H, claims(""), "ES256", NULL);
    assert_string_equal("wrong issuer", verify(t, iss, NULL));
    assert_string_equal("wrong audience", verify(t, NULL, "app1"));
}

static void test_bad_jwks(void **state) {
    (void)state;
    char why[200];
    assert_null(authz_jwks_parse("{}", 2, why, sizeof why));
    assert_null(authz_jwks_parse("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}", 48,
                                 why, sizeof why)); /* a toy RSA key is refused */
    assert_null(authz_jwks_parse("not json", 8, why, sizeof why));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_tokens),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_signatures_and_algs),
        cmocka_unit_test(test_issuer_audience),
        cmocka_unit_test(test_bad_jwks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

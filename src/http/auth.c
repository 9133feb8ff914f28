/*
 * auth.c - request authentication (see auth.h).
 *
 * Signatures are rebuilt exactly as authing-node-sdk builds them (src/utils/buildSignature.ts):
 * METHOD, then every x-authing-* header and date sorted by name as "name:value\n" (tabs and
 * newlines made spaces, trimmed), then the path and, when the request has fields, "?" and the
 * fields sorted by key as key=value (objects and arrays as JSON.stringify writes them, numbers
 * as JavaScript prints them; see signature_matches_any for what the wire loses). HMAC-SHA1 with the
 * secret, base64. Crypto and randomness come from libcrypto; comparisons are constant-time.
 */
#define _DEFAULT_SOURCE   /* timegm */
#define _XOPEN_SOURCE 700 /* strptime */
#include "auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NONCES 65536 /* the replay cache: the most recent nonces, bounded */

struct authz_auth {
    char *key_id, *secret;
    int64_t max_skew_ms;
    unsigned char token_key[32];
    pthread_mutex_t lock;
    char (*nonces)[40]; /* a ring: the NONCES most recent nonces */
    uint32_t *chain;    /* chain[i]: the next ring slot in slot i's bucket, or NONE */
    uint32_t *buckets;  /* hash -> first ring slot, or NONE */
    size_t next;
};

#define NONE UINT32_MAX

static bool fail(auth_result *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(auth_result *r, int code, const char *fmt, ...) {
    r->api_code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
    return false;
}

authz_auth *authz_auth_new(const char *key_id, const char *secret, int64_t max_skew_ms) {
    authz_auth *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->key_id = strdup(key_id ? key_id : "");
    a->secret = strdup(secret ? secret : "");
    a->nonces = calloc(NONCES, sizeof *a->nonces);
    a->chain = malloc(NONCES * sizeof *a->chain);
    a->buckets = malloc(NONCES * sizeof *a->buckets);
    a->max_skew_ms = max_skew_ms ? max_skew_ms : 15 * 60 * 1000;
    if (!a->key_id || !a->secret || !a->nonces || !a->chain || !a->buckets ||
        RAND_bytes(a->token_key, sizeof a->token_key) != 1) {
        authz_auth_free(a);
        return NULL;
    }
    memset(a->chain, 0xff, NONCES * sizeof *a->chain);
    memset(a->buckets, 0xff, NONCES * sizeof *a->buckets);
    pthread_mutex_init(&a->lock, NULL);
    return a;
}

void authz_auth_free(authz_auth *a) {
    if (!a) return;
    free(a->key_id);
    free(a->secret);
    free(a->nonces);
    free(a->chain);
    free(a->buckets);
    free(a);
}

/* ---- building the string to sign ---- */

typedef struct buf {
    char *p;
    size_t n, cap;
    bool oom;
} buf;

static void put(buf *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 512) + n;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p, b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

/* A header value as the SDK writes it: \t\n\r\f become spaces, then trimmed. */
static void put_header_value(buf *b, const char *v) {
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r' || *v == '\f') v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n' || v[n - 1] == '\r' ||
                 v[n - 1] == '\f'))
        n--;
    for (size_t i = 0; i < n; i++) {
        char c = v[i] == '\t' || v[i] == '\n' || v[i] == '\r' || v[i] == '\f' ? ' ' : v[i];
        put(b, &c, 1);
    }
}

static int cmp_str(const void *x, const void *y) {
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void put_headers(buf *b, const auth_request *q) {
    const char **names = malloc((q->x_count + 1) * sizeof *names);
    if (!names) {
        b->oom = true;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < q->x_count; i++) names[n++] = q->x_names[i];
    if (q->date) names[n++] = "date";
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        const char *v = q->date;
        for (size_t k = 0; k < q->x_count; k++)
            if (!strcmp(q->x_names[k], names[i])) v = q->x_values[k];
        puts_(b, names[i]);
        puts_(b, ":");
        put_header_value(b, v);
        puts_(b, "\n");
    }
    free(names);
}

/* A double as JavaScript's Number.prototype.toString writes it (ECMA-262 Number::toString):
 * the shortest digits that read back as the same double, plain notation for exponents -7 < n <= 21,
 * else d.ddde+n. Used for reals because JSON.stringify writes 0.1 where "%.17g" writes
 * 0.10000000000000001. */
static void put_js_number(buf *b, double d) {
    if (d != d || d - d != 0) return puts_(b, "null"); /* NaN, Infinity: JSON.stringify's null */
    if (d == 0) return puts_(b, "0");                  /* -0 too */
    char e[40];
    for (int p = 0; p < 17; p++) {
        snprintf(e, sizeof e, "%.*e", p, d);
        if (strtod(e, NULL) == d) break;
    }
    const char *s = e;
    if (*s == '-') puts_(b, "-"), s++;
    char digits[24];
    size_t k = 0;
    for (; *s && *s != 'e'; s++)
        if (*s != '.') digits[k++] = *s;
    while (k > 1 && digits[k - 1] == '0') k--;
    digits[k] = '\0';
    long n = strtol(s + 1, NULL, 10) + 1; /* the decimal point sits after n digits */
    if ((long)k <= n && n <= 21) {
        puts_(b, digits);
        for (long i = (long)k; i < n; i++) puts_(b, "0");
    } else if (0 < n && n <= 21) {
        put(b, digits, (size_t)n);
        puts_(b, ".");
        puts_(b, digits + n);
    } else if (-6 < n && n <= 0) {
        puts_(b, "0.");
        for (long i = n; i < 0; i++) puts_(b, "0");
        puts_(b, digits);
    } else {
        put(b, digits, 1);
        if (k > 1) puts_(b, "."), puts_(b, digits + 1);
        char x[32];
        snprintf(x, sizeof x, "e%c%ld", n - 1 < 0 ? '-' : '+', n - 1 < 0 ? 1 - n : n - 1);
        puts_(b, x);
    }
}

/* A string as JSON.stringify quotes it: \" \\ \b \f \n \r \t, other controls as lower-case
 * \u00xx (jansson writes upper case), everything else (UTF-8, '/', U+2028) as it is. */
static void put_js_string(buf *b, const char *s, size_t n) {
    puts_(b, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\b' ? "\\b"
                          : c == '\f' ? "\\f"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t"
                                      : NULL;
        char u[8];
        if (!esc && c < 0x20) snprintf(u, sizeof u, "\\u%04x", c), esc = u;
        if (esc)
            puts_(b, esc);
        else
            put(b, s + i, 1);
    }
    puts_(b, "\"");
}

/* JSON.stringify(v), compact, keys in the order the body had them (jansson keeps it). */
static void put_js_json(buf *b, json_t *v, int depth) {
    char num[32];
    if (depth > 64) { /* deeper than any request the front door accepts */
        b->oom = true;
        return;
    }
    switch (json_typeof(v)) {
        case JSON_STRING:
            return put_js_string(b, json_string_value(v), json_string_length(v));
        case JSON_INTEGER:
            snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            return puts_(b, num);
        case JSON_REAL:
            return put_js_number(b, json_real_value(v));
        case JSON_TRUE:
            return puts_(b, "true");
        case JSON_FALSE:
            return puts_(b, "false");
        case JSON_NULL:
            return puts_(b, "null");
        case JSON_ARRAY: {
            size_t i;
            json_t *x;
            puts_(b, "[");
            json_array_foreach(v, i, x) {
                if (i) puts_(b, ",");
                put_js_json(b, x, depth + 1);
            }
            return puts_(b, "]");
        }
        case JSON_OBJECT: {
            const char *key;
            json_t *x;
            bool first = true;
            puts_(b, "{");
            json_object_foreach(v, key, x) {
                if (!first) puts_(b, ",");
                first = false;
                put_js_string(b, key, strlen(key));
                puts_(b, ":");
                put_js_json(b, x, depth + 1);
            }
            return puts_(b, "}");
        }
    }
}

/* A field's value in the canonical string: `${v}` for scalars (a string as it is, a number as
 * JavaScript prints it), JSON.stringify(v) for objects, arrays and null. */
static void put_field_value(buf *b, json_t *v) {
    if (json_is_string(v))
        put(b, json_string_value(v), json_string_length(v));
    else
        put_js_json(b, v, 0);
}

/* The resource part: the path, then "?" and the fields sorted by key as key=value.
 * `lone_mark`: the SDK writes "path?" when its fields object has keys that are all undefined,
 * which reach the wire as no fields at all. `empty` names list fields the SDK signed as "[]"
 * although axios sent nothing for them (an empty array has no `k[]=` to write). */
static void put_resource(buf *b, const auth_request *q, bool lone_mark, const char *const *empty,
                         size_t n_empty) {
    puts_(b, q->path);
    size_t n = json_is_object(q->fields) ? json_object_size(q->fields) : 0;
    if (n + n_empty == 0 && lone_mark) puts_(b, "?");
    if (n + n_empty == 0) return;
    const char **keys = malloc((n + n_empty) * sizeof *keys);
    if (!keys) {
        b->oom = true;
        return;
    }
    size_t k = 0;
    const char *key;
    json_t *v;
    if (n) json_object_foreach(q->fields, key, v) keys[k++] = key;
    for (size_t i = 0; i < n_empty; i++) keys[k++] = empty[i];
    qsort(keys, k, sizeof *keys, cmp_str);
    puts_(b, "?");
    for (size_t i = 0; i < k; i++) {
        if (i) puts_(b, "&");
        puts_(b, keys[i]);
        puts_(b, "=");
        v = n ? json_object_get(q->fields, keys[i]) : NULL;
        if (v)
            put_field_value(b, v);
        else
            puts_(b, "[]");
    }
    free(keys);
}

/* ---- checks ---- */

static bool parse_date(const char *s, int64_t *ms) {
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*s && !*end) return *ms = v, true; /* the Java SDK sends epoch milliseconds */
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *rest = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!rest || *rest) return false;
    *ms = (int64_t)timegm(&tm) * 1000;
    return true;
}

/* FNV-1a: nonces are client-chosen but only reach the cache with a valid signature, so an
 * attacker cannot flood one bucket without the secret. */
static size_t nonce_bucket(const char *nonce) {
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)nonce; *p; p++) h = (h ^ *p) * 16777619u;
    return h % NONCES;
}

/* Unlinks ring slot `slot` from its bucket before the slot is reused. */
static void nonce_forget(authz_auth *a, uint32_t slot) {
    uint32_t *link = &a->buckets[nonce_bucket(a->nonces[slot])];
    while (*link != NONE && *link != slot) link = &a->chain[*link];
    if (*link == slot) *link = a->chain[slot];
}

/* The replay cache holds the NONCES most recent nonces: a bounded memory that, at the rates a
 * loopback server sees, spans far more than the ±15 minutes a signed date stays acceptable. */
static bool nonce_fresh(authz_auth *a, const char *nonce) {
    size_t b = nonce_bucket(nonce);
    pthread_mutex_lock(&a->lock);
    bool seen = false;
    for (uint32_t i = a->buckets[b]; i != NONE && !seen; i = a->chain[i])
        seen = !strcmp(a->nonces[i], nonce);
    if (!seen) {
        uint32_t slot = (uint32_t)a->next;
        if (a->nonces[slot][0]) nonce_forget(a, slot);
        snprintf(a->nonces[slot], sizeof a->nonces[0], "%s", nonce);
        a->chain[slot] = a->buckets[b];
        a->buckets[b] = slot;
        a->next = (a->next + 1) % NONCES;
    }
    pthread_mutex_unlock(&a->lock);
    return !seen;
}

/* Rebuilds the string to sign, HMAC-SHA1s it with the secret and compares in constant time. */
static bool signature_matches(authz_auth *a, const auth_request *q, const char *got, bool lone_mark,
                              const char *const *empty, size_t n_empty) {
    buf b = {0};
    puts_(&b, q->method);
    puts_(&b, "\n");
    put_headers(&b, q);
    put_resource(&b, q, lone_mark, empty, n_empty);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    char expect[64] = "";
    if (!b.oom && HMAC(EVP_sha1(), a->secret, (int)strlen(a->secret), (const unsigned char *)b.p,
                       b.n, mac, &mac_len))
        EVP_EncodeBlock((unsigned char *)expect, mac, (int)mac_len);
    free(b.p);
    return expect[0] && strlen(got) == strlen(expect) &&
           CRYPTO_memcmp(got, expect, strlen(expect)) == 0;
}

/* The canonical strings one signed request may have been built from. The wire loses two things
 * the SDK signed: keys whose values were all undefined ("path?" with nothing after it), and list
 * fields passed as [] (signed "k=[]", sent as nothing). A GET is tried with every subset of its
 * path's absent list fields (authz__http_get_list_keys: at most three per path, so at most eight
 * HMACs, and only for a request whose plain form did not match). */
static bool signature_matches_any(authz_auth *a, const auth_request *q, const char *got) {
    bool none = !json_is_object(q->fields) || json_object_size(q->fields) == 0;
    if (signature_matches(a, q, got, false, NULL, 0)) return true;
    if (none && signature_matches(a, q, got, true, NULL, 0)) return true;
    if (!q->method || strcmp(q->method, "GET") != 0) return false;
    const char *const *lists = authz__http_get_list_keys(q->path);
    const char *absent[8];
    size_t m = 0;
    for (size_t i = 0; lists && lists[i] && m < 3; i++)
        if (!json_is_object(q->fields) || !json_object_get(q->fields, lists[i]))
            absent[m++] = lists[i];
    for (unsigned mask = 1; mask < (1u << m); mask++) {
        const char *empty[8];
        size_t n = 0;
        for (size_t i = 0; i < m; i++)
            if (mask & (1u << i)) empty[n++] = absent[i];
        if (signature_matches(a, q, got, false, empty, n)) return true;
    }
    return false;
}

static bool check_signature(authz_auth *a, const auth_request *q, int64_t now, auth_result *r) {
    const char *colon = strchr(q->authorization + 8, ':');
    if (!colon) return fail(r, 1300, "malformed authorization header");
    size_t id_len = (size_t)(colon - (q->authorization + 8));
    if (id_len != strlen(a->key_id) || CRYPTO_memcmp(q->authorization + 8, a->key_id, id_len) != 0)
        return fail(r, 1300, "unknown access key id");
    if (!q->sig_method || strcmp(q->sig_method, "HMAC-SHA1") != 0)
        return fail(r, 1301, "signature method must be HMAC-SHA1");
    if (!q->sig_version || strcmp(q->sig_version, "1.0") != 0)
        return fail(r, 1302, "signature version must be 1.0");
    if (!q->date) return fail(r, 1304, "the date header is missing");
    int64_t when;
    if (!parse_date(q->date, &when))
        return fail(r, 1303, "date is neither RFC 1123 nor Unix milliseconds");
    if (when < now - a->max_skew_ms || when > now + a->max_skew_ms)
        return fail(r, 1305, "date is more than %lld minutes off",
                    (long long)(a->max_skew_ms / 60000));
    if (!signature_matches_any(a, q, colon + 1)) return fail(r, 1300, "invalid signature");
    if (!q->nonce || !*q->nonce || strlen(q->nonce) >= 40 || !nonce_fresh(a, q->nonce))
        return fail(r, 1306, "nonce missing or already used");
    return true;
}

/* ---- management tokens (HS256 JWTs) ---- */

static void b64url(const unsigned char *in, size_t n, char *out, size_t cap) {
    char tmp[1024];
    out[0] = '\0';
    if (n > 700 || 4 * ((n + 2) / 3) + 1 > cap) return;
    int len = EVP_EncodeBlock((unsigned char *)tmp, in, (int)n);
    size_t k = 0;
    for (int i = 0; i < len && tmp[i] != '='; i++)
        out[k++] = tmp[i] == '+' ? '-' : tmp[i] == '/' ? '_' : tmp[i];
    out[k] = '\0';
}

static void sign_token(authz_auth *a, const char *head_payload, char *sig, size_t cap) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), a->token_key, sizeof a->token_key, (const unsigned char *)head_payload,
         strlen(head_payload), mac, &mac_len);
    b64url(mac, mac_len, sig, cap);
}

/* The key as a JSON string whose bytes keep base64 free of '-' and '_' at any alignment. Among
 * ASCII bytes only '>', '?', '~' and DEL put 11111x in a base64 digit, so those are written as
 * \u escapes, and JSON_ENSURE_ASCII escapes everything beyond ASCII. */
static void put_key_json(buf *b, const char *key) {
    json_t *id = json_string(key);
    char *text = id ? json_dumps(id, JSON_ENCODE_ANY | JSON_ENSURE_ASCII) : NULL;
    json_decref(id);
    if (!text) {
        b->oom = true;
        return;
    }
    char esc[8];
    for (const char *p = text; *p; p++) {
        if (strchr(">?~\x7f", *p)) {
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)(unsigned char)*p);
            puts_(b, esc);
        } else {
            put(b, p, 1);
        }
    }
    free(text);
}

/* The Python SDK decodes the payload with standard base64 and silently drops '-' and '_'
 * (wire spec §1.3), so the payload is built from bytes that never encode to them. */
static void token_payload(authz_auth *a, int64_t exp, char *out, size_t cap) {
    buf b = {0};
    char tail[48];
    snprintf(tail, sizeof tail, ",\"exp\":%lld}", (long long)exp);
    puts_(&b, "{\"scoped_userpool_id\":");
    put_key_json(&b, a->key_id);
    puts_(&b, tail);
    out[0] = '\0';
    if (!b.oom) b64url((const unsigned char *)b.p, b.n, out, cap);
    free(b.p);
}

json_t *authz_auth_token(authz_auth *a, const char *key_id, const char *secret, int64_t now_ms,
                         auth_result *r) {
    if (!key_id || !secret || strlen(key_id) != strlen(a->key_id) ||
        strlen(secret) != strlen(a->secret) || CRYPTO_memcmp(key_id, a->key_id, strlen(key_id)) ||
        CRYPTO_memcmp(secret, a->secret, strlen(secret))) {
        fail(r, 1300, "wrong accessKeyId or accessKeySecret");
        return NULL;
    }
    char head[64], payload[1024], sig[128], token[2200];
    static const char jwt_head[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    b64url((const unsigned char *)jwt_head, strlen(jwt_head), head, sizeof head);
    token_payload(a, now_ms / 1000 + 7200, payload, sizeof payload);
    snprintf(token, sizeof token, "%s.%s", head, payload);
    sign_token(a, token, sig, sizeof sig);
    size_t n = strlen(token);
    snprintf(token + n, sizeof token - n, ".%s", sig);
    r->api_code = 0;
    return json_pack("{s:s,s:i}", "access_token", token, "expires_in", 7200);
}

static bool check_bearer(authz_auth *a, const char *token, int64_t now, auth_result *r) {
    const char *dot1 = strchr(token, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2 || strlen(token) > 2000) return fail(r, 1300, "malformed token");
    char signed_part[2048], sig[128];
    snprintf(signed_part, sizeof signed_part, "%.*s", (int)(dot2 - token), token);
    sign_token(a, signed_part, sig, sizeof sig);
    if (strlen(dot2 + 1) != strlen(sig) || CRYPTO_memcmp(dot2 + 1, sig, strlen(sig)))
        return fail(r, 1300, "invalid token signature");
    /* The payload is ours (the signature says so); find its exp. */
    unsigned char raw[1024];
    char b64[1024];
    size_t n = (size_t)(dot2 - dot1 - 1), k = 0;
    for (size_t i = 0; i < n && k + 4 < sizeof b64; i++) b64[k++] = dot1[1 + i];
    while (k % 4) b64[k++] = '=';
    b64[k] = '\0';
    /* 3/4 of at most 1020 characters fits `raw` with room for the terminator strstr needs. */
    int len = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)k);
    raw[len > 0 ? len : 0] = '\0';
    const char *exp = len > 0 ? strstr((const char *)raw, "\"exp\":") : NULL;
    if (!exp || strtoll(exp + 6, NULL, 10) * 1000 < now) return fail(r, 1300, "token expired");
    return true;
}

bool authz_auth_check(authz_auth *a, const auth_request *q, int64_t now_ms, auth_result *r) {
    r->api_code = 0;
    r->message[0] = '\0';
    if (!q->authorization)
        return fail(r, 1300,
                    "no authorization header: sign the request (authorization: authing AK:sig) or "
                    "send Authorization: Bearer <token from POST /api/v3/get-management-token>");
    if (!strncmp(q->authorization, "authing ", 8)) return check_signature(a, q, now_ms, r);
    if (!strncmp(q->authorization, "Bearer ", 7))
        return check_bearer(a, q->authorization + 7, now_ms, r);
    return fail(r, 1300, "unsupported authorization scheme");
}

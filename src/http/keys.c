/*
 * keys.c - access keys with scopes (see keys.h).
 */
#include "keys.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct key {
    authz_auth *auth;
    char *id;
    authz_scope scope;
} key;

struct authz_keys {
    key *keys;
    size_t n, cap;
};

static bool add(authz_keys *k, const char *id, const char *secret, authz_scope scope,
                int64_t skew) {
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 4;
        key *g = realloc(k->keys, cap * sizeof *g);
        if (!g) return false;
        k->keys = g;
        k->cap = cap;
    }
    key *e = &k->keys[k->n];
    e->auth = authz_auth_new(id, secret, skew);
    e->id = strdup(id);
    e->scope = scope;
    if (!e->auth || !e->id) {
        authz_auth_free(e->auth);
        free(e->id);
        return false;
    }
    k->n++;
    return true;
}

static bool known(const authz_keys *k, const char *id) {
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->keys[i].id, id)) return true;
    return false;
}

static bool load_file(authz_keys *k, const char *file, int64_t skew, char *why, size_t why_size) {
    json_error_t je;
    json_t *root = json_load_file(file, 0, &je);
    if (!json_is_array(root)) {
        snprintf(why, why_size, "--keys %s: %s", file,
                 root ? "a JSON list of {accessKeyId, accessKeySecret, scope} is needed" : je.text);
        json_decref(root);
        return false;
    }
    size_t i;
    json_t *o;
    bool ok = true;
    json_array_foreach(root, i, o) {
        const char *id = json_string_value(json_object_get(o, "accessKeyId"));
        const char *secret = json_string_value(json_object_get(o, "accessKeySecret"));
        const char *scope = json_string_value(json_object_get(o, "scope"));
        if (!id || !*id || !secret || !*secret || !scope ||
            (strcmp(scope, "admin") != 0 && strcmp(scope, "read") != 0)) {
            snprintf(why, why_size,
                     "--keys %s: item %zu needs accessKeyId, accessKeySecret and scope "
                     "\"admin\" or \"read\"",
                     file, i);
            ok = false;
        } else if (known(k, id)) {
            snprintf(why, why_size, "--keys %s: accessKeyId %s appears twice", file, id);
            ok = false;
        } else if (!add(k, id, secret, strcmp(scope, "read") ? AUTHZ_SCOPE_ADMIN : AUTHZ_SCOPE_READ,
                        skew)) {
            snprintf(why, why_size, "out of memory");
            ok = false;
        }
        if (!ok) break;
    }
    json_decref(root);
    return ok;
}

authz_keys *authz_keys_new(const char *key_id, const char *secret, const char *file,
                           int64_t max_skew_ms, char *why, size_t why_size) {
    authz_keys *k = calloc(1, sizeof *k);
    if (!k) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    bool ok = true;
    if (key_id && *key_id && secret && *secret) {
        ok = add(k, key_id, secret, AUTHZ_SCOPE_ADMIN, max_skew_ms);
        if (!ok) snprintf(why, why_size, "out of memory");
    }
    if (ok && file) ok = load_file(k, file, max_skew_ms, why, why_size);
    if (ok && k->n == 0) {
        snprintf(why, why_size, "no access keys");
        ok = false;
    }
    if (!ok) {
        authz_keys_free(k);
        return NULL;
    }
    return k;
}

void authz_keys_free(authz_keys *k) {
    if (!k) return;
    for (size_t i = 0; i < k->n; i++) {
        authz_auth_free(k->keys[i].auth);
        free(k->keys[i].id);
    }
    free(k->keys);
    free(k);
}

size_t authz_keys_count(const authz_keys *k) { return k ? k->n : 0; }

/* The key a signed request names ("authing ID:signature"), compared in constant time. */
static key *named(authz_keys *k, const char *authorization) {
    const char *id = authorization + 8, *colon = strchr(id, ':');
    size_t n = colon ? (size_t)(colon - id) : strlen(id);
    key *hit = NULL;
    for (size_t i = 0; i < k->n; i++)
        if (strlen(k->keys[i].id) == n && CRYPTO_memcmp(k->keys[i].id, id, n) == 0)
            hit = &k->keys[i];
    return hit;
}

bool authz_keys_check(authz_keys *k, const auth_request *q, int64_t now_ms, auth_result *r,
                      authz_scope *scope) {
    *scope = AUTHZ_SCOPE_READ;
    if (q->authorization && !strncmp(q->authorization, "authing ", 8)) {
        key *e = named(k, q->authorization);
        if (!e) e = &k->keys[0]; /* its own "unknown access key id" answer */
        *scope = e->scope;
        return authz_auth_check(e->auth, q, now_ms, r);
    }
    /* A bearer token was signed by one key's token key; no header at all gets the first key's
     * explanation. */
    for (size_t i = 0; i < k->n; i++) {
        auth_result mine;
        if (authz_auth_check(k->keys[i].auth, q, now_ms, &mine)) {
            *scope = k->keys[i].scope;
            *r = mine;
            return true;
        }
        if (i == 0) *r = mine;
    }
    return false;
}

json_t *authz_keys_token(authz_keys *k, const char *key_id, const char *secret, int64_t now_ms,
                         auth_result *r) {
    for (size_t i = 0; i < k->n; i++) {
        if (!key_id || strcmp(k->keys[i].id, key_id) != 0) continue;
        return authz_auth_token(k->keys[i].auth, key_id, secret, now_ms, r);
    }
    return authz_auth_token(k->keys[0].auth, key_id, secret, now_ms, r);
}

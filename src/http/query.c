/*
 * query.c - a GET query string as the JSON front door wants it: a JSON object of strings, with
 * arrays for `k[]=a&k[]=b` and for repeated `k=a&k=b`. `k=a,b` stays one string; the front
 * door splits it where the field is a list. A malformed percent escape is noticed, never
 * passed on silently: the server answers it with a 400 envelope.
 */
#include <string.h>

#include "auth.h"
#include "server.h"

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool authz__http_malformed(const char *s) {
    for (; *s; s++)
        if (*s == '%' && (hexval(s[1]) < 0 || hexval(s[2]) < 0)) return true;
    return false;
}

/* Percent-decoding in place; '+' is a space, as HTML forms and Python's requests write it. */
size_t authz__http_unescape(char *s, bool *bad) {
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '+') {
            *w++ = ' ';
        } else if (*r == '%') {
            int hi = hexval(r[1]), lo = hi < 0 ? -1 : hexval(r[2]);
            if (hi < 0 || lo < 0) {
                *bad = true;
                *w++ = *r;
                continue;
            }
            *w++ = (char)(hi * 16 + lo);
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

/* The first value of a key is a string (an array if the key ends in []); a second value turns
 * it into an array, so `k=a&k=b` and `k[]=a&k[]=b` arrive the same. */
int authz__http_query_add(json_t *obj, const char *key, const char *value) {
    char name[256];
    size_t n = strlen(key);
    bool list = n > 2 && !strcmp(key + n - 2, "[]");
    snprintf(name, sizeof name, "%.*s", (int)(list ? n - 2 : n), key);
    json_t *v = json_string(value ? value : "");
    if (!v) return -1;
    json_t *old = json_object_get(obj, name);
    if (json_is_array(old)) return json_array_append_new(old, v);
    if (old) {
        json_t *a = json_pack("[O,o]", old, v);
        return a ? json_object_set_new(obj, name, a) : -1;
    }
    return json_object_set_new(obj, name, list ? json_pack("[o]", v) : v);
}

/* The GET endpoints whose query fields authing-node-sdk 4.0.1 (src/ManagementClient.ts) types as
 * arrays of strings: axios writes `k[]=a` per element, so an empty array leaves no trace on the
 * wire, while the SDK's signature still covers "k=[]". */
static const struct {
    const char *path;
    const char *keys[4]; /* NULL-terminated */
} get_lists[] = {
    {"/api/v3/get-resources-batch", {"codeList"}},
    {"/api/v3/get-namespaces-batch", {"codeList"}},
    {"/api/v3/get-authorized-resources", {"resourceList"}},
    {"/api/v3/get-user-batch", {"userIds"}},
    {"/api/v3/get-public-account-batch", {"userIds"}},
    {"/api/v3/get-organization-batch", {"organizationCodeList"}},
    {"/api/v3/get-department-by-id", {"appTypeList"}},
    {"/api/v3/list-role-assignments", {"targetType"}},
    {"/api/v3/list-sync-risk-operations", {"status", "objectType"}},
    {"/api/v3/get-permission-namespaces-batch", {"codes"}},
    {"/api/v3/list-data-resources", {"namespaceCodes"}},
    {"/api/v3/list-data-policy-targets", {"targetType"}},
    {"/api/v3/list-access-key", {"status"}},
};

const char *const *authz__http_get_list_keys(const char *path) {
    for (size_t i = 0; path && i < sizeof get_lists / sizeof get_lists[0]; i++)
        if (!strcmp(get_lists[i].path, path)) return get_lists[i].keys;
    return NULL;
}

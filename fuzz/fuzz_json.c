/*
 * fuzz_json.c - hostile bytes into the JSON front door. The input is split into lines; the
 * first byte of a line picks the method (and, by its high bits, zh-CN messages and GET query
 * coercion), the rest is the request text. All lines run against one fresh engine, so a
 * sequence can build state for later requests. Every answer must be a well-formed envelope
 * whose statusCode matches the one reported.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "access/authz_debug.h"
#include "authz_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(authz_engine *e, const uint8_t *line, size_t len) {
    size_t count;
    const authz_json_method *m = authz_json_methods(&count);
    if (len == 0) return;
    const char *method = m[line[0] % count].name;
    authz_lang lang = (line[0] & 0x80) ? AUTHZ_LANG_ZH_CN : AUTHZ_LANG_EN;
    unsigned flags = (line[0] & 0x40) ? AUTHZ_JSON_QUERY : 0;
    char *resp = NULL;
    int code = 0;
    if (authz_call_json_ex(e, method, (const char *)line + 1, len - 1, lang, flags, &resp, &code) !=
        AUTHZ_OK)
        return;
    json_t *env = json_loads(resp, 0, NULL);
    json_t *sc = env ? json_object_get(env, "statusCode") : NULL;
    if (!env || !json_is_integer(sc) || json_integer_value(sc) != code) abort();
    json_decref(env);
    authz_free(resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    authz_engine *e;
    if (authz_engine_new(NULL, &e) != AUTHZ_OK) return 0;
    const uint8_t *p = data, *end = data + size;
    while (p < end) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        one(e, p, len);
        p += len + 1;
    }
    char why[256];
    if (!authz__check_invariants(e, why, sizeof why)) abort();
    authz_engine_free(e);
    return 0;
}

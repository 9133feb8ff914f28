/*
 * fuzz_http_query.c - hostile query strings: split on '&' and '=', percent-decoded as the
 * server decodes them, gathered into the query object, then run through the JSON front door
 * in GET coercion mode for a method chosen by the first byte. Nothing may crash; every answer
 * is an envelope.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "authz_json.h"
#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 8192) return 0;
    size_t count;
    const authz_json_method *m = authz_json_methods(&count);
    char *q = malloc(size);
    memcpy(q, data + 1, size - 1);
    q[size - 1] = '\0';
    json_t *obj = json_object();
    for (char *pair = strtok(q, "&"); pair; pair = strtok(NULL, "&")) {
        char *eq = strchr(pair, '=');
        if (eq) *eq = '\0';
        bool bad = false;
        authz__http_unescape(pair, &bad);
        if (eq) authz__http_unescape(eq + 1, &bad);
        authz__http_query_add(obj, pair, eq ? eq + 1 : "");
    }
    char *text = json_dumps(obj, JSON_COMPACT);
    authz_engine *e;
    if (text && authz_engine_new(NULL, &e) == AUTHZ_OK) {
        char *resp = NULL;
        if (authz_call_json_ex(e, m[data[0] % count].name, text, strlen(text), AUTHZ_LANG_EN,
                               AUTHZ_JSON_QUERY, &resp, NULL) == AUTHZ_OK &&
            (!resp || resp[0] != '{'))
            abort();
        authz_free(resp);
        authz_engine_free(e);
    }
    free(text);
    json_decref(obj);
    free(q);
    return 0;
}

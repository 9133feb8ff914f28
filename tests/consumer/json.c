/* consumer/json.c - an installed authz's JSON front door: one GenAuth request, one envelope. */
#include <authz_json.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    authz_engine *e;
    char *env = NULL;
    const char *req = "{\"code\": \"reader\"}";
    if (authz_engine_new(NULL, &e) ||
        authz_call_json(e, "create_role", req, strlen(req), AUTHZ_LANG_EN, &env))
        return 1;
    int ok = strstr(env, "\"statusCode\":200") != NULL;
    printf("consumer_json: %s\n", env);
    authz_free(env);
    authz_engine_free(e);
    return ok ? 0 : 1;
}

/*
 * test_json_scenarios.c - the JSON front door against recorded answers. Each
 * tests/scenarios/NAME.jsonl holds one request per line:
 *   {"method": m, "params": {...}}             a request object
 *   {"method": m, "raw": "text"}                the request text as given (malformed JSON...)
 *   {"method": m, "raw_hex": "7b22..."}         bytes JSON cannot spell (invalid UTF-8)
 * with optional "lang": "zh-CN" and "query": true (GET coercion). NAME.expected holds the
 * envelope of each, keys sorted, requestId removed (it is checked to be present and unique),
 * createdAt/updatedAt masked (checked to be ISO 8601 UTC times).
 * AUTHZ_REGEN=1 rewrites the expected files instead (review the diff before committing).
 */
#include <dirent.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "authz.h"
#include "authz_json.h"

static long requests, mismatches;
static char seen_ids[4096][40];
static size_t nseen;

static size_t unhex(const char *hex, char *out, size_t cap) {
    size_t n = 0;
    for (; hex[0] && hex[1] && n < cap; hex += 2) {
        unsigned v;
        sscanf(hex, "%2x", &v);
        out[n++] = (char)v;
    }
    return n;
}

/* createdAt / updatedAt come from the engine's clock: each must be an ISO 8601 time in UTC,
 * and is then replaced by "<time>" so the recorded answers do not depend on when they run. */
static void mask_times(json_t *v) {
    const char *key;
    json_t *x;
    size_t i;
    if (json_is_array(v)) json_array_foreach(v, i, x) mask_times(x);
    if (!json_is_object(v)) return;
    json_object_foreach(v, key, x) {
        if (strcmp(key, "createdAt") && strcmp(key, "updatedAt")) {
            mask_times(x);
            continue;
        }
        const char *t = json_string_value(x);
        assert_non_null(t);
        assert_int_equal(24, strlen(t));
        assert_int_equal('Z', t[23]);
        json_object_set_new(v, key, json_string("<time>"));
    }
}

/* The envelope with requestId checked and removed, times masked, keys sorted. */
static char *normalize(const char *envelope) {
    json_t *env = json_loads(envelope, 0, NULL);
    assert_non_null(env);
    const char *id = json_string_value(json_object_get(env, "requestId"));
    assert_non_null(id);
    assert_int_equal(36, strlen(id));
    for (size_t i = 0; i < nseen; i++) assert_string_not_equal(seen_ids[i], id);
    if (nseen < 4096) snprintf(seen_ids[nseen++], sizeof seen_ids[0], "%s", id);
    json_object_del(env, "requestId");
    mask_times(env);
    char *text = json_dumps(env, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(env);
    return text;
}

static char *run(authz_engine *e, json_t *line) {
    const char *method = json_string_value(json_object_get(line, "method"));
    json_t *params = json_object_get(line, "params");
    const char *raw = json_string_value(json_object_get(line, "raw"));
    const char *hex = json_string_value(json_object_get(line, "raw_hex"));
    authz_lang lang = authz_lang_parse(json_string_value(json_object_get(line, "lang")));
    unsigned flags = json_is_true(json_object_get(line, "query")) ? AUTHZ_JSON_QUERY : 0;
    char bytes[4096], *text = NULL;
    size_t len = 0;
    if (params) {
        text = json_dumps(params, JSON_COMPACT | JSON_ALLOW_NUL);
        len = strlen(text);
        /* json_dumps escapes NUL as \u0000, which is what the request should carry. */
    } else if (raw) {
        len = strlen(raw);
    } else if (hex) {
        len = unhex(hex, bytes, sizeof bytes);
    }
    const char *req = params ? text : raw ? raw : bytes;
    char *resp = NULL;
    assert_int_equal(AUTHZ_OK, authz_call_json_ex(e, method, req, len, lang, flags, &resp, NULL));
    free(text);
    char *norm = normalize(resp);
    authz_free(resp);
    return norm;
}

static void run_file(const char *dir, const char *name) {
    char path[1024], expected_path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(expected_path, sizeof expected_path, "%.*s.expected", (int)(strlen(path) - 6), path);
    bool regen = getenv("AUTHZ_REGEN") != NULL;
    FILE *in = fopen(path, "r"), *exp = fopen(expected_path, regen ? "w" : "r");
    assert_non_null(in);
    assert_non_null(exp);
    authz_engine *e;
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &e));
    char line[16384], want[16384];
    long lineno = 0;
    while (fgets(line, sizeof line, in)) {
        lineno++;
        json_error_t je;
        json_t *req = json_loads(line, JSON_ALLOW_NUL, &je);
        if (!req) fail_msg("%s:%ld: scenario line is not JSON: %s", name, lineno, je.text);
        char *got = run(e, req);
        json_decref(req);
        requests++;
        if (regen) {
            fprintf(exp, "%s\n", got);
        } else if (!fgets(want, sizeof want, exp) || strncmp(want, got, strlen(got)) != 0 ||
                   want[strlen(got)] != '\n') {
            mismatches++;
            print_message("%s:%ld\n  got:  %s\n  want: %s", name, lineno, got, want);
        }
        free(got);
    }
    fclose(in);
    fclose(exp);
    authz_engine_free(e);
}

static void test_scenarios(void **state) {
    (void)state;
    const char *src = getenv("AUTHZ_SOURCE_DIR");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/scenarios", src ? src : ".");
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *ent;
    int files = 0;
    while ((ent = readdir(d)) != NULL) {
        size_t n = strlen(ent->d_name);
        if (n > 6 && !strcmp(ent->d_name + n - 6, ".jsonl")) {
            run_file(dir, ent->d_name);
            files++;
        }
    }
    closedir(d);
    printf("scenarios: %d files, %ld requests, %ld mismatches\n", files, requests, mismatches);
    assert_true(files >= 8);
    assert_int_equal(0, mismatches);
}

/* Every method of the table is reachable by name and by path, once. */
static void test_method_table(void **state) {
    (void)state;
    size_t n;
    const authz_json_method *m = authz_json_methods(&n);
    assert_true(n >= 55);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(authz_json_find_method(m[i].name), authz_json_find_path(m[i].path));
        assert_non_null(authz_json_find_method(m[i].name));
    }
    assert_null(authz_json_find_method("drop_everything"));
    assert_int_equal(AUTHZ_HTTP_POST,
                     authz_json_find_method("get_resource_authorized_targets")->http);
    assert_int_equal(AUTHZ_HTTP_GET, authz_json_find_method("list_roles")->http);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_method_table),
                                       cmocka_unit_test(test_scenarios)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

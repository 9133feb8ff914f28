/*
 * test_route.c - the route index behind /authz/forward and authz_route_match(): every
 * specificity rule (exact before {param} before *, a template ending with the path before a
 * last `*`, ties to the resource created first), instance binding, what makes a template a
 * route, the path rules (query ignored, one trailing slash ignored, `//`, dot segments, encoded
 * and double-encoded slashes and backslashes refused), the index following create / update /
 * delete / namespace delete / snapshot load, and 1,000 random templates against a naive
 * matcher written here (before and after random updates and deletes).
 */
#include <stdlib.h>
#include <unistd.h>

#include "unit_helpers.h"

static authz_engine *eng;

static int setup(void **state) {
    (void)state;
    eng = uh_engine(false);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    uh_engine_teardown(eng);
    eng = NULL;
    return 0;
}

static void api(const char *ns, const char *code, const char *tmpl) {
    authz_resource_spec s = {code, AUTHZ_RESOURCE_API, NULL, NULL, tmpl, NULL, 0};
    OK(authz_resource_create(eng, ns, &s, NULL, NULL));
}

/* The resource a GET of `path` is checked as ("-" for no route, "!" for a refused path). */
static const char *match(const char *ns, const char *path) {
    static authz_route_answer a;
    authz_status st = authz_route_match(eng, ns, "get", path, &a, NULL);
    if (st == AUTHZ_EINVAL) return "!";
    assert_int_equal(AUTHZ_OK, st);
    assert_string_equal("GET", a.action);
    return a.matched ? a.resource : "-";
}

#define MATCH(path, want) assert_string_equal(want, match(NULL, path))

static void test_specificity(void **state) {
    (void)state;
    api(NULL, "any", "/*");
    api(NULL, "orders", "/orders");
    api(NULL, "order", "/orders/{id}");
    api(NULL, "order_any", "/orders/*");
    api(NULL, "mine", "/orders/mine");
    api(NULL, "items", "/orders/{id}/items");
    api(NULL, "deep", "/orders/{id}/*");
    api(NULL, "root", "/");
    MATCH("/orders", "orders");      /* ends there beats a last `*` */
    MATCH("/orders/42", "order:42"); /* {param} beats `*` */
    MATCH("/orders/mine", "mine");   /* exact beats {param} */
    MATCH("/orders/42/items", "items:42");
    MATCH("/orders/42/x/y", "deep:42"); /* {param} then `*` beats `*` at the second segment */
    MATCH("/orders/mine/items", "items:mine"); /* backtracks from the exact dead end */
    MATCH("/other/1", "any");
    MATCH("/", "root");
    /* Without the exact and {param} routes, `*` takes the rest, including none. */
    OK(authz_resource_delete(eng, NULL, "orders", NULL));
    OK(authz_resource_delete(eng, NULL, "order", NULL));
    MATCH("/orders", "order_any");
    MATCH("/orders/42", "deep:42"); /* {param} + an empty last `*` beats `*` at segment two */
    OK(authz_resource_delete(eng, NULL, "deep", NULL));
    MATCH("/orders/42", "order_any");
    OK(authz_resource_delete(eng, NULL, "any", NULL));
    OK(authz_resource_delete(eng, NULL, "root", NULL));
    MATCH("/", "-");
    MATCH("/nothing", "-");
}

static void test_ties_and_binding(void **state) {
    (void)state;
    api(NULL, "first", "/a/{x}");
    api(NULL, "second", "/a/{y}/");
    api(NULL, "multi", "/u/{uid}/o/{oid}");
    MATCH("/a/1", "first:1");
    OK(authz_resource_delete(eng, NULL, "first", NULL));
    MATCH("/a/1", "second:1");
    /* Recreated later: still behind the one created earlier. */
    api(NULL, "first", "/a/{x}");
    MATCH("/a/1", "second:1");
    /* An update that changes the template keeps the resource's place in creation order. */
    authz_resource_patch p = {.code = "second", .api_identifier = "/b/{x}"};
    OK(authz_resource_update(eng, NULL, &p, NULL, NULL));
    MATCH("/a/1", "first:1");
    MATCH("/b/1", "second:1");
    p.api_identifier = "/a/{z}";
    OK(authz_resource_update(eng, NULL, &p, NULL, NULL));
    MATCH("/a/1", "second:1");
    MATCH("/b/1", "-");
    MATCH("/u/7/o/9", "multi:9"); /* the last {param} is the instance */
    /* A segment that is no valid resource id cannot be bound. */
    MATCH("/a/%C3%A9", "!");
}

static void test_what_is_a_route(void **state) {
    (void)state;
    authz_resource_spec data = {"data", AUTHZ_RESOURCE_DATA, NULL, NULL, "/data", NULL, 0};
    OK(authz_resource_create(eng, NULL, &data, NULL, NULL));
    api(NULL, "rel", "data");
    api(NULL, "gap", "/x//y");
    api(NULL, "midstar", "/m/*/n");
    api(NULL, "empty", "");
    MATCH("/data", "-");
    MATCH("/m/a/n", "-");
    MATCH("/x/y", "-");
    /* Turning the type into API makes the same identifier a route; back again removes it. */
    authz_resource_type t = AUTHZ_RESOURCE_API;
    authz_resource_patch p = {.code = "data", .type = &t};
    OK(authz_resource_update(eng, NULL, &p, NULL, NULL));
    MATCH("/data", "data");
    t = AUTHZ_RESOURCE_MENU;
    OK(authz_resource_update(eng, NULL, &p, NULL, NULL));
    MATCH("/data", "-");
    /* Literal braces inside a segment are an exact segment. */
    api(NULL, "brace", "/v{1}");
    MATCH("/v{1}", "brace");
    MATCH("/v2", "-");
}

static void test_paths(void **state) {
    (void)state;
    api(NULL, "orders", "/orders");
    api(NULL, "order", "/orders/{id}");
    api(NULL, "space", "/a b");
    api(NULL, "pct", "/p/%41");
    MATCH("/orders/", "orders");
    MATCH("/orders?x=1&y=/..", "orders");
    MATCH("/orders/?x", "orders");
    MATCH("/orders#frag", "orders");
    MATCH("/a%20b", "space");
    MATCH("/p/%2541", "pct"); /* decoded exactly once */
    MATCH("/orders%2Fx", "!");
    MATCH("/orders%2fx", "!");
    MATCH("/orders%5Cx", "!");
    MATCH("/orders\\x", "!");
    MATCH("/orders/%252F", "!");
    MATCH("/orders/%255C", "!");
    MATCH("/orders/%252E%252E", "!");
    MATCH("/orders//", "!");
    MATCH("//orders", "!");
    MATCH("/orders//1", "!");
    MATCH("/static/../orders", "!");
    MATCH("/./orders", "!");
    MATCH("/orders/.", "!");
    MATCH("/orders/%2E%2E", "!");
    MATCH("/orders/%2e", "!");
    MATCH("/orders/%zz", "!");
    MATCH("/orders/%4", "!");
    MATCH("/orders/%00", "!");
    MATCH("orders", "!");
    MATCH("", "!");
    MATCH("/orders/.x", "order:.x");
    MATCH("/orders/..x", "order:..x");
    authz_route_answer a;
    assert_int_equal(AUTHZ_EINVAL, authz_route_match(eng, NULL, "GE T", "/orders", &a, NULL));
    assert_int_equal(AUTHZ_EINVAL, authz_route_match(eng, NULL, "", "/orders", &a, NULL));
    assert_int_equal(AUTHZ_EINVAL, authz_route_match(eng, NULL, "GET", NULL, &a, NULL));
    assert_int_equal(AUTHZ_ENOTFOUND, authz_route_match(eng, "nope", "GET", "/orders", &a, NULL));
    OK(authz_route_match(eng, NULL, "delete", "/orders/7", &a, NULL));
    assert_string_equal("DELETE", a.action);
    assert_string_equal("order:7", a.resource);
}

static void test_namespaces_and_snapshot(void **state) {
    (void)state;
    authz_namespace_spec ns = {"shop", NULL, NULL};
    OK(authz_namespace_create(eng, &ns, NULL, NULL));
    api("shop", "cart", "/cart/{id}");
    api(NULL, "home", "/cart/*");
    assert_string_equal("cart:1", match("shop", "/cart/1"));
    MATCH("/cart/1", "home");
    char path[] = "/tmp/authz_test_route_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    OK(authz_save(eng, path, NULL));
    authz_engine *loaded = NULL;
    OK(authz_load(path, NULL, &loaded, NULL));
    unlink(path);
    authz_route_answer a;
    OK(authz_route_match(loaded, "shop", "GET", "/cart/9", &a, NULL));
    assert_string_equal("cart:9", a.resource);
    OK(authz_route_match(loaded, NULL, "GET", "/cart/9", &a, NULL));
    assert_string_equal("home", a.resource);
    char why[128] = "";
    assert_true(authz__check_invariants(loaded, why, sizeof why));
    authz_engine_free(loaded);
    OK(authz_namespace_delete(eng, "shop", NULL));
    assert_int_equal(AUTHZ_ENOTFOUND, authz_route_match(eng, "shop", "GET", "/cart/1", &a, NULL));
    OK(authz_namespace_create(eng, &ns, NULL, NULL));
    assert_string_equal("-", match("shop", "/cart/1"));
    MATCH("/cart/1", "home");
}

/* ---- 1,000 random templates against a naive matcher ---- */

#define NT 1000
static const char *const tseg[] = {"a", "b", "c", "{p}", "{q}", "*"};
static const char *const pseg[] = {"a", "b", "c", "d"};
static char tmpl[NT][64];
static bool live[NT];

static void random_template(char *out) {
    int n = rand() % 5;
    out[0] = '\0';
    if (n == 0) {
        strcpy(out, rand() % 2 ? "/" : "/*");
        return;
    }
    for (int i = 0; i < n; i++) {
        int k = rand() % 6;
        if (k == 5 && i != n - 1) k = rand() % 5;
        strcat(out, "/");
        strcat(out, tseg[k]);
    }
    if (rand() % 7 == 0) strcat(out, "/");
}

/* The naive rule: a key per path position (exact 0, {param} 1, `*` 2) and one for the end
 * (template ends with the path 0, a last `*` 1), compared lexicographically; ties to the
 * template created first (creation order = index, updates keep it). */
static bool naive_key(const char *t, const char *const *ps, int pn, int *key, int *bind) {
    char buf[64];
    strcpy(buf, t);
    size_t L = strlen(buf);
    if (L > 1 && buf[L - 1] == '/') buf[L - 1] = '\0';
    char *segs[16];
    int tn = 0;
    for (char *s = strtok(buf + 1, "/"); s; s = strtok(NULL, "/")) segs[tn++] = s;
    *bind = -1;
    for (int i = 0; i <= pn; i++) {
        if (i < tn && !strcmp(segs[i], "*")) {
            for (int k = i; k < pn; k++) key[k] = 2;
            key[pn] = 1;
            return true;
        }
        if (i == pn) {
            key[pn] = 0;
            return tn == pn;
        }
        if (i >= tn) return false;
        if (segs[i][0] == '{') {
            key[i] = 1;
            *bind = i;
        } else if (!strcmp(segs[i], ps[i])) {
            key[i] = 0;
        } else {
            return false;
        }
    }
    return false;
}

static void naive(const char *const *ps, int pn, char *want) {
    int best[8], key[8], bind, best_i = -1, best_bind = -1;
    for (int i = 0; i < NT; i++) {
        if (!live[i] || !naive_key(tmpl[i], ps, pn, key, &bind)) continue;
        if (best_i >= 0) {
            int c = 0;
            for (int k = 0; k <= pn && !c; k++) c = key[k] - best[k];
            if (c >= 0) continue; /* not more specific, or a tie the earlier one keeps */
        }
        memcpy(best, key, sizeof key);
        best_i = i;
        best_bind = bind;
    }
    if (best_i < 0) {
        strcpy(want, "-");
        return;
    }
    if (best_bind >= 0)
        sprintf(want, "r%d:%s", best_i, ps[best_bind]);
    else
        sprintf(want, "r%d", best_i);
}

static int compare_all(void) {
    int mismatches = 0;
    for (int trial = 0; trial < 3000; trial++) {
        int pn = rand() % 6;
        const char *ps[8];
        char path[64] = "";
        for (int i = 0; i < pn; i++) {
            ps[i] = pseg[rand() % 4];
            strcat(path, "/");
            strcat(path, ps[i]);
        }
        if (pn == 0) strcpy(path, "/");
        char want[64];
        naive(ps, pn, want);
        const char *got = match(NULL, path);
        if (strcmp(want, got) != 0) {
            if (mismatches++ < 5) print_message("%s: naive %s, index %s\n", path, want, got);
        }
    }
    return mismatches;
}

static void test_random_against_naive(void **state) {
    (void)state;
    srand(20261130);
    for (int i = 0; i < NT; i++) {
        random_template(tmpl[i]);
        char code[16];
        sprintf(code, "r%d", i);
        api(NULL, code, tmpl[i]);
        live[i] = true;
    }
    assert_int_equal(0, compare_all());
    /* Random updates (a new template, same creation rank) and deletes. */
    for (int k = 0; k < 300; k++) {
        int i = rand() % NT;
        char code[16];
        sprintf(code, "r%d", i);
        if (!live[i]) continue;
        if (k % 3 == 0) {
            OK(authz_resource_delete(eng, NULL, code, NULL));
            live[i] = false;
        } else {
            random_template(tmpl[i]);
            authz_resource_patch p = {.code = code, .api_identifier = tmpl[i]};
            OK(authz_resource_update(eng, NULL, &p, NULL, NULL));
        }
    }
    assert_int_equal(0, compare_all());
    char why[128] = "";
    assert_true(authz__check_invariants(eng, why, sizeof why));
    /* Deleting every resource empties the index down to the last block. */
    for (int i = 0; i < NT; i++) {
        char code[16];
        sprintf(code, "r%d", i);
        OK(authz_resource_delete(eng, NULL, code, NULL));
    }
    MATCH("/a", "-");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_specificity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ties_and_binding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_what_is_a_route, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_namespaces_and_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_against_naive, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

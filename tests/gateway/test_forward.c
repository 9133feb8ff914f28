/*
 * test_forward.c - the forward-auth decision without HTTP (src/forward/forward.c) and the
 * decision log (src/forward/declog.c): each header convention, a mix of conventions and a
 * duplicated header refused (400), half a convention refused, Envoy's path form, the user
 * header's name, the namespace header only when allowed, unmatched paths both ways, the
 * forward secret, X-Authz-User/-Resource; decision log lines that parse and carry the
 * principal and grant, sampling that never drops a denial, and a stalled writer: the queue
 * fills, lines are dropped and counted, and pushing never blocks.
 */
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "forward/forward.h"
#include "unit_helpers.h"

static authz_engine *eng;

static void load(void) {
    OK(authz_engine_new(NULL, &eng));
    authz_action_spec acts[] = {{"GET", NULL}, {"POST", NULL}};
    authz_resource_spec rs[] = {{"orders", AUTHZ_RESOURCE_API, NULL, NULL, "/orders/{id}", acts, 2},
                                {"home", AUTHZ_RESOURCE_API, NULL, NULL, "/", NULL, 0}};
    OK(authz_resource_create_batch(eng, NULL, rs, 2, NULL));
    authz_namespace_spec ns = {"shop", NULL, NULL};
    OK(authz_namespace_create(eng, &ns, NULL, NULL));
    authz_resource_spec cart = {"cart", AUTHZ_RESOURCE_API, NULL, NULL, "/cart", NULL, 0};
    OK(authz_resource_create(eng, "shop", &cart, NULL, NULL));
    authz_role_spec role = {NULL, "reader", NULL, NULL, 0};
    OK(authz_role_create(eng, &role, NULL, NULL));
    authz_target alice = {AUTHZ_TARGET_USER, "alice"};
    OK(authz_role_assign(eng, NULL, "reader", &alice, 1, NULL, NULL));
    const char *get[] = {"GET"};
    authz_grant_resource g = {"orders:*", get, 1, AUTHZ_RESOURCE_API};
    authz_grant_item item = {AUTHZ_TARGET_ROLE, (const char *[]){"reader"}, 1, &g, 1};
    OK(authz_authorize(eng, NULL, &item, 1, NULL));
    authz_grant_resource c = {"cart", get, 1, AUTHZ_RESOURCE_API};
    authz_grant_item ci = {AUTHZ_TARGET_USER, (const char *[]){"alice"}, 1, &c, 1};
    OK(authz_authorize(eng, "shop", &ci, 1, NULL));
}

static int setup(void **state) {
    (void)state;
    load();
    return 0;
}

static int teardown(void **state) {
    (void)state;
    authz_engine_free(eng);
    return 0;
}

static authz_forward *make(const authz_forward_config *cfg) {
    char why[256];
    authz_forward *f = authz_forward_new(cfg, eng, NULL, NULL, why, sizeof why);
    assert_non_null(f);
    return f;
}

/* Decides a request given as "Name: value" strings (NULL-terminated). */
static authz_fwd_answer ask(authz_forward *f, const char *suffix, int secret, ...) {
    authz_fwd_header h[16];
    char store[16][256];
    size_t n = 0;
    va_list ap;
    va_start(ap, secret);
    for (const char *s; (s = va_arg(ap, const char *)) != NULL && n < 16; n++) {
        snprintf(store[n], sizeof store[n], "%s", s);
        char *colon = strchr(store[n], ':');
        *colon = '\0';
        h[n] = (authz_fwd_header){store[n], colon + 2};
    }
    va_end(ap);
    authz_fwd_request rq = {h, n, "GET", suffix, secret != 0};
    authz_fwd_answer a;
    authz_forward_decide(f, &rq, &a);
    return a;
}

#define XO(m, u) "X-Original-Method: " m, "X-Original-URI: " u
#define XF(m, u) "X-Forwarded-Method: " m, "X-Forwarded-Uri: " u

static void test_conventions(void **state) {
    (void)state;
    authz_forward_config cfg = {0};
    authz_forward *f = make(&cfg);
    authz_fwd_answer a = ask(f, "", 0, XO("GET", "/orders/42"), "X-User-Id: alice", NULL);
    assert_int_equal(200, a.status);
    assert_string_equal("alice", a.user);
    assert_string_equal("orders:42", a.resource);
    assert_string_equal("{\"allowed\":true,\"reason\":\"allowed\"}", a.body);
    assert_int_equal(200,
                     ask(f, "", 0, XF("get", "/orders/1?a=b"), "x-user-id: alice", NULL).status);
    assert_int_equal(200, ask(f, "/orders/9", 0, "X-User-Id: alice", NULL).status);
    assert_int_equal(403, ask(f, "", 0, XF("POST", "/orders/1"), "X-User-Id: alice", NULL).status);
    /* Two conventions, one header twice, half a convention, none at all. */
    assert_int_equal(400, ask(f, "", 0, XF("GET", "/orders/1"), "X-Original-URI: /orders/1",
                              "X-User-Id: alice", NULL)
                              .status);
    assert_int_equal(
        400, ask(f, "/orders/1", 0, XF("GET", "/orders/1"), "X-User-Id: alice", NULL).status);
    assert_int_equal(400, ask(f, "", 0, XO("GET", "/orders/1"), "X-Original-URI: /orders/2",
                              "X-User-Id: alice", NULL)
                              .status);
    assert_int_equal(
        400,
        ask(f, "", 0, XO("GET", "/orders/1"), "X-User-Id: alice", "X-User-Id: bob", NULL).status);
    assert_int_equal(400,
                     ask(f, "", 0, "X-Forwarded-Uri: /orders/1", "X-User-Id: alice", NULL).status);
    assert_int_equal(400, ask(f, "", 0, "X-User-Id: alice", NULL).status);
    /* Paths the route index refuses. */
    a = ask(f, "", 0, XO("GET", "/orders/%2F"), "X-User-Id: alice", NULL);
    assert_int_equal(400, a.status);
    assert_string_equal("", a.user);
    assert_int_equal(400,
                     ask(f, "", 0, XO("GET", "/x/../orders/1"), "X-User-Id: alice", NULL).status);
    assert_int_equal(400, ask(f, "", 0, XO("G T", "/orders/1"), "X-User-Id: alice", NULL).status);
    /* No user: 401 with a challenge; unknown user: 403. */
    a = ask(f, "", 0, XO("GET", "/orders/1"), NULL);
    assert_int_equal(401, a.status);
    assert_non_null(a.www_authenticate);
    assert_int_equal(403, ask(f, "", 0, XO("GET", "/orders/1"), "X-User-Id: bob", NULL).status);
    /* Unmatched: 403 by default. */
    assert_int_equal(403, ask(f, "", 0, XO("GET", "/cart"), "X-User-Id: alice", NULL).status);
    authz_forward_free(f);
}

static void test_options(void **state) {
    (void)state;
    authz_forward_config cfg = {
        .user_header = "X-Remote-User", .ns = "shop", .unmatched_allow = true, .secret = "s3cret"};
    authz_forward *f = make(&cfg);
    assert_int_equal(200, ask(f, "", 0, XO("GET", "/cart"), "X-Remote-User: alice", NULL).status);
    assert_int_equal(401, ask(f, "", 0, XO("GET", "/cart"), "X-User-Id: alice", NULL).status);
    /* Unmatched in "shop": allowed, and no user is named. */
    authz_fwd_answer a = ask(f, "", 0, XO("GET", "/orders/1"), NULL);
    assert_int_equal(200, a.status);
    assert_string_equal("", a.user);
    /* The namespace header is ignored unless allowed. */
    assert_int_equal(200, ask(f, "", 0, XO("GET", "/cart"), "X-Remote-User: alice",
                              "X-Authz-Namespace: default", NULL)
                              .status);
    /* Where the listener needs it, the secret must come and match. */
    assert_int_equal(401, ask(f, "", 1, XO("GET", "/cart"), "X-Remote-User: alice", NULL).status);
    assert_int_equal(401, ask(f, "", 1, XO("GET", "/cart"), "X-Remote-User: alice",
                              "X-Authz-Forward-Secret: s3cre", NULL)
                              .status);
    assert_int_equal(200, ask(f, "", 1, XO("GET", "/cart"), "X-Remote-User: alice",
                              "X-Authz-Forward-Secret: s3cret", NULL)
                              .status);
    authz_forward_free(f);
    cfg.allow_ns_header = true;
    cfg.unmatched_allow = false;
    f = make(&cfg);
    assert_int_equal(403, ask(f, "", 0, XO("GET", "/cart"), "X-Remote-User: alice",
                              "X-Authz-Namespace: default", NULL)
                              .status);
    assert_int_equal(200, ask(f, "", 0, XO("GET", "/orders/3"), "X-Remote-User: alice",
                              "X-Authz-Namespace: default", NULL)
                              .status);
    assert_int_equal(403, ask(f, "", 0, XO("GET", "/orders/3"), "X-Remote-User: alice",
                              "X-Authz-Namespace: nope", NULL)
                              .status);
    authz_forward_free(f);
}

static void test_decision_log(void **state) {
    (void)state;
    char path[] = "/tmp/authz_declog_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    authz_forward_config cfg = {.decision_log = path, .decision_log_sample = 3};
    authz_forward *f = make(&cfg);
    for (int i = 0; i < 9; i++)
        assert_int_equal(200,
                         ask(f, "", 0, XO("GET", "/orders/5"), "X-User-Id: alice", NULL).status);
    for (int i = 0; i < 5; i++)
        assert_int_equal(403,
                         ask(f, "", 0, XO("POST", "/orders/5"), "X-User-Id: alice", NULL).status);
    authz_forward_free(f); /* drains the queue */
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    char line[4096];
    int allowed = 0, denied = 0;
    while (fgets(line, sizeof line, in)) {
        json_t *o = json_loads(line, 0, NULL);
        assert_non_null(o);
        assert_string_equal("alice", json_string_value(json_object_get(o, "user")));
        assert_string_equal("orders:5", json_string_value(json_object_get(o, "resource")));
        assert_string_equal("default", json_string_value(json_object_get(o, "namespace")));
        assert_non_null(json_string_value(json_object_get(o, "time")));
        assert_true(json_is_integer(json_object_get(o, "revision")));
        if (json_is_true(json_object_get(o, "allowed"))) {
            allowed++;
            json_t *p = json_object_get(o, "principal"), *g = json_object_get(o, "grant");
            assert_string_equal("ROLE", json_string_value(json_object_get(p, "type")));
            assert_string_equal("reader", json_string_value(json_object_get(p, "id")));
            assert_string_equal("orders:*", json_string_value(json_object_get(g, "resource")));
            assert_string_equal("GET", json_string_value(json_object_get(o, "action")));
        } else {
            denied++;
            assert_true(json_is_null(json_object_get(o, "principal")));
            assert_string_equal("POST", json_string_value(json_object_get(o, "action")));
        }
        json_decref(o);
    }
    fclose(in);
    unlink(path);
    assert_int_equal(3, allowed); /* one in three */
    assert_int_equal(5, denied);  /* every denial */
}

typedef struct drain {
    int fd;
    size_t lines;
} drain;

static void *drain_pipe(void *arg) {
    drain *d = arg;
    char buf[65536];
    ssize_t n;
    while ((n = read(d->fd, buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++) d->lines += buf[i] == '\n';
    return NULL;
}

static void test_stalled_writer(void **state) {
    (void)state;
    int p[2];
    assert_int_equal(0, pipe(p));
    authz_declog *l = authz_declog_new(p[1], 1, 16, 1);
    assert_non_null(l);
    char text[1024];
    memset(text, 'x', sizeof text);
    /* Nobody reads the pipe: the writer blocks once it is full, the queue fills, and every
     * further push is dropped and counted instead of waiting. */
    const size_t pushes = 20000;
    for (size_t i = 0; i < pushes; i++) authz_declog_push(l, text, sizeof text);
    uint64_t dropped = authz_declog_dropped(l);
    assert_true(dropped > 0);
    assert_true(dropped < pushes);
    print_message("stalled writer: %zu pushes, %llu dropped and counted\n", pushes,
                  (unsigned long long)dropped);
    drain d = {p[0], 0};
    pthread_t t;
    assert_int_equal(0, pthread_create(&t, NULL, drain_pipe, &d));
    authz_declog_free(l); /* writes what is queued, closes the pipe */
    pthread_join(t, NULL);
    close(p[0]);
    assert_int_equal(pushes, d.lines + dropped);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conventions),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_decision_log),
        cmocka_unit_test(test_stalled_writer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

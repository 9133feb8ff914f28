/*
 * test_check.c - the permission check and its companions. Principals: the user, its roles
 * (assigned directly or through a department it is a direct member of), its groups and its
 * departments. Resource forms: `*`, `code`, `code:*`, `code:id` (an instance grant allows only
 * that instance; a code grant allows every instance; codes sharing a prefix are distinct), and
 * action `*`. Role windows on the fake clock (before, inside, at the end), DISABLE status and
 * disable_time. Errors: unknown user is a denial, unknown namespace ENOTFOUND, malformed
 * resource or action EINVAL. authz_explain names the principal and grant; prepared checks agree
 * with authz_check before and after writes, renames and deletes.
 */
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

#define ALLOWED(u, r, a) assert_true(uh_allowed(eng, NULL, (u), (r), (a)))
#define DENIED(u, r, a) assert_false(uh_allowed(eng, NULL, (u), (r), (a)))

static void a_user_grant_allows_only_that_user_and_action(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "alice", "books", "read");
    ALLOWED("alice", "books", "read");
    DENIED("alice", "books", "write");
    DENIED("bob", "books", "read");
    DENIED("alice", "files", "read");
}

static void an_instance_grant_allows_only_that_instance(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books:1", "read");
    ALLOWED("u", "books:1", "read");
    DENIED("u", "books:2", "read");
    DENIED("u", "books", "read");
    DENIED("u", "books:*", "read");
    DENIED("u", "books:10", "read");
}

static void a_code_grant_allows_every_instance(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "read");
    ALLOWED("u", "books", "read");
    ALLOWED("u", "books:7", "read");
    ALLOWED("u", "books:*", "read");
    ALLOWED("u", "books:a:b", "read");
    DENIED("u", "books2", "read");
    DENIED("u", "books2:7", "read");
    DENIED("u", "book", "read");
}

static void a_code_star_grant_is_the_code_grant(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books:*", "read");
    ALLOWED("u", "books", "read");
    ALLOWED("u", "books:7", "read");
    DENIED("u", "booksx:7", "read");
}

static void the_star_resource_allows_every_resource(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "*", "read");
    ALLOWED("u", "books", "read");
    ALLOWED("u", "x.y:1", "read");
    ALLOWED("u", "*", "read");
    DENIED("u", "books", "write");
    uh_namespace(eng, "ns");
    assert_false(uh_allowed(eng, "ns", "u", "books", "read"));
}

static void the_star_action_allows_every_action(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books:1", "*");
    ALLOWED("u", "books:1", "read");
    ALLOWED("u", "books:1", "anything-at-all");
    DENIED("u", "books:2", "read");
}

static void an_instance_id_may_contain_colons(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books:a:b", "read");
    ALLOWED("u", "books:a:b", "read");
    DENIED("u", "books:a", "read");
    DENIED("u", "books:a:b:c", "read");
}

static void a_direct_role_allows(void **state) {
    (void)state;
    uh_role(eng, NULL, "reader");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "reader", "books", "read");
    DENIED("alice", "books", "read");
    uh_assign(eng, NULL, "reader", AUTHZ_TARGET_USER, "alice", NULL);
    ALLOWED("alice", "books", "read");
    authz_target t = {AUTHZ_TARGET_USER, "alice"};
    OK(authz_role_revoke(eng, NULL, "reader", &t, 1, NULL));
    DENIED("alice", "books", "read");
}

static void a_role_through_a_department_allows_its_direct_members(void **state) {
    (void)state;
    uh_role(eng, NULL, "reader");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "reader", "books", "read");
    uh_assign(eng, NULL, "reader", AUTHZ_TARGET_DEPARTMENT, "sales", NULL);
    uh_join_department(eng, "sales", "alice");
    uh_join_department(eng, "sales-east", "bob"); /* no department tree */
    ALLOWED("alice", "books", "read");
    DENIED("bob", "books", "read");
}

static void a_role_of_another_namespace_does_not_count(void **state) {
    (void)state;
    uh_namespace(eng, "ns");
    uh_role(eng, "ns", "reader");
    uh_grant(eng, "ns", AUTHZ_TARGET_ROLE, "reader", "books", "read");
    uh_assign(eng, "ns", "reader", AUTHZ_TARGET_USER, "alice", NULL);
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "alice", "other", "x");
    assert_true(uh_allowed(eng, "ns", "alice", "books", "read"));
    DENIED("alice", "books", "read");
}

static void a_group_grant_allows_its_members(void **state) {
    (void)state;
    uh_group(eng, "g");
    uh_grant(eng, NULL, AUTHZ_TARGET_GROUP, "g", "books", "read");
    DENIED("alice", "books", "read");
    uh_join_group(eng, "g", "alice");
    ALLOWED("alice", "books", "read");
    const char *u[] = {"alice"};
    OK(authz_group_remove_members(eng, "g", u, 1, NULL));
    DENIED("alice", "books", "read");
}

static void a_department_grant_allows_its_members(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_DEPARTMENT, "d", "books", "read");
    uh_join_department(eng, "d", "alice");
    ALLOWED("alice", "books", "read");
    DENIED("bob", "books", "read");
}

static void role_window_counts_from_enable_until_before_end(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    authz_role_window w = {UH_T0 + 100, UH_T0 + 200};
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "u", &w);
    DENIED("u", "books", "read");
    uh_now = UH_T0 + 99;
    DENIED("u", "books", "read");
    uh_now = UH_T0 + 100;
    ALLOWED("u", "books", "read");
    uh_now = UH_T0 + 199;
    ALLOWED("u", "books", "read");
    uh_now = UH_T0 + 200;
    DENIED("u", "books", "read");
    uh_now = UH_T0 + 100000;
    DENIED("u", "books", "read");
}

static void open_ended_windows(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    authz_role_window from = {UH_T0 + 10, 0};
    authz_role_window until = {0, UH_T0 + 10};
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "late", &from);
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "early", &until);
    DENIED("late", "books", "read");
    ALLOWED("early", "books", "read");
    uh_now = UH_T0 + 10;
    ALLOWED("late", "books", "read");
    DENIED("early", "books", "read");
    uh_now = INT64_MAX / 2;
    ALLOWED("late", "books", "read");
}

static void a_department_assignment_window_applies_to_members(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    authz_role_window w = {0, UH_T0 + 5};
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_DEPARTMENT, "d", &w);
    uh_join_department(eng, "d", "u");
    ALLOWED("u", "books", "read");
    uh_now = UH_T0 + 5;
    DENIED("u", "books", "read");
}

static void reassigning_replaces_the_window(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    authz_role_window past = {1, 2};
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "u", &past);
    DENIED("u", "books", "read");
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "u", NULL);
    ALLOWED("u", "books", "read");
}

static void a_disabled_role_grants_nothing(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "u", NULL);
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_DEPARTMENT, "d", NULL);
    uh_join_department(eng, "d", "v");
    authz_role_status st = AUTHZ_ROLE_DISABLE;
    authz_role_patch p = {NULL, "r", NULL, NULL, NULL, &st, NULL};
    OK(authz_role_update(eng, &p, NULL));
    DENIED("u", "books", "read");
    DENIED("v", "books", "read");
    st = AUTHZ_ROLE_ENABLE;
    OK(authz_role_update(eng, &p, NULL));
    ALLOWED("u", "books", "read");
    ALLOWED("v", "books", "read");
}

static void a_role_past_its_disable_time_grants_nothing(void **state) {
    (void)state;
    authz_role_spec s = {NULL, "r", NULL, NULL, UH_T0 + 50};
    OK(authz_role_create(eng, &s, NULL, NULL));
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "u", NULL);
    uh_now = UH_T0 + 49;
    ALLOWED("u", "books", "read");
    uh_now = UH_T0 + 51;
    DENIED("u", "books", "read");
    int64_t never = 0;
    authz_role_patch p = {NULL, "r", NULL, NULL, NULL, NULL, &never};
    OK(authz_role_update(eng, &p, NULL));
    ALLOWED("u", "books", "read");
    int64_t later = UH_T0 + 1000;
    p.disable_time = &later;
    OK(authz_role_update(eng, &p, NULL));
    ALLOWED("u", "books", "read");
    uh_now = UH_T0 + 1001;
    DENIED("u", "books", "read");
}

static void a_disabled_role_does_not_hide_other_principals(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "read");
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "u", NULL);
    authz_role_status st = AUTHZ_ROLE_DISABLE;
    authz_role_patch p = {NULL, "r", NULL, NULL, NULL, &st, NULL};
    OK(authz_role_update(eng, &p, NULL));
    ALLOWED("u", "books", "read");
}

static void unknown_users_are_denied_not_errors(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "*", "*");
    bool a = true;
    OK(authz_check(eng, NULL, "never-seen", "books", "read", &a, NULL));
    assert_false(a);
    OK(authz_check(eng, "", "u", "books", "read", &a, NULL)); /* "" is default */
    assert_true(a);
}

static void check_errors(void **state) {
    (void)state;
    bool a;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE,
            authz_check(eng, "nons", "u", "books", "read", &a, ERR));
    assert_int_equal(40401, authz_api_code(&uh_err));
    const char *bad_res[] = {"", "a b", "books:", ":1", "**", "books:\xc3\xa9", NULL};
    for (size_t i = 0; i < sizeof bad_res / sizeof bad_res[0]; i++)
        FAILS(eng, AUTHZ_EINVAL, authz_check(eng, NULL, "u", bad_res[i], "read", &a, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_check(eng, NULL, "u", "books", "", &a, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_check(eng, NULL, "u", "books", "a b", &a, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_check(eng, NULL, "u", "books", NULL, &a, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_check(eng, NULL, "u", "books", uh_repeat('a', 129), &a, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_check(eng, NULL, "u", "books", "read", NULL, ERR));
}

/* The check validates only what no write validated before (a known user, a granted code, an
 * action its table knows): every malformed argument still gets its error, in the same order
 * (user, resource, action, namespace), whether or not the rest of the check names known things. */
static void check_errors_do_not_depend_on_what_is_known(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_DEPARTMENT, "d", "*", "del");
    uh_join_department(eng, "d", "u");
    bool a;
    const char *bad_user[] = {"", "a\tb", "x\x01", "caf\xc3", uh_repeat('u', 129)};
    for (size_t i = 0; i < sizeof bad_user / sizeof bad_user[0]; i++) {
        FAILS_O(eng, AUTHZ_EINVAL, AUTHZ_OBJ_USER,
                authz_check(eng, NULL, bad_user[i], "books", "read", &a, ERR));
        FAILS_O(eng, AUTHZ_EINVAL, AUTHZ_OBJ_USER,
                authz_check(eng, "nons", bad_user[i], "books:", "r ead", &a, ERR));
    }
    FAILS_O(eng, AUTHZ_EINVAL, AUTHZ_OBJ_USER,
            authz_check(eng, NULL, NULL, "books", "read", &a, ERR));
    /* A granted code with a malformed rest, the "*" code, a malformed action on a granted code. */
    const char *bad_res[] = {"books:", "books:a b", "*:1", "*:*", "books:\xc3\xa9"};
    for (size_t i = 0; i < sizeof bad_res / sizeof bad_res[0]; i++) {
        FAILS_O(eng, AUTHZ_EINVAL, AUTHZ_OBJ_RESOURCE,
                authz_check(eng, NULL, "u", bad_res[i], "read", &a, ERR));
        FAILS_O(eng, AUTHZ_EINVAL, AUTHZ_OBJ_RESOURCE,
                authz_check(eng, "nons", "u", bad_res[i], "r ead", &a, ERR));
    }
    FAILS(eng, AUTHZ_EINVAL, authz_check(eng, NULL, "u", "books", "r ead", &a, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_check(eng, NULL, "u", "books:1", "", &a, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_check(eng, "nons", "u", "books", "r ead", &a, ERR));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE,
            authz_check(eng, "nons", "u", "books", "read", &a, ERR));
    /* Names the engine holds as something else than a user are valid, unknown users. */
    OK(authz_check(eng, NULL, "books", "books", "read", &a, NULL));
    assert_false(a);
    OK(authz_check(eng, NULL, "d", "books:1", "read", &a, NULL));
    assert_false(a);
    OK(authz_check(eng, NULL, "u", "books:1", "read", &a, NULL));
    assert_true(a);
    OK(authz_check(eng, NULL, "u", "maps:x:y", "del", &a, NULL));
    assert_true(a);
    OK(authz_check(eng, NULL, "u", "*", "read", &a, NULL));
    assert_false(a);
    authz_prepared *p = NULL;
    OK(authz_prepare(eng, NULL, "books", "read", &p, NULL));
    for (size_t i = 0; i < sizeof bad_user / sizeof bad_user[0]; i++)
        FAILS_O(eng, AUTHZ_EINVAL, AUTHZ_OBJ_USER,
                authz_check_prepared(eng, p, bad_user[i], &a, ERR));
    OK(authz_check_prepared(eng, p, "books", &a, NULL));
    assert_false(a);
    OK(authz_check_prepared(eng, p, "u", &a, NULL));
    assert_true(a);
    authz_free(p);
}

static void explain_names_the_principal_and_grant(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_group(eng, "g");
    const char *ra[] = {"read", "list"};
    uh_grant_actions(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", ra, 2);
    uh_grant(eng, NULL, AUTHZ_TARGET_GROUP, "g", "books:1", "write");
    uh_grant(eng, NULL, AUTHZ_TARGET_DEPARTMENT, "d", "*", "del");
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "u", NULL);
    uh_join_group(eng, "g", "u");
    uh_join_department(eng, "d", "u");
    authz_explanation *x = NULL;
    OK(authz_explain(eng, NULL, "u", "books:3", "list", &x, NULL));
    assert_true(x->allowed);
    assert_int_equal(AUTHZ_TARGET_ROLE, x->principal_type);
    assert_string_equal("r", x->principal_id);
    assert_string_equal("books", x->resource);
    assert_int_equal(2, x->action_count);
    assert_string_equal("read", x->actions[0]);
    assert_string_equal("list", x->actions[1]);
    authz_free(x);
    OK(authz_explain(eng, NULL, "u", "books:1", "write", &x, NULL));
    assert_int_equal(AUTHZ_TARGET_GROUP, x->principal_type);
    assert_string_equal("g", x->principal_id);
    assert_string_equal("books:1", x->resource);
    authz_free(x);
    OK(authz_explain(eng, NULL, "u", "x", "del", &x, NULL));
    assert_int_equal(AUTHZ_TARGET_DEPARTMENT, x->principal_type);
    assert_string_equal("d", x->principal_id);
    assert_string_equal("*", x->resource);
    authz_free(x);
    OK(authz_explain(eng, NULL, "u", "x", "nothing", &x, NULL));
    assert_false(x->allowed);
    authz_free(x);
    OK(authz_explain(eng, NULL, "stranger", "x", "del", &x, NULL));
    assert_false(x->allowed);
    authz_free(x);
}

static void explain_prefers_the_user_then_roles(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_DEPARTMENT, "d", "books", "read");
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "u", NULL);
    uh_join_department(eng, "d", "u");
    authz_explanation *x = NULL;
    OK(authz_explain(eng, NULL, "u", "books", "read", &x, NULL));
    assert_int_equal(AUTHZ_TARGET_ROLE, x->principal_type);
    authz_free(x);
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books:*", "*");
    OK(authz_explain(eng, NULL, "u", "books", "read", &x, NULL));
    assert_int_equal(AUTHZ_TARGET_USER, x->principal_type);
    assert_string_equal("u", x->principal_id);
    assert_string_equal("books:*", x->resource);
    assert_int_equal(1, x->action_count);
    assert_string_equal("*", x->actions[0]);
    authz_free(x);
}

static void explain_errors(void **state) {
    (void)state;
    authz_explanation *x = NULL;
    FAILS(eng, AUTHZ_ENOTFOUND, authz_explain(eng, "nons", "u", "b", "r", &x, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_explain(eng, NULL, "u", "b c", "r", &x, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_explain(eng, NULL, "u", "b", "", &x, ERR));
}

static bool prepared(authz_prepared *p, const char *user) {
    bool a = true;
    OK(authz_check_prepared(eng, p, user, &a, NULL));
    return a;
}

static void prepared_checks_agree_with_check(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "a", NULL);
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "b", "books:1", "read");
    const char *users[] = {"a", "b", "c", "nobody"};
    const char *res[] = {"books:1", "books:2", "books", "files"};
    for (size_t r = 0; r < 4; r++) {
        authz_prepared *p = NULL;
        OK(authz_prepare(eng, NULL, res[r], "read", &p, NULL));
        for (size_t u = 0; u < 4; u++)
            assert_int_equal(uh_allowed(eng, NULL, users[u], res[r], "read"),
                             prepared(p, users[u]));
        authz_free(p);
    }
}

static void prepared_checks_follow_writes(void **state) {
    (void)state;
    uh_namespace(eng, "ns");
    authz_prepared *p = NULL;
    OK(authz_prepare(eng, "ns", "books:1", "read", &p, NULL));
    assert_false(prepared(p, "u"));
    uh_grant(eng, "ns", AUTHZ_TARGET_USER, "u", "books", "read");
    assert_true(prepared(p, "u"));
    OK(authz_resource_delete(eng, "ns", "books", NULL));
    assert_false(prepared(p, "u"));
    uh_grant(eng, "ns", AUTHZ_TARGET_USER, "u", "books:1", "read");
    assert_true(prepared(p, "u"));

    authz_namespace_patch ren = {"ns", "ns2", NULL, NULL};
    OK(authz_namespace_update(eng, &ren, NULL, NULL));
    bool a;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE, authz_check_prepared(eng, p, "u", &a, ERR));
    authz_namespace_patch back = {"ns2", "ns", NULL, NULL};
    OK(authz_namespace_update(eng, &back, NULL, NULL));
    assert_true(prepared(p, "u"));

    OK(authz_namespace_delete(eng, "ns", NULL));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_check_prepared(eng, p, "u", &a, ERR));
    uh_namespace(eng, "ns");
    assert_false(prepared(p, "u"));
    uh_grant(eng, "ns", AUTHZ_TARGET_USER, "u", "*", "read");
    assert_true(prepared(p, "u"));
    authz_free(p);
}

static void prepared_checks_see_role_windows_on_the_clock(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    authz_role_window w = {0, UH_T0 + 1};
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "u", &w);
    authz_prepared *p = NULL;
    OK(authz_prepare(eng, NULL, "books", "read", &p, NULL));
    assert_true(prepared(p, "u"));
    uh_now = UH_T0 + 1;
    assert_false(prepared(p, "u"));
    authz_free(p);
}

static void prepare_errors(void **state) {
    (void)state;
    authz_prepared *p = NULL;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE,
            authz_prepare(eng, "nons", "books", "read", &p, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_prepare(eng, NULL, "books:", "read", &p, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_prepare(eng, NULL, "books", "r ead", &p, ERR));
    OK(authz_prepare(eng, NULL, "books", "read", &p, NULL));
    FAILS(eng, AUTHZ_EINVAL, authz_check_prepared(eng, p, "u", NULL, ERR));
    authz_free(p);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(a_user_grant_allows_only_that_user_and_action),
        T(an_instance_grant_allows_only_that_instance),
        T(a_code_grant_allows_every_instance),
        T(a_code_star_grant_is_the_code_grant),
        T(the_star_resource_allows_every_resource),
        T(the_star_action_allows_every_action),
        T(an_instance_id_may_contain_colons),
        T(a_direct_role_allows),
        T(a_role_through_a_department_allows_its_direct_members),
        T(a_role_of_another_namespace_does_not_count),
        T(a_group_grant_allows_its_members),
        T(a_department_grant_allows_its_members),
        T(role_window_counts_from_enable_until_before_end),
        T(open_ended_windows),
        T(a_department_assignment_window_applies_to_members),
        T(reassigning_replaces_the_window),
        T(a_disabled_role_grants_nothing),
        T(a_role_past_its_disable_time_grants_nothing),
        T(a_disabled_role_does_not_hide_other_principals),
        T(unknown_users_are_denied_not_errors),
        T(check_errors),
        T(check_errors_do_not_depend_on_what_is_known),
        T(explain_names_the_principal_and_grant),
        T(explain_prefers_the_user_then_roles),
        T(explain_errors),
        T(prepared_checks_agree_with_check),
        T(prepared_checks_follow_writes),
        T(prepared_checks_see_role_windows_on_the_clock),
        T(prepare_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

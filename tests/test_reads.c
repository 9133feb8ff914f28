/*
 * test_reads.c - the grant reads. authz_target_grants lists one target's direct grants in grant
 * order (filters: resource type, resource prefixes with one trailing '*' ignored), with the
 * created resource's description and API identifier; authz_user_grants merges every principal's
 * grants per resource string in the order user, roles, groups, departments, applying role
 * windows and status; authz_resource_targets lists the holders of exactly one resource string,
 * by type, paged, in grant order. Unknown objects are reported as authz.h says per read.
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

static void grant_typed(authz_target_type t, const char *who, const char *res, const char *act,
                        authz_resource_type type) {
    authz_grant_resource r = {res, &act, 1, type};
    authz_grant_item it = {t, &who, 1, &r, 1};
    OK(authz_authorize(eng, NULL, &it, 1, NULL));
}

static authz_grant_list *target_grants(authz_target_type t, const char *who,
                                       const authz_grant_filter *f) {
    authz_grant_list *l = NULL;
    OK(authz_target_grants(eng, NULL, t, who, f, &l, NULL));
    assert_int_equal(l->count, l->total_count);
    return l;
}

static void expect_resources(const authz_grant_list *l, const char *const *want, size_t n) {
    assert_int_equal(n, l->count);
    for (size_t i = 0; i < n; i++) assert_string_equal(want[i], l->items[i].resource);
}

static void target_grants_are_direct_only_in_grant_order(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "roles-thing", "read");
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "u", NULL);
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "zeta", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "alpha:1", "write");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "zeta", "list"); /* keeps zeta's place */
    authz_grant_list *l = target_grants(AUTHZ_TARGET_USER, "u", NULL);
    const char *want[] = {"zeta", "alpha:1"};
    expect_resources(l, want, 2);
    assert_int_equal(2, l->items[0].action_count);
    assert_string_equal("read", l->items[0].actions[0]);
    assert_string_equal("list", l->items[0].actions[1]);
    authz_free(l);
}

static void target_grants_carry_the_created_resources_texts(void **state) {
    (void)state;
    authz_resource_spec s = {"books", AUTHZ_RESOURCE_API, NULL, "the books", "/books", NULL, 0};
    OK(authz_resource_create(eng, NULL, &s, NULL, NULL));
    grant_typed(AUTHZ_TARGET_USER, "u", "books", "read", AUTHZ_RESOURCE_API);
    grant_typed(AUTHZ_TARGET_USER, "u", "ghost", "read", AUTHZ_RESOURCE_MENU);
    authz_grant_list *l = target_grants(AUTHZ_TARGET_USER, "u", NULL);
    assert_string_equal("the books", l->items[0].description);
    assert_string_equal("/books", l->items[0].api_identifier);
    assert_int_equal(AUTHZ_RESOURCE_API, l->items[0].type);
    assert_string_equal("", l->items[1].description);
    assert_string_equal("", l->items[1].api_identifier);
    assert_int_equal(AUTHZ_RESOURCE_MENU, l->items[1].type);
    authz_free(l);
}

static void target_grants_filter_by_type(void **state) {
    (void)state;
    grant_typed(AUTHZ_TARGET_USER, "u", "a", "x", AUTHZ_RESOURCE_DATA);
    grant_typed(AUTHZ_TARGET_USER, "u", "b", "x", AUTHZ_RESOURCE_MENU);
    grant_typed(AUTHZ_TARGET_USER, "u", "c", "x", AUTHZ_RESOURCE_MENU);
    authz_resource_type menu = AUTHZ_RESOURCE_MENU;
    authz_grant_filter f = {&menu, NULL, 0};
    authz_grant_list *l = target_grants(AUTHZ_TARGET_USER, "u", &f);
    const char *want[] = {"b", "c"};
    expect_resources(l, want, 2);
    authz_free(l);
}

static void target_grants_filter_by_prefix(void **state) {
    (void)state;
    const char *res[] = {"books", "books:1", "books:*", "books2", "files:9", "*"};
    for (size_t i = 0; i < 6; i++) uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", res[i], "read");
    const char *star[] = {"books:*"};
    authz_grant_filter f = {NULL, star, 1};
    authz_grant_list *l = target_grants(AUTHZ_TARGET_USER, "u", &f);
    const char *want1[] = {"books:1", "books:*"};
    expect_resources(l, want1, 2);
    authz_free(l);
    const char *plain[] = {"books"};
    f.resources = plain;
    l = target_grants(AUTHZ_TARGET_USER, "u", &f);
    const char *want2[] = {"books", "books:1", "books:*", "books2"};
    expect_resources(l, want2, 4);
    authz_free(l);
    const char *two[] = {"files", "books:1"};
    f.resources = two;
    f.resource_count = 2;
    l = target_grants(AUTHZ_TARGET_USER, "u", &f);
    const char *want3[] = {"books:1", "files:9"};
    expect_resources(l, want3, 2);
    authz_free(l);
    const char *none[] = {"nothing"};
    f.resources = none;
    f.resource_count = 1;
    l = target_grants(AUTHZ_TARGET_USER, "u", &f);
    assert_int_equal(0, l->count);
    authz_free(l);
}

static void target_grants_unknowns(void **state) {
    (void)state;
    authz_grant_list *l = NULL;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_ROLE,
            authz_target_grants(eng, NULL, AUTHZ_TARGET_ROLE, "ghost", NULL, &l, ERR));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_GROUP,
            authz_target_grants(eng, NULL, AUTHZ_TARGET_GROUP, "ghost", NULL, &l, ERR));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE,
            authz_target_grants(eng, "nons", AUTHZ_TARGET_USER, "u", NULL, &l, ERR));
    l = target_grants(AUTHZ_TARGET_USER, "never-seen", NULL);
    assert_int_equal(0, l->count);
    authz_free(l);
    l = target_grants(AUTHZ_TARGET_DEPARTMENT, "never-seen", NULL);
    assert_int_equal(0, l->count);
    authz_free(l);
    FAILS(eng, AUTHZ_EINVAL,
          authz_target_grants(eng, NULL, (authz_target_type)9, "u", NULL, &l, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_target_grants(eng, NULL, AUTHZ_TARGET_USER, "", NULL, &l, ERR));
}

static void user_grants_merge_every_principal_in_order(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_group(eng, "g");
    uh_grant(eng, NULL, AUTHZ_TARGET_DEPARTMENT, "d", "dept-only", "x");
    uh_grant(eng, NULL, AUTHZ_TARGET_GROUP, "g", "books", "share");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "write");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "role-only", "x");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "write");
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_USER, "u", NULL);
    uh_join_group(eng, "g", "u");
    uh_join_department(eng, "d", "u");
    authz_grant_list *l = NULL;
    OK(authz_user_grants(eng, NULL, "u", NULL, &l, NULL));
    const char *want[] = {"books", "role-only", "dept-only"};
    expect_resources(l, want, 3);
    /* read, write, share merged once each; their order is the code's action order, which
     * authz.h leaves as "the order first granted", so only the set is asserted */
    assert_int_equal(3, l->items[0].action_count);
    assert_true(uh_has_action(l->items[0].actions, 3, "read"));
    assert_true(uh_has_action(l->items[0].actions, 3, "write"));
    assert_true(uh_has_action(l->items[0].actions, 3, "share"));
    authz_free(l);
}

static void user_grants_include_roles_held_through_departments(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_DEPARTMENT, "d", NULL);
    uh_join_department(eng, "d", "u");
    authz_grant_list *l = NULL;
    OK(authz_user_grants(eng, NULL, "u", NULL, &l, NULL));
    const char *want[] = {"books"};
    expect_resources(l, want, 1);
    authz_free(l);
}

static void user_grants_apply_windows_and_status(void **state) {
    (void)state;
    uh_role(eng, NULL, "later");
    uh_role(eng, NULL, "off");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "later", "l", "x");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "off", "o", "x");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "mine", "x");
    authz_role_window w = {UH_T0 + 10, 0};
    uh_assign(eng, NULL, "later", AUTHZ_TARGET_USER, "u", &w);
    uh_assign(eng, NULL, "off", AUTHZ_TARGET_USER, "u", NULL);
    authz_role_status dis = AUTHZ_ROLE_DISABLE;
    authz_role_patch p = {NULL, "off", NULL, NULL, NULL, &dis, NULL};
    OK(authz_role_update(eng, &p, NULL));
    authz_grant_list *l = NULL;
    OK(authz_user_grants(eng, NULL, "u", NULL, &l, NULL));
    const char *want1[] = {"mine"};
    expect_resources(l, want1, 1);
    authz_free(l);
    uh_now = UH_T0 + 10;
    OK(authz_user_grants(eng, NULL, "u", NULL, &l, NULL));
    const char *want2[] = {"mine", "l"};
    expect_resources(l, want2, 2);
    authz_free(l);
}

static void user_grants_filters_and_errors(void **state) {
    (void)state;
    grant_typed(AUTHZ_TARGET_USER, "u", "books:1", "x", AUTHZ_RESOURCE_DATA);
    grant_typed(AUTHZ_TARGET_USER, "u", "files", "x", AUTHZ_RESOURCE_UI);
    const char *pre[] = {"books:*"};
    authz_grant_filter f = {NULL, pre, 1};
    authz_grant_list *l = NULL;
    OK(authz_user_grants(eng, NULL, "u", &f, &l, NULL));
    const char *want1[] = {"books:1"};
    expect_resources(l, want1, 1);
    authz_free(l);
    authz_resource_type ui = AUTHZ_RESOURCE_UI;
    authz_grant_filter ft = {&ui, NULL, 0};
    OK(authz_user_grants(eng, NULL, "u", &ft, &l, NULL));
    const char *want2[] = {"files"};
    expect_resources(l, want2, 1);
    authz_free(l);
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER,
            authz_user_grants(eng, NULL, "nobody", NULL, &l, ERR));
    assert_int_equal(40405, authz_api_code(&uh_err));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE,
            authz_user_grants(eng, "nons", "u", NULL, &l, ERR));
}

static void resource_targets_lists_exact_holders_in_grant_order(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_group(eng, "g");
    uh_grant(eng, NULL, AUTHZ_TARGET_GROUP, "g", "books:1", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books:1", "write");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");    /* not exact */
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "v", "books:10", "read"); /* not exact */
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books:1", "del");
    authz_target_grant_list *l = NULL;
    OK(authz_resource_targets(eng, NULL, "books:1", NULL, NULL, &l, NULL));
    assert_int_equal(2, l->total_count);
    assert_int_equal(AUTHZ_TARGET_GROUP, l->items[0].type);
    assert_string_equal("g", l->items[0].identifier);
    assert_int_equal(AUTHZ_TARGET_USER, l->items[1].type);
    assert_string_equal("u", l->items[1].identifier);
    assert_int_equal(2, l->items[1].action_count);
    assert_string_equal("write", l->items[1].actions[0]);
    assert_string_equal("del", l->items[1].actions[1]);
    authz_free(l);
    authz_target_type user = AUTHZ_TARGET_USER;
    OK(authz_resource_targets(eng, NULL, "books:1", &user, NULL, &l, NULL));
    assert_int_equal(1, l->total_count);
    assert_string_equal("u", l->items[0].identifier);
    authz_free(l);
    OK(authz_resource_targets(eng, NULL, "books", NULL, NULL, &l, NULL));
    assert_int_equal(1, l->total_count);
    assert_string_equal("r", l->items[0].identifier);
    authz_free(l);
    OK(authz_resource_targets(eng, NULL, "nothing", NULL, NULL, &l, NULL));
    assert_int_equal(0, l->total_count);
    authz_free(l);
}

static void resource_targets_pages(void **state) {
    (void)state;
    for (size_t i = 0; i < 13; i++)
        uh_grant(eng, NULL, AUTHZ_TARGET_USER, uh_fmt("user", i), "books", "read");
    authz_target_grant_list *l = NULL;
    OK(authz_resource_targets(eng, NULL, "books", NULL, NULL, &l, NULL));
    assert_int_equal(13, l->total_count);
    assert_int_equal(10, l->count);
    assert_string_equal("user0", l->items[0].identifier);
    authz_free(l);
    authz_page p = {3, 6};
    OK(authz_resource_targets(eng, NULL, "books", NULL, &p, &l, NULL));
    assert_int_equal(13, l->total_count);
    assert_int_equal(1, l->count);
    assert_string_equal("user12", l->items[0].identifier);
    authz_free(l);
    authz_page bad = {0, 6};
    FAILS_F(eng, AUTHZ_EINVAL, "page",
            authz_resource_targets(eng, NULL, "books", NULL, &bad, &l, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_resource_targets(eng, NULL, "bo oks", NULL, NULL, &l, ERR));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_resource_targets(eng, "nons", "books", NULL, NULL, &l, ERR));
}

static void results_stay_valid_after_writes(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "read");
    authz_grant_list *l = target_grants(AUTHZ_TARGET_USER, "u", NULL);
    OK(authz_resource_delete(eng, NULL, "books", NULL));
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "other", "write");
    assert_string_equal("books", l->items[0].resource);
    assert_string_equal("read", l->items[0].actions[0]);
    authz_free(l);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(target_grants_are_direct_only_in_grant_order),
        T(target_grants_carry_the_created_resources_texts),
        T(target_grants_filter_by_type),
        T(target_grants_filter_by_prefix),
        T(target_grants_unknowns),
        T(user_grants_merge_every_principal_in_order),
        T(user_grants_include_roles_held_through_departments),
        T(user_grants_apply_windows_and_status),
        T(user_grants_filters_and_errors),
        T(resource_targets_lists_exact_holders_in_grant_order),
        T(resource_targets_pages),
        T(results_stay_valid_after_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

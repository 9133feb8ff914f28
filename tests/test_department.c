/*
 * test_department.c - departments, which exist once named and while something links them
 * (a department or user left with no membership, role or grant is gone, as if never named): adding
 * and removing members (join order kept, re-adding keeps the place, non-members ignored, unknown
 * department on remove is not found), authz_user_set_departments (replaces, 0..50 IDs, duplicates
 * collapse), authz_user_departments and authz_department_list_members with paging, ID syntax
 * (1..128 bytes of printable UTF-8), and the roles and grants a department hands to its direct
 * members.
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

static void expect_members(const char *dept, const char *const *want, size_t n) {
    authz_id_list *m = NULL;
    authz_page p = {1, 50};
    OK(authz_department_list_members(eng, dept, &p, &m, NULL));
    assert_int_equal(n, m->total_count);
    assert_int_equal(n, m->count);
    for (size_t i = 0; i < n; i++) assert_string_equal(want[i], m->items[i]);
    authz_free(m);
}

static void expect_departments(const char *user, const char *const *want, size_t n) {
    authz_id_list *d = NULL;
    OK(authz_user_departments(eng, user, &d, NULL));
    assert_int_equal(n, d->count);
    assert_int_equal(n, d->total_count);
    for (size_t i = 0; i < n; i++) assert_string_equal(want[i], d->items[i]);
    authz_free(d);
}

static void add_members_creates_the_department_in_join_order(void **state) {
    (void)state;
    const char *users[] = {"u2", "u1"};
    OK(authz_department_add_members(eng, "sales", users, 2, NULL));
    const char *more[] = {"u3", "u2"};
    OK(authz_department_add_members(eng, "sales", more, 2, NULL));
    const char *want[] = {"u2", "u1", "u3"};
    expect_members("sales", want, 3);
    authz_stats st;
    OK(authz_get_stats(eng, &st));
    assert_int_equal(1, st.departments);
    assert_int_equal(3, st.users);
    assert_int_equal(3, st.memberships);
}

static void remove_members_ignores_non_members(void **state) {
    (void)state;
    const char *users[] = {"a", "b", "c"};
    OK(authz_department_add_members(eng, "d", users, 3, NULL));
    const char *out[] = {"b", "zz"};
    OK(authz_department_remove_members(eng, "d", out, 2, NULL));
    const char *want[] = {"a", "c"};
    expect_members("d", want, 2);
    uint64_t dg = authz__digest(eng);
    OK(authz_department_remove_members(eng, "d", out, 2, NULL));
    assert_true(dg == authz__digest(eng));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_DEPARTMENT,
            authz_department_remove_members(eng, "unknown", out, 1, ERR));
    assert_int_equal(40406, authz_api_code(&uh_err));
}

static void set_departments_replaces_and_collapses_duplicates(void **state) {
    (void)state;
    uh_join_department(eng, "old", "alice");
    const char *ds[] = {"d2", "d1", "d2"};
    OK(authz_user_set_departments(eng, "alice", ds, 3, NULL));
    const char *want[] = {"d2", "d1"};
    expect_departments("alice", want, 2);
    authz_id_list *l = NULL;
    FAILS(eng, AUTHZ_ENOTFOUND, authz_department_list_members(eng, "old", NULL, &l, ERR));
    const char *keep[] = {"d1"};
    expect_members("d1", (const char *const[]){"alice"}, 1);
    OK(authz_user_set_departments(eng, "alice", keep, 1, NULL));
    expect_departments("alice", keep, 1);
    OK(authz_user_set_departments(eng, "alice", NULL, 0, NULL)); /* 0 is allowed */
    /* Alice has no link left: her record is gone, and so is d1's. */
    FAILS(eng, AUTHZ_ENOTFOUND, authz_user_departments(eng, "alice", &l, ERR));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_department_list_members(eng, "d1", NULL, &l, ERR));
    uh_join_department(eng, "d1", "bob");
    OK(authz_user_set_departments(eng, "bob", ds, 3, NULL));
    expect_departments("bob", want, 2);
}

static void set_departments_on_a_new_user_creates_it(void **state) {
    (void)state;
    const char *ds[] = {"d"};
    OK(authz_user_set_departments(eng, "newbie", ds, 1, NULL));
    expect_departments("newbie", ds, 1);
}

static void reads_of_unknowns_are_not_found(void **state) {
    (void)state;
    authz_id_list *l = NULL;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER, authz_user_departments(eng, "nobody", &l, ERR));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_DEPARTMENT,
            authz_department_list_members(eng, "nodept", NULL, &l, ERR));
}

static void id_syntax(void **state) {
    (void)state;
    const char *ok[] = {uh_repeat('u', 128)};
    OK(authz_department_add_members(eng, uh_repeat('d', 128), ok, 1, NULL));
    const char *over[] = {uh_repeat('u', 129)};
    FAILS(eng, AUTHZ_EINVAL, authz_department_add_members(eng, "d", over, 1, ERR));
    const char *u[] = {"u"};
    FAILS(eng, AUTHZ_EINVAL, authz_department_add_members(eng, uh_repeat('d', 129), u, 1, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_department_add_members(eng, "", u, 1, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_department_add_members(eng, NULL, u, 1, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_department_add_members(eng, "bad\x01", u, 1, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_department_add_members(eng, "bad\xff", u, 1, ERR));
    const char *ctl[] = {"fine", "del\x7f"};
    FAILS_I(eng, AUTHZ_EINVAL, 1, authz_department_add_members(eng, "d", ctl, 2, ERR));
    const char *utf[] = {"\xe5\xbc\xa0\xe4\xb8\x89"};
    OK(authz_department_add_members(eng, "\xe9\x83\xa8\xe9\x97\xa8", utf, 1, NULL));
    const char *bad_ds[] = {"ok", "x\n"};
    FAILS_I(eng, AUTHZ_EINVAL, 1, authz_user_set_departments(eng, "u", bad_ds, 2, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_user_set_departments(eng, "", bad_ds, 1, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_department_add_members(eng, "d", u, 0, ERR));
}

static void list_members_pages(void **state) {
    (void)state;
    const char *users[12];
    for (size_t i = 0; i < 12; i++) users[i] = uh_fmt("m", i);
    OK(authz_department_add_members(eng, "d", users, 12, NULL));
    authz_id_list *m = NULL;
    OK(authz_department_list_members(eng, "d", NULL, &m, NULL));
    assert_int_equal(12, m->total_count);
    assert_int_equal(10, m->count);
    assert_string_equal("m9", m->items[9]);
    authz_free(m);
    authz_page p = {2, 10};
    OK(authz_department_list_members(eng, "d", &p, &m, NULL));
    assert_int_equal(2, m->count);
    assert_string_equal("m10", m->items[0]);
    authz_free(m);
    authz_page bad = {0, 10};
    FAILS_F(eng, AUTHZ_EINVAL, "page", authz_department_list_members(eng, "d", &bad, &m, ERR));
}

static void members_get_the_departments_roles_and_grants(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    uh_grant(eng, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_DEPARTMENT, "d", "files", "write");
    uh_assign(eng, NULL, "r", AUTHZ_TARGET_DEPARTMENT, "d", NULL);
    assert_false(uh_allowed(eng, NULL, "alice", "books", "read"));
    uh_join_department(eng, "d", "alice");
    assert_true(uh_allowed(eng, NULL, "alice", "books", "read"));
    assert_true(uh_allowed(eng, NULL, "alice", "files", "write"));
    const char *out[] = {"alice"};
    OK(authz_department_remove_members(eng, "d", out, 1, NULL));
    assert_false(uh_allowed(eng, NULL, "alice", "books", "read"));
    assert_false(uh_allowed(eng, NULL, "alice", "files", "write"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(add_members_creates_the_department_in_join_order),
        T(remove_members_ignores_non_members),
        T(set_departments_replaces_and_collapses_duplicates),
        T(set_departments_on_a_new_user_creates_it),
        T(reads_of_unknowns_are_not_found),
        T(id_syntax),
        T(list_members_pages),
        T(members_get_the_departments_roles_and_grants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

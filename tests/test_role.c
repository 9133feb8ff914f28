/*
 * test_role.c - roles of a namespace and their assignments: create (single and batch, each spec
 * with its own namespace), code syntax, duplicates, get and keyword listing, update (fields,
 * status, disable_time, renames that carry grants and user/department assignments), delete_batch
 * (unknown codes reject the whole batch; grants and assignments go), assign/revoke (single and
 * batch, USER and DEPARTMENT targets only, re-assigning replaces the window in place), the member
 * listings and authz_user_roles (direct first, then through departments, each role once).
 */
#include "unit_helpers.h"

static authz_engine *eng;

static int setup(void **state) {
    (void)state;
    eng = uh_engine(false);
    uh_namespace(eng, "ns");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    uh_engine_teardown(eng);
    eng = NULL;
    return 0;
}

static authz_status create(const char *ns, const char *code, const char *name) {
    authz_role_spec s = {ns, code, name, NULL, 0};
    return authz_role_create(eng, &s, NULL, ERR);
}

static authz_target user(const char *id) {
    authz_target t = {AUTHZ_TARGET_USER, id};
    return t;
}

static authz_target dept(const char *id) {
    authz_target t = {AUTHZ_TARGET_DEPARTMENT, id};
    return t;
}

static void create_returns_the_role(void **state) {
    (void)state;
    authz_role_spec s = {NULL, "admin", "Admin", "all", 5000};
    authz_role *r = NULL;
    OK(authz_role_create(eng, &s, &r, NULL));
    assert_string_equal("default", r->namespace_code);
    assert_string_equal("admin", r->code);
    assert_string_equal("Admin", r->name);
    assert_string_equal("all", r->description);
    assert_int_equal(AUTHZ_ROLE_ENABLE, r->status);
    assert_int_equal(5000, r->disable_time);
    authz_free(r);
    OK(authz_role_get(eng, "", "admin", &r, NULL));
    assert_string_equal("Admin", r->name);
    authz_free(r);
}

static void create_errors(void **state) {
    (void)state;
    OK(create("ns", "r", NULL));
    FAILS_O(eng, AUTHZ_EEXIST, AUTHZ_OBJ_ROLE, create("ns", "r", NULL));
    assert_int_equal(40903, authz_api_code(&uh_err));
    OK(create(NULL, "r", NULL)); /* per namespace */
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE, create("nons", "r", NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create("ns", "a.b", NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create("ns", "", NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create("ns", NULL, NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create("ns", uh_repeat('r', 65), NULL));
    OK(create("ns", uh_repeat('r', 64), NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "name", create("ns", "n", uh_repeat('n', 257)));
    OK(create("ns", "n", uh_repeat('n', 256)));
    FAILS_F(eng, AUTHZ_EINVAL, "name", create("ns", "m", "\xff"));
    authz_role_spec d = {"ns", "dd", NULL, uh_repeat('d', 1025), 0};
    FAILS_F(eng, AUTHZ_EINVAL, "description", authz_role_create(eng, &d, NULL, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_role_create(eng, NULL, NULL, ERR));
}

static void batch_specs_carry_their_own_namespace(void **state) {
    (void)state;
    authz_role_spec s[3] = {
        {"ns", "r1", NULL, NULL, 0}, {NULL, "r1", NULL, NULL, 0}, {"ns", "r2", NULL, NULL, 0}};
    OK(authz_role_create_batch(eng, s, 3, NULL));
    authz_role_list *l = NULL;
    OK(authz_list_roles(eng, "ns", NULL, NULL, &l, NULL));
    assert_int_equal(2, l->total_count);
    assert_string_equal("r1", l->items[0].code);
    assert_string_equal("r2", l->items[1].code);
    authz_free(l);
    OK(authz_list_roles(eng, NULL, NULL, NULL, &l, NULL));
    assert_int_equal(1, l->total_count);
    authz_free(l);
}

static void batch_failures_name_the_item_and_create_nothing(void **state) {
    (void)state;
    authz_role_spec dup[3] = {
        {"ns", "a", NULL, NULL, 0}, {"ns", "b", NULL, NULL, 0}, {"ns", "a", NULL, NULL, 0}};
    FAILS_I(eng, AUTHZ_EEXIST, 2, authz_role_create_batch(eng, dup, 3, ERR));
    authz_role_spec nons[2] = {{"ns", "a", NULL, NULL, 0}, {"nons", "b", NULL, NULL, 0}};
    FAILS_I(eng, AUTHZ_ENOTFOUND, 1, authz_role_create_batch(eng, nons, 2, ERR));
    authz_role_spec bad[2] = {{"ns", "a", NULL, NULL, 0}, {"ns", "b c", NULL, NULL, 0}};
    FAILS_I(eng, AUTHZ_EINVAL, 1, authz_role_create_batch(eng, bad, 2, ERR));
    OK(create("ns", "b", NULL));
    FAILS_I(eng, AUTHZ_EEXIST, 1, authz_role_create_batch(eng, dup, 2, ERR));
}

static void get_unknown_is_enotfound_role(void **state) {
    (void)state;
    authz_role *r = NULL;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_ROLE, authz_role_get(eng, "ns", "x", &r, ERR));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE, authz_role_get(eng, "nons", "x", &r, ERR));
}

static void list_filters_on_code_or_name_and_pages(void **state) {
    (void)state;
    OK(create("ns", "admin", "Boss"));
    OK(create("ns", "reader", "Admin reader"));
    OK(create("ns", "writer", "W"));
    authz_role_list *l = NULL;
    OK(authz_list_roles(eng, "ns", "dmin", NULL, &l, NULL));
    assert_int_equal(2, l->total_count);
    assert_string_equal("admin", l->items[0].code);
    assert_string_equal("reader", l->items[1].code);
    authz_free(l);
    authz_page p = {2, 2};
    OK(authz_list_roles(eng, "ns", NULL, &p, &l, NULL));
    assert_int_equal(3, l->total_count);
    assert_int_equal(1, l->count);
    assert_string_equal("writer", l->items[0].code);
    authz_free(l);
    authz_page bad = {1, 51};
    FAILS_F(eng, AUTHZ_EINVAL, "limit", authz_list_roles(eng, "ns", NULL, &bad, &l, ERR));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_list_roles(eng, "nons", NULL, NULL, &l, ERR));
}

static void update_changes_fields_status_and_disable_time(void **state) {
    (void)state;
    OK(create("ns", "r", "old"));
    authz_role_status dis = AUTHZ_ROLE_DISABLE;
    int64_t when = 77;
    authz_role_patch p = {"ns", "r", NULL, "new", "desc", &dis, &when};
    OK(authz_role_update(eng, &p, NULL));
    authz_role *r = NULL;
    OK(authz_role_get(eng, "ns", "r", &r, NULL));
    assert_string_equal("new", r->name);
    assert_string_equal("desc", r->description);
    assert_int_equal(AUTHZ_ROLE_DISABLE, r->status);
    assert_int_equal(77, r->disable_time);
    authz_free(r);
    authz_role_patch keep = {"ns", "r", "", NULL, NULL, NULL, NULL};
    OK(authz_role_update(eng, &keep, NULL));
    OK(authz_role_get(eng, "ns", "r", &r, NULL));
    assert_string_equal("new", r->name);
    assert_int_equal(AUTHZ_ROLE_DISABLE, r->status);
    authz_free(r);
}

static void update_errors(void **state) {
    (void)state;
    OK(create("ns", "a", NULL));
    OK(create("ns", "b", NULL));
    authz_role_patch onto = {"ns", "a", "b", NULL, NULL, NULL, NULL};
    FAILS_O(eng, AUTHZ_EEXIST, AUTHZ_OBJ_ROLE, authz_role_update(eng, &onto, ERR));
    authz_role_patch unknown = {"ns", "zz", NULL, "n", NULL, NULL, NULL};
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_ROLE, authz_role_update(eng, &unknown, ERR));
    authz_role_patch nons = {"nons", "a", NULL, "n", NULL, NULL, NULL};
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE, authz_role_update(eng, &nons, ERR));
    authz_role_patch bad = {"ns", "a", "b:c", NULL, NULL, NULL, NULL};
    FAILS(eng, AUTHZ_EINVAL, authz_role_update(eng, &bad, ERR));
    authz_role_status weird = (authz_role_status)5;
    authz_role_patch st = {"ns", "a", NULL, NULL, NULL, &weird, NULL};
    FAILS(eng, AUTHZ_EINVAL, authz_role_update(eng, &st, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_role_update(eng, NULL, ERR));
}

static void rename_carries_grants_and_assignments(void **state) {
    (void)state;
    OK(create("ns", "old", NULL));
    uh_grant(eng, "ns", AUTHZ_TARGET_ROLE, "old", "books", "read");
    uh_assign(eng, "ns", "old", AUTHZ_TARGET_USER, "alice", NULL);
    uh_assign(eng, "ns", "old", AUTHZ_TARGET_DEPARTMENT, "sales", NULL);
    uh_join_department(eng, "sales", "bob");
    authz_role_patch p = {"ns", "old", "new", NULL, NULL, NULL, NULL};
    OK(authz_role_update(eng, &p, NULL));
    assert_true(uh_allowed(eng, "ns", "alice", "books", "read"));
    assert_true(uh_allowed(eng, "ns", "bob", "books", "read"));
    authz_role *r = NULL;
    FAILS(eng, AUTHZ_ENOTFOUND, authz_role_get(eng, "ns", "old", &r, ERR));
    authz_role_list *rl = NULL;
    OK(authz_user_roles(eng, "alice", "ns", &rl, NULL));
    assert_int_equal(1, rl->count);
    assert_string_equal("new", rl->items[0].code);
    authz_free(rl);
    authz_grant_list *gl = NULL;
    OK(authz_target_grants(eng, "ns", AUTHZ_TARGET_ROLE, "new", NULL, &gl, NULL));
    assert_int_equal(1, gl->count);
    authz_free(gl);
    FAILS(eng, AUTHZ_ENOTFOUND,
          authz_target_grants(eng, "ns", AUTHZ_TARGET_ROLE, "old", NULL, &gl, ERR));
    /* recreating the old code starts empty */
    OK(create("ns", "old", NULL));
    authz_assignment_list *al = NULL;
    OK(authz_role_list_members(eng, "ns", "old", NULL, &al, NULL));
    assert_int_equal(0, al->total_count);
    authz_free(al);
}

static void delete_batch_removes_grants_and_assignments(void **state) {
    (void)state;
    OK(create("ns", "r", NULL));
    OK(create("ns", "keep", NULL));
    uh_grant(eng, "ns", AUTHZ_TARGET_ROLE, "r", "*", "*");
    uh_assign(eng, "ns", "r", AUTHZ_TARGET_USER, "alice", NULL);
    uh_assign(eng, "ns", "r", AUTHZ_TARGET_DEPARTMENT, "d", NULL);
    uh_join_department(eng, "d", "bob");
    assert_true(uh_allowed(eng, "ns", "bob", "x", "y"));
    const char *codes[] = {"r"};
    OK(authz_role_delete_batch(eng, "ns", codes, 1, NULL));
    assert_false(uh_allowed(eng, "ns", "alice", "x", "y"));
    assert_false(uh_allowed(eng, "ns", "bob", "x", "y"));
    authz_stats st;
    OK(authz_get_stats(eng, &st));
    assert_int_equal(0, st.grants);
    assert_int_equal(0, st.role_assignments);
    OK(create("ns", "r", NULL));
    assert_false(uh_allowed(eng, "ns", "alice", "x", "y"));
}

static void delete_batch_with_an_unknown_code_deletes_nothing(void **state) {
    (void)state;
    OK(create("ns", "r", NULL));
    const char *codes[] = {"r", "ghost"};
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_ROLE,
            authz_role_delete_batch(eng, "ns", codes, 2, ERR));
    authz_role *r = NULL;
    OK(authz_role_get(eng, "ns", "r", &r, NULL));
    authz_free(r);
    FAILS(eng, AUTHZ_ENOTFOUND, authz_role_delete_batch(eng, "nons", codes, 1, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_role_delete_batch(eng, "ns", codes, 0, ERR));
}

static void assign_creates_users_and_departments_and_lists_them(void **state) {
    (void)state;
    OK(create("ns", "r", NULL));
    authz_target t[3] = {user("u1"), dept("d1"), user("u2")};
    authz_role_window w = {100, 200};
    OK(authz_role_assign(eng, "ns", "r", t, 3, &w, NULL));
    authz_assignment_list *l = NULL;
    OK(authz_role_list_members(eng, "ns", "r", NULL, &l, NULL));
    assert_int_equal(2, l->total_count);
    assert_string_equal("u1", l->items[0].identifier);
    assert_int_equal(100, l->items[0].enable_time);
    assert_int_equal(200, l->items[0].end_time);
    assert_string_equal("u2", l->items[1].identifier);
    authz_free(l);
    OK(authz_role_list_departments(eng, "ns", "r", NULL, &l, NULL));
    assert_int_equal(1, l->total_count);
    assert_string_equal("d1", l->items[0].identifier);
    authz_free(l);
    authz_stats st;
    OK(authz_get_stats(eng, &st));
    assert_int_equal(2, st.users);
    assert_int_equal(1, st.departments);
    assert_int_equal(3, st.role_assignments);
}

static void reassign_replaces_the_window_in_place(void **state) {
    (void)state;
    OK(create("ns", "r", NULL));
    authz_target t[2] = {user("u1"), user("u2")};
    authz_role_window w = {100, 200};
    OK(authz_role_assign(eng, "ns", "r", t, 2, &w, NULL));
    OK(authz_role_assign(eng, "ns", "r", t, 1, NULL, NULL));
    authz_assignment_list *l = NULL;
    OK(authz_role_list_members(eng, "ns", "r", NULL, &l, NULL));
    assert_int_equal(2, l->count);
    assert_string_equal("u1", l->items[0].identifier);
    assert_int_equal(0, l->items[0].enable_time);
    assert_int_equal(0, l->items[0].end_time);
    assert_int_equal(100, l->items[1].enable_time);
    authz_free(l);
}

static void assign_errors(void **state) {
    (void)state;
    OK(create("ns", "r", NULL));
    uh_group(eng, "g");
    authz_target role_t = {AUTHZ_TARGET_ROLE, "r"};
    authz_target group_t = {AUTHZ_TARGET_GROUP, "g"};
    FAILS(eng, AUTHZ_EINVAL, authz_role_assign(eng, "ns", "r", &role_t, 1, NULL, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_role_assign(eng, "ns", "r", &group_t, 1, NULL, ERR));
    authz_target t[2] = {user("ok"), group_t};
    FAILS_I(eng, AUTHZ_EINVAL, 1, authz_role_assign(eng, "ns", "r", t, 2, NULL, ERR));
    authz_target u = user("u");
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_ROLE,
            authz_role_assign(eng, "ns", "ghost", &u, 1, NULL, ERR));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE,
            authz_role_assign(eng, "nons", "r", &u, 1, NULL, ERR));
    authz_target bad[2] = {user("ok"), user("has\ncontrol")};
    FAILS_I(eng, AUTHZ_EINVAL, 1, authz_role_assign(eng, "ns", "r", bad, 2, NULL, ERR));
    authz_target longid = user(uh_repeat('u', 129));
    FAILS(eng, AUTHZ_EINVAL, authz_role_assign(eng, "ns", "r", &longid, 1, NULL, ERR));
    authz_target okid = user(uh_repeat('u', 128));
    OK(authz_role_assign(eng, "ns", "r", &okid, 1, NULL, NULL));
    authz_target badutf = user("x\xc3");
    FAILS(eng, AUTHZ_EINVAL, authz_role_assign(eng, "ns", "r", &badutf, 1, NULL, ERR));
    authz_target empty = user("");
    FAILS(eng, AUTHZ_EINVAL, authz_role_assign(eng, "ns", "r", &empty, 1, NULL, ERR));
    authz_target utf = user("\xe7\x94\xa8\xe6\x88\xb7");
    OK(authz_role_assign(eng, "ns", "r", &utf, 1, NULL, NULL));
}

static void revoke_removes_and_ignores_what_is_not_assigned(void **state) {
    (void)state;
    OK(create("ns", "r", NULL));
    uh_grant(eng, "ns", AUTHZ_TARGET_ROLE, "r", "books", "read");
    authz_target t[3] = {user("u1"), dept("d1"), user("u2")};
    OK(authz_role_assign(eng, "ns", "r", t, 3, NULL, NULL));
    authz_target gone[2] = {user("u1"), user("stranger")};
    OK(authz_role_revoke(eng, "ns", "r", gone, 2, NULL));
    assert_false(uh_allowed(eng, "ns", "u1", "books", "read"));
    assert_true(uh_allowed(eng, "ns", "u2", "books", "read"));
    uint64_t d = authz__digest(eng);
    OK(authz_role_revoke(eng, "ns", "r", gone, 2, NULL));
    assert_true(d == authz__digest(eng));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_role_revoke(eng, "ns", "ghost", gone, 1, ERR));
    authz_target g = {AUTHZ_TARGET_GROUP, "x"};
    FAILS(eng, AUTHZ_EINVAL, authz_role_revoke(eng, "ns", "r", &g, 1, ERR));
}

static void batch_assign_and_revoke_cover_every_pair(void **state) {
    (void)state;
    OK(create("ns", "a", NULL));
    OK(create(NULL, "b", NULL));
    authz_role_ref roles[2] = {{"ns", "a"}, {NULL, "b"}};
    authz_target t[2] = {user("u"), dept("d")};
    OK(authz_role_assign_batch(eng, roles, 2, t, 2, NULL, NULL));
    authz_stats st;
    OK(authz_get_stats(eng, &st));
    assert_int_equal(4, st.role_assignments);
    authz_role_ref bad[2] = {{"ns", "a"}, {"ns", "ghost"}};
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_ROLE,
            authz_role_assign_batch(eng, bad, 2, t, 2, NULL, ERR));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_ROLE, authz_role_revoke_batch(eng, bad, 2, t, 2, ERR));
    OK(authz_role_revoke_batch(eng, roles, 2, t, 1, NULL));
    OK(authz_get_stats(eng, &st));
    assert_int_equal(2, st.role_assignments);
    authz_role_list *rl = NULL;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER, authz_user_roles(eng, "nobody", "ns", &rl, ERR));
}

static void user_roles_lists_direct_then_department_roles_once(void **state) {
    (void)state;
    OK(create("ns", "r1", NULL));
    OK(create("ns", "r2", NULL));
    OK(create("ns", "r3", NULL));
    OK(create(NULL, "elsewhere", NULL));
    uh_join_department(eng, "d1", "alice");
    uh_join_department(eng, "d2", "alice");
    uh_assign(eng, "ns", "r3", AUTHZ_TARGET_DEPARTMENT, "d1", NULL);
    uh_assign(eng, "ns", "r1", AUTHZ_TARGET_DEPARTMENT, "d2", NULL);
    authz_role_window past = {1, 2};
    uh_assign(eng, "ns", "r2", AUTHZ_TARGET_USER, "alice", &past);
    uh_assign(eng, "ns", "r1", AUTHZ_TARGET_USER, "alice", NULL);
    uh_assign(eng, NULL, "elsewhere", AUTHZ_TARGET_USER, "alice", NULL);
    authz_role_status dis = AUTHZ_ROLE_DISABLE;
    authz_role_patch p = {"ns", "r3", NULL, NULL, NULL, &dis, NULL};
    OK(authz_role_update(eng, &p, NULL));
    authz_role_list *l = NULL;
    OK(authz_user_roles(eng, "alice", "ns", &l, NULL));
    assert_int_equal(3, l->count);
    assert_int_equal(3, l->total_count);
    assert_string_equal("r2", l->items[0].code); /* direct, whatever the window */
    assert_string_equal("r1", l->items[1].code);
    assert_string_equal("r3", l->items[2].code); /* via d1, whatever the status */
    assert_int_equal(AUTHZ_ROLE_DISABLE, l->items[2].status);
    authz_free(l);
    OK(authz_user_roles(eng, "alice", NULL, &l, NULL));
    assert_int_equal(1, l->count);
    assert_string_equal("elsewhere", l->items[0].code);
    authz_free(l);
    FAILS(eng, AUTHZ_ENOTFOUND, authz_user_roles(eng, "alice", "nons", &l, ERR));
}

static void member_listings_page_and_check_the_role(void **state) {
    (void)state;
    OK(create("ns", "r", NULL));
    authz_target t[12];
    for (size_t i = 0; i < 12; i++) t[i] = user(uh_fmt("u", i));
    OK(authz_role_assign(eng, "ns", "r", t, 12, NULL, NULL));
    authz_assignment_list *l = NULL;
    OK(authz_role_list_members(eng, "ns", "r", NULL, &l, NULL));
    assert_int_equal(12, l->total_count);
    assert_int_equal(10, l->count);
    authz_free(l);
    authz_page p = {3, 5};
    OK(authz_role_list_members(eng, "ns", "r", &p, &l, NULL));
    assert_int_equal(2, l->count);
    assert_string_equal("u10", l->items[0].identifier);
    authz_free(l);
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_ROLE,
            authz_role_list_members(eng, "ns", "ghost", NULL, &l, ERR));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_role_list_departments(eng, "ns", "ghost", NULL, &l, ERR));
    authz_page bad = {0, 5};
    FAILS_F(eng, AUTHZ_EINVAL, "page", authz_role_list_members(eng, "ns", "r", &bad, &l, ERR));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(create_returns_the_role),
        T(create_errors),
        T(batch_specs_carry_their_own_namespace),
        T(batch_failures_name_the_item_and_create_nothing),
        T(get_unknown_is_enotfound_role),
        T(list_filters_on_code_or_name_and_pages),
        T(update_changes_fields_status_and_disable_time),
        T(update_errors),
        T(rename_carries_grants_and_assignments),
        T(delete_batch_removes_grants_and_assignments),
        T(delete_batch_with_an_unknown_code_deletes_nothing),
        T(assign_creates_users_and_departments_and_lists_them),
        T(reassign_replaces_the_window_in_place),
        T(assign_errors),
        T(revoke_removes_and_ignores_what_is_not_assigned),
        T(batch_assign_and_revoke_cover_every_pair),
        T(user_roles_lists_direct_then_department_roles_once),
        T(member_listings_page_and_check_the_role),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

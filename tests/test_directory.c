/*
 * test_directory.c - the user directory: create (given and generated IDs, profiles, EEXIST for
 * a listed ID, a failing batch leaves nothing and does not use up generated IDs), get, list with
 * paging (oldest first), delete (unknown IDs skipped; cascades to groups, departments, role
 * assignments and grants; the ID can be created again), and free-string users that are not
 * listed.
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

static void create_and_get(void **state) {
    (void)state;
    authz_user_spec s[] = {{"alice", "alice", "a@example.com", "+1 555", "Alice"},
                           {NULL, "gen", NULL, NULL, NULL},
                           {"", NULL, NULL, NULL, NULL}};
    authz_user_list *l = NULL;
    OK(authz_user_create_batch(eng, s, 3, &l, NULL));
    assert_int_equal(3, l->count);
    assert_string_equal("alice", l->items[0].user_id);
    assert_string_equal("000000000000000000000001", l->items[1].user_id);
    assert_string_equal("000000000000000000000002", l->items[2].user_id);
    assert_string_equal("gen", l->items[1].username);
    assert_string_equal("", l->items[2].username);
    assert_int_equal(UH_T0, l->items[0].created_at);
    authz_free(l);
    authz_user *u = NULL;
    OK(authz_user_get(eng, "alice", &u, NULL));
    assert_string_equal("a@example.com", u->email);
    assert_string_equal("+1 555", u->phone);
    assert_string_equal("Alice", u->name);
    authz_free(u);
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER, authz_user_get(eng, "bob", &u, ERR));
    FAILS_F(eng, AUTHZ_EINVAL, "userId", authz_user_get(eng, "", &u, ERR));
}

static void failing_batch_changes_nothing(void **state) {
    (void)state;
    authz_user_spec one = {"taken", NULL, NULL, NULL, NULL};
    OK(authz_user_create_batch(eng, &one, 1, NULL, NULL));
    authz_user_spec s[] = {{NULL, "x", NULL, NULL, NULL},
                           {"fresh", NULL, NULL, NULL, NULL},
                           {"taken", NULL, NULL, NULL, NULL}};
    FAILS_I(eng, AUTHZ_EEXIST, 2, authz_user_create_batch(eng, s, 3, NULL, ERR));
    authz_user *u = NULL;
    FAILS(eng, AUTHZ_ENOTFOUND, authz_user_get(eng, "fresh", &u, ERR));
    authz_user_list *l = NULL;
    OK(authz_user_create_batch(eng, s, 1, &l, NULL)); /* the counter was rolled back too */
    assert_string_equal("000000000000000000000001", l->items[0].user_id);
    authz_free(l);
    authz_user_spec bad = {"bad\nid", NULL, NULL, NULL, NULL};
    FAILS_F(eng, AUTHZ_EINVAL, "userId", authz_user_create_batch(eng, &bad, 1, NULL, ERR));
    FAILS_F(eng, AUTHZ_EINVAL, "list", authz_user_create_batch(eng, s, 0, NULL, ERR));
}

static void generated_ids_skip_free_string_users(void **state) {
    (void)state;
    uh_group(eng, "g");
    uh_join_group(eng, "g", "000000000000000000000001");
    authz_user_spec s = {NULL, NULL, NULL, NULL, NULL};
    authz_user_list *l = NULL;
    OK(authz_user_create_batch(eng, &s, 1, &l, NULL));
    assert_string_equal("000000000000000000000002", l->items[0].user_id);
    authz_free(l);
    /* a free-string user is not listed, but can be listed later, keeping its links */
    authz_user *u = NULL;
    FAILS(eng, AUTHZ_ENOTFOUND, authz_user_get(eng, "000000000000000000000001", &u, ERR));
    authz_user_spec adopt = {"000000000000000000000001", "late", NULL, NULL, NULL};
    OK(authz_user_create_batch(eng, &adopt, 1, NULL, NULL));
    authz_id_list *m = NULL;
    OK(authz_group_list_members(eng, "g", NULL, &m, NULL));
    assert_int_equal(1, m->total_count);
    authz_free(m);
}

static void list_pages_oldest_first(void **state) {
    (void)state;
    for (size_t i = 0; i < 7; i++) {
        authz_user_spec s = {uh_fmt("u", i), NULL, NULL, NULL, NULL};
        OK(authz_user_create_batch(eng, &s, 1, NULL, NULL));
    }
    authz_user_list *l = NULL;
    authz_page p = {2, 3};
    OK(authz_list_users(eng, &p, &l, NULL));
    assert_int_equal(7, l->total_count);
    assert_int_equal(3, l->count);
    assert_string_equal(uh_fmt("u", 3), l->items[0].user_id);
    assert_string_equal(uh_fmt("u", 5), l->items[2].user_id);
    authz_free(l);
    authz_page bad = {0, 3};
    FAILS_F(eng, AUTHZ_EINVAL, "page", authz_list_users(eng, &bad, &l, ERR));
}

static void delete_cascades(void **state) {
    (void)state;
    authz_user_spec s[] = {{"u1", NULL, NULL, NULL, NULL}, {"u2", NULL, NULL, NULL, NULL}};
    OK(authz_user_create_batch(eng, s, 2, NULL, NULL));
    uh_namespace(eng, "app");
    const char *acts[] = {"read"};
    uh_resource(eng, "app", "books", acts, 1);
    uh_role(eng, "app", "reader");
    uh_group(eng, "staff");
    uh_join_group(eng, "staff", "u1");
    uh_join_group(eng, "staff", "u2");
    uh_join_department(eng, "d1", "u1");
    uh_assign(eng, "app", "reader", AUTHZ_TARGET_USER, "u1", NULL);
    uh_grant(eng, "app", AUTHZ_TARGET_USER, "u1", "books", "read");
    assert_true(uh_allowed(eng, "app", "u1", "books", "read"));
    const char *del[] = {"u1", "nobody"};
    OK(authz_user_delete_batch(eng, del, 2, NULL));
    assert_false(uh_allowed(eng, "app", "u1", "books", "read"));
    authz_user *u = NULL;
    FAILS(eng, AUTHZ_ENOTFOUND, authz_user_get(eng, "u1", &u, ERR));
    authz_id_list *m = NULL;
    OK(authz_group_list_members(eng, "staff", NULL, &m, NULL));
    assert_int_equal(1, m->total_count);
    assert_string_equal("u2", m->items[0]);
    authz_free(m);
    /* d1 had only u1: nothing links it any more, so it is gone like any unlinked department */
    FAILS(eng, AUTHZ_ENOTFOUND, authz_department_list_members(eng, "d1", NULL, &m, ERR));
    authz_assignment_list *a = NULL;
    OK(authz_role_list_members(eng, "app", "reader", NULL, &a, NULL));
    assert_int_equal(0, a->total_count);
    authz_free(a);
    authz_user_list *l = NULL;
    OK(authz_list_users(eng, NULL, &l, NULL));
    assert_int_equal(1, l->total_count);
    authz_free(l);
    OK(authz_user_create_batch(eng, s, 1, NULL, NULL)); /* u1 again, with nothing of before */
    assert_false(uh_allowed(eng, "app", "u1", "books", "read"));
    FAILS_F(eng, AUTHZ_EINVAL, "userIds", authz_user_delete_batch(eng, del, 0, ERR));
}

static void directory_mode_requires_listed_users(void **state) {
    (void)state;
    authz_options opt;
    authz_options_init(&opt);
    opt.user_directory = true;
    authz_engine *e;
    OK(authz_engine_new(&opt, &e));
    uh_namespace(e, "app");
    uh_role(e, "app", "reader");
    uh_group(e, "staff");
    authz_target t = {AUTHZ_TARGET_USER, "ghost"};
    FAILS_O(e, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER,
            authz_role_assign(e, "app", "reader", &t, 1, NULL, ERR));
    FAILS_O(e, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER, authz_role_revoke(e, "app", "reader", &t, 1, ERR));
    const char *ghost = "ghost";
    FAILS_O(e, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER,
            authz_group_add_members(e, "staff", &ghost, 1, ERR));
    FAILS_O(e, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER,
            authz_department_add_members(e, AUTHZ_DEFAULT_ORG_ROOT, &ghost, 1, ERR));
    FAILS_O(e, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER,
            authz_user_set_departments(e, "ghost", &ghost, 1, ERR));
    authz_grant_resource gr = {"books", (const char *[]){"read"}, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item gi = {AUTHZ_TARGET_USER, &ghost, 1, &gr, 1};
    FAILS_I(e, AUTHZ_ENOTFOUND, 0, authz_authorize(e, "app", &gi, 1, ERR));
    /* a department must be a root or a created one (test_organization.c goes further) */
    authz_target dt = {AUTHZ_TARGET_DEPARTMENT, "d1"};
    FAILS_O(e, AUTHZ_ENOTFOUND, AUTHZ_OBJ_DEPARTMENT,
            authz_role_assign(e, "app", "reader", &dt, 1, NULL, ERR));
    dt.identifier = AUTHZ_DEFAULT_ORG_ROOT;
    OK(authz_role_assign(e, "app", "reader", &dt, 1, NULL, NULL));
    authz_user_spec s = {"ghost", NULL, NULL, NULL, NULL};
    OK(authz_user_create_batch(e, &s, 1, NULL, NULL));
    OK(authz_role_assign(e, "app", "reader", &t, 1, NULL, NULL));
    OK(authz_group_add_members(e, "staff", &ghost, 1, NULL));
    OK(authz_authorize(e, "app", &gi, 1, NULL));
    assert_true(uh_allowed(e, "app", "ghost", "books", "read"));
    OK(authz_user_delete_batch(e, &ghost, 1, NULL));
    FAILS(e, AUTHZ_ENOTFOUND, authz_authorize(e, "app", &gi, 1, ERR));
    authz_set_user_directory(e, false); /* free strings again */
    OK(authz_authorize(e, "app", &gi, 1, NULL));
    uh_engine_teardown(e);
}

/* A batch refused for one unlisted user names that user's index, like any bad item. */
static void directory_refusal_names_the_item(void **state) {
    (void)state;
    authz_options opt;
    authz_options_init(&opt);
    opt.user_directory = true;
    authz_engine *e;
    OK(authz_engine_new(&opt, &e));
    uh_role(e, NULL, "reader");
    uh_group(e, "staff");
    authz_user_spec s = {"known", NULL, NULL, NULL, NULL};
    OK(authz_user_create_batch(e, &s, 1, NULL, NULL));
    const char *users[] = {"known", "ghost"};
    authz_target t[] = {{AUTHZ_TARGET_USER, "known"}, {AUTHZ_TARGET_USER, "ghost"}};
    authz_role_ref r = {NULL, "reader"};
    FAILS_I(e, AUTHZ_ENOTFOUND, 1, authz_group_add_members(e, "staff", users, 2, ERR));
    assert_int_equal(AUTHZ_OBJ_USER, uh_err.object);
    FAILS_I(e, AUTHZ_ENOTFOUND, 1,
            authz_department_add_members(e, AUTHZ_DEFAULT_ORG_ROOT, users, 2, ERR));
    FAILS_I(e, AUTHZ_ENOTFOUND, 1, authz_role_assign(e, NULL, "reader", t, 2, NULL, ERR));
    assert_int_equal(AUTHZ_OBJ_USER, uh_err.object);
    FAILS_I(e, AUTHZ_ENOTFOUND, 1, authz_role_assign_batch(e, &r, 1, t, 2, NULL, ERR));
    FAILS_I(e, AUTHZ_ENOTFOUND, 1, authz_role_revoke(e, NULL, "reader", t, 2, ERR));
    /* nothing of the refused batches stayed */
    authz_id_list *m = NULL;
    OK(authz_group_list_members(e, "staff", NULL, &m, NULL));
    assert_int_equal(0, m->total_count);
    authz_free(m);
    uh_engine_teardown(e);
}

/* A username is taken once among listed users, within a batch too. */
static void usernames_are_unique(void **state) {
    (void)state;
    authz_user_spec a = {"a", "ann", NULL, NULL, NULL};
    OK(authz_user_create_batch(eng, &a, 1, NULL, NULL));
    authz_user_spec b = {"b", "ann", NULL, NULL, NULL};
    FAILS_F(eng, AUTHZ_EEXIST, "username", authz_user_create_batch(eng, &b, 1, NULL, ERR));
    authz_user_spec two[] = {{"c", "cy", NULL, NULL, NULL}, {"d", "cy", NULL, NULL, NULL}};
    FAILS_I(eng, AUTHZ_EEXIST, 1, authz_user_create_batch(eng, two, 2, NULL, ERR));
    authz_user_spec blank[] = {{"e", "", NULL, NULL, NULL}, {"f", "", NULL, NULL, NULL}};
    OK(authz_user_create_batch(eng, blank, 2, NULL, NULL)); /* no username is no clash */
    const char *ann = "a";
    OK(authz_user_delete_batch(eng, &ann, 1, NULL));
    OK(authz_user_create_batch(eng, &b, 1, NULL, NULL)); /* free again once deleted */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(create_and_get),
        T(failing_batch_changes_nothing),
        T(generated_ids_skip_free_string_users),
        T(list_pages_oldest_first),
        T(delete_cascades),
        T(usernames_are_unique),
        cmocka_unit_test(directory_mode_requires_listed_users),
        cmocka_unit_test(directory_refusal_names_the_item),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_group.c - groups (engine-wide, not namespaced): create (single and batch, with the batch's
 * optional result), code syntax, duplicates, get and listing by keyword (code or name) with
 * paging, update and renames that carry grants in every namespace and memberships, delete_batch
 * (unknown and malformed codes skipped; grants and memberships go), membership add/remove (kept
 * in join order, re-adding keeps the place, removing a non-member is ignored), authz_user_groups.
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

static authz_status create(const char *code, const char *name) {
    authz_group_spec s = {code, name, NULL, NULL};
    return authz_group_create(eng, &s, NULL, ERR);
}

static void create_returns_the_group(void **state) {
    (void)state;
    authz_group_spec s = {"eng", "Engineering", "builders", "static"};
    authz_group *g = NULL;
    OK(authz_group_create(eng, &s, &g, NULL));
    assert_string_equal("eng", g->code);
    assert_string_equal("Engineering", g->name);
    assert_string_equal("builders", g->description);
    assert_string_equal("static", g->type);
    authz_free(g);
    OK(create("bare", NULL));
    OK(authz_group_get(eng, "bare", &g, NULL));
    assert_string_equal("", g->name);
    assert_string_equal("", g->type);
    authz_free(g);
}

static void create_errors(void **state) {
    (void)state;
    OK(create("g", NULL));
    FAILS_O(eng, AUTHZ_EEXIST, AUTHZ_OBJ_GROUP, create("g", NULL));
    assert_int_equal(40904, authz_api_code(&uh_err));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create("g.x", NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create("", NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create(NULL, NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create(uh_repeat('g', 65), NULL));
    OK(create(uh_repeat('g', 64), NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "name", create("n", uh_repeat('n', 257)));
    OK(create("n", uh_repeat('n', 256)));
    authz_group_spec d = {"d", NULL, uh_repeat('d', 1025), NULL};
    FAILS_F(eng, AUTHZ_EINVAL, "description", authz_group_create(eng, &d, NULL, ERR));
    d.description = uh_repeat('d', 1024);
    OK(authz_group_create(eng, &d, NULL, NULL));
    FAILS(eng, AUTHZ_EINVAL, authz_group_create(eng, NULL, NULL, ERR));
}

static void batch_returns_groups_in_request_order(void **state) {
    (void)state;
    authz_group_spec s[3] = {
        {"c", "C", NULL, NULL}, {"a", NULL, NULL, "t"}, {"b", NULL, NULL, NULL}};
    authz_group_list *l = NULL;
    OK(authz_group_create_batch(eng, s, 3, &l, NULL));
    assert_int_equal(3, l->count);
    assert_string_equal("c", l->items[0].code);
    assert_string_equal("C", l->items[0].name);
    assert_string_equal("a", l->items[1].code);
    assert_string_equal("t", l->items[1].type);
    authz_free(l);
    OK(authz_list_groups(eng, NULL, NULL, &l, NULL)); /* newest first */
    assert_int_equal(3, l->total_count);
    assert_string_equal("b", l->items[0].code);
    assert_string_equal("c", l->items[2].code);
    authz_free(l);
}

static void batch_failures_name_the_item(void **state) {
    (void)state;
    authz_group_spec s[3] = {
        {"x", NULL, NULL, NULL}, {"y", NULL, NULL, NULL}, {"x", NULL, NULL, NULL}};
    authz_group_list *l = NULL;
    FAILS_I(eng, AUTHZ_EEXIST, 2, authz_group_create_batch(eng, s, 3, &l, ERR));
    s[2].code = "bad code";
    FAILS_I(eng, AUTHZ_EINVAL, 2, authz_group_create_batch(eng, s, 3, NULL, ERR));
    OK(create("y", NULL));
    FAILS_I(eng, AUTHZ_EEXIST, 1, authz_group_create_batch(eng, s, 2, NULL, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_group_create_batch(eng, s, 0, NULL, ERR));
}

static void get_and_list(void **state) {
    (void)state;
    authz_group *g = NULL;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_GROUP, authz_group_get(eng, "nope", &g, ERR));
    assert_int_equal(40404, authz_api_code(&uh_err));
    OK(create("sales", "Sales team"));
    OK(create("ops", "Operations"));
    OK(create("teamx", NULL));
    authz_group_list *l = NULL;
    OK(authz_list_groups(eng, "team", NULL, &l, NULL));
    assert_int_equal(2, l->total_count); /* newest first */
    assert_string_equal("teamx", l->items[0].code);
    assert_string_equal("sales", l->items[1].code);
    authz_free(l);
    authz_page p = {2, 1};
    OK(authz_list_groups(eng, NULL, &p, &l, NULL));
    assert_int_equal(3, l->total_count);
    assert_int_equal(1, l->count);
    assert_string_equal("ops", l->items[0].code);
    authz_free(l);
    authz_page bad = {1, 0};
    FAILS_F(eng, AUTHZ_EINVAL, "limit", authz_list_groups(eng, NULL, &bad, &l, ERR));
}

static void update_and_rename_carry_grants_and_members(void **state) {
    (void)state;
    uh_namespace(eng, "ns");
    OK(create("old", "Old"));
    uh_grant(eng, NULL, AUTHZ_TARGET_GROUP, "old", "books", "read");
    uh_grant(eng, "ns", AUTHZ_TARGET_GROUP, "old", "files", "write");
    uh_join_group(eng, "old", "alice");
    authz_group_patch p = {"old", "new", "New", "d"};
    authz_group *g = NULL;
    OK(authz_group_update(eng, &p, &g, NULL));
    assert_string_equal("new", g->code);
    assert_string_equal("New", g->name);
    assert_string_equal("d", g->description);
    authz_free(g);
    assert_true(uh_allowed(eng, NULL, "alice", "books", "read"));
    assert_true(uh_allowed(eng, "ns", "alice", "files", "write"));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_group_get(eng, "old", &g, ERR));
    authz_group_list *l = NULL;
    OK(authz_user_groups(eng, "alice", &l, NULL));
    assert_int_equal(1, l->count);
    assert_string_equal("new", l->items[0].code);
    authz_free(l);
    authz_id_list *m = NULL;
    OK(authz_group_list_members(eng, "new", NULL, &m, NULL));
    assert_int_equal(1, m->total_count);
    assert_string_equal("alice", m->items[0]);
    authz_free(m);
    OK(create("old", NULL));
    assert_true(uh_allowed(eng, NULL, "alice", "books", "read"));
    OK(authz_group_list_members(eng, "old", NULL, &m, NULL));
    assert_int_equal(0, m->total_count);
    authz_free(m);
}

static void update_errors(void **state) {
    (void)state;
    OK(create("a", NULL));
    OK(create("b", NULL));
    authz_group_patch onto = {"a", "b", NULL, NULL};
    FAILS_O(eng, AUTHZ_EEXIST, AUTHZ_OBJ_GROUP, authz_group_update(eng, &onto, NULL, ERR));
    authz_group_patch unknown = {"z", NULL, "n", NULL};
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_GROUP, authz_group_update(eng, &unknown, NULL, ERR));
    authz_group_patch bad = {"a", "a.b", NULL, NULL};
    FAILS(eng, AUTHZ_EINVAL, authz_group_update(eng, &bad, NULL, ERR));
    authz_group_patch badname = {"a", NULL, "\xc3\x28", NULL};
    FAILS_F(eng, AUTHZ_EINVAL, "name", authz_group_update(eng, &badname, NULL, ERR));
    authz_group_patch keep = {"a", "", "A", NULL};
    OK(authz_group_update(eng, &keep, NULL, NULL));
    authz_group *g = NULL;
    OK(authz_group_get(eng, "a", &g, NULL));
    assert_string_equal("A", g->name);
    authz_free(g);
}

static void delete_batch_removes_grants_and_memberships(void **state) {
    (void)state;
    uh_namespace(eng, "ns");
    OK(create("g", NULL));
    OK(create("h", NULL));
    uh_grant(eng, NULL, AUTHZ_TARGET_GROUP, "g", "*", "*");
    uh_grant(eng, "ns", AUTHZ_TARGET_GROUP, "g", "x", "y");
    uh_join_group(eng, "g", "alice");
    uh_join_group(eng, "h", "alice");
    assert_true(uh_allowed(eng, "ns", "alice", "x", "y"));
    const char *codes[] = {"g", "unknown", "bad code"};
    OK(authz_group_delete_batch(eng, codes, 3, NULL));
    assert_false(uh_allowed(eng, NULL, "alice", "a", "b"));
    assert_false(uh_allowed(eng, "ns", "alice", "x", "y"));
    authz_stats st;
    OK(authz_get_stats(eng, &st));
    assert_int_equal(0, st.grants);
    assert_int_equal(1, st.memberships);
    authz_group_list *l = NULL;
    OK(authz_user_groups(eng, "alice", &l, NULL));
    assert_int_equal(1, l->count);
    assert_string_equal("h", l->items[0].code);
    authz_free(l);
    uint64_t d = authz__digest(eng);
    OK(authz_group_delete_batch(eng, codes, 3, NULL));
    assert_true(d == authz__digest(eng));
    FAILS(eng, AUTHZ_EINVAL, authz_group_delete_batch(eng, codes, 0, ERR));
}

static void members_keep_join_order(void **state) {
    (void)state;
    OK(create("g", NULL));
    const char *first[] = {"u3", "u1", "u2"};
    OK(authz_group_add_members(eng, "g", first, 3, NULL));
    const char *again[] = {"u4", "u1"};
    OK(authz_group_add_members(eng, "g", again, 2, NULL));
    authz_id_list *m = NULL;
    OK(authz_group_list_members(eng, "g", NULL, &m, NULL));
    assert_int_equal(4, m->total_count);
    assert_string_equal("u3", m->items[0]);
    assert_string_equal("u1", m->items[1]);
    assert_string_equal("u2", m->items[2]);
    assert_string_equal("u4", m->items[3]);
    authz_free(m);
    const char *out[] = {"u1", "stranger"};
    OK(authz_group_remove_members(eng, "g", out, 2, NULL));
    authz_page p = {2, 2};
    OK(authz_group_list_members(eng, "g", &p, &m, NULL));
    assert_int_equal(3, m->total_count);
    assert_int_equal(1, m->count);
    assert_string_equal("u4", m->items[0]);
    authz_free(m);
}

static void duplicate_members_in_one_call_collapse(void **state) {
    (void)state;
    OK(create("g", NULL));
    const char *twice[] = {"u", "u"};
    OK(authz_group_add_members(eng, "g", twice, 2, NULL));
    authz_id_list *m = NULL;
    OK(authz_group_list_members(eng, "g", NULL, &m, NULL));
    assert_int_equal(1, m->total_count);
    authz_free(m);
}

static void member_errors(void **state) {
    (void)state;
    OK(create("g", NULL));
    const char *u[] = {"u"};
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_GROUP, authz_group_add_members(eng, "nope", u, 1, ERR));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_group_remove_members(eng, "nope", u, 1, ERR));
    authz_id_list *m = NULL;
    FAILS(eng, AUTHZ_ENOTFOUND, authz_group_list_members(eng, "nope", NULL, &m, ERR));
    const char *bad[] = {"ok", "tab\there"};
    FAILS_I(eng, AUTHZ_EINVAL, 1, authz_group_add_members(eng, "g", bad, 2, ERR));
    const char *longid[] = {uh_repeat('u', 129)};
    FAILS(eng, AUTHZ_EINVAL, authz_group_add_members(eng, "g", longid, 1, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_group_add_members(eng, "g", u, 0, ERR));
    authz_group_list *l = NULL;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER, authz_user_groups(eng, "nobody", &l, ERR));
}

static void user_groups_in_join_order(void **state) {
    (void)state;
    OK(create("a", NULL));
    OK(create("b", NULL));
    OK(create("c", NULL));
    uh_join_group(eng, "c", "alice");
    uh_join_group(eng, "a", "alice");
    authz_group_list *l = NULL;
    OK(authz_user_groups(eng, "alice", &l, NULL));
    assert_int_equal(2, l->count);
    assert_int_equal(2, l->total_count);
    assert_string_equal("c", l->items[0].code);
    assert_string_equal("a", l->items[1].code);
    authz_free(l);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(create_returns_the_group),
        T(create_errors),
        T(batch_returns_groups_in_request_order),
        T(batch_failures_name_the_item),
        T(get_and_list),
        T(update_and_rename_carry_grants_and_members),
        T(update_errors),
        T(delete_batch_removes_grants_and_memberships),
        T(members_keep_join_order),
        T(duplicate_members_in_one_call_collapse),
        T(member_errors),
        T(user_groups_in_join_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

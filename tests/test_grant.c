/*
 * test_grant.c - authorize and revoke: grants are additive and idempotent, several identifiers,
 * resources and items in one call, ROLE/GROUP targets must exist while USER/DEPARTMENT IDs are
 * taken as they come, the resource-string syntax (`*`, `code`, `code:*`, `code:id` with ':'
 * inside the id, 128/129-byte ids, 64/65-byte codes), action syntax, the offending item named,
 * revoke of listed actions / of the whole grant (no actions or "*"), and revoking what is not
 * held as a no-op. Each failure leaves the engine unchanged.
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

/* One USER target, one resource string, one action: the shape most syntax tests need. */
static authz_status grant1(const char *ns, authz_target_type t, const char *who, const char *res,
                           const char *act) {
    authz_grant_resource r = {res, &act, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item it = {t, &who, 1, &r, 1};
    return authz_authorize(eng, ns, &it, 1, ERR);
}

static authz_grant_list *grants_of(authz_target_type t, const char *who) {
    authz_grant_list *l = NULL;
    OK(authz_target_grants(eng, NULL, t, who, NULL, &l, NULL));
    return l;
}

static void authorize_is_additive_and_idempotent(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "write");
    uint64_t d = authz__digest(eng);
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "read");
    assert_true(d == authz__digest(eng));
    authz_grant_list *l = grants_of(AUTHZ_TARGET_USER, "u");
    assert_int_equal(1, l->count);
    assert_string_equal("books", l->items[0].resource);
    assert_int_equal(2, l->items[0].action_count);
    assert_string_equal("read", l->items[0].actions[0]);
    assert_string_equal("write", l->items[0].actions[1]);
    authz_free(l);
    authz_stats st;
    OK(authz_get_stats(eng, &st));
    assert_int_equal(1, st.grants);
}

static void one_call_many_identifiers_resources_and_items(void **state) {
    (void)state;
    uh_role(eng, NULL, "r");
    const char *users[] = {"u1", "u2"};
    const char *roles[] = {"r"};
    const char *ra[] = {"read", "list"};
    const char *wa[] = {"write"};
    authz_grant_resource res[2] = {{"books", ra, 2, AUTHZ_RESOURCE_DATA},
                                   {"files:1", wa, 1, AUTHZ_RESOURCE_API}};
    authz_grant_item items[2] = {{AUTHZ_TARGET_USER, users, 2, res, 2},
                                 {AUTHZ_TARGET_ROLE, roles, 1, res + 1, 1}};
    OK(authz_authorize(eng, NULL, items, 2, NULL));
    authz_stats st;
    OK(authz_get_stats(eng, &st));
    assert_int_equal(5, st.grants);
    assert_true(uh_allowed(eng, NULL, "u2", "books:4", "list"));
    assert_true(uh_allowed(eng, NULL, "u1", "files:1", "write"));
    authz_grant_list *l = grants_of(AUTHZ_TARGET_ROLE, "r");
    assert_int_equal(1, l->count);
    assert_int_equal(AUTHZ_RESOURCE_API, l->items[0].type);
    authz_free(l);
}

static void role_and_group_targets_must_exist(void **state) {
    (void)state;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_ROLE,
            grant1(NULL, AUTHZ_TARGET_ROLE, "ghost", "books", "read"));
    assert_int_equal(40403, authz_api_code(&uh_err));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_GROUP,
            grant1(NULL, AUTHZ_TARGET_GROUP, "ghost", "books", "read"));
    uh_namespace(eng, "ns");
    uh_role(eng, "ns", "r");
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_ROLE,
            grant1(NULL, AUTHZ_TARGET_ROLE, "r", "books", "read")); /* role of another ns */
    OK(grant1("ns", AUTHZ_TARGET_ROLE, "r", "books", "read"));
    OK(grant1(NULL, AUTHZ_TARGET_USER, "anyone", "books", "read"));
    OK(grant1(NULL, AUTHZ_TARGET_DEPARTMENT, "anydept", "books", "read"));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE,
            grant1("nons", AUTHZ_TARGET_USER, "u", "books", "read"));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, (authz_target_type)7, "u", "books", "read"));
}

static void resource_string_syntax(void **state) {
    (void)state;
    const char *good[] = {"*",    "books",   "books:*", "books:1", "a.b-c_d:x:y:z", "b:~!@#$%^&()",
                          "x:*a", "books:**"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        OK(grant1(NULL, AUTHZ_TARGET_USER, "u", good[i], "read"));
    const char *bad[] = {"",   ":",  "books:",         ":1",         "a b",    "books:a b", "*:1",
                         "**", "b*", "books:\xc3\xa9", "books:\x01", "bo/oks", "books\t"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_USER, "u", bad[i], "read"));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_USER, "u", NULL, "read"));
}

static void resource_string_lengths(void **state) {
    (void)state;
    char buf[256];
    snprintf(buf, sizeof buf, "%s:x", uh_repeat('c', 64));
    OK(grant1(NULL, AUTHZ_TARGET_USER, "u", buf, "read"));
    snprintf(buf, sizeof buf, "%s:x", uh_repeat('c', 65));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_USER, "u", buf, "read"));
    snprintf(buf, sizeof buf, "c:%s", uh_repeat('i', 128));
    OK(grant1(NULL, AUTHZ_TARGET_USER, "u", buf, "read"));
    snprintf(buf, sizeof buf, "c:%s", uh_repeat('i', 129));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_USER, "u", buf, "read"));
}

static void action_syntax(void **state) {
    (void)state;
    OK(grant1(NULL, AUTHZ_TARGET_USER, "u", "b", "*"));
    OK(grant1(NULL, AUTHZ_TARGET_USER, "u", "b", uh_repeat('a', 128)));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_USER, "u", "b", uh_repeat('a', 129)));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_USER, "u", "b", ""));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_USER, "u", "b", "re ad"));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_USER, "u", "b", NULL));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_USER, "u", "b", "x\xff"));
    const char *who = "u";
    authz_grant_resource r = {"b", NULL, 0, AUTHZ_RESOURCE_DATA};
    authz_grant_item it = {AUTHZ_TARGET_USER, &who, 1, &r, 1};
    FAILS(eng, AUTHZ_EINVAL, authz_authorize(eng, NULL, &it, 1, ERR)); /* authorize needs 1.. */
}

static void identifier_syntax(void **state) {
    (void)state;
    OK(grant1(NULL, AUTHZ_TARGET_USER, uh_repeat('u', 128), "b", "read"));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_USER, uh_repeat('u', 129), "b", "read"));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_USER, "", "b", "read"));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_DEPARTMENT, "d\n", "b", "read"));
    FAILS(eng, AUTHZ_EINVAL, grant1(NULL, AUTHZ_TARGET_ROLE, "bad role", "b", "read"));
}

static void the_offending_item_is_named(void **state) {
    (void)state;
    const char *who = "u";
    const char *act = "read";
    authz_grant_resource ok = {"b", &act, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_resource bad = {"b c", &act, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item items[3] = {{AUTHZ_TARGET_USER, &who, 1, &ok, 1},
                                 {AUTHZ_TARGET_USER, &who, 1, &ok, 1},
                                 {AUTHZ_TARGET_USER, &who, 1, &bad, 1}};
    FAILS_I(eng, AUTHZ_EINVAL, 2, authz_authorize(eng, NULL, items, 3, ERR));
    const char *ghost = "ghost";
    authz_grant_item items2[2] = {{AUTHZ_TARGET_USER, &who, 1, &ok, 1},
                                  {AUTHZ_TARGET_ROLE, &ghost, 1, &ok, 1}};
    FAILS_I(eng, AUTHZ_ENOTFOUND, 1, authz_authorize(eng, NULL, items2, 2, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_authorize(eng, NULL, items, 0, ERR));
    authz_grant_item noid = {AUTHZ_TARGET_USER, &who, 0, &ok, 1};
    FAILS(eng, AUTHZ_EINVAL, authz_authorize(eng, NULL, &noid, 1, ERR));
    authz_grant_item nores = {AUTHZ_TARGET_USER, &who, 1, &ok, 0};
    FAILS(eng, AUTHZ_EINVAL, authz_authorize(eng, NULL, &nores, 1, ERR));
}

static void revoke_removes_listed_actions_then_the_grant(void **state) {
    (void)state;
    const char *acts[] = {"read", "write", "del"};
    uh_grant_actions(eng, NULL, AUTHZ_TARGET_USER, "u", "books", acts, 3);
    uh_revoke(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "write");
    assert_false(uh_allowed(eng, NULL, "u", "books", "write"));
    assert_true(uh_allowed(eng, NULL, "u", "books", "read"));
    authz_grant_list *l = grants_of(AUTHZ_TARGET_USER, "u");
    assert_int_equal(2, l->items[0].action_count);
    assert_string_equal("read", l->items[0].actions[0]);
    assert_string_equal("del", l->items[0].actions[1]);
    authz_free(l);
    uh_revoke(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "read");
    uh_revoke(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "del");
    l = grants_of(AUTHZ_TARGET_USER, "u");
    assert_int_equal(0, l->count);
    authz_free(l);
    authz_stats st;
    OK(authz_get_stats(eng, &st));
    assert_int_equal(0, st.grants);
}

static void revoke_without_actions_or_with_star_removes_the_grant(void **state) {
    (void)state;
    const char *acts[] = {"read", "write"};
    uh_grant_actions(eng, NULL, AUTHZ_TARGET_USER, "u", "books", acts, 2);
    uh_grant_actions(eng, NULL, AUTHZ_TARGET_USER, "u", "files", acts, 2);
    uh_revoke(eng, NULL, AUTHZ_TARGET_USER, "u", "books", NULL);
    uh_revoke(eng, NULL, AUTHZ_TARGET_USER, "u", "files", "*");
    authz_stats st;
    OK(authz_get_stats(eng, &st));
    assert_int_equal(0, st.grants);
    assert_false(uh_allowed(eng, NULL, "u", "files", "read"));
}

static void revoke_touches_only_the_exact_resource_string(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books:1", "read");
    uh_revoke(eng, NULL, AUTHZ_TARGET_USER, "u", "books:1", NULL);
    assert_true(uh_allowed(eng, NULL, "u", "books:1", "read")); /* via `books` */
    authz_grant_list *l = grants_of(AUTHZ_TARGET_USER, "u");
    assert_int_equal(1, l->count);
    assert_string_equal("books", l->items[0].resource);
    authz_free(l);
}

static void revoking_what_is_not_held_is_a_no_op(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "read");
    uint64_t d = authz__digest(eng);
    uh_revoke(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "write");
    uh_revoke(eng, NULL, AUTHZ_TARGET_USER, "u", "files", NULL);
    uh_revoke(eng, NULL, AUTHZ_TARGET_USER, "stranger", "books", NULL);
    uh_revoke(eng, NULL, AUTHZ_TARGET_DEPARTMENT, "u", "books", NULL);
    assert_true(d == authz__digest(eng));
    assert_true(uh_allowed(eng, NULL, "u", "books", "read"));
}

static void revoke_errors_change_nothing(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "read");
    const char *who = "u";
    authz_grant_resource bad = {"b c", NULL, 0, AUTHZ_RESOURCE_DATA};
    authz_grant_resource good = {"books", NULL, 0, AUTHZ_RESOURCE_DATA};
    authz_grant_item items[2] = {{AUTHZ_TARGET_USER, &who, 1, &good, 1},
                                 {AUTHZ_TARGET_USER, &who, 1, &bad, 1}};
    FAILS_I(eng, AUTHZ_EINVAL, 1, authz_revoke(eng, NULL, items, 2, ERR));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_revoke(eng, "nons", items, 1, ERR));
    assert_true(uh_allowed(eng, NULL, "u", "books", "read"));
}

static void grants_are_per_namespace(void **state) {
    (void)state;
    uh_namespace(eng, "ns");
    uh_grant(eng, "ns", AUTHZ_TARGET_USER, "u", "books", "read");
    assert_true(uh_allowed(eng, "ns", "u", "books", "read"));
    assert_false(uh_allowed(eng, NULL, "u", "books", "read"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(authorize_is_additive_and_idempotent),
        T(one_call_many_identifiers_resources_and_items),
        T(role_and_group_targets_must_exist),
        T(resource_string_syntax),
        T(resource_string_lengths),
        T(action_syntax),
        T(identifier_syntax),
        T(the_offending_item_is_named),
        T(revoke_removes_listed_actions_then_the_grant),
        T(revoke_without_actions_or_with_star_removes_the_grant),
        T(revoke_touches_only_the_exact_resource_string),
        T(revoking_what_is_not_held_is_a_no_op),
        T(revoke_errors_change_nothing),
        T(grants_are_per_namespace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

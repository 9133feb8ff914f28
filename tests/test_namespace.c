/*
 * test_namespace.c - permission namespaces: create (single and batch) with their results,
 * the code syntax and text lengths at the limit and one over, duplicates (present and inside one
 * batch), get and get_batch (unknown and malformed codes skipped, order asked), update (names,
 * renames that carry resources, roles, grants and assignments; renaming `default` is a rule
 * violation), delete and delete_batch with their cascade and their GenAuth idempotence rules,
 * and the listing (creation order, keywords, paging). Every failing write leaves the digest,
 * the invariants and the live allocations as they were.
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

static authz_status create(const char *code, const char *name, const char *desc) {
    authz_namespace_spec s = {code, name, desc};
    return authz_namespace_create(eng, &s, NULL, ERR);
}

static void create_returns_the_namespace(void **state) {
    (void)state;
    authz_namespace_spec s = {"books", "Books", "all the books"};
    authz_namespace *ns = NULL;
    OK(authz_namespace_create(eng, &s, &ns, NULL));
    assert_string_equal("books", ns->code);
    assert_string_equal("Books", ns->name);
    assert_string_equal("all the books", ns->description);
    authz_free(ns);
    OK(authz_namespace_get(eng, "books", &ns, NULL));
    assert_string_equal("Books", ns->name);
    authz_free(ns);
}

static void unset_texts_read_back_empty(void **state) {
    (void)state;
    authz_namespace_spec s = {"bare", NULL, NULL};
    authz_namespace *ns = NULL;
    OK(authz_namespace_create(eng, &s, &ns, NULL));
    assert_string_equal("", ns->name);
    assert_string_equal("", ns->description);
    authz_free(ns);
}

static void create_copies_the_callers_strings(void **state) {
    (void)state;
    char code[8] = "copyme", name[8] = "Name";
    authz_namespace_spec s = {code, name, NULL};
    OK(authz_namespace_create(eng, &s, NULL, NULL));
    memset(code, 'x', 6);
    memset(name, 'y', 4);
    authz_namespace *ns = NULL;
    OK(authz_namespace_get(eng, "copyme", &ns, NULL));
    assert_string_equal("Name", ns->name);
    authz_free(ns);
}

static void duplicate_code_is_eexist(void **state) {
    (void)state;
    OK(create("dup", NULL, NULL));
    FAILS_O(eng, AUTHZ_EEXIST, AUTHZ_OBJ_NAMESPACE, create("dup", "other", NULL));
    FAILS_O(eng, AUTHZ_EEXIST, AUTHZ_OBJ_NAMESPACE, create("default", NULL, NULL));
    assert_int_equal(409, authz_status_code(uh_err.status));
    assert_int_equal(40901, authz_api_code(&uh_err));
}

static void missing_or_malformed_code_is_einval(void **state) {
    (void)state;
    FAILS(eng, AUTHZ_EINVAL, authz_namespace_create(eng, NULL, NULL, ERR));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create(NULL, NULL, NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create("", NULL, NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create("a b", NULL, NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create("a.b", NULL, NULL)); /* '.' is resource-only */
    FAILS_F(eng, AUTHZ_EINVAL, "code", create("a:b", NULL, NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create("caf\xc3\xa9", NULL, NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create("*", NULL, NULL));
    assert_int_equal(-1, uh_err.item);
    OK(create("Az09_-", NULL, NULL));
}

static void code_of_64_bytes_is_accepted_65_rejected(void **state) {
    (void)state;
    OK(create(uh_repeat('c', 64), NULL, NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create(uh_repeat('d', 65), NULL, NULL));
}

static void name_256_and_description_1024_bytes_are_the_limits(void **state) {
    (void)state;
    OK(create("n256", uh_repeat('n', 256), uh_repeat('d', 1024)));
    FAILS_F(eng, AUTHZ_EINVAL, "name", create("n257", uh_repeat('n', 257), NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "description", create("d1025", NULL, uh_repeat('d', 1025)));
    /* 128 two-byte characters are 256 bytes; one more is over */
    char name[300] = "";
    for (int i = 0; i < 128; i++) strcat(name, "\xc3\xa9");
    OK(create("utf", name, NULL));
    strcat(name, "\xc3\xa9");
    FAILS_F(eng, AUTHZ_EINVAL, "name", create("utf2", name, NULL));
}

static void invalid_utf8_in_texts_is_einval(void **state) {
    (void)state;
    FAILS_F(eng, AUTHZ_EINVAL, "name", create("bad1", "a\xff", NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "name", create("bad2", "\xc3", NULL));         /* truncated */
    FAILS_F(eng, AUTHZ_EINVAL, "name", create("bad3", "\xc0\xaf", NULL));     /* overlong */
    FAILS_F(eng, AUTHZ_EINVAL, "name", create("bad4", "\xed\xa0\x80", NULL)); /* surrogate */
    FAILS_F(eng, AUTHZ_EINVAL, "description", create("bad5", NULL, "\x80"));
    OK(create("good", "\xe6\x9d\x83\xe9\x99\x90", "\xf0\x9f\x94\x91"));
}

static void batch_creates_all_in_order(void **state) {
    (void)state;
    authz_namespace_spec s[3] = {{"b1", "one", NULL}, {"b2", NULL, NULL}, {"b3", NULL, "d"}};
    OK(authz_namespace_create_batch(eng, s, 3, NULL));
    authz_namespace_list *l = NULL;
    OK(authz_list_namespaces(eng, NULL, NULL, &l, NULL));
    assert_int_equal(4, l->total_count);
    assert_string_equal("default", l->items[0].code);
    assert_string_equal("b1", l->items[1].code);
    assert_string_equal("one", l->items[1].name);
    assert_string_equal("b3", l->items[3].code);
    authz_free(l);
}

static void batch_duplicate_inside_is_eexist_and_names_the_item(void **state) {
    (void)state;
    authz_namespace_spec s[3] = {{"x1", NULL, NULL}, {"x2", NULL, NULL}, {"x1", NULL, NULL}};
    FAILS_I(eng, AUTHZ_EEXIST, 2, authz_namespace_create_batch(eng, s, 3, ERR));
    authz_namespace *ns = NULL;
    FAILS(eng, AUTHZ_ENOTFOUND, authz_namespace_get(eng, "x2", &ns, ERR));
}

static void batch_with_one_present_code_creates_nothing(void **state) {
    (void)state;
    OK(create("here", NULL, NULL));
    authz_namespace_spec s[2] = {{"new1", NULL, NULL}, {"here", NULL, NULL}};
    FAILS_I(eng, AUTHZ_EEXIST, 1, authz_namespace_create_batch(eng, s, 2, ERR));
}

static void batch_with_one_malformed_item_names_it(void **state) {
    (void)state;
    authz_namespace_spec s[3] = {{"ok1", NULL, NULL}, {"ok2", NULL, NULL}, {"b a d", NULL, NULL}};
    UH_FAILS_(eng, AUTHZ_EINVAL, "code", 2, UH_ANY_OBJECT,
              authz_namespace_create_batch(eng, s, 3, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_namespace_create_batch(eng, s, 0, ERR));
}

static void get_unknown_is_enotfound_namespace(void **state) {
    (void)state;
    authz_namespace *ns = NULL;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE, authz_namespace_get(eng, "nope", &ns, ERR));
    assert_int_equal(40401, authz_api_code(&uh_err));
    FAILS(eng, AUTHZ_EINVAL, authz_namespace_get(eng, "x", NULL, ERR));
}

static void get_batch_skips_unknown_and_malformed_in_asked_order(void **state) {
    (void)state;
    OK(create("g1", NULL, NULL));
    OK(create("g2", NULL, NULL));
    const char *codes[] = {"g2", "missing", "bad code", "default", "g1"};
    authz_namespace_list *l = NULL;
    OK(authz_namespace_get_batch(eng, codes, 5, &l, NULL));
    assert_int_equal(3, l->count);
    assert_int_equal(3, l->total_count);
    assert_string_equal("g2", l->items[0].code);
    assert_string_equal("default", l->items[1].code);
    assert_string_equal("g1", l->items[2].code);
    authz_free(l);
    FAILS(eng, AUTHZ_EINVAL, authz_namespace_get_batch(eng, codes, 0, &l, ERR));
}

static void update_changes_only_given_fields(void **state) {
    (void)state;
    OK(create("u", "old", "keep"));
    authz_namespace_patch p = {"u", NULL, "new", NULL};
    authz_namespace *ns = NULL;
    OK(authz_namespace_update(eng, &p, &ns, NULL));
    assert_string_equal("u", ns->code);
    assert_string_equal("new", ns->name);
    assert_string_equal("keep", ns->description);
    authz_free(ns);
    authz_namespace_patch p2 = {"u", "", NULL, "d2"}; /* "" keeps the code */
    OK(authz_namespace_update(eng, &p2, NULL, NULL));
    OK(authz_namespace_get(eng, "u", &ns, NULL));
    assert_string_equal("new", ns->name);
    assert_string_equal("d2", ns->description);
    authz_free(ns);
}

static void update_errors(void **state) {
    (void)state;
    OK(create("a", NULL, NULL));
    OK(create("b", NULL, NULL));
    authz_namespace_patch unknown = {"zz", NULL, "n", NULL};
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE,
            authz_namespace_update(eng, &unknown, NULL, ERR));
    authz_namespace_patch onto = {"a", "b", NULL, NULL};
    FAILS_O(eng, AUTHZ_EEXIST, AUTHZ_OBJ_NAMESPACE, authz_namespace_update(eng, &onto, NULL, ERR));
    authz_namespace_patch def = {"default", "dflt", NULL, NULL};
    FAILS(eng, AUTHZ_ERULE, authz_namespace_update(eng, &def, NULL, ERR));
    assert_int_equal(422, authz_status_code(uh_err.status));
    authz_namespace_patch bad = {"a", "b b", NULL, NULL};
    FAILS(eng, AUTHZ_EINVAL, authz_namespace_update(eng, &bad, NULL, ERR));
    authz_namespace_patch longname = {"a", NULL, uh_repeat('x', 257), NULL};
    FAILS_F(eng, AUTHZ_EINVAL, "name", authz_namespace_update(eng, &longname, NULL, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_namespace_update(eng, NULL, NULL, ERR));
    /* a name-only change of `default` is not a rename */
    authz_namespace_patch defname = {"default", NULL, "Default", NULL};
    OK(authz_namespace_update(eng, &defname, NULL, NULL));
}

static void rename_carries_everything(void **state) {
    (void)state;
    OK(create("old", NULL, NULL));
    const char *acts[] = {"read"};
    uh_resource(eng, "old", "books", acts, 1);
    uh_role(eng, "old", "reader");
    uh_grant(eng, "old", AUTHZ_TARGET_ROLE, "reader", "books", "read");
    uh_assign(eng, "old", "reader", AUTHZ_TARGET_USER, "alice", NULL);
    uh_grant(eng, "old", AUTHZ_TARGET_USER, "bob", "books:1", "write");
    assert_true(uh_allowed(eng, "old", "alice", "books:9", "read"));

    authz_namespace_patch p = {"old", "new", NULL, NULL};
    authz_namespace *ns = NULL;
    OK(authz_namespace_update(eng, &p, &ns, NULL));
    assert_string_equal("new", ns->code);
    authz_free(ns);

    assert_true(uh_allowed(eng, "new", "alice", "books:9", "read"));
    assert_true(uh_allowed(eng, "new", "bob", "books:1", "write"));
    bool a;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE,
            authz_check(eng, "old", "alice", "books", "read", &a, ERR));
    authz_resource *r = NULL;
    OK(authz_resource_get(eng, "new", "books", &r, NULL));
    assert_string_equal("new", r->namespace_code);
    authz_free(r);
    authz_role *ro = NULL;
    OK(authz_role_get(eng, "new", "reader", &ro, NULL));
    assert_string_equal("new", ro->namespace_code);
    authz_free(ro);
    authz_role_list *rl = NULL;
    OK(authz_user_roles(eng, "alice", "new", &rl, NULL));
    assert_int_equal(1, rl->count);
    assert_string_equal("reader", rl->items[0].code);
    authz_free(rl);
    FAILS(eng, AUTHZ_ENOTFOUND, authz_namespace_get(eng, "old", &ns, ERR));
    /* the old code is free again, and empty */
    OK(create("old", NULL, NULL));
    assert_false(uh_allowed(eng, "old", "alice", "books", "read"));
}

static void delete_cascades_and_recreate_starts_empty(void **state) {
    (void)state;
    OK(create("gone", NULL, NULL));
    const char *acts[] = {"read"};
    uh_resource(eng, "gone", "books", acts, 1);
    uh_role(eng, "gone", "reader");
    uh_grant(eng, "gone", AUTHZ_TARGET_ROLE, "reader", "books", "read");
    uh_grant(eng, "gone", AUTHZ_TARGET_USER, "bob", "*", "*");
    uh_assign(eng, "gone", "reader", AUTHZ_TARGET_USER, "alice", NULL);
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "bob", "books", "read"); /* other namespace stays */
    authz_stats before;
    OK(authz_get_stats(eng, &before));
    assert_int_equal(3, before.grants);

    OK(authz_namespace_delete(eng, "gone", NULL));
    authz_stats after;
    OK(authz_get_stats(eng, &after));
    assert_int_equal(1, after.namespaces);
    assert_int_equal(0, after.resources);
    assert_int_equal(0, after.roles);
    assert_int_equal(1, after.grants);
    assert_int_equal(0, after.role_assignments);
    assert_true(uh_allowed(eng, NULL, "bob", "books", "read"));
    bool a;
    FAILS(eng, AUTHZ_ENOTFOUND, authz_check(eng, "gone", "bob", "books", "read", &a, ERR));

    OK(create("gone", NULL, NULL));
    assert_false(uh_allowed(eng, "gone", "bob", "books", "read"));
    assert_false(uh_allowed(eng, "gone", "alice", "books", "read"));
    authz_role *r = NULL;
    FAILS(eng, AUTHZ_ENOTFOUND, authz_role_get(eng, "gone", "reader", &r, ERR));
}

static void delete_unknown_is_enotfound_and_default_is_erule(void **state) {
    (void)state;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE, authz_namespace_delete(eng, "nope", ERR));
    FAILS(eng, AUTHZ_ERULE, authz_namespace_delete(eng, "default", ERR));
    FAILS_F(eng, AUTHZ_EINVAL, "code", authz_namespace_delete(eng, "bad code", ERR));
}

static void delete_batch_skips_unknown_and_malformed(void **state) {
    (void)state;
    OK(create("d1", NULL, NULL));
    OK(create("d2", NULL, NULL));
    OK(create("d3", NULL, NULL));
    const char *codes[] = {"d1", "unknown", "bad code", "d3"};
    OK(authz_namespace_delete_batch(eng, codes, 4, NULL));
    authz_namespace_list *l = NULL;
    OK(authz_list_namespaces(eng, NULL, NULL, &l, NULL));
    assert_int_equal(2, l->total_count);
    assert_string_equal("default", l->items[0].code);
    assert_string_equal("d2", l->items[1].code);
    authz_free(l);
    OK(authz_namespace_delete_batch(eng, codes, 4, NULL)); /* again: idempotent */
}

static void delete_batch_with_default_deletes_nothing(void **state) {
    (void)state;
    OK(create("k1", NULL, NULL));
    const char *codes[] = {"k1", "default"};
    FAILS(eng, AUTHZ_ERULE, authz_namespace_delete_batch(eng, codes, 2, ERR));
    authz_namespace *ns = NULL;
    OK(authz_namespace_get(eng, "k1", &ns, NULL));
    authz_free(ns);
    FAILS(eng, AUTHZ_EINVAL, authz_namespace_delete_batch(eng, codes, 0, ERR));
}

static void list_pages_and_filters_by_keyword(void **state) {
    (void)state;
    for (size_t i = 0; i < 12; i++) OK(create(uh_fmt("ns", i), NULL, NULL));
    OK(create("other", NULL, NULL));
    authz_namespace_list *l = NULL;
    OK(authz_list_namespaces(eng, NULL, NULL, &l, NULL)); /* page 1, limit 10 */
    assert_int_equal(14, l->total_count);
    assert_int_equal(10, l->count);
    assert_string_equal("default", l->items[0].code);
    assert_string_equal("ns8", l->items[9].code);
    authz_free(l);
    authz_page p = {2, 10};
    OK(authz_list_namespaces(eng, &p, NULL, &l, NULL));
    assert_int_equal(4, l->count);
    assert_string_equal("ns9", l->items[0].code);
    assert_string_equal("other", l->items[3].code);
    authz_free(l);
    authz_page far = {9, 10};
    OK(authz_list_namespaces(eng, &far, NULL, &l, NULL));
    assert_int_equal(0, l->count);
    assert_int_equal(14, l->total_count);
    authz_free(l);
    authz_page p3 = {1, 5};
    OK(authz_list_namespaces(eng, &p3, "ns1", &l, NULL));
    assert_int_equal(3, l->total_count); /* ns1, ns10, ns11 */
    assert_string_equal("ns1", l->items[0].code);
    assert_string_equal("ns11", l->items[2].code);
    authz_free(l);
    OK(authz_list_namespaces(eng, NULL, "zzz", &l, NULL));
    assert_int_equal(0, l->total_count);
    authz_free(l);
}

static void list_rejects_bad_paging(void **state) {
    (void)state;
    authz_namespace_list *l = NULL;
    authz_page p0 = {0, 10}, l0 = {1, 0}, l51 = {1, 51}, l50 = {1, 50};
    FAILS_F(eng, AUTHZ_EINVAL, "page", authz_list_namespaces(eng, &p0, NULL, &l, ERR));
    FAILS_F(eng, AUTHZ_EINVAL, "limit", authz_list_namespaces(eng, &l0, NULL, &l, ERR));
    FAILS_F(eng, AUTHZ_EINVAL, "limit", authz_list_namespaces(eng, &l51, NULL, &l, ERR));
    OK(authz_list_namespaces(eng, &l50, NULL, &l, NULL));
    authz_free(l);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(create_returns_the_namespace),
        T(unset_texts_read_back_empty),
        T(create_copies_the_callers_strings),
        T(duplicate_code_is_eexist),
        T(missing_or_malformed_code_is_einval),
        T(code_of_64_bytes_is_accepted_65_rejected),
        T(name_256_and_description_1024_bytes_are_the_limits),
        T(invalid_utf8_in_texts_is_einval),
        T(batch_creates_all_in_order),
        T(batch_duplicate_inside_is_eexist_and_names_the_item),
        T(batch_with_one_present_code_creates_nothing),
        T(batch_with_one_malformed_item_names_it),
        T(get_unknown_is_enotfound_namespace),
        T(get_batch_skips_unknown_and_malformed_in_asked_order),
        T(update_changes_only_given_fields),
        T(update_errors),
        T(rename_carries_everything),
        T(delete_cascades_and_recreate_starts_empty),
        T(delete_unknown_is_enotfound_and_default_is_erule),
        T(delete_batch_skips_unknown_and_malformed),
        T(delete_batch_with_default_deletes_nothing),
        T(list_pages_and_filters_by_keyword),
        T(list_rejects_bad_paging),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_resource.c - resources of a namespace: create (single and batch) with every result field,
 * resource-code syntax ('.' allowed, ':' and '*' not) and its 64/65 limit, action names and
 * their 128/129 limit, duplicate actions, get/get_batch, listing by type with paging, update
 * (fields, action replacement, lenient vs strict grant handling), delete's cascade over `code`,
 * `code:*` and `code:<id>` (but not a code sharing a prefix), idempotent deletes, and the tenant
 * association flag. Failing writes leave the engine unchanged.
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

static authz_status create_with(const char *ns, const char *code, const authz_action_spec *a,
                                size_t n) {
    authz_resource_spec s = {code, AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, a, n};
    return authz_resource_create(eng, ns, &s, NULL, ERR);
}

static authz_status create(const char *ns, const char *code) {
    return create_with(ns, code, NULL, 0);
}

static void create_returns_every_field(void **state) {
    (void)state;
    authz_action_spec acts[] = {{"read", "read it"}, {"write", NULL}};
    authz_resource_spec s = {"books", AUTHZ_RESOURCE_API, "Books", "the books", "/api/books", acts,
                             2};
    authz_resource *r = NULL;
    OK(authz_resource_create(eng, NULL, &s, &r, NULL));
    assert_string_equal("default", r->namespace_code);
    assert_string_equal("books", r->code);
    assert_int_equal(AUTHZ_RESOURCE_API, r->type);
    assert_string_equal("Books", r->name);
    assert_string_equal("the books", r->description);
    assert_string_equal("/api/books", r->api_identifier);
    assert_int_equal(2, r->action_count);
    assert_string_equal("read", r->actions[0].name);
    assert_string_equal("read it", r->actions[0].description);
    assert_string_equal("write", r->actions[1].name);
    assert_string_equal("", r->actions[1].description);
    assert_false(r->linked_to_tenant);
    authz_free(r);
    OK(authz_resource_get(eng, "", "books", &r, NULL));
    assert_string_equal("/api/books", r->api_identifier);
    authz_free(r);
}

static void unset_texts_read_back_empty(void **state) {
    (void)state;
    OK(create(NULL, "plain"));
    authz_resource *r = NULL;
    OK(authz_resource_get(eng, NULL, "plain", &r, NULL));
    assert_string_equal("", r->name);
    assert_string_equal("", r->description);
    assert_string_equal("", r->api_identifier);
    assert_int_equal(0, r->action_count);
    authz_free(r);
}

static void resource_code_syntax(void **state) {
    (void)state;
    OK(create(NULL, "a.b-c_D9"));
    OK(create(NULL, uh_repeat('r', 64)));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create(NULL, uh_repeat('s', 65)));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create(NULL, "a:b"));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create(NULL, "*"));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create(NULL, "a b"));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create(NULL, ""));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create(NULL, NULL));
    FAILS_F(eng, AUTHZ_EINVAL, "code", create(NULL, "\xc3\xa9"));
    FAILS(eng, AUTHZ_EINVAL, authz_resource_create(eng, NULL, NULL, NULL, ERR));
}

static void texts_at_and_over_their_limits(void **state) {
    (void)state;
    authz_resource_spec s = {
        "t", AUTHZ_RESOURCE_DATA, uh_repeat('n', 256), uh_repeat('d', 1024), NULL, NULL, 0};
    OK(authz_resource_create(eng, NULL, &s, NULL, NULL));
    s.code = "t2";
    s.name = uh_repeat('n', 257);
    FAILS_F(eng, AUTHZ_EINVAL, "name", authz_resource_create(eng, NULL, &s, NULL, ERR));
    s.name = NULL;
    s.description = uh_repeat('d', 1025);
    FAILS_F(eng, AUTHZ_EINVAL, "description", authz_resource_create(eng, NULL, &s, NULL, ERR));
    s.description = "bad \xfe";
    FAILS_F(eng, AUTHZ_EINVAL, "description", authz_resource_create(eng, NULL, &s, NULL, ERR));
}

static void action_names_at_and_over_128_bytes(void **state) {
    (void)state;
    authz_action_spec ok[] = {{uh_repeat('a', 128), NULL}};
    OK(create_with(NULL, "r128", ok, 1));
    authz_action_spec over[] = {{uh_repeat('a', 129), NULL}};
    FAILS(eng, AUTHZ_EINVAL, create_with(NULL, "r129", over, 1));
    authz_action_spec spaced[] = {{"re ad", NULL}};
    FAILS(eng, AUTHZ_EINVAL, create_with(NULL, "rsp", spaced, 1));
    authz_action_spec empty[] = {{"", NULL}};
    FAILS(eng, AUTHZ_EINVAL, create_with(NULL, "rempty", empty, 1));
    authz_action_spec null[] = {{NULL, NULL}};
    FAILS(eng, AUTHZ_EINVAL, create_with(NULL, "rnull", null, 1));
    authz_action_spec utf[] = {{"\xe8\xaf\xbb", NULL}}; /* printable UTF-8 */
    OK(create_with(NULL, "rutf", utf, 1));
}

static void duplicate_action_names_are_einval(void **state) {
    (void)state;
    authz_action_spec acts[] = {{"read", NULL}, {"write", NULL}, {"read", NULL}};
    FAILS(eng, AUTHZ_EINVAL, create_with(NULL, "dupact", acts, 3));
}

static void unknown_namespace_and_duplicate_code(void **state) {
    (void)state;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE, create("nons", "books"));
    OK(create(NULL, "books"));
    FAILS_O(eng, AUTHZ_EEXIST, AUTHZ_OBJ_RESOURCE, create(NULL, "books"));
    assert_int_equal(40902, authz_api_code(&uh_err));
    uh_namespace(eng, "other");
    OK(create("other", "books")); /* codes are per namespace */
}

static void batch_is_all_or_nothing(void **state) {
    (void)state;
    authz_resource_spec s[3] = {
        {"r1", AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, NULL, 0},
        {"r2", AUTHZ_RESOURCE_MENU, NULL, NULL, NULL, NULL, 0},
        {"r1", AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, NULL, 0},
    };
    FAILS_I(eng, AUTHZ_EEXIST, 2, authz_resource_create_batch(eng, NULL, s, 3, ERR));
    s[2].code = "bad:code";
    UH_FAILS_(eng, AUTHZ_EINVAL, "code", 2, UH_ANY_OBJECT,
              authz_resource_create_batch(eng, NULL, s, 3, ERR));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_resource_create_batch(eng, "nons", s, 2, ERR));
    s[2].code = "r3";
    OK(authz_resource_create_batch(eng, NULL, s, 3, NULL));
    FAILS_I(eng, AUTHZ_EEXIST, 0, authz_resource_create_batch(eng, NULL, s + 1, 2, ERR));
    authz_resource_list *l = NULL;
    OK(authz_list_resources(eng, NULL, NULL, NULL, &l, NULL));
    assert_int_equal(3, l->total_count);
    assert_string_equal("r1", l->items[0].code);
    assert_string_equal("r2", l->items[1].code);
    assert_string_equal("r3", l->items[2].code);
    authz_free(l);
}

static void get_unknown_is_enotfound_resource(void **state) {
    (void)state;
    authz_resource *r = NULL;
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_RESOURCE, authz_resource_get(eng, NULL, "x", &r, ERR));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE,
            authz_resource_get(eng, "nons", "x", &r, ERR));
}

static void get_batch_skips_unknown_in_asked_order(void **state) {
    (void)state;
    OK(create(NULL, "a"));
    OK(create(NULL, "b"));
    const char *codes[] = {"b", "zz", "bad code", "a"};
    authz_resource_list *l = NULL;
    OK(authz_resource_get_batch(eng, NULL, codes, 4, &l, NULL));
    assert_int_equal(2, l->count);
    assert_string_equal("b", l->items[0].code);
    assert_string_equal("a", l->items[1].code);
    authz_free(l);
    FAILS(eng, AUTHZ_ENOTFOUND, authz_resource_get_batch(eng, "nons", codes, 4, &l, ERR));
}

static void list_filters_by_type_and_pages(void **state) {
    (void)state;
    for (size_t i = 0; i < 7; i++) {
        authz_resource_spec s = {uh_fmt("res", i),
                                 i % 2 ? AUTHZ_RESOURCE_MENU : AUTHZ_RESOURCE_API,
                                 NULL,
                                 NULL,
                                 NULL,
                                 NULL,
                                 0};
        OK(authz_resource_create(eng, NULL, &s, NULL, NULL));
    }
    authz_resource_type menu = AUTHZ_RESOURCE_MENU;
    authz_page p = {1, 2};
    authz_resource_list *l = NULL;
    OK(authz_list_resources(eng, NULL, &menu, &p, &l, NULL));
    assert_int_equal(3, l->total_count);
    assert_int_equal(2, l->count);
    assert_string_equal("res1", l->items[0].code);
    assert_string_equal("res3", l->items[1].code);
    authz_free(l);
    p.page = 2;
    OK(authz_list_resources(eng, NULL, &menu, &p, &l, NULL));
    assert_int_equal(1, l->count);
    assert_string_equal("res5", l->items[0].code);
    authz_free(l);
    authz_resource_type ui = AUTHZ_RESOURCE_UI;
    OK(authz_list_resources(eng, NULL, &ui, NULL, &l, NULL));
    assert_int_equal(0, l->total_count);
    authz_free(l);
    authz_page bad = {0, 2};
    FAILS_F(eng, AUTHZ_EINVAL, "page", authz_list_resources(eng, NULL, NULL, &bad, &l, ERR));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_list_resources(eng, "nons", NULL, NULL, &l, ERR));
}

static void update_changes_given_fields_and_replaces_actions(void **state) {
    (void)state;
    authz_action_spec acts[] = {{"read", NULL}, {"write", NULL}};
    authz_resource_spec s = {"doc", AUTHZ_RESOURCE_DATA, "Doc", "d", "/doc", acts, 2};
    OK(authz_resource_create(eng, NULL, &s, NULL, NULL));
    authz_resource_type ty = AUTHZ_RESOURCE_BUTTON;
    authz_action_spec nacts[] = {{"share", "s"}};
    authz_resource_patch p = {"doc", "Document", NULL, NULL, &ty, true, nacts, 1};
    authz_resource *r = NULL;
    OK(authz_resource_update(eng, NULL, &p, &r, NULL));
    assert_string_equal("Document", r->name);
    assert_string_equal("d", r->description);
    assert_string_equal("/doc", r->api_identifier);
    assert_int_equal(AUTHZ_RESOURCE_BUTTON, r->type);
    assert_int_equal(1, r->action_count);
    assert_string_equal("share", r->actions[0].name);
    authz_free(r);
    authz_resource_patch keep = {"doc", NULL, "new d", NULL, NULL, false, NULL, 0};
    OK(authz_resource_update(eng, NULL, &keep, NULL, NULL));
    OK(authz_resource_get(eng, NULL, "doc", &r, NULL));
    assert_int_equal(1, r->action_count); /* set_actions false keeps them */
    assert_string_equal("new d", r->description);
    authz_free(r);
}

static void update_errors(void **state) {
    (void)state;
    OK(create(NULL, "doc"));
    authz_resource_patch unknown = {"nodoc", "n", NULL, NULL, NULL, false, NULL, 0};
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_RESOURCE,
            authz_resource_update(eng, NULL, &unknown, NULL, ERR));
    authz_resource_patch p = {"doc", "n", NULL, NULL, NULL, false, NULL, 0};
    FAILS(eng, AUTHZ_ENOTFOUND, authz_resource_update(eng, "nons", &p, NULL, ERR));
    authz_action_spec dup[] = {{"a", NULL}, {"a", NULL}};
    authz_resource_patch pd = {"doc", NULL, NULL, NULL, NULL, true, dup, 2};
    FAILS(eng, AUTHZ_EINVAL, authz_resource_update(eng, NULL, &pd, NULL, ERR));
    authz_resource_patch pn = {"doc", uh_repeat('n', 257), NULL, NULL, NULL, false, NULL, 0};
    FAILS_F(eng, AUTHZ_EINVAL, "name", authz_resource_update(eng, NULL, &pn, NULL, ERR));
    authz_resource_type bad = (authz_resource_type)9;
    authz_resource_patch pt = {"doc", NULL, NULL, NULL, &bad, false, NULL, 0};
    FAILS(eng, AUTHZ_EINVAL, authz_resource_update(eng, NULL, &pt, NULL, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_resource_update(eng, NULL, NULL, NULL, ERR));
}

static void lenient_update_keeps_granted_actions(void **state) {
    (void)state;
    authz_action_spec acts[] = {{"read", NULL}, {"write", NULL}};
    OK(create_with(NULL, "doc", acts, 2));
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "doc", "write");
    authz_resource_patch p = {"doc", NULL, NULL, NULL, NULL, true, acts, 1};
    OK(authz_resource_update(eng, NULL, &p, NULL, NULL));
    assert_true(uh_allowed(eng, NULL, "u", "doc", "write"));
}

static void strict_update_drops_undeclared_granted_actions(void **state) {
    (void)state;
    authz_engine *s = uh_engine(true);
    authz_action_spec acts[] = {{"read", NULL}, {"write", NULL}};
    authz_resource_spec spec = {"doc", AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, acts, 2};
    OK(authz_resource_create(s, NULL, &spec, NULL, NULL));
    const char *both[] = {"read", "write"};
    uh_grant_actions(s, NULL, AUTHZ_TARGET_USER, "u", "doc:1", both, 2);
    uh_grant(s, NULL, AUTHZ_TARGET_USER, "v", "doc", "write");
    authz_resource_patch p = {"doc", NULL, NULL, NULL, NULL, true, acts, 1}; /* only read */
    OK(authz_resource_update(s, NULL, &p, NULL, NULL));
    assert_true(uh_allowed(s, NULL, "u", "doc:1", "read"));
    assert_false(uh_allowed(s, NULL, "u", "doc:1", "write"));
    assert_false(uh_allowed(s, NULL, "v", "doc", "write"));
    authz_grant_list *l = NULL;
    OK(authz_target_grants(s, NULL, AUTHZ_TARGET_USER, "v", NULL, &l, NULL));
    assert_int_equal(0, l->count); /* a grant left without actions disappears */
    authz_free(l);
    uh_engine_teardown(s);
}

static void strict_mode_rejects_undeclared_resources_and_actions(void **state) {
    (void)state;
    authz_engine *s = uh_engine(true);
    authz_action_spec acts[] = {{"read", NULL}};
    authz_resource_spec spec = {"doc", AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, acts, 1};
    OK(authz_resource_create(s, NULL, &spec, NULL, NULL));
    const char *who = "u";
    const char *write = "write", *read = "read", *star = "*";
    authz_grant_resource r = {"doc", &write, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item it = {AUTHZ_TARGET_USER, &who, 1, &r, 1};
    FAILS(s, AUTHZ_ERULE, authz_authorize(s, NULL, &it, 1, ERR));
    assert_int_equal(422, authz_status_code(uh_err.status));
    r.resource = "nodoc";
    r.actions = &read;
    FAILS(s, AUTHZ_ERULE, authz_authorize(s, NULL, &it, 1, ERR));
    FAILS(s, AUTHZ_ERULE, authz_revoke(s, NULL, &it, 1, ERR));
    r.resource = "doc:7";
    OK(authz_authorize(s, NULL, &it, 1, NULL));
    r.actions = &star;
    OK(authz_authorize(s, NULL, &it, 1, NULL));
    assert_true(uh_allowed(s, NULL, "u", "doc:7", "read"));
    uh_engine_teardown(s);
}

static void delete_cascades_to_code_star_and_instances_only(void **state) {
    (void)state;
    OK(create(NULL, "books"));
    OK(create(NULL, "books2"));
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books:*", "write");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books:1", "del");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books:a:b", "del");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books2", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "books2:1", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "*", "list");
    uh_grant(eng, NULL, AUTHZ_TARGET_DEPARTMENT, "d", "books:9", "read");
    uh_namespace(eng, "other");
    uh_grant(eng, "other", AUTHZ_TARGET_USER, "u", "books", "read");

    OK(authz_resource_delete(eng, NULL, "books", NULL));
    authz_resource *r = NULL;
    FAILS(eng, AUTHZ_ENOTFOUND, authz_resource_get(eng, NULL, "books", &r, ERR));
    authz_grant_list *l = NULL;
    OK(authz_target_grants(eng, NULL, AUTHZ_TARGET_USER, "u", NULL, &l, NULL));
    assert_int_equal(3, l->count);
    assert_string_equal("books2", l->items[0].resource);
    assert_string_equal("books2:1", l->items[1].resource);
    assert_string_equal("*", l->items[2].resource);
    authz_free(l);
    OK(authz_target_grants(eng, NULL, AUTHZ_TARGET_DEPARTMENT, "d", NULL, &l, NULL));
    assert_int_equal(0, l->count);
    authz_free(l);
    assert_false(uh_allowed(eng, NULL, "u", "books:1", "del"));
    assert_false(uh_allowed(eng, NULL, "u", "books", "read"));
    assert_true(uh_allowed(eng, NULL, "u", "books2:1", "read"));
    assert_true(uh_allowed(eng, "other", "u", "books", "read"));
}

static void delete_of_an_uncreated_code_drops_its_grants(void **state) {
    (void)state;
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "ghost:1", "read");
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "ghosts", "read");
    OK(authz_resource_delete(eng, NULL, "ghost", NULL));
    assert_false(uh_allowed(eng, NULL, "u", "ghost:1", "read"));
    assert_true(uh_allowed(eng, NULL, "u", "ghosts", "read"));
}

static void delete_is_idempotent_but_needs_the_namespace(void **state) {
    (void)state;
    uint64_t d = authz__digest(eng);
    OK(authz_resource_delete(eng, NULL, "never", NULL));
    OK(authz_resource_delete(eng, NULL, "bad code!", NULL));
    assert_true(d == authz__digest(eng));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE,
            authz_resource_delete(eng, "nons", "x", ERR));
}

static void delete_batch_deletes_and_skips(void **state) {
    (void)state;
    OK(create(NULL, "a"));
    OK(create(NULL, "b"));
    OK(create(NULL, "c"));
    uh_grant(eng, NULL, AUTHZ_TARGET_USER, "u", "c:1", "read");
    const char *codes[] = {"a", "zz", "c"};
    OK(authz_resource_delete_batch(eng, NULL, codes, 3, NULL));
    authz_resource_list *l = NULL;
    OK(authz_list_resources(eng, NULL, NULL, NULL, &l, NULL));
    assert_int_equal(1, l->total_count);
    assert_string_equal("b", l->items[0].code);
    authz_free(l);
    assert_false(uh_allowed(eng, NULL, "u", "c:1", "read"));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_resource_delete_batch(eng, "nons", codes, 3, ERR));
    FAILS(eng, AUTHZ_EINVAL, authz_resource_delete_batch(eng, NULL, codes, 0, ERR));
}

static bool linked(const char *ns, const char *code) {
    authz_resource *r = NULL;
    OK(authz_resource_get(eng, ns, code, &r, NULL));
    bool b = r->linked_to_tenant;
    authz_free(r);
    return b;
}

static void tenant_association_sets_the_flag_while_any_tenant_is_linked(void **state) {
    (void)state;
    uh_namespace(eng, "app1");
    OK(create("app1", "api"));
    OK(authz_resource_associate_tenant(eng, "app1", "api", true, "t1", NULL));
    assert_true(linked("app1", "api"));
    OK(authz_resource_associate_tenant(eng, "app1", "api", true, "t1", NULL)); /* idempotent */
    OK(authz_resource_associate_tenant(eng, "app1", "api", true, NULL, NULL));
    OK(authz_resource_associate_tenant(eng, "app1", "api", false, "t1", NULL));
    assert_true(linked("app1", "api"));
    OK(authz_resource_associate_tenant(eng, "app1", "api", false, "", NULL));
    assert_false(linked("app1", "api"));
    OK(authz_resource_associate_tenant(eng, "app1", "api", false, "t9", NULL));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE,
            authz_resource_associate_tenant(eng, "app2", "api", true, "t1", ERR));
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_RESOURCE,
            authz_resource_associate_tenant(eng, "app1", "nope", true, "t1", ERR));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(create_returns_every_field),
        T(unset_texts_read_back_empty),
        T(resource_code_syntax),
        T(texts_at_and_over_their_limits),
        T(action_names_at_and_over_128_bytes),
        T(duplicate_action_names_are_einval),
        T(unknown_namespace_and_duplicate_code),
        T(batch_is_all_or_nothing),
        T(get_unknown_is_enotfound_resource),
        T(get_batch_skips_unknown_in_asked_order),
        T(list_filters_by_type_and_pages),
        T(update_changes_given_fields_and_replaces_actions),
        T(update_errors),
        T(lenient_update_keeps_granted_actions),
        T(strict_update_drops_undeclared_granted_actions),
        T(strict_mode_rejects_undeclared_resources_and_actions),
        T(delete_cascades_to_code_star_and_instances_only),
        T(delete_of_an_uncreated_code_drops_its_grants),
        T(delete_is_idempotent_but_needs_the_namespace),
        T(delete_batch_deletes_and_skips),
        T(tenant_association_sets_the_flag_while_any_tenant_is_linked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

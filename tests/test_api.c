/*
 * test_api.c - the C API operation by operation: each success path with its result checked,
 * each error class (invalid, over a limit, not found, duplicate, rule), the cascades of
 * semantics.md §4, wildcards and instances, role windows and disabled roles, department-derived
 * roles, renames, explain and prepared checks. Every failing write must leave the digest
 * unchanged. The limits test prints "limits: N/N as specified".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "access/authz_debug.h"
#include "authz.h"

#define OK(x) assert_int_equal(AUTHZ_OK, (x))

static int64_t now_ms;
static int64_t test_clock(void *ctx) {
    (void)ctx;
    return now_ms;
}

static authz_engine *engine(bool strict) {
    authz_options opt;
    authz_options_init(&opt);
    opt.clock = test_clock;
    opt.strict = strict;
    authz_engine *e;
    OK(authz_engine_new(&opt, &e));
    now_ms = 1000;
    return e;
}

/* A failing call: the expected status, and the engine exactly as before. */
#define FAILS(e, status, call)                    \
    do {                                          \
        uint64_t before_ = authz__digest(e);      \
        assert_int_equal((status), (call));       \
        assert_true(before_ == authz__digest(e)); \
    } while (0)

static void grant(authz_engine *e, const char *ns, authz_target_type t, const char *who,
                  const char *res, const char *act) {
    const char *acts[] = {act};
    authz_grant_resource r = {res, acts, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item it = {t, &who, 1, &r, 1};
    OK(authz_authorize(e, ns, &it, 1, NULL));
}

static bool allowed(authz_engine *e, const char *ns, const char *user, const char *res,
                    const char *act) {
    bool a;
    OK(authz_check(e, ns, user, res, act, &a, NULL));
    return a;
}

static void role(authz_engine *e, const char *ns, const char *code) {
    authz_role_spec s = {ns, code, NULL, NULL, 0};
    OK(authz_role_create(e, &s, NULL, NULL));
}

static void assign(authz_engine *e, const char *ns, const char *code, authz_target_type t,
                   const char *who, const authz_role_window *w) {
    authz_target tg = {t, who};
    OK(authz_role_assign(e, ns, code, &tg, 1, w, NULL));
}

/* ---- status helpers ---- */

static void test_status_names(void **state) {
    (void)state;
    assert_string_equal("not found", authz_strerror(AUTHZ_ENOTFOUND));
    assert_string_equal("EEXIST", authz_status_name(AUTHZ_EEXIST));
    assert_string_equal("UNKNOWN", authz_status_name((authz_status)99));
    assert_int_equal(422, authz_status_code(AUTHZ_ERULE));
    assert_int_equal(400, authz_status_code(AUTHZ_ELIMIT));
    authz_error err = {.status = AUTHZ_ENOTFOUND, .object = AUTHZ_OBJ_ROLE};
    assert_int_equal(40403, authz_api_code(&err));
    authz_target_type t;
    OK(authz_target_type_parse("DEPARTMENT", &t));
    assert_int_equal(AUTHZ_TARGET_DEPARTMENT, t);
    assert_int_equal(AUTHZ_EINVAL, authz_target_type_parse("user", &t));
    assert_string_equal("BUTTON", authz_resource_type_name(AUTHZ_RESOURCE_BUTTON));
    assert_null(authz_resource_type_name((authz_resource_type)9));
    assert_string_equal(AUTHZ_VERSION_STRING, authz_version());
}

/* ---- namespaces ---- */

static void test_namespaces(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    authz_namespace_spec s = {"lib", "Library", NULL};
    authz_namespace *ns;
    OK(authz_namespace_create(e, &s, &ns, NULL));
    assert_string_equal("lib", ns->code);
    assert_string_equal("", ns->description);
    authz_free(ns);
    authz_error err;
    FAILS(e, AUTHZ_EEXIST, authz_namespace_create(e, &s, NULL, &err));
    assert_int_equal(AUTHZ_OBJ_NAMESPACE, err.object);
    authz_namespace_spec bad = {"a b", NULL, NULL};
    FAILS(e, AUTHZ_EINVAL, authz_namespace_create(e, &bad, NULL, &err));
    assert_string_equal("code", err.field);
    assert_non_null(strstr(err.message, "invalid namespace code: a b"));
    /* A batch with one duplicate creates nothing and names the item. */
    authz_namespace_spec batch[] = {{"x1", NULL, NULL}, {"lib", NULL, NULL}};
    FAILS(e, AUTHZ_EEXIST, authz_namespace_create_batch(e, batch, 2, &err));
    assert_int_equal(1, err.item);
    authz_namespace_spec twice[] = {{"x1", NULL, NULL}, {"x1", NULL, NULL}};
    FAILS(e, AUTHZ_EEXIST, authz_namespace_create_batch(e, twice, 2, NULL));
    FAILS(e, AUTHZ_ENOTFOUND, authz_namespace_get(e, "nope", &ns, &err));
    /* Listing: creation order, keywords, paging. */
    authz_namespace_list *l;
    authz_page p = {2, 1};
    OK(authz_list_namespaces(e, &p, NULL, &l, NULL));
    assert_int_equal(2, l->total_count);
    assert_int_equal(1, l->count);
    assert_string_equal("lib", l->items[0].code);
    authz_free(l);
    OK(authz_list_namespaces(e, NULL, "de", &l, NULL));
    assert_int_equal(1, l->total_count);
    assert_string_equal("default", l->items[0].code);
    authz_free(l);
    const char *codes[] = {"lib", "nope", "a b", "default"};
    OK(authz_namespace_get_batch(e, codes, 4, &l, NULL));
    assert_int_equal(2, l->count);
    assert_string_equal("default", l->items[1].code);
    authz_free(l);
    /* default can be neither renamed nor deleted. */
    authz_namespace_patch ren = {"default", "other", NULL, NULL};
    FAILS(e, AUTHZ_ERULE, authz_namespace_update(e, &ren, NULL, NULL));
    FAILS(e, AUTHZ_ERULE, authz_namespace_delete(e, "default", NULL));
    const char *del[] = {"nope", "default"};
    FAILS(e, AUTHZ_ERULE, authz_namespace_delete_batch(e, del, 2, &err));
    assert_int_equal(1, err.item);
    FAILS(e, AUTHZ_ENOTFOUND, authz_namespace_delete(e, "nope", NULL));
    const char *idem[] = {"nope", "bad code!"};
    OK(authz_namespace_delete_batch(e, idem, 2, NULL));
    authz_engine_free(e);
}

static void test_namespace_rename_and_delete_cascade(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    authz_namespace_spec s = {"lib", NULL, NULL};
    OK(authz_namespace_create(e, &s, NULL, NULL));
    role(e, "lib", "reader");
    assign(e, "lib", "reader", AUTHZ_TARGET_USER, "alice", NULL);
    grant(e, "lib", AUTHZ_TARGET_ROLE, "reader", "books", "read");
    authz_namespace_patch ren = {"lib", "library", "Library", NULL};
    authz_namespace *ns;
    OK(authz_namespace_update(e, &ren, &ns, NULL));
    assert_string_equal("library", ns->code);
    assert_string_equal("Library", ns->name);
    authz_free(ns);
    assert_true(allowed(e, "library", "alice", "books:1", "read"));
    bool a;
    assert_int_equal(AUTHZ_ENOTFOUND, authz_check(e, "lib", "alice", "books", "read", &a, NULL));
    authz_namespace_spec clash = {"lib", NULL, NULL};
    OK(authz_namespace_create(e, &clash, NULL, NULL));
    authz_namespace_patch onto = {"lib", "library", NULL, NULL};
    FAILS(e, AUTHZ_EEXIST, authz_namespace_update(e, &onto, NULL, NULL));
    OK(authz_namespace_delete(e, "library", NULL));
    authz_stats st;
    OK(authz_get_stats(e, &st));
    assert_int_equal(0, st.grants);
    assert_int_equal(0, st.roles);
    assert_int_equal(0, st.role_assignments);
    authz_engine_free(e);
}

/* ---- resources ---- */

static void test_resources(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    authz_action_spec acts[] = {{"books:read", "Read"}, {"books:write", NULL}};
    authz_resource_spec s = {"books", AUTHZ_RESOURCE_API, "Books", NULL, "/books", acts, 2};
    authz_resource *r;
    OK(authz_resource_create(e, NULL, &s, &r, NULL));
    assert_string_equal("default", r->namespace_code);
    assert_int_equal(2, r->action_count);
    assert_string_equal("Read", r->actions[0].description);
    assert_string_equal("", r->actions[1].description);
    authz_free(r);
    authz_error err;
    FAILS(e, AUTHZ_EEXIST, authz_resource_create(e, "", &s, NULL, &err));
    FAILS(e, AUTHZ_ENOTFOUND, authz_resource_create(e, "nope", &s, NULL, &err));
    assert_int_equal(AUTHZ_OBJ_NAMESPACE, err.object);
    authz_action_spec dup[] = {{"x", NULL}, {"x", NULL}};
    authz_resource_spec sd = {"d", AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, dup, 2};
    FAILS(e, AUTHZ_EINVAL, authz_resource_create(e, NULL, &sd, NULL, NULL));
    authz_resource_spec dotted = {"v1.books", AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, NULL, 0};
    OK(authz_resource_create(e, NULL, &dotted, NULL, NULL));
    FAILS(e, AUTHZ_ENOTFOUND, authz_resource_get(e, NULL, "nope", &r, NULL));
    authz_resource_type api = AUTHZ_RESOURCE_API;
    authz_resource_list *l;
    OK(authz_list_resources(e, NULL, &api, NULL, &l, NULL));
    assert_int_equal(1, l->total_count);
    authz_free(l);
    /* update replaces the declared actions and keeps grants (lenient). */
    grant(e, NULL, AUTHZ_TARGET_USER, "u", "books", "books:write");
    authz_action_spec only[] = {{"books:read", NULL}};
    authz_resource_patch up = {"books", NULL, "desc", NULL, NULL, true, only, 1};
    OK(authz_resource_update(e, NULL, &up, &r, NULL));
    assert_int_equal(1, r->action_count);
    assert_string_equal("desc", r->description);
    assert_string_equal("Books", r->name);
    authz_free(r);
    assert_true(allowed(e, NULL, "u", "books", "books:write"));
    OK(authz_resource_associate_tenant(e, "default", "books", true, "t1", NULL));
    OK(authz_resource_get(e, NULL, "books", &r, NULL));
    assert_true(r->linked_to_tenant);
    authz_free(r);
    OK(authz_resource_associate_tenant(e, "default", "books", false, "t1", NULL));
    FAILS(e, AUTHZ_ENOTFOUND,
          authz_resource_associate_tenant(e, "app9", "books", true, NULL, NULL));
    /* delete is idempotent and cascades to code, code:* and code:<id>, not to other codes. */
    grant(e, NULL, AUTHZ_TARGET_USER, "u", "books:*", "x");
    grant(e, NULL, AUTHZ_TARGET_USER, "u", "books:7", "x");
    grant(e, NULL, AUTHZ_TARGET_USER, "u", "books2", "x");
    OK(authz_resource_delete(e, NULL, "books", NULL));
    OK(authz_resource_delete(e, NULL, "books", NULL));
    OK(authz_resource_delete(e, NULL, "bad code!", NULL));
    assert_false(allowed(e, NULL, "u", "books:7", "x"));
    assert_true(allowed(e, NULL, "u", "books2", "x"));
    authz_stats st;
    OK(authz_get_stats(e, &st));
    assert_int_equal(1, st.grants);
    FAILS(e, AUTHZ_ENOTFOUND, authz_resource_delete(e, "nope", "books", NULL));
    authz_engine_free(e);
}

static void test_strict_mode(void **state) {
    (void)state;
    authz_engine *e = engine(true);
    authz_action_spec acts[] = {{"read", NULL}, {"write", NULL}};
    authz_resource_spec s = {"books", AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, acts, 2};
    OK(authz_resource_create(e, NULL, &s, NULL, NULL));
    const char *rw[] = {"read", "write"}, *who[] = {"u"};
    authz_grant_resource r = {"books:1", rw, 2, AUTHZ_RESOURCE_DATA};
    authz_grant_item it = {AUTHZ_TARGET_USER, who, 1, &r, 1};
    OK(authz_authorize(e, NULL, &it, 1, NULL));
    const char *bad[] = {"delete"};
    authz_grant_resource rb = {"books", bad, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item ib = {AUTHZ_TARGET_USER, who, 1, &rb, 1};
    FAILS(e, AUTHZ_ERULE, authz_authorize(e, NULL, &ib, 1, NULL));
    authz_grant_resource ru = {"maps", rw, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item iu = {AUTHZ_TARGET_USER, who, 1, &ru, 1};
    FAILS(e, AUTHZ_ERULE, authz_authorize(e, NULL, &iu, 1, NULL));
    /* Dropping a declared action drops it from grants. */
    authz_resource_patch up = {"books", NULL, NULL, NULL, NULL, true, acts, 1};
    OK(authz_resource_update(e, NULL, &up, NULL, NULL));
    assert_true(allowed(e, NULL, "u", "books:1", "read"));
    assert_false(allowed(e, NULL, "u", "books:1", "write"));
    authz_engine_free(e);
}

/* ---- roles ---- */

static void test_roles(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    authz_role_spec s = {NULL, "reader", "Reader", "reads", 0};
    authz_role *r;
    OK(authz_role_create(e, &s, &r, NULL));
    assert_string_equal("default", r->namespace_code);
    assert_int_equal(AUTHZ_ROLE_ENABLE, r->status);
    authz_free(r);
    authz_error err;
    FAILS(e, AUTHZ_EEXIST, authz_role_create(e, &s, NULL, NULL));
    authz_role_spec other = {"nope", "reader", NULL, NULL, 0};
    FAILS(e, AUTHZ_ENOTFOUND, authz_role_create(e, &other, NULL, &err));
    authz_role_spec batch[] = {{NULL, "r1", NULL, NULL, 0}, {NULL, "bad role", NULL, NULL, 0}};
    FAILS(e, AUTHZ_EINVAL, authz_role_create_batch(e, batch, 2, &err));
    assert_int_equal(1, err.item);
    role(e, NULL, "writer");
    authz_role_list *l;
    OK(authz_list_roles(e, NULL, "ead", NULL, &l, NULL));
    assert_int_equal(1, l->total_count);
    authz_free(l);
    const char *del[] = {"writer", "ghost"};
    FAILS(e, AUTHZ_ENOTFOUND, authz_role_delete_batch(e, NULL, del, 2, &err));
    assert_int_equal(1, err.item);
    OK(authz_role_delete_batch(e, NULL, del, 1, NULL));
    /* Assignments: users and departments, windows replaced on re-assign, listing order. */
    authz_target t[] = {
        {AUTHZ_TARGET_USER, "u1"}, {AUTHZ_TARGET_DEPARTMENT, "d1"}, {AUTHZ_TARGET_USER, "u2"}};
    OK(authz_role_assign(e, NULL, "reader", t, 3, NULL, NULL));
    authz_role_window w = {5, 9};
    OK(authz_role_assign(e, NULL, "reader", t, 1, &w, NULL));
    authz_assignment_list *al;
    OK(authz_role_list_members(e, NULL, "reader", NULL, &al, NULL));
    assert_int_equal(2, al->total_count);
    assert_string_equal("u1", al->items[0].identifier);
    assert_int_equal(9, al->items[0].end_time);
    authz_free(al);
    OK(authz_role_list_departments(e, NULL, "reader", NULL, &al, NULL));
    assert_int_equal(1, al->total_count);
    authz_free(al);
    authz_target grp = {AUTHZ_TARGET_GROUP, "g"};
    FAILS(e, AUTHZ_EINVAL, authz_role_assign(e, NULL, "reader", &grp, 1, NULL, NULL));
    FAILS(e, AUTHZ_ENOTFOUND, authz_role_assign(e, NULL, "ghost", t, 1, NULL, NULL));
    OK(authz_role_revoke(e, NULL, "reader", t + 2, 1, NULL));
    OK(authz_role_revoke(e, NULL, "reader", t + 2, 1, NULL));
    OK(authz_user_roles(e, "u1", NULL, &l, NULL));
    assert_int_equal(1, l->total_count);
    authz_free(l);
    FAILS(e, AUTHZ_ENOTFOUND, authz_user_roles(e, "stranger", NULL, &l, NULL));
    /* Rename keeps assignments and grants. */
    grant(e, NULL, AUTHZ_TARGET_ROLE, "reader", "books", "read");
    authz_role_patch ren = {NULL, "reader", "readers", NULL, NULL, NULL, NULL};
    OK(authz_role_update(e, &ren, NULL));
    now_ms = 7;
    assert_true(allowed(e, NULL, "u1", "books", "read"));
    FAILS(e, AUTHZ_ENOTFOUND, authz_role_get(e, NULL, "reader", &r, NULL));
    authz_engine_free(e);
}

static void test_role_windows_and_status(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    role(e, NULL, "temp");
    grant(e, NULL, AUTHZ_TARGET_ROLE, "temp", "door", "open");
    authz_role_window w = {100, 200};
    assign(e, NULL, "temp", AUTHZ_TARGET_USER, "u", &w);
    now_ms = 99;
    assert_false(allowed(e, NULL, "u", "door", "open"));
    now_ms = 100;
    assert_true(allowed(e, NULL, "u", "door", "open"));
    now_ms = 199;
    assert_true(allowed(e, NULL, "u", "door", "open"));
    now_ms = 200;
    assert_false(allowed(e, NULL, "u", "door", "open"));
    now_ms = 150;
    authz_role_status off = AUTHZ_ROLE_DISABLE;
    authz_role_patch p = {NULL, "temp", NULL, NULL, NULL, &off, NULL};
    OK(authz_role_update(e, &p, NULL));
    assert_false(allowed(e, NULL, "u", "door", "open"));
    authz_role_status on = AUTHZ_ROLE_ENABLE;
    int64_t disable = 160;
    authz_role_patch q = {NULL, "temp", NULL, NULL, NULL, &on, &disable};
    OK(authz_role_update(e, &q, NULL));
    assert_true(allowed(e, NULL, "u", "door", "open"));
    now_ms = 160;
    assert_false(allowed(e, NULL, "u", "door", "open"));
    authz_engine_free(e);
}

/* ---- groups and departments ---- */

static void test_groups(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    authz_group_spec gs[] = {{"staff", "Staff", "", "static"}, {"temps", NULL, NULL, NULL}};
    authz_group_list *gl;
    OK(authz_group_create_batch(e, gs, 2, &gl, NULL));
    assert_int_equal(2, gl->count);
    assert_string_equal("static", gl->items[0].type);
    authz_free(gl);
    FAILS(e, AUTHZ_EEXIST, authz_group_create(e, gs, NULL, NULL));
    const char *users[] = {"u1", "u2", "u1"};
    OK(authz_group_add_members(e, "staff", users, 3, NULL));
    FAILS(e, AUTHZ_ENOTFOUND, authz_group_add_members(e, "ghost", users, 1, NULL));
    authz_id_list *ids;
    OK(authz_group_list_members(e, "staff", NULL, &ids, NULL));
    assert_int_equal(2, ids->total_count);
    assert_string_equal("u2", ids->items[1]);
    authz_free(ids);
    grant(e, NULL, AUTHZ_TARGET_GROUP, "staff", "wiki", "edit");
    assert_true(allowed(e, NULL, "u2", "wiki:5", "edit"));
    authz_group_patch ren = {"staff", "employees", NULL, NULL};
    authz_group *g;
    OK(authz_group_update(e, &ren, &g, NULL));
    assert_string_equal("employees", g->code);
    authz_free(g);
    assert_true(allowed(e, NULL, "u2", "wiki", "edit"));
    OK(authz_user_groups(e, "u1", &gl, NULL));
    assert_string_equal("employees", gl->items[0].code);
    authz_free(gl);
    OK(authz_group_remove_members(e, "employees", users + 1, 1, NULL));
    assert_false(allowed(e, NULL, "u2", "wiki", "edit"));
    const char *del[] = {"employees", "ghost"};
    OK(authz_group_delete_batch(e, del, 2, NULL));
    assert_false(allowed(e, NULL, "u1", "wiki", "edit"));
    /* Nothing links u1 any more, so its record is gone, as if never named. */
    FAILS(e, AUTHZ_ENOTFOUND, authz_user_groups(e, "u1", &gl, NULL));
    authz_stats st;
    OK(authz_get_stats(e, &st));
    assert_int_equal(0, st.grants);
    authz_engine_free(e);
}

static void test_departments(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    const char *u[] = {"u1"};
    OK(authz_department_add_members(e, "d1", u, 1, NULL));
    FAILS(e, AUTHZ_ENOTFOUND, authz_department_remove_members(e, "d9", u, 1, NULL));
    role(e, NULL, "ops");
    assign(e, NULL, "ops", AUTHZ_TARGET_DEPARTMENT, "d1", NULL);
    grant(e, NULL, AUTHZ_TARGET_ROLE, "ops", "servers", "restart");
    grant(e, NULL, AUTHZ_TARGET_DEPARTMENT, "d2", "printers", "use");
    assert_true(allowed(e, NULL, "u1", "servers:9", "restart"));
    assert_false(allowed(e, NULL, "u1", "printers", "use"));
    const char *d[] = {"d2", "d2"};
    OK(authz_user_set_departments(e, "u1", d, 2, NULL));
    assert_false(allowed(e, NULL, "u1", "servers", "restart"));
    assert_true(allowed(e, NULL, "u1", "printers", "use"));
    authz_id_list *ids;
    OK(authz_user_departments(e, "u1", &ids, NULL));
    assert_int_equal(1, ids->count);
    authz_free(ids);
    OK(authz_department_list_members(e, "d1", NULL, &ids, NULL));
    assert_int_equal(0, ids->total_count);
    authz_free(ids);
    authz_role_list *rl;
    OK(authz_user_set_departments(e, "u1", (const char *[]){"d1"}, 1, NULL));
    OK(authz_user_roles(e, "u1", NULL, &rl, NULL));
    assert_int_equal(1, rl->count);
    assert_string_equal("ops", rl->items[0].code);
    authz_free(rl);
    authz_engine_free(e);
}

/* ---- grants and the check ---- */

static void test_wildcards_and_instances(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    grant(e, NULL, AUTHZ_TARGET_USER, "a", "books:1", "read");
    assert_true(allowed(e, NULL, "a", "books:1", "read"));
    assert_false(allowed(e, NULL, "a", "books:2", "read"));
    assert_false(allowed(e, NULL, "a", "books", "read"));
    assert_false(allowed(e, NULL, "a", "books:1", "write"));
    grant(e, NULL, AUTHZ_TARGET_USER, "b", "books", "read");
    assert_true(allowed(e, NULL, "b", "books:7", "read"));
    assert_true(allowed(e, NULL, "b", "books:*", "read"));
    grant(e, NULL, AUTHZ_TARGET_USER, "c", "books:*", "*");
    assert_true(allowed(e, NULL, "c", "books:9", "anything"));
    assert_false(allowed(e, NULL, "c", "maps", "anything"));
    grant(e, NULL, AUTHZ_TARGET_USER, "d", "*", "read");
    assert_true(allowed(e, NULL, "d", "maps:1:2", "read"));
    assert_false(allowed(e, NULL, "d", "maps", "write"));
    assert_false(allowed(e, NULL, "nobody", "books", "read"));
    bool x;
    authz_error err;
    assert_int_equal(AUTHZ_EINVAL, authz_check(e, NULL, "a", "books:", "read", &x, &err));
    assert_int_equal(AUTHZ_EINVAL, authz_check(e, NULL, "a", "books", "re ad", &x, &err));
    assert_int_equal(AUTHZ_ENOTFOUND, authz_check(e, "nope", "a", "books", "read", &x, &err));
    authz_engine_free(e);
}

static void test_authorize_additive_and_revoke(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    grant(e, NULL, AUTHZ_TARGET_USER, "u", "r", "a");
    grant(e, NULL, AUTHZ_TARGET_USER, "u", "r", "b");
    grant(e, NULL, AUTHZ_TARGET_USER, "u", "r", "a");
    authz_grant_list *l;
    OK(authz_target_grants(e, NULL, AUTHZ_TARGET_USER, "u", NULL, &l, NULL));
    assert_int_equal(1, l->count);
    assert_int_equal(2, l->items[0].action_count);
    assert_string_equal("a", l->items[0].actions[0]);
    authz_free(l);
    /* ROLE and GROUP targets must exist; a batch with one missing changes nothing. */
    const char *acts[] = {"x"}, *ghost[] = {"ghost"}, *users[] = {"v"};
    authz_grant_resource r = {"r", acts, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item items[] = {{AUTHZ_TARGET_USER, users, 1, &r, 1},
                                {AUTHZ_TARGET_ROLE, ghost, 1, &r, 1}};
    authz_error err;
    FAILS(e, AUTHZ_ENOTFOUND, authz_authorize(e, NULL, items, 2, &err));
    assert_int_equal(1, err.item);
    assert_int_equal(AUTHZ_OBJ_ROLE, err.object);
    /* Revoke: listed actions, then the whole grant with 0 actions or "*". */
    const char *b[] = {"b"}, *me[] = {"u"};
    authz_grant_resource rb = {"r", b, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item ib = {AUTHZ_TARGET_USER, me, 1, &rb, 1};
    OK(authz_revoke(e, NULL, &ib, 1, NULL));
    assert_false(allowed(e, NULL, "u", "r", "b"));
    assert_true(allowed(e, NULL, "u", "r", "a"));
    authz_grant_resource all = {"r", NULL, 0, AUTHZ_RESOURCE_DATA};
    authz_grant_item ia = {AUTHZ_TARGET_USER, me, 1, &all, 1};
    OK(authz_revoke(e, NULL, &ia, 1, NULL));
    OK(authz_revoke(e, NULL, &ia, 1, NULL));
    assert_false(allowed(e, NULL, "u", "r", "a"));
    authz_stats st;
    OK(authz_get_stats(e, &st));
    assert_int_equal(0, st.grants);
    authz_engine_free(e);
}

static void test_many_actions_on_one_code(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    char names[200][8];
    const char *acts[50];
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i < 50; i++) {
            snprintf(names[k * 50 + i], sizeof names[0], "a%d", k * 50 + i);
            acts[i] = names[k * 50 + i];
        }
        const char *who[] = {"u"};
        authz_grant_resource r = {"r", acts, 50, AUTHZ_RESOURCE_DATA};
        authz_grant_item it = {AUTHZ_TARGET_USER, who, 1, &r, 1};
        OK(authz_authorize(e, NULL, &it, 1, NULL));
    }
    assert_true(allowed(e, NULL, "u", "r", "a199"));
    assert_true(allowed(e, NULL, "u", "r", "a64"));
    assert_false(allowed(e, NULL, "u", "r", "a200"));
    authz_engine_free(e);
}

static void test_explain_and_prepared(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    role(e, NULL, "viewer");
    assign(e, NULL, "viewer", AUTHZ_TARGET_USER, "u", NULL);
    grant(e, NULL, AUTHZ_TARGET_ROLE, "viewer", "docs", "view");
    authz_explanation *x;
    OK(authz_explain(e, NULL, "u", "docs:3", "view", &x, NULL));
    assert_true(x->allowed);
    assert_int_equal(AUTHZ_TARGET_ROLE, x->principal_type);
    assert_string_equal("viewer", x->principal_id);
    assert_string_equal("docs", x->resource);
    assert_int_equal(1, x->action_count);
    authz_free(x);
    OK(authz_explain(e, NULL, "u", "docs", "edit", &x, NULL));
    assert_false(x->allowed);
    authz_free(x);
    authz_prepared *p;
    OK(authz_prepare(e, NULL, "docs:1", "edit", &p, NULL));
    bool a;
    OK(authz_check_prepared(e, p, "u", &a, NULL));
    assert_false(a);
    grant(e, NULL, AUTHZ_TARGET_USER, "u", "docs:1", "edit");
    OK(authz_check_prepared(e, p, "u", &a, NULL));
    assert_true(a);
    authz_free(p);
    authz_namespace_spec s = {"tmp", NULL, NULL};
    OK(authz_namespace_create(e, &s, NULL, NULL));
    OK(authz_prepare(e, "tmp", "docs", "edit", &p, NULL));
    OK(authz_namespace_delete(e, "tmp", NULL));
    assert_int_equal(AUTHZ_ENOTFOUND, authz_check_prepared(e, p, "u", &a, NULL));
    authz_free(p);
    authz_engine_free(e);
}

static void test_grant_reads(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    authz_action_spec acts[] = {{"read", NULL}};
    authz_resource_spec s = {"books", AUTHZ_RESOURCE_API, NULL, "Books desc", "/b", acts, 1};
    OK(authz_resource_create(e, NULL, &s, NULL, NULL));
    role(e, NULL, "r");
    assign(e, NULL, "r", AUTHZ_TARGET_USER, "u", NULL);
    grant(e, NULL, AUTHZ_TARGET_USER, "u", "books:1", "write");
    grant(e, NULL, AUTHZ_TARGET_ROLE, "r", "books:1", "read");
    grant(e, NULL, AUTHZ_TARGET_ROLE, "r", "books", "read");
    grant(e, NULL, AUTHZ_TARGET_USER, "u", "maps", "view");
    authz_grant_list *l;
    OK(authz_user_grants(e, NULL, "u", NULL, &l, NULL));
    assert_int_equal(3, l->count);
    assert_string_equal("books:1", l->items[0].resource);
    assert_int_equal(2, l->items[0].action_count);
    assert_string_equal("Books desc", l->items[0].description);
    authz_free(l);
    const char *prefix[] = {"books:*"};
    authz_grant_filter f = {NULL, prefix, 1};
    OK(authz_target_grants(e, NULL, AUTHZ_TARGET_USER, "u", &f, &l, NULL));
    assert_int_equal(1, l->count);
    authz_free(l);
    FAILS(e, AUTHZ_ENOTFOUND,
          authz_target_grants(e, NULL, AUTHZ_TARGET_GROUP, "g", NULL, &l, NULL));
    OK(authz_target_grants(e, NULL, AUTHZ_TARGET_USER, "stranger", NULL, &l, NULL));
    assert_int_equal(0, l->count);
    authz_free(l);
    FAILS(e, AUTHZ_ENOTFOUND, authz_user_grants(e, NULL, "stranger", NULL, &l, NULL));
    authz_target_grant_list *tl;
    OK(authz_resource_targets(e, NULL, "books:1", NULL, NULL, &tl, NULL));
    assert_int_equal(2, tl->total_count);
    assert_int_equal(AUTHZ_TARGET_USER, tl->items[0].type);
    assert_string_equal("r", tl->items[1].identifier);
    authz_free(tl);
    authz_page p = {2, 1};
    authz_target_type role_t = AUTHZ_TARGET_ROLE;
    OK(authz_resource_targets(e, NULL, "books:1", &role_t, &p, &tl, NULL));
    assert_int_equal(1, tl->total_count);
    assert_int_equal(0, tl->count);
    authz_free(tl);
    authz_engine_free(e);
}

/* ---- limits at N and N+1 ---- */

static char names[128][16];
static const char *many[128];
static int limits_checked, limits_ok;

static void limit(authz_engine *e, const char *what, size_t n, authz_status want_at_n,
                  authz_status (*call)(authz_engine *, size_t)) {
    uint64_t before = authz__digest(e);
    authz_status over = call(e, n + 1);
    bool unchanged = authz__digest(e) == before;
    authz_status at = call(e, n);
    limits_checked++;
    if ((over == AUTHZ_ELIMIT || over == AUTHZ_EINVAL) && unchanged && at == want_at_n)
        limits_ok++;
    else
        print_message("limit %s: at %zu -> %s, at %zu -> %s\n", what, n, authz_status_name(at),
                      n + 1, authz_status_name(over));
}

static authz_status l_ns_batch(authz_engine *e, size_t n) {
    authz_namespace_spec s[60];
    for (size_t i = 0; i < n; i++) s[i] = (authz_namespace_spec){many[i], NULL, NULL};
    return authz_namespace_create_batch(e, s, n, NULL);
}
static authz_status l_ns_delete(authz_engine *e, size_t n) {
    return authz_namespace_delete_batch(e, many + 60, n, NULL);
}
static authz_status l_res_batch(authz_engine *e, size_t n) {
    authz_resource_spec s[60];
    for (size_t i = 0; i < n; i++)
        s[i] = (authz_resource_spec){many[i], AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, NULL, 0};
    return authz_resource_create_batch(e, NULL, s, n, NULL);
}
static authz_status l_res_actions(authz_engine *e, size_t n) {
    authz_action_spec a[110];
    for (size_t i = 0; i < n; i++) a[i] = (authz_action_spec){many[i], NULL};
    authz_resource_spec s = {n > 100 ? "over" : "at", AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, a, n};
    return authz_resource_create(e, NULL, &s, NULL, NULL);
}
static authz_status l_role_batch(authz_engine *e, size_t n) {
    authz_role_spec s[60];
    for (size_t i = 0; i < n; i++) s[i] = (authz_role_spec){NULL, many[i], NULL, NULL, 0};
    return authz_role_create_batch(e, s, n, NULL);
}
static authz_status l_group_batch(authz_engine *e, size_t n) {
    authz_group_spec s[60];
    for (size_t i = 0; i < n; i++) s[i] = (authz_group_spec){many[i], NULL, NULL, NULL};
    return authz_group_create_batch(e, s, n, NULL, NULL);
}
static authz_status l_members(authz_engine *e, size_t n) {
    return authz_group_add_members(e, "g", many, n, NULL);
}
static authz_status l_depts(authz_engine *e, size_t n) {
    return authz_user_set_departments(e, "u", many, n, NULL);
}
static authz_status l_targets(authz_engine *e, size_t n) {
    authz_target t[60];
    for (size_t i = 0; i < n; i++) t[i] = (authz_target){AUTHZ_TARGET_USER, many[i]};
    return authz_role_assign(e, NULL, "r", t, n, NULL, NULL);
}
static authz_status l_batch_roles(authz_engine *e, size_t n) {
    authz_role_ref r[12];
    for (size_t i = 0; i < n; i++) r[i] = (authz_role_ref){NULL, "r"};
    authz_target t = {AUTHZ_TARGET_USER, "u"};
    return authz_role_assign_batch(e, r, n, &t, 1, NULL, NULL);
}
static authz_status l_batch_targets(authz_engine *e, size_t n) {
    authz_target t[12];
    for (size_t i = 0; i < n; i++) t[i] = (authz_target){AUTHZ_TARGET_USER, many[i]};
    authz_role_ref r = {NULL, "r"};
    return authz_role_assign_batch(e, &r, 1, t, n, NULL, NULL);
}
static authz_status l_revoke_targets(authz_engine *e, size_t n) {
    authz_target t[60];
    for (size_t i = 0; i < n; i++) t[i] = (authz_target){AUTHZ_TARGET_USER, many[i]};
    authz_role_ref r = {NULL, "r"};
    return authz_role_revoke_batch(e, &r, 1, t, n, NULL);
}
static authz_status l_items(authz_engine *e, size_t n) {
    const char *a[] = {"x"};
    authz_grant_resource r = {"res", a, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item it[12];
    for (size_t i = 0; i < n; i++)
        it[i] = (authz_grant_item){AUTHZ_TARGET_USER, many + i, 1, &r, 1};
    return authz_authorize(e, NULL, it, n, NULL);
}
static authz_status l_identifiers(authz_engine *e, size_t n) {
    const char *a[] = {"x"};
    authz_grant_resource r = {"res", a, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item it = {AUTHZ_TARGET_USER, many, n, &r, 1};
    return authz_authorize(e, NULL, &it, 1, NULL);
}
static authz_status l_actions(authz_engine *e, size_t n) {
    authz_grant_resource r = {"res", many, n, AUTHZ_RESOURCE_DATA};
    authz_grant_item it = {AUTHZ_TARGET_USER, many, 1, &r, 1};
    return authz_authorize(e, NULL, &it, 1, NULL);
}
static authz_status l_get_batch(authz_engine *e, size_t n) {
    authz_resource_list *l = NULL;
    authz_status st = authz_resource_get_batch(e, NULL, many, n, &l, NULL);
    authz_free(l);
    return st;
}
static authz_status l_filter(authz_engine *e, size_t n) {
    authz_grant_filter f = {NULL, many, n};
    authz_grant_list *l = NULL;
    authz_status st = authz_target_grants(e, NULL, AUTHZ_TARGET_USER, "u", &f, &l, NULL);
    authz_free(l);
    return st;
}
static authz_status l_page(authz_engine *e, size_t n) {
    authz_page p = {1, (uint32_t)n};
    authz_namespace_list *l = NULL;
    authz_status st = authz_list_namespaces(e, &p, NULL, &l, NULL);
    authz_free(l);
    return st;
}

static void test_limits(void **state) {
    (void)state;
    for (int i = 0; i < 128; i++) {
        snprintf(names[i], sizeof names[i], "x%d", i);
        many[i] = names[i];
    }
    authz_engine *e = engine(false);
    role(e, NULL, "r");
    authz_group_spec g = {"g", NULL, NULL, NULL};
    OK(authz_group_create(e, &g, NULL, NULL));
    limit(e, "create_namespaces_batch.list", 50, AUTHZ_OK, l_ns_batch);
    limit(e, "delete_namespaces_batch.codeList", 10, AUTHZ_OK, l_ns_delete);
    limit(e, "create_resources_batch.list", 50, AUTHZ_OK, l_res_batch);
    limit(e, "resource actions", 100, AUTHZ_OK, l_res_actions);
    limit(e, "create_roles_batch.list", 50, AUTHZ_OK, l_role_batch);
    limit(e, "create_groups_batch.list", 50, AUTHZ_OK, l_group_batch);
    limit(e, "add_group_members.userIds", 50, AUTHZ_OK, l_members);
    limit(e, "set_user_departments.departments", 50, AUTHZ_OK, l_depts);
    limit(e, "assign_role.targets", 50, AUTHZ_OK, l_targets);
    limit(e, "assign_role_batch.roles", 10, AUTHZ_OK, l_batch_roles);
    limit(e, "assign_role_batch.targets", 10, AUTHZ_OK, l_batch_targets);
    limit(e, "revoke_role_batch.targets", 50, AUTHZ_OK, l_revoke_targets);
    limit(e, "authorize_resources.list", 10, AUTHZ_OK, l_items);
    limit(e, "targetIdentifiers", 100, AUTHZ_OK, l_identifiers);
    limit(e, "resources[].actions", 50, AUTHZ_OK, l_actions);
    limit(e, "get_resources_batch.codeList", 50, AUTHZ_OK, l_get_batch);
    limit(e, "resourceList", 50, AUTHZ_OK, l_filter);
    limit(e, "limit", 50, AUTHZ_OK, l_page);
    printf("limits: %d/%d as specified\n", limits_ok, limits_checked);
    assert_int_equal(limits_checked, limits_ok);
    /* And 0 where at least one item is required. */
    FAILS(e, AUTHZ_EINVAL, l_items(e, 0));
    FAILS(e, AUTHZ_EINVAL, l_members(e, 0));
    authz_page zero = {0, 10};
    authz_namespace_list *l;
    assert_int_equal(AUTHZ_EINVAL, authz_list_namespaces(e, &zero, NULL, &l, NULL));
    authz_engine_free(e);
}

static void test_identifier_lengths(void **state) {
    (void)state;
    authz_engine *e = engine(false);
    char code64[65], code65[66], id128[129], id129[130], name257[258], desc1025[1026];
    memset(code64, 'c', 64), code64[64] = '\0';
    memset(code65, 'c', 65), code65[65] = '\0';
    memset(id128, 'i', 128), id128[128] = '\0';
    memset(id129, 'i', 129), id129[129] = '\0';
    memset(name257, 'n', 257), name257[257] = '\0';
    memset(desc1025, 'd', 1025), desc1025[1025] = '\0';
    authz_group_spec ok = {code64, name257 + 1, desc1025 + 1, NULL};
    OK(authz_group_create(e, &ok, NULL, NULL));
    authz_group_spec long_code = {code65, NULL, NULL, NULL};
    FAILS(e, AUTHZ_EINVAL, authz_group_create(e, &long_code, NULL, NULL));
    authz_group_spec long_name = {"g2", name257, NULL, NULL};
    FAILS(e, AUTHZ_EINVAL, authz_group_create(e, &long_name, NULL, NULL));
    authz_group_spec long_desc = {"g3", NULL, desc1025, NULL};
    FAILS(e, AUTHZ_EINVAL, authz_group_create(e, &long_desc, NULL, NULL));
    const char *u128[] = {id128}, *u129[] = {id129}, *bad_utf8[] = {"\xc3\x28"};
    OK(authz_group_add_members(e, code64, u128, 1, NULL));
    FAILS(e, AUTHZ_EINVAL, authz_group_add_members(e, code64, u129, 1, NULL));
    FAILS(e, AUTHZ_EINVAL, authz_group_add_members(e, code64, bad_utf8, 1, NULL));
    authz_group_spec utf = {"g4", "\xe5\x90\x8d", NULL, NULL};
    OK(authz_group_create(e, &utf, NULL, NULL));
    authz_group_spec broken = {"g5", "\xff", NULL, NULL};
    FAILS(e, AUTHZ_EINVAL, authz_group_create(e, &broken, NULL, NULL));
    authz_engine_free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_namespaces),
        cmocka_unit_test(test_namespace_rename_and_delete_cascade),
        cmocka_unit_test(test_resources),
        cmocka_unit_test(test_strict_mode),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_role_windows_and_status),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_departments),
        cmocka_unit_test(test_wildcards_and_instances),
        cmocka_unit_test(test_authorize_additive_and_revoke),
        cmocka_unit_test(test_many_actions_on_one_code),
        cmocka_unit_test(test_explain_and_prepared),
        cmocka_unit_test(test_grant_reads),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_identifier_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

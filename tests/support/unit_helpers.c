/*
 * unit_helpers.c - the fake clock, the failure checker and the builders declared in
 * unit_helpers.h. Every builder asserts success, so a test reads as the scenario it sets up.
 */
#include "unit_helpers.h"

int64_t uh_now = UH_T0;
authz_error uh_err;

static int64_t uh_clock(void *ctx) {
    (void)ctx;
    return uh_now;
}

authz_engine *uh_engine(bool strict) {
    authz_options opt;
    authz_options_init(&opt);
    opt.clock = uh_clock;
    opt.strict = strict;
    authz_engine *e = NULL;
    uh_now = UH_T0;
    OK(authz_engine_new(&opt, &e));
    assert_non_null(e);
    return e;
}

void uh_assert_invariants(const authz_engine *e) {
    char why[256] = "";
    if (!authz__check_invariants(e, why, sizeof why)) fail_msg("invariant broken: %s", why);
}

void uh_engine_teardown(authz_engine *e) {
    uh_assert_invariants(e);
    authz_engine_free(e);
}

uh_snapshot uh_take(const authz_engine *e) {
    uh_snapshot s = {authz__digest(e), authz__live_blocks(e)};
    return s;
}

void uh_reset_err(void) {
    memset(&uh_err, 0, sizeof uh_err);
    uh_err.status = (authz_status)77;
    uh_err.item = 12345;
    uh_err.object = (authz_object)99;
    strcpy(uh_err.field, "<untouched>");
}

void uh_expect_failure(const authz_engine *e, uh_snapshot before, authz_status got,
                       authz_status want, const char *field, int32_t item, int object) {
    if (got != want)
        fail_msg("status %s, expected %s (field '%s', message '%s')", authz_status_name(got),
                 authz_status_name(want), uh_err.field, uh_err.message);
    assert_int_equal(want, uh_err.status);
    assert_true(uh_err.message[0] != '\0');
    if (field != NULL && strcmp(field, uh_err.field) != 0)
        fail_msg("field '%s', expected '%s' (message '%s')", uh_err.field, field, uh_err.message);
    if (item != UH_ANY_ITEM && item != uh_err.item)
        fail_msg("item %d, expected %d (message '%s')", (int)uh_err.item, (int)item,
                 uh_err.message);
    if (object != UH_ANY_OBJECT && object != (int)uh_err.object)
        fail_msg("object %d, expected %d (message '%s')", (int)uh_err.object, object,
                 uh_err.message);
    uh_snapshot after = uh_take(e);
    if (after.digest != before.digest) fail_msg("a failing call changed the digest");
    if (after.live_blocks != before.live_blocks)
        fail_msg("a failing call changed live blocks: %zu -> %zu", before.live_blocks,
                 after.live_blocks);
    uh_assert_invariants(e);
}

void uh_namespace(authz_engine *e, const char *code) {
    authz_namespace_spec s = {code, NULL, NULL};
    OK(authz_namespace_create(e, &s, NULL, NULL));
}

void uh_resource(authz_engine *e, const char *ns, const char *code, const char *const *actions,
                 size_t n) {
    authz_action_spec specs[100];
    assert_true(n <= 100);
    for (size_t i = 0; i < n; i++) {
        specs[i].name = actions[i];
        specs[i].description = NULL;
    }
    authz_resource_spec s = {code, AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, specs, n};
    OK(authz_resource_create(e, ns, &s, NULL, NULL));
}

void uh_role(authz_engine *e, const char *ns, const char *code) {
    authz_role_spec s = {ns, code, NULL, NULL, 0};
    OK(authz_role_create(e, &s, NULL, NULL));
}

void uh_group(authz_engine *e, const char *code) {
    authz_group_spec s = {code, NULL, NULL, NULL};
    OK(authz_group_create(e, &s, NULL, NULL));
}

void uh_grant_actions(authz_engine *e, const char *ns, authz_target_type t, const char *who,
                      const char *res, const char *const *acts, size_t n) {
    authz_grant_resource r = {res, acts, n, AUTHZ_RESOURCE_DATA};
    authz_grant_item it = {t, &who, 1, &r, 1};
    OK(authz_authorize(e, ns, &it, 1, NULL));
}

void uh_grant(authz_engine *e, const char *ns, authz_target_type t, const char *who,
              const char *res, const char *act) {
    uh_grant_actions(e, ns, t, who, res, &act, 1);
}

void uh_revoke(authz_engine *e, const char *ns, authz_target_type t, const char *who,
               const char *res, const char *act) {
    authz_grant_resource r = {res, act ? &act : NULL, act ? 1u : 0u, AUTHZ_RESOURCE_DATA};
    authz_grant_item it = {t, &who, 1, &r, 1};
    OK(authz_revoke(e, ns, &it, 1, NULL));
}

void uh_assign(authz_engine *e, const char *ns, const char *role, authz_target_type t,
               const char *who, const authz_role_window *w) {
    authz_target tg = {t, who};
    OK(authz_role_assign(e, ns, role, &tg, 1, w, NULL));
}

void uh_join_group(authz_engine *e, const char *group, const char *user) {
    OK(authz_group_add_members(e, group, &user, 1, NULL));
}

void uh_join_department(authz_engine *e, const char *dept, const char *user) {
    OK(authz_department_add_members(e, dept, &user, 1, NULL));
}

bool uh_allowed(const authz_engine *e, const char *ns, const char *user, const char *res,
                const char *act) {
    bool a = true;
    authz_error err;
    authz_status s = authz_check(e, ns, user, res, act, &a, &err);
    if (s != AUTHZ_OK) fail_msg("check failed: %s %s", authz_status_name(s), err.message);
    return a;
}

const char *uh_repeat(char c, size_t n) {
    static char bufs[8][2048];
    static unsigned next;
    assert_true(n < sizeof bufs[0]);
    char *b = bufs[next++ % 8];
    memset(b, c, n);
    b[n] = '\0';
    return b;
}

const char *uh_fmt(const char *prefix, size_t i) {
    static char bufs[64][96];
    static unsigned next;
    char *b = bufs[next++ % 64];
    snprintf(b, sizeof bufs[0], "%s%zu", prefix, i);
    return b;
}

const authz_grant *uh_find_grant(const authz_grant_list *l, const char *resource) {
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].resource, resource) == 0) return &l->items[i];
    return NULL;
}

bool uh_has_action(const char *const *actions, size_t n, const char *action) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(actions[i], action) == 0) return true;
    return false;
}

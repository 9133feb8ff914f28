/*
 * test_status.c - the status and enum helpers of authz.h: authz_strerror, authz_status_name and
 * authz_status_code for every status of the X-macro table and for an invalid one,
 * authz_api_code (statusCode * 100 + object, 0 on success), the wire names of target types,
 * resource types and role statuses and their exact, case-sensitive parsers, and the version.
 */
#include "unit_helpers.h"

typedef struct status_row {
    authz_status s;
    const char *name;
    int code;
    const char *text;
} status_row;

static const status_row rows[] = {
    {AUTHZ_OK, "OK", 200, "success"},
    {AUTHZ_EINVAL, "EINVAL", 400, "invalid argument"},
    {AUTHZ_ELIMIT, "ELIMIT", 400, "limit exceeded"},
    {AUTHZ_ENOTFOUND, "ENOTFOUND", 404, "not found"},
    {AUTHZ_EEXIST, "EEXIST", 409, "already exists"},
    {AUTHZ_ERULE, "ERULE", 422, "operation violates a rule"},
    {AUTHZ_ENOMEM, "ENOMEM", 500, "out of memory"},
    {AUTHZ_ECORRUPT, "ECORRUPT", 500, "data is corrupt"},
    {AUTHZ_EIO, "EIO", 500, "input/output error"},
    {AUTHZ_EINTERNAL, "EINTERNAL", 500, "internal error"},
    {AUTHZ_ETIMEDOUT, "ETIMEDOUT", 503, "timed out"},
    {AUTHZ_EUNAVAILABLE, "EUNAVAILABLE", 503, "service unavailable"},
};

static void every_status_has_its_name_code_and_text(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_string_equal(rows[i].name, authz_status_name(rows[i].s));
        assert_string_equal(rows[i].text, authz_strerror(rows[i].s));
        assert_int_equal(rows[i].code, authz_status_code(rows[i].s));
    }
}

static void an_invalid_status_is_unknown_never_null(void **state) {
    (void)state;
    assert_string_equal("UNKNOWN", authz_status_name((authz_status)99));
    assert_string_equal("UNKNOWN", authz_status_name((authz_status)-1));
    assert_non_null(authz_strerror((authz_status)99));
    assert_non_null(authz_strerror((authz_status)-1));
}

static void api_code_is_status_class_times_100_plus_object(void **state) {
    (void)state;
    authz_error err;
    memset(&err, 0, sizeof err);
    err.status = AUTHZ_ENOTFOUND;
    err.object = AUTHZ_OBJ_RESOURCE;
    assert_int_equal(40402, authz_api_code(&err));
    err.status = AUTHZ_EEXIST;
    err.object = AUTHZ_OBJ_ROLE;
    assert_int_equal(40903, authz_api_code(&err));
    err.status = AUTHZ_EINVAL;
    err.object = AUTHZ_OBJ_NONE;
    assert_int_equal(40000, authz_api_code(&err));
    err.status = AUTHZ_ERULE;
    err.object = AUTHZ_OBJ_NAMESPACE;
    assert_int_equal(42201, authz_api_code(&err));
    err.status = AUTHZ_OK;
    err.object = AUTHZ_OBJ_GROUP;
    assert_int_equal(0, authz_api_code(&err));
}

static void api_code_of_a_real_failure(void **state) {
    (void)state;
    authz_engine *e = uh_engine(false);
    authz_role *r = NULL;
    FAILS(e, AUTHZ_ENOTFOUND, authz_role_get(e, NULL, "nobody", &r, ERR));
    assert_int_equal(AUTHZ_OBJ_ROLE, uh_err.object);
    assert_int_equal(40403, authz_api_code(&uh_err));
    uh_engine_teardown(e);
}

static void target_type_names_round_trip(void **state) {
    (void)state;
    const char *names[] = {"USER", "ROLE", "GROUP", "DEPARTMENT"};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(names[i], authz_target_type_name((authz_target_type)i));
        authz_target_type t = (authz_target_type)77;
        OK(authz_target_type_parse(names[i], &t));
        assert_int_equal(i, t);
    }
    assert_null(authz_target_type_name((authz_target_type)4));
    assert_null(authz_target_type_name((authz_target_type)-1));
    authz_target_type t;
    assert_int_equal(AUTHZ_EINVAL, authz_target_type_parse("user", &t));
    assert_int_equal(AUTHZ_EINVAL, authz_target_type_parse("", &t));
    assert_int_equal(AUTHZ_EINVAL, authz_target_type_parse("USERS", &t));
    assert_int_equal(AUTHZ_EINVAL, authz_target_type_parse(NULL, &t));
}

static void resource_type_names_round_trip(void **state) {
    (void)state;
    const char *names[] = {"DATA", "API", "MENU", "BUTTON", "UI"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(names[i], authz_resource_type_name((authz_resource_type)i));
        authz_resource_type t = (authz_resource_type)77;
        OK(authz_resource_type_parse(names[i], &t));
        assert_int_equal(i, t);
    }
    assert_null(authz_resource_type_name((authz_resource_type)5));
    authz_resource_type t;
    assert_int_equal(AUTHZ_EINVAL, authz_resource_type_parse("data", &t));
    assert_int_equal(AUTHZ_EINVAL, authz_resource_type_parse("DATA ", &t));
    assert_int_equal(AUTHZ_EINVAL, authz_resource_type_parse(NULL, &t));
}

static void role_status_names_round_trip(void **state) {
    (void)state;
    authz_role_status s = (authz_role_status)77;
    assert_string_equal("ENABLE", authz_role_status_name(AUTHZ_ROLE_ENABLE));
    assert_string_equal("DISABLE", authz_role_status_name(AUTHZ_ROLE_DISABLE));
    OK(authz_role_status_parse("ENABLE", &s));
    assert_int_equal(AUTHZ_ROLE_ENABLE, s);
    OK(authz_role_status_parse("DISABLE", &s));
    assert_int_equal(AUTHZ_ROLE_DISABLE, s);
    assert_int_equal(AUTHZ_EINVAL, authz_role_status_parse("Enable", &s));
    assert_int_equal(AUTHZ_EINVAL, authz_role_status_parse("DISABLED", &s));
    assert_int_equal(AUTHZ_EINVAL, authz_role_status_parse(NULL, &s));
}

static void version_matches_the_macros(void **state) {
    (void)state;
    assert_string_equal(AUTHZ_VERSION_STRING, authz_version());
}

static void success_leaves_the_error_untouched(void **state) {
    (void)state;
    authz_engine *e = uh_engine(false);
    authz_error err;
    memset(&err, 0, sizeof err);
    err.status = (authz_status)77;
    strcpy(err.field, "sentinel");
    authz_namespace_spec s = {"ns1", NULL, NULL};
    OK(authz_namespace_create(e, &s, NULL, &err));
    assert_int_equal(77, err.status);
    assert_string_equal("sentinel", err.field);
    uh_engine_teardown(e);
}

static void engine_new_with_null_options_holds_only_default(void **state) {
    (void)state;
    authz_engine *e = NULL;
    OK(authz_engine_new(NULL, &e));
    authz_stats st;
    OK(authz_get_stats(e, &st));
    assert_int_equal(1, st.namespaces);
    assert_int_equal(0, st.resources);
    assert_int_equal(0, st.grants);
    authz_namespace *ns = NULL;
    OK(authz_namespace_get(e, "default", &ns, NULL));
    assert_string_equal("default", ns->code);
    authz_free(ns);
    authz_engine_free(e);
    authz_engine_free(NULL);
    authz_free(NULL);
}

static void results_outlive_the_engine(void **state) {
    (void)state;
    authz_engine *e = uh_engine(false);
    authz_namespace_spec s = {"keep", "Kept", "desc"};
    authz_namespace *ns = NULL;
    OK(authz_namespace_create(e, &s, &ns, NULL));
    authz_engine_free(e);
    assert_string_equal("keep", ns->code);
    assert_string_equal("Kept", ns->name);
    assert_string_equal("desc", ns->description);
    authz_free(ns);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_status_has_its_name_code_and_text),
        cmocka_unit_test(an_invalid_status_is_unknown_never_null),
        cmocka_unit_test(api_code_is_status_class_times_100_plus_object),
        cmocka_unit_test(api_code_of_a_real_failure),
        cmocka_unit_test(target_type_names_round_trip),
        cmocka_unit_test(resource_type_names_round_trip),
        cmocka_unit_test(role_status_names_round_trip),
        cmocka_unit_test(version_matches_the_macros),
        cmocka_unit_test(success_leaves_the_error_untouched),
        cmocka_unit_test(engine_new_with_null_options_holds_only_default),
        cmocka_unit_test(results_outlive_the_engine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

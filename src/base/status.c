/*
 * status.c - the status table (one X-macro in authz.h makes the enum and every text here),
 * the wire names of the model's enumerations, and the version.
 */
#include <string.h>

#include "authz.h"

const char *authz_version(void) { return AUTHZ_VERSION_STRING; }

const char *authz_strerror(authz_status s) {
    switch (s) {
#define AUTHZ__TEXT(name, value, http, text) \
    case AUTHZ_##name:                       \
        return text;
        AUTHZ_STATUS_MAP(AUTHZ__TEXT)
#undef AUTHZ__TEXT
    }
    return "unknown status";
}

const char *authz_status_name(authz_status s) {
    switch (s) {
#define AUTHZ__NAME(name, value, http, text) \
    case AUTHZ_##name:                       \
        return #name;
        AUTHZ_STATUS_MAP(AUTHZ__NAME)
#undef AUTHZ__NAME
    }
    return "UNKNOWN";
}

int authz_status_code(authz_status s) {
    switch (s) {
#define AUTHZ__HTTP(name, value, http, text) \
    case AUTHZ_##name:                       \
        return http;
        AUTHZ_STATUS_MAP(AUTHZ__HTTP)
#undef AUTHZ__HTTP
    }
    return 500;
}

int authz_api_code(const authz_error *err) {
    if (!err || err->status == AUTHZ_OK) return 0;
    return authz_status_code(err->status) * 100 + (int)err->object;
}

static const char *const target_names[] = {"USER", "ROLE", "GROUP", "DEPARTMENT"};
static const char *const resource_names[] = {"DATA", "API", "MENU", "BUTTON", "UI"};
static const char *const role_status_names[] = {"ENABLE", "DISABLE"};

static authz_status parse_name(const char *const *names, int n, const char *s, int *out) {
    if (!s) return AUTHZ_EINVAL;
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i], s) == 0) {
            *out = i;
            return AUTHZ_OK;
        }
    }
    return AUTHZ_EINVAL;
}

const char *authz_target_type_name(authz_target_type t) {
    return (unsigned)t < 4 ? target_names[t] : NULL;
}

authz_status authz_target_type_parse(const char *s, authz_target_type *out) {
    int v;
    authz_status st = parse_name(target_names, 4, s, &v);
    if (st == AUTHZ_OK && out) *out = (authz_target_type)v;
    return st;
}

const char *authz_resource_type_name(authz_resource_type t) {
    return (unsigned)t < 5 ? resource_names[t] : NULL;
}

authz_status authz_resource_type_parse(const char *s, authz_resource_type *out) {
    int v;
    authz_status st = parse_name(resource_names, 5, s, &v);
    if (st == AUTHZ_OK && out) *out = (authz_resource_type)v;
    return st;
}

const char *authz_role_status_name(authz_role_status s) {
    return (unsigned)s < 2 ? role_status_names[s] : NULL;
}

authz_status authz_role_status_parse(const char *s, authz_role_status *out) {
    int v;
    authz_status st = parse_name(role_status_names, 2, s, &v);
    if (st == AUTHZ_OK && out) *out = (authz_role_status)v;
    return st;
}

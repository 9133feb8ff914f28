/*
 * dispatch.c - the one dispatch table of the JSON front door: method name, HTTP path, HTTP
 * method, whether it writes, and its handler. Adding a method is adding a row. The CLI, the
 * HTTP server and the fuzzers all enter through authz_call_json_ex().
 */
#include <stdlib.h>
#include <string.h>

#include "authz_json.h"
#include "envelope.h"
#include "methods.h"
#include "model/results.h"

typedef struct row {
    authz_json_method pub;
    jhandler fn;
} row;

#define GET(name, path) \
    { {#name, "/api/v3/" path, AUTHZ_HTTP_GET, false}, authz__j_##name }
#define READ(name, path) \
    { {#name, "/api/v3/" path, AUTHZ_HTTP_POST, false}, authz__j_##name }
#define WRITE(name, path) \
    { {#name, "/api/v3/" path, AUTHZ_HTTP_POST, true}, authz__j_##name }

static const row table[] = {
    WRITE(create_namespace, "create-namespace"),
    WRITE(create_namespaces_batch, "create-namespaces-batch"),
    GET(get_namespace, "get-namespace"),
    GET(get_namespaces_batch, "get-namespaces-batch"),
    WRITE(update_namespace, "update-namespace"),
    WRITE(delete_namespace, "delete-namespace"),
    WRITE(delete_namespaces_batch, "delete-namespaces-batch"),
    GET(list_namespaces, "list-namespaces"),
    GET(list_namespace_roles, "list-namespace-roles"),
    WRITE(create_resource, "create-resource"),
    WRITE(create_resources_batch, "create-resources-batch"),
    GET(get_resource, "get-resource"),
    GET(get_resources_batch, "get-resources-batch"),
    GET(list_resources, "list-resources"),
    WRITE(update_resource, "update-resource"),
    WRITE(delete_resource, "delete-resource"),
    WRITE(delete_resources_batch, "delete-resources-batch"),
    WRITE(associate_tenant_resource, "associate-tenant-resource"),
    WRITE(authorize_resources, "authorize-resources"),
    WRITE(revoke_resources, "revoke-resources"),
    READ(is_action_allowed, "is-action-allowed"),
    READ(explain_action, "explain-action"),
    GET(get_authorized_resources, "get-authorized-resources"),
    GET(get_user_authorized_resources, "get-user-authorized-resources"),
    READ(get_resource_authorized_targets, "get-resource-authorized-targets"),
    GET(get_role_authorized_resources, "get-role-authorized-resources"),
    GET(get_group_authorized_resources, "get-group-authorized-resources"),
    WRITE(create_role, "create-role"),
    WRITE(create_roles_batch, "create-roles-batch"),
    GET(get_role, "get-role"),
    GET(list_roles, "list-roles"),
    WRITE(update_role, "update-role"),
    WRITE(delete_roles_batch, "delete-roles-batch"),
    WRITE(assign_role, "assign-role"),
    WRITE(assign_role_batch, "assign-role-batch"),
    WRITE(revoke_role, "revoke-role"),
    WRITE(revoke_role_batch, "revoke-role-batch"),
    GET(list_role_members, "list-role-members"),
    GET(list_role_departments, "list-role-departments"),
    GET(get_user_roles, "get-user-roles"),
    WRITE(create_group, "create-group"),
    WRITE(create_groups_batch, "create-groups-batch"),
    GET(get_group, "get-group"),
    GET(list_groups, "list-groups"),
    WRITE(update_group, "update-group"),
    WRITE(delete_groups_batch, "delete-groups-batch"),
    WRITE(add_group_members, "add-group-members"),
    WRITE(remove_group_members, "remove-group-members"),
    GET(list_group_members, "list-group-members"),
    GET(get_user_groups, "get-user-groups"),
    WRITE(add_department_members, "add-department-members"),
    WRITE(remove_department_members, "remove-department-members"),
    WRITE(set_user_departments, "set-user-departments"),
    GET(get_user_departments, "get-user-departments"),
    GET(list_department_members, "list-department-members"),
    WRITE(create_user, "create-user"),
    WRITE(create_users_batch, "create-users-batch"),
    GET(get_user, "get-user"),
    READ(list_users, "list-users"),
    WRITE(delete_users_batch, "delete-users-batch"),
    WRITE(create_organization, "create-organization"),
    GET(list_organizations, "list-organizations"),
    GET(search_organizations, "search-organizations"),
    WRITE(create_department, "create-department"),
    GET(get_department, "get-department"),
    WRITE(delete_department, "delete-department"),
    GET(list_children_departments, "list-children-departments"),
};

#define ROWS (sizeof table / sizeof table[0])

const authz_json_method *authz_json_methods(size_t *count) {
    static authz_json_method pub[ROWS];
    static _Atomic int ready;
    if (!ready) {
        for (size_t i = 0; i < ROWS; i++) pub[i] = table[i].pub;
        ready = 1;
    }
    if (count) *count = ROWS;
    return pub;
}

static const row *find_row(const char *name, bool by_path) {
    for (size_t i = 0; name && i < ROWS; i++)
        if (!strcmp(by_path ? table[i].pub.path : table[i].pub.name, name)) return &table[i];
    return NULL;
}

const authz_json_method *authz_json_find_method(const char *name) {
    const row *r = find_row(name, false);
    return r ? &r->pub : NULL;
}

const authz_json_method *authz_json_find_path(const char *path) {
    const row *r = find_row(path, true);
    return r ? &r->pub : NULL;
}

/* ---- jansson's allocator ---- */

static authz_allocator json_alloc;
static bool json_alloc_set;

static void *j_malloc(size_t n) { return json_alloc.malloc_fn(json_alloc.ctx, n); }
static void j_free(void *p) { json_alloc.free_fn(json_alloc.ctx, p); }

void authz_json_set_allocator(const authz_allocator *a) {
    json_alloc_set = a != NULL;
    if (a) {
        json_alloc = *a;
        json_set_alloc_funcs(j_malloc, j_free);
    } else {
        json_set_alloc_funcs(malloc, free);
    }
}

/* ---- running a request ---- */

static bool blank(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return false;
    return true;
}

static authz_status parse_request(jctx *c, const char *request, size_t len) {
    if (!request || blank(request, len)) {
        c->req = json_object();
        return c->req ? AUTHZ_OK : jctx_fail(c, AUTHZ_ENOMEM, "", -1, "out of memory");
    }
    json_error_t je;
    c->req = json_loadb(request, len, JSON_REJECT_DUPLICATES, &je);
    if (!c->req && strstr(je.text, "\\u0000"))
        return jctx_fail(c, AUTHZ_EINVAL, "", -1, "strings must not contain \\u0000 (column %d)",
                         je.column);
    if (!c->req)
        return jctx_fail(c, AUTHZ_EINVAL, "", -1, "malformed JSON at line %d, column %d: %s",
                         je.line, je.column, je.text);
    if (!json_is_object(c->req))
        return jctx_fail(c, AUTHZ_EINVAL, "", -1, "the request must be a JSON object");
    return AUTHZ_OK;
}

/* Copies jansson's text into a block authz_free() can release. */
static authz_status finish(authz_engine *e, json_t *env, char **response) {
    char *text = env ? json_dumps(env, JSON_COMPACT) : NULL;
    json_decref(env);
    if (!text) return AUTHZ_ENOMEM;
    size_t n = strlen(text) + 1;
    *response = authz__result_alloc(e, n);
    if (*response) memcpy(*response, text, n);
    if (json_alloc_set)
        j_free(text);
    else
        free(text);
    return *response ? AUTHZ_OK : AUTHZ_ENOMEM;
}

authz_status authz_call_json_ex(authz_engine *e, const char *method, const char *request,
                                size_t len, authz_lang lang, unsigned flags, char **response,
                                int *status_code) {
    if (!e || !response) return AUTHZ_EINVAL;
    *response = NULL;
    jctx c = {.e = e, .query = (flags & AUTHZ_JSON_QUERY) != 0};
    const row *r = find_row(method, false);
    authz_status st = AUTHZ_OK;
    json_t *data = NULL;
    if (!r)
        st = jctx_fail(&c, AUTHZ_EINVAL, "method", -1, "unknown method: %.100s",
                       method ? method : "(none)");
    if (!st) st = parse_request(&c, request, len);
    if (!st) {
        memset(&c.err, 0, sizeof c.err);
        st = r->fn(&c, &data);
        if (st && st != AUTHZ_ENOMEM) st = authz__json_conform(&c, r->pub.name, st);
        if (!st && !data) st = jctx_fail(&c, AUTHZ_ENOMEM, "", -1, "out of memory");
    }
    if (st && c.err.status != st) c.err.status = st;
    json_t *env = authz__json_envelope(st, &c.err, st ? NULL : data, lang);
    if (st) json_decref(data);
    json_decref(c.req);
    jctx_release(&c);
    if (status_code) *status_code = authz_status_code(st);
    return finish(e, env, response);
}

authz_status authz_json_error_envelope(const authz_engine *e, int status_code, int api_code,
                                       const char *message, char **response) {
    if (!e || !response) return AUTHZ_EINVAL;
    *response = NULL;
    json_t *env = authz__json_raw_error(status_code, api_code, message);
    return finish((authz_engine *)(uintptr_t)e, env, response);
}

authz_status authz_call_json(authz_engine *e, const char *method, const char *request, size_t len,
                             authz_lang lang, char **response) {
    return authz_call_json_ex(e, method, request, len, lang, 0, response, NULL);
}

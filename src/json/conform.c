/*
 * conform.c - the errors GenAuth's cloud answers where they differ from the engine's own, as
 * authing-node-sdk 4.0.1's integration tests observe them (docs/conformance.md). The engine
 * keeps its rules (a malformed code is a 400 in the C API); the front door reshapes the
 * failure of one method at a time:
 *
 *   - looking up a namespace or resource by a code that cannot exist is "not exists" (404):
 *     get/update/delete_namespace when the code is non-empty and at most 64 bytes (longer or
 *     empty stays 400), get/update_resource whatever the code;
 *   - get_namespace says "namespace not exists" in every language, get_authorized_resources
 *     "group not exists with code: <code>" for a group that does not or cannot exist;
 *   - batch creates name their item's fault as the cloud does: an empty namespace code is
 *     "namespace name must not be empty", an over-long namespace or resource code "invalid
 *     namespace code: <code>", an empty role code "role code must not empty", and any fault in a
 *     group batch item is the list's ("参数 list 格式错误").
 */
#include <stdio.h>
#include <string.h>

#include "methods.h"

#define CODE_MAX 64 /* validate.h's AUTHZ__CODE_MAX: the cloud's "参数 code 格式错误" bound */

static bool is(const char *method, const char *name) { return !strcmp(method, name); }

/* The string `key` of the request or of its list item `item`; "" when absent. */
static const char *req_str(const jctx *c, int32_t item, const char *key) {
    json_t *o = c->req;
    if (item >= 0) o = json_array_get(json_object_get(c->req, "list"), (size_t)item);
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* `cloud_text`: get-namespace's "namespace not exists", the same in every language; otherwise
 * the engine's wording, which zh-CN replaces with the object's "…不存在". */
static authz_status not_found(jctx *c, authz_object obj, const char *what, bool cloud_text) {
    char message[sizeof c->err.message];
    if (cloud_text)
        snprintf(message, sizeof message, "%s not exists", what);
    else
        snprintf(message, sizeof message, "%s not found: %.200s", what, req_str(c, -1, "code"));
    c->err.status = AUTHZ_ENOTFOUND;
    c->err.object = obj;
    c->err.item = -1;
    snprintf(c->err.field, sizeof c->err.field, "code");
    memcpy(c->err.message, message, sizeof message);
    return AUTHZ_ENOTFOUND;
}

/* "<prefix><code>", as the cloud words it. */
static void say(jctx *c, const char *prefix, const char *code) {
    snprintf(c->err.message, sizeof c->err.message, "%s%s", prefix, code);
}

authz_status authz__json_conform(jctx *c, const char *method, authz_status st) {
    authz_error *e = &c->err;
    bool on_code = !strcmp(e->field, "code");
    if (st == AUTHZ_EINVAL && on_code && e->item < 0) {
        size_t n = strlen(req_str(c, -1, "code"));
        if ((is(method, "get_namespace") || is(method, "update_namespace") ||
             is(method, "delete_namespace")) &&
            n > 0 && n <= CODE_MAX)
            return not_found(c, AUTHZ_OBJ_NAMESPACE, "namespace", is(method, "get_namespace"));
        if (is(method, "get_resource") || is(method, "update_resource"))
            return not_found(c, AUTHZ_OBJ_RESOURCE, "resource", false);
    }
    /* get-authorized-resources of a group that does not (or cannot) exist */
    if ((st == AUTHZ_EINVAL || st == AUTHZ_ENOTFOUND) && is(method, "get_authorized_resources") &&
        !strcmp(e->field, "targetIdentifier") && !strcmp(req_str(c, -1, "targetType"), "GROUP")) {
        char message[sizeof e->message];
        snprintf(message, sizeof message, "group not exists with code: %.200s",
                 req_str(c, -1, "targetIdentifier"));
        memcpy(e->message, message, sizeof message);
        e->status = AUTHZ_ENOTFOUND;
        e->object = AUTHZ_OBJ_GROUP;
        e->item = -1;
        return AUTHZ_ENOTFOUND;
    }
    if (st == AUTHZ_ENOTFOUND && is(method, "get_namespace") && e->object == AUTHZ_OBJ_NAMESPACE)
        return not_found(c, AUTHZ_OBJ_NAMESPACE, "namespace", true);
    if (st == AUTHZ_EINVAL && on_code && e->item >= 0) {
        const char *code = req_str(c, e->item, "code");
        size_t n = strlen(code);
        if (is(method, "create_namespaces_batch") && n == 0)
            say(c, "namespace name must not be empty", "");
        else if (is(method, "create_namespaces_batch") && n > CODE_MAX)
            say(c, "invalid namespace code: ", code);
        else if (is(method, "create_resources_batch") && n > CODE_MAX)
            say(c, "invalid resource code: ", code);
        else if (is(method, "create_roles_batch") && n == 0)
            say(c, "role code must not empty", "");
    }
    if ((st == AUTHZ_EINVAL || st == AUTHZ_ELIMIT) && e->item >= 0 &&
        is(method, "create_groups_batch"))
        snprintf(e->field, sizeof e->field, "list");
    return st;
}

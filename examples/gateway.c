/*
 * gateway.c - an API gateway's authorization model in authz: its routes are resources of the
 * namespace "gateway", each with the HTTP verbs as actions; roles are granted routes; users get
 * roles directly, through a department, or act through a group. It prints the answers a gateway
 * would ask for, and why one request is allowed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "authz.h"

static void must(authz_status st, const char *what) {
    if (st == AUTHZ_OK) return;
    fprintf(stderr, "%s: %s\n", what, authz_strerror(st));
    exit(1);
}

static void route(authz_engine *e, const char *code, const char *name) {
    authz_action_spec verbs[] = {{"GET", "read"}, {"POST", "create"}, {"DELETE", "remove"}};
    authz_resource_spec r = {code, AUTHZ_RESOURCE_API, name, NULL, NULL, verbs, 3};
    must(authz_resource_create(e, "gateway", &r, NULL, NULL), code);
}

static void grant(authz_engine *e, authz_target_type t, const char *who, const char *res,
                  const char *const *verbs, size_t n) {
    authz_grant_resource r = {res, verbs, n, AUTHZ_RESOURCE_API};
    authz_grant_item it = {t, &who, 1, &r, 1};
    must(authz_authorize(e, "gateway", &it, 1, NULL), "authorize");
}

static void build(authz_engine *e) {
    authz_namespace_spec ns = {"gateway", "API gateway", "routes of the public API"};
    must(authz_namespace_create(e, &ns, NULL, NULL), "namespace");
    route(e, "orders", "/v1/orders");
    route(e, "invoices", "/v1/invoices");
    route(e, "admin", "/v1/admin");
    authz_role_spec roles[] = {{"gateway", "customer", "Customer", NULL, 0},
                               {"gateway", "accountant", "Accountant", NULL, 0},
                               {"gateway", "operator", "Operator", NULL, 0}};
    must(authz_role_create_batch(e, roles, 3, NULL), "roles");
    const char *get[] = {"GET"}, *get_post[] = {"GET", "POST"}, *all[] = {"*"};
    grant(e, AUTHZ_TARGET_ROLE, "customer", "orders", get_post, 2);
    grant(e, AUTHZ_TARGET_ROLE, "accountant", "invoices", get_post, 2);
    grant(e, AUTHZ_TARGET_ROLE, "accountant", "orders", get, 1);
    grant(e, AUTHZ_TARGET_ROLE, "operator", "*", all, 1);
    grant(e, AUTHZ_TARGET_USER, "carol", "invoices:2024-17", get, 1);
    authz_target alice = {AUTHZ_TARGET_USER, "alice"},
                 finance = {AUTHZ_TARGET_DEPARTMENT, "finance"};
    must(authz_role_assign(e, "gateway", "customer", &alice, 1, NULL, NULL), "assign");
    must(authz_role_assign(e, "gateway", "accountant", &finance, 1, NULL, NULL), "assign");
    const char *bob[] = {"bob"}, *dave[] = {"dave"};
    must(authz_department_add_members(e, "finance", bob, 1, NULL), "department");
    authz_group_spec oncall = {"oncall", "On call", NULL, "static"};
    must(authz_group_create(e, &oncall, NULL, NULL), "group");
    must(authz_group_add_members(e, "oncall", dave, 1, NULL), "members");
    grant(e, AUTHZ_TARGET_GROUP, "oncall", "admin", all, 1);
}

int main(void) {
    authz_engine *e;
    must(authz_engine_new(NULL, &e), "engine");
    build(e);
    static const struct {
        const char *user, *verb, *res;
    } asks[] = {{"alice", "POST", "orders:991"},
                {"alice", "DELETE", "orders:991"},
                {"alice", "GET", "invoices"},
                {"bob", "GET", "invoices:2024-17"},
                {"bob", "DELETE", "invoices"},
                {"carol", "GET", "invoices:2024-17"},
                {"carol", "GET", "invoices:2024-18"},
                {"dave", "DELETE", "admin:cache"},
                {"dave", "GET", "orders"},
                {"mallory", "GET", "orders"}};
    printf("%-8s %-7s %-18s %s\n", "user", "action", "resource", "answer");
    for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
        bool ok;
        must(authz_check(e, "gateway", asks[i].user, asks[i].res, asks[i].verb, &ok, NULL),
             "check");
        printf("%-8s %-7s %-18s %s\n", asks[i].user, asks[i].verb, asks[i].res,
               ok ? "allowed" : "denied");
    }
    authz_explanation *why;
    must(authz_explain(e, "gateway", "bob", "invoices:7", "POST", &why, NULL), "explain");
    printf("\nwhy may bob POST invoices:7? %s \"%s\" holds [",
           authz_target_type_name(why->principal_type), why->principal_id);
    for (size_t i = 0; i < why->action_count; i++) printf("%s%s", i ? " " : "", why->actions[i]);
    printf("] on \"%s\"\n", why->resource);
    authz_free(why);
    authz_engine_free(e);
    return 0;
}

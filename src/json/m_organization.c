/*
 * m_organization.c - organizations and department records (include/authz/organization.h):
 * create_organization, list_organizations, search_organizations, create_department,
 * get_department, delete_department, list_children_departments. OrganizationDto and
 * DepartmentDto carry the fields authz keeps; the rest have the values a plain cloud record has.
 */
#include "methods.h"

static json_t *dto_org(const authz_organization *o) {
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:I,s:b,s:[],s:o,s:o,s:s}", "organizationCode",
                     o->code, "organizationName", o->name, "description", o->description,
                     "departmentId", o->root_department_id, "openDepartmentId", "", "hasChildren",
                     o->has_children, "membersCount", (json_int_t)o->members_count, "isVirtualNode",
                     0, "leaderUserIds", "createdAt", authz__dto_time(o->created_at), "updatedAt",
                     authz__dto_time(o->created_at), "status", "Active");
}

static json_t *dto_dept(const authz_department_info *d) {
    return json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:b,s:b,s:[],s:o,s:o,s:b}", "organizationCode",
        d->organization_code, "departmentId", d->department_id, "parentDepartmentId",
        d->parent_department_id, "parentDepartmentCode", "", "name", d->name, "code", d->code,
        "description", d->description, "membersCount", (json_int_t)d->members_count, "hasChildren",
        d->has_children, "isVirtualNode", 0, "leaderUserIds", "createdAt",
        authz__dto_time(d->created_at), "updatedAt", authz__dto_time(d->created_at), "status", 1);
}

AUTHZ__HANDLER(create_organization) {
    authz_organization_spec s = {0};
    authz_organization *o = NULL;
    authz_status st = jstr(c, c->req, "organizationCode", "organizationCode", false, &s.code);
    if (!st) st = jstr(c, c->req, "organizationName", "organizationName", true, &s.name);
    if (!st) st = jstr(c, c->req, "description", "description", false, &s.description);
    if (!st) st = authz_organization_create(c->e, &s, &o, &c->err);
    if (!st) *data = dto_org(o);
    authz_free(o);
    return st;
}

static authz_status orgs(jctx *c, json_t **data, const char *keywords) {
    authz_page p;
    authz_organization_list *l = NULL;
    authz_status st = jpage(c, &p);
    if (!st) st = authz_list_organizations(c->e, &p, keywords, &l, &c->err);
    if (!st) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < l->count; i++) json_array_append_new(a, dto_org(&l->items[i]));
        *data = jpaged(l->total_count, a);
    }
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(list_organizations) { return orgs(c, data, NULL); }

/* GenAuth requires keywords here: an empty one is a malformed field. */
AUTHZ__HANDLER(search_organizations) {
    const char *keywords;
    authz_status st = jstr(c, c->req, "keywords", "keywords", true, &keywords);
    if (!st && !*keywords)
        st = jctx_fail(c, AUTHZ_EINVAL, "keywords", -1, "keywords must not be empty");
    return st ? st : orgs(c, data, keywords);
}

AUTHZ__HANDLER(create_department) {
    authz_department_spec s = {0};
    authz_department_info *d = NULL;
    authz_status st =
        jstr(c, c->req, "organizationCode", "organizationCode", true, &s.organization_code);
    if (!st)
        st = jstr(c, c->req, "parentDepartmentId", "parentDepartmentId", true,
                  &s.parent_department_id);
    if (!st) st = jstr(c, c->req, "name", "name", true, &s.name);
    if (!st) st = jstr(c, c->req, "code", "code", false, &s.code);
    if (!st) st = jstr(c, c->req, "description", "description", false, &s.description);
    if (!st) st = authz_department_create(c->e, &s, &d, &c->err);
    if (!st) *data = dto_dept(d);
    authz_free(d);
    return st;
}

static authz_status org_and_dept(jctx *c, const char **org, const char **dept) {
    authz_status st = jstr(c, c->req, "organizationCode", "organizationCode", true, org);
    if (!st) st = jstr(c, c->req, "departmentId", "departmentId", true, dept);
    return st;
}

AUTHZ__HANDLER(get_department) {
    const char *org, *dept;
    authz_department_info *d = NULL;
    authz_status st = org_and_dept(c, &org, &dept);
    if (!st) st = authz_department_get(c->e, org, dept, &d, &c->err);
    if (!st) *data = dto_dept(d);
    authz_free(d);
    return st;
}

AUTHZ__HANDLER(delete_department) {
    const char *org, *dept;
    authz_status st = org_and_dept(c, &org, &dept);
    if (!st) st = authz_department_delete(c->e, org, dept, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(list_children_departments) {
    const char *org, *dept;
    authz_department_list *l = NULL;
    authz_status st = org_and_dept(c, &org, &dept);
    if (!st) st = authz_department_children(c->e, org, dept, &l, &c->err);
    if (!st) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < l->count; i++) json_array_append_new(a, dto_dept(&l->items[i]));
        *data = jpaged(l->total_count, a);
    }
    authz_free(l);
    return st;
}

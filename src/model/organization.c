/*
 * organization.c - organizations and department records (include/authz/organization.h,
 * model/directory.h). Creating logs an undo step for everything it changes, so a failed write
 * leaves nothing. Deleting a department is a commit that cannot fail: the subtree is marked in
 * one forward pass over the records (parents come before their children) and each marked
 * department is unlinked from memberships, assignments and grants, newest first.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/result.h"
#include "base/validate.h"
#include "model/engine.h"
#include "model/view.h"

/* The default organization: the same constant in every engine, never stored. */
static char default_code[] = AUTHZ_DEFAULT_ORG_CODE;
static char default_name[] = AUTHZ_DEFAULT_ORG_NAME;
static char default_root[] = AUTHZ_DEFAULT_ORG_ROOT;
static const authz__org default_org = {default_code, default_name, NULL, default_root, 0};

static const authz__org *org_find(const authz_engine *e, const char *code) {
    if (!strcmp(code, default_org.code)) return &default_org;
    for (size_t i = 0; i < e->dir.orgs.count; i++) {
        const authz__org *o = e->dir.orgs.items[i];
        if (!strcmp(o->code, code)) return o;
    }
    return NULL;
}

static const authz__org *org_at(const authz_engine *e, size_t i) {
    return i == 0 ? &default_org : e->dir.orgs.items[i - 1];
}

static authz__dept *dept_find(const authz_engine *e, const char *id) {
    const authz__principal *p = authz__principal_find(e, AUTHZ_TARGET_DEPARTMENT, id);
    return p && p->listed ? authz__map_getp(&e->dir.dept_by_id, p->id) : NULL;
}

static const authz__org *root_of(const authz_engine *e, const char *id) {
    for (size_t i = 0; i <= e->dir.orgs.count; i++)
        if (!strcmp(org_at(e, i)->root, id)) return org_at(e, i);
    return NULL;
}

bool authz__dept_known(const authz_engine *e, const char *id) {
    return dept_find(e, id) || root_of(e, id);
}

static bool has_children(const authz_engine *e, const char *id) {
    for (size_t i = 0; i < e->dir.depts.count; i++) {
        const authz__dept *d = e->dir.depts.items[i];
        if (!strcmp(d->parent, id)) return true;
    }
    return false;
}

static size_t members_of(const authz_engine *e, const char *id) {
    const authz__principal *p = authz__principal_find(e, AUTHZ_TARGET_DEPARTMENT, id);
    return p ? p->members.count : 0;
}

/* ---- results ---- */

static authz_organization org_view(const authz_engine *e, const authz__org *o) {
    return (authz_organization){o->code,
                                o->name,
                                o->description ? o->description : "",
                                o->root,
                                members_of(e, o->root),
                                has_children(e, o->root),
                                o->created_at};
}

static void emit_org(authz__out *o, authz_organization *dst, const authz_organization *v) {
    const char *code = authz__out_str(o, v->code);
    const char *name = authz__out_str(o, v->name);
    const char *desc = authz__out_str(o, v->description);
    const char *root = authz__out_str(o, v->root_department_id);
    AUTHZ__SET(dst, code, code);
    AUTHZ__SET(dst, name, name);
    AUTHZ__SET(dst, description, desc);
    AUTHZ__SET(dst, root_department_id, root);
    AUTHZ__SET(dst, members_count, v->members_count);
    AUTHZ__SET(dst, has_children, v->has_children);
    AUTHZ__SET(dst, created_at, v->created_at);
}

static void emit_org_one(authz__out *o, const void *ctx) {
    authz_organization *dst = authz__out_take(o, sizeof *dst);
    emit_org(o, dst, ctx);
}

typedef struct org_list_ctx {
    const authz_engine *e;
    const char *keywords;
    size_t start, limit;
} org_list_ctx;

static const void *org_pick(const void *ctx, size_t i) {
    const org_list_ctx *c = ctx;
    const authz__org *o = org_at(c->e, i);
    if (c->keywords && *c->keywords && !strstr(o->code, c->keywords) &&
        !strstr(o->name, c->keywords))
        return NULL;
    return o;
}

static void org_item(authz__out *o, void *dst, const void *ctx, const void *obj) {
    const org_list_ctx *c = ctx;
    authz_organization v = org_view(c->e, obj);
    emit_org(o, dst, &v);
}

static void emit_org_list(authz__out *o, const void *ctx) {
    const org_list_ctx *c = ctx;
    authz__list_emit s = {c->e->dir.orgs.count + 1,   org_pick, org_item,
                          sizeof(authz_organization), c->start, c->limit};
    authz__emit_list(o, ctx, &s);
}

typedef struct dept_view_src {
    const authz_engine *e;
    const authz__org *org;   /* a root department's organization, or NULL */
    const authz__dept *dept; /* a created department, or NULL */
} dept_view_src;

static authz_department_info dept_view(const authz_engine *e, const dept_view_src *s) {
    if (s->org)
        return (authz_department_info){s->org->root,
                                       s->org->code,
                                       "",
                                       s->org->name,
                                       "",
                                       s->org->description ? s->org->description : "",
                                       members_of(e, s->org->root),
                                       has_children(e, s->org->root),
                                       s->org->created_at};
    const authz__dept *d = s->dept;
    const char *id = authz__str(e, d->p->id);
    return (authz_department_info){id,
                                   d->org,
                                   d->parent,
                                   d->name,
                                   d->code ? d->code : "",
                                   d->description ? d->description : "",
                                   d->p->members.count,
                                   has_children(e, id),
                                   d->created_at};
}

static void emit_dept(authz__out *o, authz_department_info *dst, const authz_department_info *v) {
    const char *id = authz__out_str(o, v->department_id);
    const char *org = authz__out_str(o, v->organization_code);
    const char *parent = authz__out_str(o, v->parent_department_id);
    const char *name = authz__out_str(o, v->name);
    const char *code = authz__out_str(o, v->code);
    const char *desc = authz__out_str(o, v->description);
    AUTHZ__SET(dst, department_id, id);
    AUTHZ__SET(dst, organization_code, org);
    AUTHZ__SET(dst, parent_department_id, parent);
    AUTHZ__SET(dst, name, name);
    AUTHZ__SET(dst, code, code);
    AUTHZ__SET(dst, description, desc);
    AUTHZ__SET(dst, members_count, v->members_count);
    AUTHZ__SET(dst, has_children, v->has_children);
    AUTHZ__SET(dst, created_at, v->created_at);
}

static void emit_dept_one(authz__out *o, const void *ctx) {
    authz_department_info *dst = authz__out_take(o, sizeof *dst);
    emit_dept(o, dst, ctx);
}

typedef struct child_ctx {
    const authz_engine *e;
    const char *parent;
} child_ctx;

static const void *child_pick(const void *ctx, size_t i) {
    const child_ctx *c = ctx;
    const authz__dept *d = c->e->dir.depts.items[i];
    return strcmp(d->parent, c->parent) ? NULL : d;
}

static void child_item(authz__out *o, void *dst, const void *ctx, const void *obj) {
    const child_ctx *c = ctx;
    dept_view_src s = {c->e, NULL, obj};
    authz_department_info v = dept_view(c->e, &s);
    emit_dept(o, dst, &v);
}

static void emit_children(authz__out *o, const void *ctx) {
    const child_ctx *c = ctx;
    size_t n = c->e->dir.depts.count;
    authz__list_emit s = {n, child_pick, child_item, sizeof(authz_department_info), 0, n};
    authz__emit_list(o, ctx, &s);
}

/* ---- shared steps of the writes ---- */

static void undo_counter(authz_engine *e, void *a, uintptr_t b) {
    (void)a;
    e->dir.next_dept = (uint64_t)b;
}

/* The next generated department ID that no department principal has yet. */
static authz_status generate(authz_engine *e, char id[32], authz_error *err) {
    if (!authz__undo_reserve(e)) return authz__nomem(err);
    authz__undo_push(e, undo_counter, NULL, (uintptr_t)e->dir.next_dept);
    do snprintf(id, 32, "d%023" PRIx64, ++e->dir.next_dept);
    while (authz__principal_find(e, AUTHZ_TARGET_DEPARTMENT, id) || root_of(e, id));
    return AUTHZ_OK;
}

static authz_status check_name(const char *name, authz_error *err) {
    if (!name || !*name)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_DEPARTMENT, "name", -1, "name is required");
    return authz__check_text(err, "name", -1, name, AUTHZ__NAME_MAX);
}

/* An organization code: GenAuth's own words for a bad one (create-organization puts a colon
 * after "code", create-department none). */
static authz_status check_org_code(const char *code, const char *sep, authz_error *err) {
    size_t n = strlen(code);
    if (n > AUTHZ__CODE_MAX)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_DEPARTMENT, "organizationCode", -1,
                           "organizationCode must be at most %d bytes", AUTHZ__CODE_MAX);
    if (authz__check_code(NULL, AUTHZ_OBJ_NONE, "organizationCode", -1, code))
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_DEPARTMENT, "organizationCode", -1,
                           "invalid organization code%s %s", sep, code);
    return AUTHZ_OK;
}

/* ---- organizations ---- */

static void org_free(authz_engine *e, authz__org *o) {
    authz__free(&e->mem, o->code);
    authz__free(&e->mem, o->name);
    authz__free(&e->mem, o->description);
    authz__free(&e->mem, o->root);
    authz__free(&e->mem, o);
}

static void undo_org(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__vec_remove(&e->dir.orgs, a);
    org_free(e, a);
}

static authz_status org_create(authz_engine *e, const authz_organization_spec *s,
                               const authz__org **out, authz_error *err) {
    char root[32], code[40];
    authz_status st = generate(e, root, err);
    if (st) return st;
    const char *c = s->code;
    if (!c || !*c) {
        snprintf(code, sizeof code, "org-%s", root);
        c = code;
    }
    if (org_find(e, c))
        return authz__fail(err, AUTHZ_EEXIST, AUTHZ_OBJ_DEPARTMENT, "organizationCode", -1,
                           "organization already exists: %s", c);
    if (!authz__vec_reserve(e, &e->dir.orgs, 1) || !authz__undo_reserve(e))
        return authz__nomem(err);
    authz__org *o = authz__calloc(&e->mem, 1, sizeof *o);
    if (!o) return authz__nomem(err);
    o->created_at = authz__write_now(e);
    if (!authz__strdup(&e->mem, c, &o->code) || !authz__strdup(&e->mem, s->name, &o->name) ||
        !authz__strdup(&e->mem, s->description, &o->description) ||
        !authz__strdup(&e->mem, root, &o->root)) {
        org_free(e, o);
        return authz__nomem(err);
    }
    authz__vec_push(&e->dir.orgs, o);
    authz__undo_push(e, undo_org, o, 0);
    *out = o;
    return AUTHZ_OK;
}

authz_status authz_organization_create(authz_engine *e, const authz_organization_spec *spec,
                                       authz_organization **out, authz_error *err) {
    if (out) *out = NULL;
    if (!spec) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "spec", -1, "spec is NULL");
    authz_status st = spec->code && *spec->code ? check_org_code(spec->code, ":", err) : AUTHZ_OK;
    if (!st && (!spec->name || !*spec->name))
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_DEPARTMENT, "organizationName", -1,
                         "organizationName is required");
    if (!st) st = authz__check_text(err, "organizationName", -1, spec->name, AUTHZ__NAME_MAX);
    if (!st) st = authz__check_text(err, "description", -1, spec->description, AUTHZ__DESC_MAX);
    if (st) return st;
    authz__write_begin(e);
    const authz__org *o = NULL;
    st = org_create(e, spec, &o, err);
    if (!st && out) {
        authz_organization v = org_view(e, o);
        if (authz__result_build(&e->mem, emit_org_one, &v, (void **)out)) st = authz__nomem(err);
    }
    return authz__write_finish(e, st);
}

authz_status authz_list_organizations(const authz_engine *e, const authz_page *page,
                                      const char *keywords, authz_organization_list **out,
                                      authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    size_t pg, limit;
    authz_status st = authz__check_page(err, page, &pg, &limit);
    if (!st) st = authz__check_text(err, "keywords", -1, keywords, AUTHZ__NAME_MAX);
    if (st) return st;
    authz__rdlock(e);
    org_list_ctx c = {e, keywords, (pg - 1) * limit, limit};
    if (authz__result_build(&e->mem, emit_org_list, &c, (void **)out)) st = authz__nomem(err);
    authz__unlock(e);
    return st;
}

/* ---- departments ---- */

static authz_status org_resolve(const authz_engine *e, const char *code, const authz__org **out,
                                authz_error *err) {
    *out = code ? org_find(e, code) : NULL;
    if (*out) return AUTHZ_OK;
    return authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_DEPARTMENT, "organizationCode", -1,
                       "organization not found for code: %s", code ? code : "");
}

/* `id` as a department of `org`: its root (*root set) or one of its records (*dept set). */
static authz_status dept_resolve(const authz_engine *e, const authz__org *org, const char *id,
                                 const char *field, dept_view_src *out, authz_error *err) {
    *out = (dept_view_src){e, NULL, NULL};
    if (!strcmp(id, org->root) || !strcmp(id, "root")) {
        out->org = org;
        return AUTHZ_OK;
    }
    const authz__dept *d = dept_find(e, id);
    if (d && !strcmp(d->org, org->code)) {
        out->dept = d;
        return AUTHZ_OK;
    }
    return authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_DEPARTMENT, field, -1,
                       "department not found: %s", id);
}

static authz_status check_dept_spec(const authz_department_spec *s, authz_error *err) {
    if (!s) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "spec", -1, "spec is NULL");
    authz_status st = AUTHZ_OK;
    /* An empty organization code is not found, as in GenAuth; a bad one is malformed. */
    if (s->organization_code && *s->organization_code)
        st = check_org_code(s->organization_code, "", err);
    if (!st)
        st = authz__check_ident(err, AUTHZ_OBJ_DEPARTMENT, "parentDepartmentId", -1,
                                s->parent_department_id);
    if (!st) st = check_name(s->name, err);
    if (!st && s->code && *s->code)
        st = authz__check_code(err, AUTHZ_OBJ_DEPARTMENT, "code", -1, s->code);
    if (!st) st = authz__check_text(err, "description", -1, s->description, AUTHZ__DESC_MAX);
    return st;
}

static void dept_free(authz_engine *e, authz__dept *d) {
    authz__free(&e->mem, d->org);
    authz__free(&e->mem, d->parent);
    authz__free(&e->mem, d->name);
    authz__free(&e->mem, d->code);
    authz__free(&e->mem, d->description);
    authz__free(&e->mem, d);
}

static void dept_unlink(authz_engine *e, authz__dept *d) {
    authz__map_del(&e->dir.dept_by_id, d->p->id);
    authz__vec_remove(&e->dir.depts, d);
    d->p->listed = false;
}

static void undo_dept(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    dept_unlink(e, a);
    dept_free(e, a);
}

static authz_status dept_create(authz_engine *e, const authz_department_spec *s,
                                const authz__dept **out, authz_error *err) {
    const authz__org *org;
    dept_view_src parent;
    authz_status st = org_resolve(e, s->organization_code, &org, err);
    if (!st) st = dept_resolve(e, org, s->parent_department_id, "parentDepartmentId", &parent, err);
    if (st) return st;
    for (size_t i = 0; s->code && *s->code && i < e->dir.depts.count; i++) {
        const authz__dept *d = e->dir.depts.items[i];
        if (d->code && !strcmp(d->code, s->code) && !strcmp(d->org, org->code))
            return authz__fail(err, AUTHZ_EEXIST, AUTHZ_OBJ_DEPARTMENT, "code", -1,
                               "department code already exists: %s", s->code);
    }
    char id[32];
    st = generate(e, id, err);
    if (st) return st;
    authz__principal *p = authz__principal_ensure(e, AUTHZ_TARGET_DEPARTMENT, id);
    if (!p || !authz__map_reserve(e, &e->dir.dept_by_id, 1) ||
        !authz__vec_reserve(e, &e->dir.depts, 1) || !authz__undo_reserve(e))
        return authz__nomem(err);
    authz__dept *d = authz__calloc(&e->mem, 1, sizeof *d);
    if (!d) return authz__nomem(err);
    d->p = p;
    d->created_at = authz__write_now(e);
    if (!authz__strdup(&e->mem, org->code, &d->org) ||
        !authz__strdup(&e->mem, parent.org ? org->root : s->parent_department_id, &d->parent) ||
        !authz__strdup(&e->mem, s->name, &d->name) ||
        !authz__strdup(&e->mem, s->code && *s->code ? s->code : NULL, &d->code) ||
        !authz__strdup(&e->mem, s->description, &d->description)) {
        dept_free(e, d);
        return authz__nomem(err);
    }
    authz__map_putp(&e->dir.dept_by_id, p->id, d);
    authz__vec_push(&e->dir.depts, d);
    p->listed = true;
    authz__undo_push(e, undo_dept, d, 0);
    *out = d;
    return AUTHZ_OK;
}

authz_status authz_department_create(authz_engine *e, const authz_department_spec *spec,
                                     authz_department_info **out, authz_error *err) {
    if (out) *out = NULL;
    authz_status st = check_dept_spec(spec, err);
    if (st) return st;
    authz__write_begin(e);
    const authz__dept *d = NULL;
    st = dept_create(e, spec, &d, err);
    if (!st && out) {
        dept_view_src s = {e, NULL, d};
        authz_department_info v = dept_view(e, &s);
        if (authz__result_build(&e->mem, emit_dept_one, &v, (void **)out)) st = authz__nomem(err);
    }
    return authz__write_finish(e, st);
}

static authz_status check_lookup(const char *org, const char *id, authz_error *err) {
    if (!org)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_DEPARTMENT, "organizationCode", -1,
                           "organizationCode is required");
    /* over-long is malformed (400); anything else that is no organization is not found */
    authz_status st = authz__check_text(err, "organizationCode", -1, org, AUTHZ__CODE_MAX);
    if (!st) st = authz__check_ident(err, AUTHZ_OBJ_DEPARTMENT, "departmentId", -1, id);
    return st;
}

authz_status authz_department_get(const authz_engine *e, const char *organization_code,
                                  const char *department_id, authz_department_info **out,
                                  authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = check_lookup(organization_code, department_id, err);
    if (st) return st;
    authz__rdlock(e);
    const authz__org *org;
    dept_view_src s;
    st = org_resolve(e, organization_code, &org, err);
    if (!st) st = dept_resolve(e, org, department_id, "departmentId", &s, err);
    if (!st) {
        authz_department_info v = dept_view(e, &s);
        if (authz__result_build(&e->mem, emit_dept_one, &v, (void **)out)) st = authz__nomem(err);
    }
    authz__unlock(e);
    return st;
}

authz_status authz_department_children(const authz_engine *e, const char *organization_code,
                                       const char *department_id, authz_department_list **out,
                                       authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = check_lookup(organization_code, department_id, err);
    if (st) return st;
    authz__rdlock(e);
    const authz__org *org;
    dept_view_src s;
    st = org_resolve(e, organization_code, &org, err);
    if (!st) st = dept_resolve(e, org, department_id, "departmentId", &s, err);
    if (!st) {
        child_ctx c = {e, s.org ? s.org->root : department_id};
        if (authz__result_build(&e->mem, emit_children, &c, (void **)out)) st = authz__nomem(err);
    }
    authz__unlock(e);
    return st;
}

/* One department's end: grants, memberships and assignments go, then its record; its principal
 * is released (reclaimed at commit once nothing links it). */
static void dept_destroy(authz_engine *e, authz__dept *d) {
    authz__principal *p = d->p;
    authz__grant_remove_everywhere(e, authz__target(AUTHZ_TARGET_DEPARTMENT, p->id));
    for (size_t i = 0; i < p->members.count; i++) {
        authz__principal *u = p->members.items[i];
        if (authz__vec_remove(&u->depts, p)) e->membership_count--;
        authz__view_touch(e, u);
        authz__principal_release(e, u);
    }
    p->members.count = 0;
    while (p->assigns.count) authz__assign_destroy(e, p->assigns.items[p->assigns.count - 1]);
    dept_unlink(e, d);
    dept_free(e, d);
    authz__principal_release(e, p);
}

authz_status authz_department_delete(authz_engine *e, const char *organization_code,
                                     const char *department_id, authz_error *err) {
    authz_status st = check_lookup(organization_code, department_id, err);
    if (st) return st;
    authz__write_begin(e);
    const authz__org *org;
    dept_view_src s;
    st = org_resolve(e, organization_code, &org, err);
    if (!st) st = dept_resolve(e, org, department_id, "departmentId", &s, err);
    if (!st && s.org)
        st = authz__fail(err, AUTHZ_ERULE, AUTHZ_OBJ_DEPARTMENT, "departmentId", -1,
                         "the root department of an organization cannot be deleted");
    if (!st) {
        authz__vec *v = &e->dir.depts;
        size_t at = authz__vec_find(v, s.dept);
        ((authz__dept *)v->items[at])->doomed = true;
        for (size_t i = at + 1; i < v->count; i++) {
            authz__dept *d = v->items[i];
            const authz__dept *parent = dept_find(e, d->parent);
            d->doomed = parent && parent->doomed;
        }
        for (size_t i = v->count; i-- > at;) {
            authz__dept *d = v->items[i];
            if (d->doomed) dept_destroy(e, d);
        }
    }
    return authz__write_finish(e, st);
}

/* ---- snapshot loading ---- */

bool authz__org_place_ok(const authz_engine *e, const char *code, const char *root) {
    return code && root && !org_find(e, code) && !root_of(e, root);
}

bool authz__dept_place_ok(const authz_engine *e, const authz__dept *d) {
    if (!d->org || !d->parent) return false;
    const authz__org *org = org_find(e, d->org);
    if (!org || root_of(e, authz__str(e, d->p->id))) return false;
    if (!strcmp(d->parent, org->root)) return true;
    const authz__dept *parent = dept_find(e, d->parent);
    return parent && parent != d && !strcmp(parent->org, org->code) &&
           authz__vec_find(&e->dir.depts, parent) < authz__vec_find(&e->dir.depts, d);
}

/* ---- lifecycle ---- */

void authz__organizations_free(authz_engine *e) {
    for (size_t i = 0; i < e->dir.depts.count; i++) dept_free(e, e->dir.depts.items[i]);
    e->dir.depts.count = 0;
    authz__vec_free(&e->mem, &e->dir.depts);
    authz__map_free(&e->mem, &e->dir.dept_by_id);
    for (size_t i = 0; i < e->dir.orgs.count; i++) org_free(e, e->dir.orgs.items[i]);
    e->dir.orgs.count = 0;
    authz__vec_free(&e->mem, &e->dir.orgs);
}

/*
 * naive_model.h - the reference model of the differential test: the whole semantics of
 * authz.h written the obvious way (fixed arrays, linear scans, strings compared with strcmp),
 * with no index, no interning and no cleverness, so that it can be checked by reading. Every
 * operation answers a status and, for reads, a canonical text rendering of its result that the
 * test compares with the engine's result rendered the same way (see render.h).
 */
#ifndef AUTHZ_NAIVE_MODEL_H
#define AUTHZ_NAIVE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "authz.h"

typedef struct model model;

model *model_new(void);
void model_free(model *m);
void model_set_now(model *m, int64_t now);
/* Strict mode (authz_options.strict) for every model of the process. */
void model_set_strict(bool strict);

/* Directory mode (authz_options.user_directory) of this model. */
void model_set_directory(model *m, bool on);
/* How many writes directory mode has refused so far (every model of the process), and the
 * batch item the last refusal named (-1 for none). */
long model_directory_refusals(void);
int model_refused_item(void);
authz_object model_refused_object(void);
/* How many users are listed; how many organizations and department records exist. */
int model_listed_count(const model *m);
int model_org_count(const model *m);
int model_dept_records(const model *m);

/* Drops users and departments nothing links (no membership, assignment or grant), as the
 * engine does when a write ends; the driver calls it after every operation. */
void m_settle(model *m);
/* Writes: the status, with the model changed only on AUTHZ_OK. */
authz_status m_ns_create(model *m, const authz_namespace_spec *s, size_t n, bool batch);
authz_status m_ns_update(model *m, const authz_namespace_patch *p, char *out, size_t cap);
authz_status m_ns_delete(model *m, const char *const *codes, size_t n, bool batch);
authz_status m_res_create(model *m, const char *ns, const authz_resource_spec *s, size_t n,
                          bool batch);
authz_status m_res_update(model *m, const char *ns, const authz_resource_patch *p, char *out,
                          size_t cap);
authz_status m_res_delete(model *m, const char *ns, const char *const *codes, size_t n, bool batch);
authz_status m_tenant(model *m, const char *app, const char *code, bool assoc, const char *tenant);
authz_status m_role_create(model *m, const authz_role_spec *s, size_t n, bool batch);
authz_status m_role_update(model *m, const authz_role_patch *p);
authz_status m_role_delete(model *m, const char *ns, const char *const *codes, size_t n);
authz_status m_assign(model *m, const authz_role_ref *roles, size_t nroles, bool batch,
                      const authz_target *t, size_t nt, const authz_role_window *w, bool revoke);
authz_status m_group_create(model *m, const authz_group_spec *s, size_t n, bool batch, char *out,
                            size_t cap);
authz_status m_group_update(model *m, const authz_group_patch *p, char *out, size_t cap);
authz_status m_group_delete(model *m, const char *const *codes, size_t n);
authz_status m_group_members(model *m, const char *code, const char *const *users, size_t n,
                             bool add);
authz_status m_dept_members(model *m, const char *dept, const char *const *users, size_t n,
                            bool add);
authz_status m_set_depts(model *m, const char *user, const char *const *depts, size_t n);
authz_status m_grant(model *m, const char *ns, const authz_grant_item *items, size_t n,
                     bool revoke);

/* The directory: `out` (may be NULL) receives the created users. */
authz_status m_user_create(model *m, const authz_user_spec *s, size_t n, char *out, size_t cap);
authz_status m_user_delete(model *m, const char *const *ids, size_t n);
/* Organizations and department records: `out` (may be NULL) receives the created one. */
authz_status m_org_create(model *m, const authz_organization_spec *s, char *out, size_t cap);
authz_status m_dept_create(model *m, const authz_department_spec *s, char *out, size_t cap);
authz_status m_dept_delete(model *m, const char *org, const char *id);

/* Reads: the status and, on AUTHZ_OK, the rendering in `out`. */
authz_status m_ns_get(const model *m, const char *code, char *out, size_t cap);
authz_status m_ns_get_batch(const model *m, const char *const *codes, size_t n, char *out,
                            size_t cap);
authz_status m_ns_list(const model *m, const authz_page *pg, const char *kw, char *out, size_t cap);
authz_status m_res_get(const model *m, const char *ns, const char *code, char *out, size_t cap);
authz_status m_res_get_batch(const model *m, const char *ns, const char *const *codes, size_t n,
                             char *out, size_t cap);
authz_status m_res_list(const model *m, const char *ns, const authz_resource_type *type,
                        const authz_page *pg, char *out, size_t cap);
authz_status m_role_get(const model *m, const char *ns, const char *code, char *out, size_t cap);
authz_status m_role_list(const model *m, const char *ns, const char *kw, const authz_page *pg,
                         char *out, size_t cap);
authz_status m_role_assignees(const model *m, const char *ns, const char *code, bool depts,
                              const authz_page *pg, char *out, size_t cap);
authz_status m_user_roles(const model *m, const char *user, const char *ns, char *out, size_t cap);
authz_status m_group_get(const model *m, const char *code, char *out, size_t cap);
authz_status m_group_list(const model *m, const char *kw, const authz_page *pg, char *out,
                          size_t cap);
authz_status m_group_list_members(const model *m, const char *code, const authz_page *pg, char *out,
                                  size_t cap);
authz_status m_user_groups(const model *m, const char *user, char *out, size_t cap);
authz_status m_user_depts(const model *m, const char *user, char *out, size_t cap);
authz_status m_dept_list_members(const model *m, const char *dept, const authz_page *pg, char *out,
                                 size_t cap);
authz_status m_check(const model *m, const char *ns, const char *user, const char *res,
                     const char *action, bool *allowed);
authz_status m_explain(const model *m, const char *ns, const char *user, const char *res,
                       const char *action, char *out, size_t cap);
authz_status m_target_grants(const model *m, const char *ns, authz_target_type t, const char *id,
                             const authz_grant_filter *f, char *out, size_t cap);
authz_status m_user_grants(const model *m, const char *ns, const char *user,
                           const authz_grant_filter *f, char *out, size_t cap);
authz_status m_resource_targets(const model *m, const char *ns, const char *res,
                                const authz_target_type *type, const authz_page *pg, char *out,
                                size_t cap);
authz_status m_user_get(const model *m, const char *id, char *out, size_t cap);
authz_status m_user_list(const model *m, const authz_page *pg, char *out, size_t cap);
authz_status m_org_list(const model *m, const authz_page *pg, const char *kw, char *out,
                        size_t cap);
authz_status m_dept_get(const model *m, const char *org, const char *id, char *out, size_t cap);
authz_status m_dept_children(const model *m, const char *org, const char *id, char *out,
                             size_t cap);

#endif

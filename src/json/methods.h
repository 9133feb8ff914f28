/*
 * methods.h - the handlers of the dispatch table, one family per file. A handler reads its
 * fields from c->req, calls the engine with &c->err, and on success sets *data to the
 * response's `data` (a new reference). On failure c->err says why.
 */
#ifndef AUTHZ_JSON_METHODS_H
#define AUTHZ_JSON_METHODS_H

#include "jctx.h"

typedef authz_status (*jhandler)(jctx *c, json_t **data);

#define AUTHZ__HANDLER(name) authz_status authz__j_##name(jctx *c, json_t **data)

/* The cloud's shape of a failed method's error (conform.c): returns the status to answer. */
authz_status authz__json_conform(jctx *c, const char *method, authz_status st);

/* the user directory (m_user.c) */
AUTHZ__HANDLER(create_user);
AUTHZ__HANDLER(create_users_batch);
AUTHZ__HANDLER(get_user);
AUTHZ__HANDLER(list_users);
AUTHZ__HANDLER(delete_users_batch);
/* organizations and department records (m_organization.c) */
AUTHZ__HANDLER(create_organization);
AUTHZ__HANDLER(list_organizations);
AUTHZ__HANDLER(search_organizations);
AUTHZ__HANDLER(create_department);
AUTHZ__HANDLER(get_department);
AUTHZ__HANDLER(delete_department);
AUTHZ__HANDLER(list_children_departments);
/* namespaces (m_namespace.c) */
AUTHZ__HANDLER(create_namespace);
AUTHZ__HANDLER(create_namespaces_batch);
AUTHZ__HANDLER(get_namespace);
AUTHZ__HANDLER(get_namespaces_batch);
AUTHZ__HANDLER(update_namespace);
AUTHZ__HANDLER(delete_namespace);
AUTHZ__HANDLER(delete_namespaces_batch);
AUTHZ__HANDLER(list_namespaces);
AUTHZ__HANDLER(list_namespace_roles);
/* resources (m_resource.c) */
AUTHZ__HANDLER(create_resource);
AUTHZ__HANDLER(create_resources_batch);
AUTHZ__HANDLER(get_resource);
AUTHZ__HANDLER(get_resources_batch);
AUTHZ__HANDLER(list_resources);
AUTHZ__HANDLER(update_resource);
AUTHZ__HANDLER(delete_resource);
AUTHZ__HANDLER(delete_resources_batch);
AUTHZ__HANDLER(associate_tenant_resource);
/* grants, checks and grant reads (m_grant.c) */
AUTHZ__HANDLER(authorize_resources);
AUTHZ__HANDLER(revoke_resources);
AUTHZ__HANDLER(is_action_allowed);
AUTHZ__HANDLER(explain_action);
AUTHZ__HANDLER(get_authorized_resources);
AUTHZ__HANDLER(get_user_authorized_resources);
AUTHZ__HANDLER(get_resource_authorized_targets);
AUTHZ__HANDLER(get_role_authorized_resources);
AUTHZ__HANDLER(get_group_authorized_resources);
/* roles (m_role.c) */
AUTHZ__HANDLER(create_role);
AUTHZ__HANDLER(create_roles_batch);
AUTHZ__HANDLER(get_role);
AUTHZ__HANDLER(list_roles);
AUTHZ__HANDLER(update_role);
AUTHZ__HANDLER(delete_roles_batch);
AUTHZ__HANDLER(assign_role);
AUTHZ__HANDLER(assign_role_batch);
AUTHZ__HANDLER(revoke_role);
AUTHZ__HANDLER(revoke_role_batch);
AUTHZ__HANDLER(list_role_members);
AUTHZ__HANDLER(list_role_departments);
AUTHZ__HANDLER(get_user_roles);
/* groups (m_group.c) */
AUTHZ__HANDLER(create_group);
AUTHZ__HANDLER(create_groups_batch);
AUTHZ__HANDLER(get_group);
AUTHZ__HANDLER(list_groups);
AUTHZ__HANDLER(update_group);
AUTHZ__HANDLER(delete_groups_batch);
AUTHZ__HANDLER(add_group_members);
AUTHZ__HANDLER(remove_group_members);
AUTHZ__HANDLER(list_group_members);
AUTHZ__HANDLER(get_user_groups);
/* departments (m_department.c) */
AUTHZ__HANDLER(add_department_members);
AUTHZ__HANDLER(remove_department_members);
AUTHZ__HANDLER(set_user_departments);
AUTHZ__HANDLER(get_user_departments);
AUTHZ__HANDLER(list_department_members);

/* DTOs shared by several families (dto.c). */
json_t *authz__dto_role(const authz_role *r);
json_t *authz__dto_group(const authz_group *g);
json_t *authz__dto_resource(const authz_resource *r);
json_t *authz__dto_namespace(const authz_namespace *n);
json_t *authz__dto_strings(const char *const *s, size_t n);
json_t *authz__dto_user_ids(const authz_id_list *l);
/* Engine-clock milliseconds as GenAuth's ISO 8601 time ("2026-11-30T05:50:09.123Z"). */
json_t *authz__dto_time(int64_t ms);

#endif

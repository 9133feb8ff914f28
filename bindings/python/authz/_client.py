"""LocalManagementClient: GenAuth's Python SDK ManagementClient, answered by a local engine.

Each method has the name and keyword arguments of authing-py-sdk's ManagementClient method of the
same name and returns the same response envelope as a dict (statusCode, message, apiCode on
failure, requestId, data). Like the SDK it does not raise on a failed request: the envelope says
so. Only the permission methods authz serves are here; each one's signature is checked against
the SDK's (tests/python/sdk_methods.txt). Methods authz serves whose SDK signature is not
confirmed there (get_user_departments, list_department_members) and authz's own (revoke_resources,
explain_action) are reached with `client.engine.call_envelope(method, params)`.
"""
from . import Engine


def _camel(name):
    head, *rest = name.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


class LocalManagementClient:
    """Swap for `authing.ManagementClient(access_key_id, access_key_secret, host=...)`:
    `LocalManagementClient()` keeps its own engine, `LocalManagementClient(engine)` shares one.
    `lang="zh-CN"` selects GenAuth's Chinese error messages, as the SDK's `lang` does."""

    def __init__(self, engine=None, lang=None):
        self.engine = engine if engine is not None else Engine()
        self.lang = lang

    def _call(self, method, args):
        params = {_camel(k): v for k, v in args.items() if k != "self" and v is not None}
        return self.engine.call_envelope(method, params, self.lang)

    # Permission namespaces
    def create_namespace(self, code, name=None, description=None):
        return self._call("create_namespace", locals())

    def create_namespaces_batch(self, list):
        return self._call("create_namespaces_batch", locals())

    def get_namespace(self, code):
        return self._call("get_namespace", locals())

    def get_namespaces_batch(self, code_list):
        return self._call("get_namespaces_batch", locals())

    def update_namespace(self, code, description=None, name=None, new_code=None):
        return self._call("update_namespace", locals())

    def delete_namespace(self, code):
        return self._call("delete_namespace", locals())

    def delete_namespaces_batch(self, code_list):
        return self._call("delete_namespaces_batch", locals())

    def list_namespaces(self, page=None, limit=None, keywords=None):
        return self._call("list_namespaces", locals())

    def list_namespace_roles(self, code, page=None, limit=None, keywords=None):
        return self._call("list_namespace_roles", locals())

    # Resources
    def create_resource(self, type, code, description=None, name=None, actions=None,
                        api_identifier=None, namespace=None):
        return self._call("create_resource", locals())

    def create_resources_batch(self, list, namespace=None):
        return self._call("create_resources_batch", locals())

    def get_resource(self, code, namespace=None):
        return self._call("get_resource", locals())

    def get_resources_batch(self, code_list, namespace=None):
        return self._call("get_resources_batch", locals())

    def list_resources(self, namespace=None, type=None, page=None, limit=None):
        return self._call("list_resources", locals())

    def update_resource(self, code, description=None, name=None, actions=None,
                        api_identifier=None, namespace=None, type=None):
        return self._call("update_resource", locals())

    def delete_resource(self, code, namespace=None):
        return self._call("delete_resource", locals())

    def delete_resources_batch(self, namespace=None, code_list=None, ids=None):
        return self._call("delete_resources_batch", locals())

    def associate_tenant_resource(self, code, association, app_id, tenant_id=None):
        return self._call("associate_tenant_resource", locals())

    # Grants and checks
    def authorize_resources(self, list, namespace=None):
        return self._call("authorize_resources", locals())

    def is_action_allowed(self, user_id, action, resource, namespace=None):
        return self._call("is_action_allowed", locals())

    def get_authorized_resources(self, target_type, target_identifier, namespace=None,
                                 resource_type=None, resource_list=None, with_denied=None):
        return self._call("get_authorized_resources", locals())

    def get_user_authorized_resources(self, user_id, user_id_type=None, namespace=None,
                                      resource_type=None):
        return self._call("get_user_authorized_resources", locals())

    def get_resource_authorized_targets(self, resource, namespace=None, target_type=None,
                                        page=None, limit=None):
        return self._call("get_resource_authorized_targets", locals())

    def get_role_authorized_resources(self, code, namespace=None, resource_type=None):
        return self._call("get_role_authorized_resources", locals())

    def get_group_authorized_resources(self, code, namespace=None, resource_type=None):
        return self._call("get_group_authorized_resources", locals())

    # Roles
    def create_role(self, code, name=None, namespace=None, description=None, disable_time=None):
        return self._call("create_role", locals())

    def create_roles_batch(self, list):
        return self._call("create_roles_batch", locals())

    def get_role(self, code, namespace=None):
        return self._call("get_role", locals())

    def list_roles(self, page=None, limit=None, keywords=None, namespace=None):
        return self._call("list_roles", locals())

    def update_role(self, name, new_code, code, namespace=None, description=None, status=None,
                    disable_time=None):
        return self._call("update_role", locals())

    def delete_roles_batch(self, code_list, namespace=None):
        return self._call("delete_roles_batch", locals())

    def assign_role(self, targets, code, end_time=None, enable_time=None, namespace=None):
        return self._call("assign_role", locals())

    def assign_role_batch(self, targets, roles):
        return self._call("assign_role_batch", locals())

    def revoke_role(self, targets, code, namespace=None):
        return self._call("revoke_role", locals())

    def revoke_role_batch(self, targets, roles):
        return self._call("revoke_role_batch", locals())

    def list_role_members(self, code, page=None, limit=None, with_custom_data=None,
                          with_identities=None, with_department_ids=None, namespace=None):
        return self._call("list_role_members", locals())

    def list_role_departments(self, code, namespace=None, page=None, limit=None):
        return self._call("list_role_departments", locals())

    def get_user_roles(self, user_id, user_id_type=None, namespace=None):
        return self._call("get_user_roles", locals())

    # Users (the directory: `authz serve --user-directory` makes grants need them)
    def create_user(self, status=None, email=None, phone=None, phone_country_code=None,
                    username=None, external_id=None, name=None, nickname=None, photo=None,
                    gender=None, email_verified=None, phone_verified=None, birthdate=None,
                    country=None, province=None, city=None, address=None, street_address=None,
                    postal_code=None, company=None, browser=None, device=None, given_name=None,
                    family_name=None, middle_name=None, profile=None, preferred_username=None,
                    website=None, zoneinfo=None, locale=None, formatted=None, region=None,
                    password=None, salt=None, tenant_ids=None, otp=None, department_ids=None,
                    custom_data=None, identities=None, options=None):
        """authz keeps username, email, phone and name and generates the userId; the other
        fields are accepted and not stored."""
        return self._call("create_user", locals())

    def create_users_batch(self, list, options=None):
        return self._call("create_users_batch", locals())

    def get_user(self, user_id, user_id_type=None, with_custom_data=None, with_identities=None,
                 with_department_ids=None):
        return self._call("get_user", locals())

    def list_users(self, keywords=None, advanced_filter=None, options=None):
        return self._call("list_users", locals())

    def delete_users_batch(self, user_ids, options=None):
        return self._call("delete_users_batch", locals())

    # Organizations and departments
    def list_organizations(self, page=None, limit=None, fetch_all=None, with_custom_data=None,
                           with_post=None, tenant_id=None, status=None):
        return self._call("list_organizations", locals())

    def create_organization(self, metadata, organization_name, organization_code, description=None,
                            open_department_id=None, i18n=None, tenant_id=None, post_id_list=None):
        """authz keeps the code, name and description; the other fields are accepted and not
        stored. An empty organization_code gets a generated one."""
        return self._call("create_organization", locals())

    def search_organizations(self, keywords, page=None, limit=None, with_custom_data=None,
                             tenant_id=None):
        return self._call("search_organizations", locals())

    def get_department(self, organization_code=None, department_id=None, department_code=None,
                       department_id_type=None, with_custom_data=None, flat_custom_data=None,
                       tenant_id=None):
        """department_id "root" names the organization's root department."""
        return self._call("get_department", locals())

    def create_department(self, organization_code, name, parent_department_id, metadata,
                          open_department_id=None, description=None, code=None,
                          is_virtual_node=None, i18n=None, custom_data=None,
                          department_id_type=None, post_id_list=None, tenant_id=None):
        """authz keeps the name, code and description and generates the departmentId; the
        other fields are accepted and not stored."""
        return self._call("create_department", locals())

    def delete_department(self, organization_code, department_id, department_id_type=None,
                          tenant_id=None):
        return self._call("delete_department", locals())

    def list_children_departments(self, organization_code, department_id, status=None,
                                  department_id_type=None, exclude_virtual_node=None,
                                  only_virtual_node=None, with_custom_data=None, tenant_id=None):
        return self._call("list_children_departments", locals())

    # Groups
    def create_group(self, type, description, name, code, custom_data=None):
        return self._call("create_group", locals())

    def create_groups_batch(self, list):
        return self._call("create_groups_batch", locals())

    def get_group(self, code, with_custom_data=None):
        return self._call("get_group", locals())

    def list_groups(self, keywords=None, page=None, limit=None, with_metadata=None,
                    with_custom_data=None, flat_custom_data=None):
        return self._call("list_groups", locals())

    def update_group(self, description, code, name=None, new_code=None, custom_data=None):
        return self._call("update_group", locals())

    def delete_groups_batch(self, code_list):
        return self._call("delete_groups_batch", locals())

    def add_group_members(self, user_ids, code):
        return self._call("add_group_members", locals())

    def remove_group_members(self, user_ids, code):
        return self._call("remove_group_members", locals())

    def list_group_members(self, code, page=None, limit=None, with_custom_data=None,
                           with_identities=None, with_department_ids=None):
        return self._call("list_group_members", locals())

    def get_user_groups(self, user_id, user_id_type=None):
        return self._call("get_user_groups", locals())

    # Departments
    def add_department_members(self, user_ids, organization_code, department_id,
                               department_id_type=None, tenant_id=None):
        return self._call("add_department_members", locals())

    def remove_department_members(self, user_ids, organization_code, department_id,
                                  department_id_type=None, tenant_id=None):
        return self._call("remove_department_members", locals())

    def set_user_departments(self, user_id, departments, options=None):
        return self._call("set_user_departments", locals())

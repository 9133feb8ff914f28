"""LocalManagementClient: GenAuth's Python SDK method names, keyword arguments and envelopes."""
import inspect
import os
import unittest

import authz

HERE = os.path.dirname(os.path.abspath(__file__))


def sdk_signatures():
    """name -> "(params)" from sdk_methods.txt (authing-py-sdk's ManagementClient, self left out)."""
    out = {}
    with open(os.path.join(HERE, "sdk_methods.txt")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, params = line.split("(", 1)
                out[name] = "(" + params
    return out


def ours(cls):
    return {n: m for n, m in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")}


class SignatureTest(unittest.TestCase):
    def test_every_method_has_the_sdk_signature(self):
        sdk, mine = sdk_signatures(), ours(authz.LocalManagementClient)
        self.assertGreater(len(mine), 40)
        for name, fn in mine.items():
            self.assertIn(name, sdk, "%s is not a method of the SDK's ManagementClient" % name)
            params = list(inspect.signature(fn).parameters.values())[1:]
            text = "(" + ", ".join(str(p) for p in params) + ")"
            self.assertEqual(text, sdk[name], name)
        print("\npython: %d LocalManagementClient methods match the SDK's signatures" % len(mine))

    def test_every_sdk_method_authz_serves_is_offered(self):
        served = set()
        engine = authz.Engine()
        for name in sdk_signatures():
            env = engine.call_envelope(name, {})
            unknown = env["statusCode"] == 400 and env["message"].startswith("unknown method")
            if not unknown:
                served.add(name)
        missing = served - set(ours(authz.LocalManagementClient))
        self.assertEqual(missing, set())


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.c = authz.LocalManagementClient()

    def test_the_sdk_readme_flow(self):
        c = self.c
        r = c.create_namespace(code="shop", name="Shop")
        self.assertEqual(r["statusCode"], 200, r)
        r = c.create_resource(type="DATA", code="books", namespace="shop",
                              actions=[{"name": "read", "description": "read"}])
        self.assertEqual(r["data"]["code"], "books")
        self.assertEqual(c.create_roles_batch(list=[{"code": "reader", "namespace": "shop"}])
                         ["data"], {"success": True})
        self.assertEqual(c.create_groups_batch(list=[{"code": "staff", "name": "Staff",
                                                      "description": "", "type": "static"}])
                         ["statusCode"], 200)
        self.assertEqual(c.assign_role(targets=[{"targetType": "USER", "targetIdentifier": "ann"}],
                                       code="reader", namespace="shop")["statusCode"], 200)
        self.assertEqual(c.add_group_members(user_ids=["sam"], code="staff")["statusCode"], 200)
        r = c.authorize_resources(namespace="shop", list=[
            {"targetType": "ROLE", "targetIdentifiers": ["reader"],
             "resources": [{"code": "books", "actions": ["read"], "resourceType": "DATA"}]},
            {"targetType": "GROUP", "targetIdentifiers": ["staff"],
             "resources": [{"code": "books:1", "actions": ["*"], "resourceType": "DATA"}]}])
        self.assertEqual(r["statusCode"], 200, r)
        allowed = lambda u, res, a: c.is_action_allowed(user_id=u, action=a, resource=res,
                                                        namespace="shop")["data"]["allowed"]
        self.assertTrue(allowed("ann", "books:9", "read"))
        self.assertFalse(allowed("ann", "books:9", "write"))
        self.assertTrue(allowed("sam", "books:1", "write"))
        self.assertFalse(allowed("sam", "books:2", "write"))
        r = c.get_user_authorized_resources(user_id="ann", namespace="shop")
        self.assertEqual([x["resourceCode"] for x in r["data"]["list"]], ["books"])
        r = c.get_user_roles(user_id="ann", namespace="shop")
        self.assertEqual([x["code"] for x in r["data"]["list"]], ["reader"])
        r = c.list_roles(namespace="shop", page=1, limit=10)
        self.assertEqual(r["data"]["totalCount"], 1)
        r = c.get_resource_authorized_targets(resource="books", namespace="shop")
        self.assertEqual(r["data"]["list"][0]["targetIdentifier"], "reader")

    def test_failures_are_envelopes_not_exceptions(self):
        r = self.c.get_role(code="ghost")
        self.assertEqual((r["statusCode"], r["apiCode"]), (404, 40403))
        self.assertNotIn("data", r)
        r = self.c.create_role(code="bad code")
        self.assertEqual(r["statusCode"], 400)
        zh = authz.LocalManagementClient(lang="zh-CN")
        self.assertEqual(zh.get_role(code="ghost")["message"], "角色不存在")

    def test_keyword_names_become_genauth_fields(self):
        c = self.c
        c.create_role(code="old", description="d", disable_time=None)
        r = c.update_role(name="New", new_code="new", code="old", description="renamed")
        self.assertEqual(r["statusCode"], 200, r)
        self.assertEqual(c.get_role(code="new")["data"]["description"], "renamed")
        r = c.delete_roles_batch(code_list=["new"])
        self.assertEqual(r["statusCode"], 200, r)
        self.assertEqual(c.get_role(code="new")["statusCode"], 404)

    def test_shares_an_engine(self):
        e = authz.Engine()
        c = authz.LocalManagementClient(e)
        c.authorize_resources(namespace="default", list=[{"targetType": "USER", "targetIdentifiers": ["u"],
                                     "resources": [{"code": "*", "actions": ["*"]}]}])
        self.assertTrue(e.check("u", "anything:1", "any"))

    def test_users(self):
        c = self.c
        r = c.create_user(username="ann", email="ann@example.com", name="Ann")
        self.assertEqual(r["statusCode"], 200, r)
        uid = r["data"]["userId"]
        self.assertTrue(uid)
        self.assertEqual(c.get_user(user_id=uid)["data"]["username"], "ann")
        r = c.create_users_batch(list=[{"username": "bob"}, {"username": "cy"}])
        self.assertEqual([u["username"] for u in r["data"]], ["bob", "cy"], r)
        r = c.list_users(options={"pagination": {"page": 1, "limit": 2}})
        self.assertEqual(r["data"]["totalCount"], 3, r)
        self.assertEqual(len(r["data"]["list"]), 2, r)
        self.assertEqual(c.delete_users_batch(user_ids=[uid])["statusCode"], 200)
        self.assertEqual(c.get_user(user_id=uid)["statusCode"], 404)

    def test_organizations_and_departments(self):
        c = self.c
        orgs = c.list_organizations()["data"]
        self.assertEqual(orgs["totalCount"], 1, orgs)
        root = orgs["list"][0]
        self.assertEqual(root["organizationName"], "root 用户池")
        r = c.search_organizations(keywords="root 用户池")
        self.assertEqual(r["data"]["list"][0]["departmentId"], root["departmentId"], r)
        r = c.create_organization(metadata={}, organization_name="Acme", organization_code="acme")
        self.assertEqual(r["statusCode"], 200, r)
        r = c.create_department(organization_code=root["organizationCode"], name="Eng",
                                parent_department_id=root["departmentId"], metadata={}, code="eng")
        self.assertEqual(r["statusCode"], 200, r)
        dept = r["data"]["departmentId"]
        r = c.create_department(organization_code="nope", name="x", parent_department_id="root",
                                metadata={})
        self.assertEqual((r["statusCode"], r["message"]),
                         (404, "organization not found for code: nope"))
        r = c.get_department(organization_code=root["organizationCode"], department_id=dept)
        self.assertEqual(r["data"]["name"], "Eng", r)
        r = c.list_children_departments(organization_code=root["organizationCode"],
                                        department_id="root")
        self.assertEqual([d["departmentId"] for d in r["data"]["list"]], [dept], r)
        c.create_role(code="reader")
        c.assign_role(code="reader", targets=[{"targetType": "DEPARTMENT", "targetIdentifier": dept}])
        self.assertEqual(c.delete_department(organization_code=root["organizationCode"],
                                             department_id=dept)["statusCode"], 200)
        self.assertEqual(c.list_role_departments(code="reader")["data"]["totalCount"], 0)
        r = c.get_department(organization_code=root["organizationCode"], department_id=dept)
        self.assertEqual(r["statusCode"], 404, r)


if __name__ == "__main__":
    unittest.main()

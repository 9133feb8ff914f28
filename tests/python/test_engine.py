"""The authz package's Engine: direct checks, prepared checks, explain, snapshots, errors, the
JSON front door, and threads sharing one engine. Run by ctest (tests/python/CMakeLists.txt)."""
import os
import tempfile
import threading
import unittest

import authz

GATEWAY = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "gateway.jsonl")


def gateway():
    """The example gateway model of examples/gateway.jsonl, loaded through Engine.call."""
    import json
    e = authz.Engine()
    with open(GATEWAY) as f:
        for line in f:
            req = json.loads(line)
            if req["method"] in ("is_action_allowed", "explain_action") or \
                    req["method"].startswith("get_"):
                continue
            e.call(req["method"], **req["params"])
    return e


class EngineTest(unittest.TestCase):
    def setUp(self):
        self.e = gateway()

    def test_check_through_roles_groups_departments(self):
        e = self.e
        self.assertTrue(e.check("alice", "orders:991", "POST", namespace="gateway"))
        self.assertFalse(e.check("alice", "orders:991", "DELETE", namespace="gateway"))
        self.assertTrue(e.check("bob", "invoices:2024-17", "GET", namespace="gateway"))
        self.assertTrue(e.check("carol", "invoices:2024-17", "GET", namespace="gateway"))
        self.assertFalse(e.check("carol", "invoices:2024-18", "GET", namespace="gateway"))
        self.assertTrue(e.check("dave", "admin:cache", "DELETE", namespace="gateway"))
        self.assertFalse(e.check("mallory", "orders", "GET", namespace="gateway"))
        # the same question in another namespace has another answer
        self.assertFalse(e.check("alice", "orders:991", "POST"))

    def test_check_agrees_with_the_json_front_door(self):
        for user in ("alice", "bob", "carol", "dave", "mallory"):
            for res in ("orders:1", "invoices:2024-17", "admin:x", "orders"):
                for act in ("GET", "POST", "DELETE"):
                    data = self.e.call("is_action_allowed", namespace="gateway", userId=user,
                                       resource=res, action=act)
                    self.assertEqual(data["allowed"],
                                     self.e.check(user, res, act, namespace="gateway"),
                                     (user, res, act))

    def test_prepared(self):
        p = self.e.prepare("orders:7", "GET", namespace="gateway")
        self.assertTrue(p.check("alice"))
        self.assertFalse(p.check("mallory"))
        # a prepared check sees later writes
        self.e.call("assign_role", namespace="gateway", code="customer",
                    targets=[{"targetType": "USER", "targetIdentifier": "mallory"}])
        self.assertTrue(p.check("mallory"))
        self.e.call("delete_namespace", code="gateway")
        with self.assertRaises(authz.NotFound):
            p.check("alice")

    def test_explain(self):
        x = self.e.explain("bob", "invoices:7", "POST", namespace="gateway")
        self.assertEqual(x, {"allowed": True, "principalType": "ROLE", "principalId": "accountant",
                             "resource": "invoices", "actions": ["GET", "POST"]})
        self.assertEqual(self.e.explain("bob", "admin", "GET", namespace="gateway"),
                         {"allowed": False})

    def test_errors_carry_status_field_item_message(self):
        with self.assertRaises(authz.NotFound) as cm:
            self.e.check("alice", "orders", "GET", namespace="nowhere")
        x = cm.exception
        self.assertEqual((x.status, x.status_code, x.field, x.item), ("ENOTFOUND", 404,
                                                                      "namespace", -1))
        self.assertIn("nowhere", x.message)
        with self.assertRaises(authz.InvalidArgument) as cm:
            self.e.check("alice", "orders:", "GET", namespace="gateway")
        self.assertEqual(cm.exception.status, "EINVAL")
        self.assertEqual(cm.exception.field, "resource")
        with self.assertRaises(authz.InvalidArgument):
            self.e.prepare("orders", "", namespace="gateway")

    def test_call_errors(self):
        with self.assertRaises(authz.AlreadyExists) as cm:
            self.e.call("create_role", namespace="gateway", code="customer")
        self.assertEqual(cm.exception.status_code, 409)
        self.assertEqual(cm.exception.api_code, 40903)
        with self.assertRaises(authz.InvalidArgument) as cm:
            self.e.call("create_roles_batch", list=[{"code": "ok"}, {"code": "bad code"}])
        self.assertIn("1", cm.exception.message)
        with self.assertRaises(authz.NotFound):
            self.e.call("get_role", code="customer")  # it lives in gateway, not default
        with self.assertRaises(authz.InvalidArgument):
            self.e.call("no_such_method")
        env = self.e.call_envelope("get_role", {"code": "nope"}, lang="zh-CN")
        self.assertEqual((env["statusCode"], env["message"]), (404, "角色不存在"))

    def test_save_load_roundtrip(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "gateway.snap")
            self.e.save(path)
            f = authz.Engine.load(path)
            self.assertEqual(f.stats()["grants"], self.e.stats()["grants"])
            self.assertTrue(f.check("bob", "invoices:2024-17", "GET", namespace="gateway"))
            with open(path, "r+b") as fh:
                fh.seek(40)
                fh.write(b"\xff\xff\xff\xff")
            with self.assertRaises(authz.InternalError) as cm:
                authz.Engine.load(path)
            self.assertEqual(cm.exception.status, "ECORRUPT")
            with self.assertRaises(authz.NotFound):
                authz.Engine.load(os.path.join(d, "missing"))

    def test_strict_engine(self):
        e = authz.Engine(strict=True)
        with self.assertRaises(authz.RuleViolation):
            e.call("authorize_resources", namespace="default", list=[{"targetType": "USER", "targetIdentifiers": ["u"],
                   "resources": [{"code": "undeclared", "actions": ["read"]}]}])

    def test_closed_engine(self):
        e = authz.Engine()
        with e:
            self.assertFalse(e.check("u", "r", "a"))
        with self.assertRaises(ValueError):
            e.check("u", "r", "a")

    def test_threads_share_one_engine(self):
        e, errors = self.e, []
        p = e.prepare("orders:1", "GET", namespace="gateway")

        def reader():
            try:
                for _ in range(2000):
                    if not p.check("alice") or e.check("mallory", "orders:1", "GET",
                                                       namespace="gateway"):
                        errors.append("wrong answer")
            except Exception as x:  # pragma: no cover - reported below
                errors.append(repr(x))

        def writer():
            for i in range(200):
                e.call("create_role", namespace="gateway", code="r%d" % i)

        threads = [threading.Thread(target=reader) for _ in range(3)] + \
            [threading.Thread(target=writer)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(e.stats()["roles"], 3 + 200)


if __name__ == "__main__":
    unittest.main()

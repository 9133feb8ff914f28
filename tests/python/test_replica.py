"""authz.Replica against a real fleet: a redis-server on a unix socket in a temp dir and a
leader (`authz serve --data --publish`) started by the test and stopped by pid; writes go to the
leader over HTTP, the replica in this process follows. Needs AUTHZ_COMMAND (the authz binary,
set by ctest) and redis-server (scripts/setup.sh installs it)."""
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request

import authz

AUTHZ = os.environ.get("AUTHZ_COMMAND")


def wait_for(pred, what, limit=60.0):
    """Polls until pred() holds; the limit only turns a hang into a clear failure."""
    end = time.monotonic() + limit
    while not pred():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.02)


@unittest.skipUnless(AUTHZ, "AUTHZ_COMMAND is not set (ctest sets it to the built authz)")
class ReplicaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not shutil.which("redis-server"):
            raise AssertionError("redis-server is not installed (scripts/setup.sh installs it)")
        cls.dir = tempfile.mkdtemp()
        cls.sock = os.path.join(cls.dir, "redis.sock")
        conf = os.path.join(cls.dir, "redis.conf")
        with open(conf, "w") as f:
            f.write("port 0\nunixsocket %s\nunixsocketperm 700\ndir %s\nsave \"\"\n"
                    "appendonly no\ndaemonize no\nlogfile redis.log\n" % (cls.sock, cls.dir))
        cls.procs = []
        cls.redis = subprocess.Popen(["redis-server", conf], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        cls.procs.append(cls.redis)
        wait_for(lambda: os.path.exists(cls.sock), "redis-server's socket")
        cls.url = "unix://" + cls.sock
        cls.log = open(os.path.join(cls.dir, "leader.log"), "wb")
        cls.leader = subprocess.Popen(
            [AUTHZ, "serve", "--no-auth", "--port", "0", "--data", os.path.join(cls.dir, "data"),
             "--publish", cls.url], stdout=subprocess.PIPE, stderr=cls.log)
        cls.procs.append(cls.leader)
        line = cls.leader.stdout.readline().decode()
        m = re.search(r"listening on (http://\S+)", line)
        if not m:
            cls.tearDownClass()
            raise AssertionError("the leader did not start: " + line)
        cls.base = m.group(1)

    @classmethod
    def tearDownClass(cls):
        for p in reversed(cls.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
            if p.stdout:
                p.stdout.close()
        cls.log.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def write(self, method, params):
        """A write through the leader; returns the revision it answered with."""
        req = urllib.request.Request(self.base + "/api/v3/" + method.replace("_", "-"),
                                     data=json.dumps(params).encode(), method="POST",
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            body = json.loads(r.read())
            self.assertEqual(body["statusCode"], 200, body)
            return int(r.headers["x-authz-revision"])

    def leader_digest(self):
        with urllib.request.urlopen(self.base + "/api/v3/admin/status", timeout=30) as r:
            return json.loads(r.read())["data"]["digest"]

    def test_follows_the_leader(self):
        with authz.Replica(self.url, stream="authz") as r:
            self.write("create_role", {"code": "reader"})
            self.write("assign_role", {"code": "reader", "targets": [
                {"targetType": "USER", "targetIdentifier": "alice"}]})
            rev = self.write("authorize_resources", {"namespace": "default", "list": [
                {"targetType": "ROLE", "targetIdentifiers": ["reader"],
                 "resources": [{"code": "books", "actions": ["read"]}]}]})
            self.assertTrue(r.wait(rev, timeout=60))
            self.assertGreaterEqual(r.revision, rev)
            self.assertTrue(r.check("alice", "books:1", "read"))
            self.assertFalse(r.check("alice", "books:1", "write"))
            # the same model as the leader's, not just the same answers
            self.assertEqual(self.leader_digest(), "%016x" % r.engine.digest())
            info = r.info()
            self.assertTrue(info["redis_reachable"])
            self.assertEqual(info["revision"], r.revision)
            self.assertFalse(info["stalled"])
            # a revoke on the leader reaches the replica
            rev = self.write("revoke_role", {"code": "reader", "targets": [
                {"targetType": "USER", "targetIdentifier": "alice"}]})
            self.assertTrue(r.wait(rev, timeout=60))
            self.assertFalse(r.check("alice", "books:1", "read"))
            # a revision nobody wrote yet: wait returns False after its timeout
            self.assertFalse(r.wait(rev + 1000, timeout=0.05))

    def test_checks_from_threads_while_following(self):
        with authz.Replica(self.url) as r:
            rev = self.write("authorize_resources", {"namespace": "default", "list": [
                {"targetType": "USER", "targetIdentifiers": ["t0"],
                 "resources": [{"code": "docs", "actions": ["*"]}]}]})
            self.assertTrue(r.wait(rev, timeout=60))
            errors, stop = [], threading.Event()

            def reader():
                while not stop.is_set():
                    if not r.check("t0", "docs:1", "read"):
                        errors.append("t0 lost its grant")

            threads = [threading.Thread(target=reader) for _ in range(2)]
            for t in threads:
                t.start()
            for i in range(1, 30):
                rev = self.write("authorize_resources", {"namespace": "default", "list": [
                    {"targetType": "USER", "targetIdentifiers": ["t%d" % i],
                     "resources": [{"code": "docs", "actions": ["read"]}]}]})
            self.assertTrue(r.wait(rev, timeout=60))
            stop.set()
            for t in threads:
                t.join()
            self.assertEqual(errors, [])
            self.assertTrue(r.check("t29", "docs:9", "read"))

    def test_bad_url(self):
        with self.assertRaises(authz.InvalidArgument):
            authz.Replica("http://not-redis")


if __name__ == "__main__":
    unittest.main()

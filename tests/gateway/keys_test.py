"""keys_test.py - `authz serve --keys FILE`: scoped access keys. A `read` key's management
token may call checks and reads, and each write with it is refused (statusCode 403, nothing
changed); an admin key from the file and the --access-key-id pair write; a wrong secret gets no
token; a bad keys file (duplicate id, unknown scope, not a list) stops the start with a message.
Prints: "keys: N/N as expected".
usage: python3 keys_test.py /path/to/authz
"""
import json, os, re, shutil, signal, subprocess, sys, tempfile, unittest, urllib.error, urllib.request

AUTHZ = sys.argv[1]


class KeysTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="authz-keys-")
        self.proc = None

    def tearDown(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write_keys(self, keys):
        path = os.path.join(self.tmp, "keys.json")
        with open(path, "w") as f:
            f.write(keys if isinstance(keys, str) else json.dumps(keys))
        return path

    def start(self, keys_file):
        self.proc = subprocess.Popen([AUTHZ, "serve", "--port", "0", "--access-key-id", "opt-admin",
                                      "--access-key-secret", "opt-secret", "--keys", keys_file],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stdout.readline().decode()
        m = re.search(r"listening on (http://\S+)", line)
        return m.group(1) if m else None

    def post(self, url, method, body, token=None):
        headers = {"content-type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        req = urllib.request.Request("%s/api/v3/%s" % (url, method), data=json.dumps(body).encode(),
                                     method="POST", headers=headers)
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def token(self, url, key_id, secret):
        env = self.post(url, "get-management-token", {"accessKeyId": key_id, "accessKeySecret": secret})
        return (env.get("data") or {}).get("access_token")

    def test_scopes(self):
        url = self.start(self.write_keys([
            {"accessKeyId": "dash", "accessKeySecret": "dash-secret", "scope": "read"},
            {"accessKeyId": "ops", "accessKeySecret": "ops-secret", "scope": "admin"}]))
        self.assertTrue(url, "authz did not start")
        checks = []
        read, ops, opt = (self.token(url, "dash", "dash-secret"), self.token(url, "ops", "ops-secret"),
                          self.token(url, "opt-admin", "opt-secret"))
        checks.append(("tokens for all three keys", bool(read and ops and opt)))
        checks.append(("wrong secret: no token", self.token(url, "dash", "nope") is None))
        env = self.post(url, "create-role", {"code": "r1"}, read)
        checks.append(("read key cannot write", env["statusCode"] == 403 and "scope read" in env["message"]))
        env = self.post(url, "is-action-allowed", {"userId": "u", "resource": "x", "action": "a"}, read)
        checks.append(("read key can check", env["statusCode"] == 200 and env["data"]["allowed"] is False))
        env = self.post(url, "get-role", {"code": "r1"}, read)
        checks.append(("the refused write changed nothing", env["statusCode"] != 200))
        env = self.post(url, "create-role", {"code": "r1"}, ops)
        checks.append(("admin key from the file writes", env["statusCode"] == 200))
        env = self.post(url, "create-role", {"code": "r2"}, opt)
        checks.append(("the option's key is admin", env["statusCode"] == 200))
        env = self.post(url, "get-role", {"code": "r1"}, read)
        checks.append(("read key can read", env["statusCode"] == 200))
        env = self.post(url, "create-role", {"code": "r3"}, read + "x")
        checks.append(("a forged token is 401", env["statusCode"] == 401))
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=10)
        for bad, why in ((['{"accessKeyId":"a","accessKeySecret":"b","scope":"read"}',
                           '{"accessKeyId":"a","accessKeySecret":"c","scope":"admin"}'], "twice"),
                         (['{"accessKeyId":"a","accessKeySecret":"b","scope":"root"}'], "scope"),
                         (None, "list")):
            text = '{"keys":[]}' if bad is None else "[" + ",".join(bad) + "]"
            url = self.start(self.write_keys(text))
            err = self.proc.stderr.read().decode() if url is None else ""
            self.proc.wait(timeout=10)
            checks.append(("bad keys file (%s) refused" % why, url is None and why in err))
        for name, ok in checks:
            if not ok:
                print("UNEXPECTED: " + name)
        print("keys: %d/%d as expected" % (sum(ok for _, ok in checks), len(checks)))
        self.assertTrue(all(ok for _, ok in checks))

    def test_forward_listener(self):
        """--forward-listen: loopback needs no secret; a non-loopback address without
        --forward-secret is refused before anything is bound."""
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        p = subprocess.Popen([AUTHZ, "serve", "--no-auth", "--port", "0", "--forward-listen",
                              "192.0.2.1:%d" % port], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = p.communicate(timeout=20)
        self.assertNotEqual(0, p.returncode)
        self.assertIn("--forward-secret is required", err.decode())
        self.proc = subprocess.Popen([AUTHZ, "serve", "--no-auth", "--port", "0", "--forward-listen",
                                      "127.0.0.1:%d" % port], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.assertIn("listening on", self.proc.stdout.readline().decode())
        self.assertIn("forward-auth on http://127.0.0.1:%d" % port, self.proc.stdout.readline().decode())
        req = urllib.request.Request("http://127.0.0.1:%d/authz/forward" % port,
                                     headers={"X-Original-Method": "GET", "X-Original-URI": "/x",
                                              "X-User-Id": "u"})
        try:
            urllib.request.urlopen(req, timeout=10)
            status = 200
        except urllib.error.HTTPError as e:
            status = e.code
        self.assertEqual(403, status)  # no route matches: answered, no secret asked for
        with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=10) as r:
            self.assertEqual(b"ok\n", r.read())


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]])

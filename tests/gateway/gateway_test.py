"""gateway_test.py - authz behind the real gateways: Debian's nginx (auth_request) and Caddy
(forward_auth), each started here with a config built from README.md's own snippets (the text
between the <!-- gateway:nginx --> / <!-- gateway:caddy --> markers, with only the socket path
and ports replaced), in front of a trivial upstream, talking to `authz serve --forward-unix`.

Through each gateway: allowed -> the upstream's body (with X-Authz-User); denied -> 403; no
user -> 401; a path no route matches -> 403; a dot segment -> refused; a client's own header of
the other convention -> blanked (nginx) or refused (Caddy); a role assigned through the V3 API
and unassigned again flips the answer. Then authz restarts with --jwks (keys made here with the
openssl CLI): a good token passes; a bad signature, an expired token and a wrong audience are
401. Every process is stopped by its pid, also when the test fails.
Prints: "gateway: nginx N/N, caddy N/N as expected".
usage: python3 gateway_test.py /path/to/authz /path/to/README.md
"""
import base64, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, threading, time
import unittest, urllib.request, urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

AUTHZ, README = sys.argv[1], sys.argv[2]
MODEL = [
    {"method": "create_resource", "params": {"code": "orders", "type": "API", "apiIdentifier": "/orders/{id}",
                                             "actions": [{"name": "GET"}, {"name": "POST"}]}},
    {"method": "create_resource", "params": {"code": "reports", "type": "API", "apiIdentifier": "/reports/*"}},
    {"method": "create_role", "params": {"code": "reader"}},
    {"method": "assign_role", "params": {"code": "reader", "targets": [{"targetType": "USER", "targetIdentifier": "alice"}]}},
    {"method": "authorize_resources", "params": {"namespace": "default", "list": [{"targetType": "ROLE", "targetIdentifiers": ["reader"],
        "resources": [{"code": "orders:*", "actions": ["GET"], "resourceType": "API"},
                      {"code": "reports", "actions": ["GET"], "resourceType": "API"}]}]}},
]


def snippet(name):
    with open(README) as f:
        text = f.read()
    m = re.search(r"<!-- gateway:%s -->\n```\w*\n(.*?)```\n<!-- /gateway:%s -->" % (name, name), text, re.S)
    if not m:
        raise AssertionError("README.md has no gateway:%s snippet" % name)
    return m.group(1)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc, what):
    for _ in range(300):
        if proc.poll() is not None:
            raise AssertionError("%s exited with %s" % (what, proc.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("%s did not start" % what)


class Upstream(BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("upstream %s user=%s\n" % (self.path, self.headers.get("X-Authz-User", ""))).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *a):
        pass


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


class Keys:
    """An RSA key made with the openssl CLI, its JWKS, and RS256 tokens signed with it."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.key = os.path.join(tmp, "jwt.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                        "-out", self.key], check=True, capture_output=True)
        mod = subprocess.run(["openssl", "rsa", "-in", self.key, "-noout", "-modulus"], check=True,
                             capture_output=True, text=True).stdout.strip().split("=", 1)[1]
        n = bytes.fromhex(mod)
        self.jwks = os.path.join(tmp, "jwks.json")
        with open(self.jwks, "w") as f:
            json.dump({"keys": [{"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
                                 "n": b64url(n), "e": "AQAB"}]}, f)

    def token(self, sub="alice", exp_in=600, aud="gw", tamper=False):
        head = b64url(json.dumps({"alg": "RS256", "kid": "k1", "typ": "JWT"}).encode())
        body = b64url(json.dumps({"sub": sub, "aud": aud, "iss": "https://idp.test/oidc",
                                  "exp": int(time.time()) + exp_in}).encode())
        signing = ("%s.%s" % (head, body)).encode()
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.key], input=signing, check=True,
                             capture_output=True).stdout
        if tamper:
            sig = bytes([sig[0] ^ 1]) + sig[1:]
        return "%s.%s" % (signing.decode(), b64url(sig))


class GatewayTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="authz-gw-")
        self.procs = []
        self.logs = []
        self.sock = os.path.join(self.tmp, "forward.sock")
        model = os.path.join(self.tmp, "model.jsonl")
        with open(model, "w") as f:
            f.write("".join(json.dumps(x) + "\n" for x in MODEL))
        self.model = model
        self.up_port = free_port()
        self.upstream = ThreadingHTTPServer(("127.0.0.1", self.up_port), Upstream)
        threading.Thread(target=self.upstream.serve_forever, daemon=True).start()

    def tearDown(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        if any(e for e in self._outcome.result.failures + self._outcome.result.errors if e[0] is self):
            for path in self.logs + [os.path.join(self.tmp, "nginx", "logs", "error.log")]:
                if os.path.exists(path):
                    print("---- %s\n%s" % (path, open(path).read()[-3000:]))
        self.upstream.shutdown()
        self.upstream.server_close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- processes ----

    def start_authz(self, *extra):
        p = subprocess.Popen([AUTHZ, "serve", "--no-auth", "--port", "0", "--load", self.model,
                              "--forward-unix", self.sock] + list(extra),
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.procs.append(p)
        m = re.search(r"listening on (http://\S+)", p.stdout.readline().decode())
        self.assertTrue(m, "authz did not start")
        self.assertIn("forward-auth on unix:", p.stdout.readline().decode())
        self.api = m.group(1)
        return p

    def stop(self, p):
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=10)

    def start_nginx(self):
        port = free_port()
        prefix = os.path.join(self.tmp, "nginx")
        os.makedirs(os.path.join(prefix, "logs"))
        body = snippet("nginx").replace("unix:/run/authz/forward.sock", "unix:" + self.sock) \
                               .replace("127.0.0.1:8080", "127.0.0.1:%d" % self.up_port)
        conf = os.path.join(prefix, "nginx.conf")
        with open(conf, "w") as f:
            # As root, nginx's workers would become `nobody`, who cannot reach the socket in
            # this private temp dir; they keep the test's user instead.
            f.write(("user root;\n" if os.geteuid() == 0 else "") + """worker_processes 1;
pid %(p)s/nginx.pid;
error_log %(p)s/logs/error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path %(p)s/body;
    proxy_temp_path %(p)s/proxy;
    fastcgi_temp_path %(p)s/fastcgi;
    uwsgi_temp_path %(p)s/uwsgi;
    scgi_temp_path %(p)s/scgi;
    server {
        listen 127.0.0.1:%(port)d;
%(body)s
    }
}
""" % {"p": prefix, "port": port, "body": body})
        p = subprocess.Popen(["nginx", "-p", prefix, "-c", conf, "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(p)
        wait_port(port, p, "nginx")
        return port

    def start_caddy(self):
        port = free_port()
        home = os.path.join(self.tmp, "caddy")
        os.makedirs(home)
        site = snippet("caddy").replace("unix//run/authz/forward.sock", "unix/" + self.sock) \
                               .replace("127.0.0.1:8080", "127.0.0.1:%d" % self.up_port) \
                               .replace("127.0.0.1:8000", "127.0.0.1:%d" % port)
        conf = os.path.join(home, "Caddyfile")
        with open(conf, "w") as f:
            f.write("{\n    admin off\n    auto_https off\n}\n" + site)
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home, XDG_DATA_HOME=home)
        log = open(os.path.join(home, "caddy.log"), "w")
        p = subprocess.Popen(["caddy", "run", "--config", conf, "--adapter", "caddyfile"], env=env,
                             stdout=log, stderr=log)
        log.close()
        self.logs.append(os.path.join(home, "caddy.log"))
        self.procs.append(p)
        wait_port(port, p, "caddy")
        return port

    # ---- requests ----

    def get(self, port, path, method="GET", headers=None):
        """(status, body) of a request sent as is (no client-side path normalization)."""
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1", "Connection: close",
                 "Content-Length: 0"]
        lines += ["%s: %s" % kv for kv in (headers or {}).items()]
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        head, _, body = data.partition(b"\r\n\r\n")
        status = int(head.split(b" ")[1])
        if b"transfer-encoding: chunked" in head.lower():
            out, rest = b"", body
            while rest:
                size, _, rest = rest.partition(b"\r\n")
                n = int(size, 16)
                if n == 0:
                    break
                out, rest = out + rest[:n], rest[n + 2:]
            body = out
        return status, body.decode(errors="replace")

    def v3(self, method, body):
        req = urllib.request.Request("%s/api/v3/%s" % (self.api, method), data=json.dumps(body).encode(),
                                     method="POST", headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            env = json.loads(r.read())
        self.assertEqual(200, env["statusCode"], env)

    # ---- the cases ----

    def header_cases(self, gw, port, results):
        alice = {"X-User-Id": "alice"}
        bob = {"X-User-Id": "bob"}
        cases = [
            ("allowed", "GET", "/orders/42", alice, 200, "upstream /orders/42 user=alice"),
            ("allowed, query ignored", "GET", "/orders/42?x=1", alice, 200, "upstream"),
            ("allowed, * route", "GET", "/reports/2026/q3", alice, 200, "upstream"),
            ("method not granted", "POST", "/orders/42", alice, 403, None),
            ("no user", "GET", "/orders/42", {}, 401, None),
            ("unmatched path", "GET", "/nowhere", alice, 403, None),
            ("other user", "GET", "/orders/42", bob, 403, None),
            # nginx answers 500 for any auth status but 401/403; Caddy passes authz's 400 on.
            ("dot segment", "GET", "/reports/../orders/42", alice, 500 if gw == "nginx" else 400, None),
            ("encoded slash", "GET", "/orders/a%2Fb", alice, 500 if gw == "nginx" else 400, None),
        ]
        if gw == "nginx":  # the snippet blanks X-Forwarded-*: the real request is judged
            cases.append(("client's X-Forwarded-Uri blanked", "GET", "/orders/42",
                          dict(alice, **{"X-Forwarded-Uri": "/admin", "X-Forwarded-Method": "GET"}), 200, "upstream"))
        else:  # Caddy sets X-Forwarded-*; a client's X-Original-URI is a second convention
            cases.append(("client's X-Original-URI refused", "GET", "/orders/42",
                          dict(alice, **{"X-Original-URI": "/admin", "X-Original-Method": "GET"}), 400, None))
        for name, method, path, headers, want, body in cases:
            st, got = self.get(port, path, method, headers)
            ok = st == want and (body is None or body in got)
            results.append((gw, name, ok, "%s %s -> %s %r (want %s)" % (method, path, st, got[:80], want)))
        # A role assigned through the V3 API, then unassigned again.
        self.v3("assign-role", {"code": "reader", "targets": [{"targetType": "USER", "targetIdentifier": "bob"}]})
        st, got = self.get(port, "/orders/7", "GET", bob)
        results.append((gw, "role assigned", st == 200 and "user=bob" in got, "after assign: %s" % st))
        self.v3("revoke-role", {"code": "reader", "targets": [{"targetType": "USER", "targetIdentifier": "bob"}]})
        st, got = self.get(port, "/orders/7", "GET", bob)
        results.append((gw, "role unassigned", st == 403, "after revoke: %s" % st))

    def jwt_cases(self, gw, port, keys, results):
        good = keys.token()
        cases = [
            ("jwt good", {"Authorization": "Bearer " + good}, 200),
            ("jwt ignores the user header", {"Authorization": "Bearer " + good, "X-User-Id": "bob"}, 200),
            ("jwt none, header only", {"X-User-Id": "alice"}, 401),
            ("jwt bad signature", {"Authorization": "Bearer " + keys.token(tamper=True)}, 401),
            ("jwt expired", {"Authorization": "Bearer " + keys.token(exp_in=-60)}, 401),
            ("jwt wrong audience", {"Authorization": "Bearer " + keys.token(aud="other")}, 401),
            ("jwt other user", {"Authorization": "Bearer " + keys.token(sub="bob")}, 403),
        ]
        for name, headers, want in cases:
            st, got = self.get(port, "/orders/42", "GET", headers)
            results.append((gw, name, st == want, "%s -> %s %r" % (name, st, got[:80])))

    def test_gateways(self):
        for tool in ("nginx", "caddy", "openssl"):
            self.assertTrue(shutil.which(tool), "%s is not installed (scripts/setup.sh installs it)" % tool)
        authz = self.start_authz()
        ports = {"nginx": self.start_nginx(), "caddy": self.start_caddy()}
        results = []
        for gw, port in ports.items():
            self.header_cases(gw, port, results)
        self.stop(authz)
        self.procs.remove(authz)
        keys = Keys(self.tmp)
        self.start_authz("--jwks", keys.jwks, "--jwt-issuer", "https://idp.test/oidc", "--jwt-audience", "gw")
        for gw, port in ports.items():
            self.jwt_cases(gw, port, keys, results)
        for gw, name, ok, detail in results:
            if not ok:
                print("UNEXPECTED %s: %s: %s" % (gw, name, detail))
        counts = {gw: (sum(1 for r in results if r[0] == gw and r[2]), sum(1 for r in results if r[0] == gw))
                  for gw in ports}
        print("gateway: nginx %d/%d, caddy %d/%d as expected" % (counts["nginx"] + counts["caddy"]))
        self.assertTrue(all(r[2] for r in results))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=1)

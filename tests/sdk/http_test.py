"""http_test.py - `authz serve` over HTTP with Python's standard library only (PyPI is out of
reach here): the Python SDK's token flow, the signature checks (replayed nonce, skewed date,
tampered body, missing date, wrong method), an oversized body (413), a malformed query, the
three GET array spellings, and concurrent clients checking while one writes.
usage: python3 http_test.py /path/to/authz
"""
import base64, hashlib, hmac, json, re, subprocess, sys, threading, time, urllib.request
from email.utils import formatdate

AK, SK = "local-pool", "local-secret"
checks = 0


def start(binary):
    p = subprocess.Popen([binary, "serve", "--port", "0", "--threads", "4", "--access-key-id", AK,
                          "--access-key-secret", SK], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = p.stdout.readline().decode()
    m = re.search(r"listening on (http://\S+)", line)
    assert m, f"server did not start: {line!r}"
    return p, m.group(1)


def http(host, method, path, body=None, headers=None):
    req = urllib.request.Request(host + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def expect(cond, what):
    global checks
    checks += 1
    assert cond, what


def sign(method, path, fields, date=None, nonce=None, secret=SK, sig_method="HMAC-SHA1"):
    """The Node SDK's signing (src/utils/buildSignature.ts), in Python."""
    headers = {"x-authing-signature-nonce": nonce or hashlib.md5(str(time.time_ns()).encode()).hexdigest(),
               "x-authing-signature-method": sig_method, "x-authing-signature-version": "1.0",
               "x-authing-sdk-version": "python-test", "x-authing-lang": "en-US"}
    if date is not False:
        headers["date"] = date or formatdate(usegmt=True)
    canon = "".join(f"{k}:{headers[k].strip()}\n" for k in sorted(headers))
    resource = path
    if fields:
        parts = []
        for k in sorted(fields):
            v = fields[k]
            parts.append(f"{k}={json.dumps(v, separators=(',', ':'), ensure_ascii=False) if isinstance(v, (list, dict)) else v}")
        resource += "?" + "&".join(parts)
    sig = base64.b64encode(hmac.new(secret.encode(), f"{method}\n{canon}{resource}".encode(), hashlib.sha1).digest())
    headers["authorization"] = f"authing {AK}:{sig.decode()}"
    headers["content-type"] = "application/json"
    return headers


def post(host, path, fields, **kw):
    body = json.dumps(fields).encode()
    status, data = http(host, "POST", path, body, sign("POST", path, fields, **kw))
    return status, json.loads(data)


def token_flow(host):
    status, data = http(host, "POST", "/api/v3/get-management-token",
                        json.dumps({"accessKeyId": AK, "accessKeySecret": SK}).encode(), {"content-type": "application/json"})
    env = json.loads(data)
    expect(status == 200 and env["statusCode"] == 200, f"token: {env}")
    token = env["data"]["access_token"]
    # Exactly what the Python SDK does: standard base64 after padding, '-' and '_' dropped.
    payload = token.split(".")[1]
    expect("-" not in payload and "_" not in payload, f"payload base64url has '-' or '_': {payload}")
    claims = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    expect(claims["scoped_userpool_id"] == AK and claims["exp"] > time.time(), f"claims {claims}")
    hdr = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    status, data = http(host, "POST", "/api/v3/create-role", b'{"code":"py-role"}', hdr)
    expect(json.loads(data)["statusCode"] == 200, f"bearer call: {data}")
    bad = {"authorization": f"Bearer {token[:-2]}xx"}
    expect(json.loads(http(host, "GET", "/api/v3/list-roles", None, bad)[1])["statusCode"] == 401, "forged token")
    _, data = http(host, "POST", "/api/v3/get-management-token", json.dumps({"accessKeyId": AK, "accessKeySecret": "no"}).encode())
    expect(json.loads(data)["statusCode"] == 401, "token for a wrong secret")
    return hdr


def signatures(host):
    path, fields = "/api/v3/create-namespace", {"code": "signed", "name": "Signed"}
    expect(post(host, path, fields)[1]["statusCode"] == 200, "signed POST")
    nonce = "0123456789abcdef0123456789abcdef"
    expect(post(host, "/api/v3/list-roles", {}, nonce=nonce)[1]["statusCode"] == 200, "first use of a nonce")
    env = post(host, "/api/v3/list-roles", {}, nonce=nonce)[1]
    expect(env["statusCode"] == 401 and env["apiCode"] == 1306, f"replayed nonce: {env}")
    env = post(host, path, fields, date=formatdate(time.time() - 20 * 60, usegmt=True))[1]
    expect(env["apiCode"] == 1305, f"skewed date: {env}")
    env = post(host, path, fields, date=str(int(time.time() * 1000)))[1]
    expect(env["apiCode"] != 1303 and env["statusCode"] in (200, 409), f"epoch-ms date: {env}")
    env = post(host, path, fields, date=False)[1]
    expect(env["apiCode"] == 1304, f"missing date: {env}")
    env = post(host, path, fields, date="yesterday")[1]
    expect(env["apiCode"] == 1303, f"bad date: {env}")
    env = post(host, path, fields, sig_method="HMAC-MD5")[1]
    expect(env["apiCode"] == 1301, f"signature method: {env}")
    headers = sign("POST", path, fields)
    status, data = http(host, "POST", path, json.dumps({"code": "tampered"}).encode(), headers)
    env = json.loads(data)
    expect(status == 200 and env["statusCode"] == 401 and env["apiCode"] == 1300, f"tampered body: {env}")
    env = post(host, path, fields, secret="wrong")[1]
    expect(env["apiCode"] == 1300, f"wrong secret: {env}")


def edges(host, hdr):
    status, _ = http(host, "POST", "/api/v3/create-role", b"x" * ((1 << 20) + 1), hdr)
    expect(status == 413, f"oversize body: HTTP {status}")
    status, data = http(host, "GET", "/api/v3/list-roles?page=%zz", None, hdr)
    expect(status == 200 and json.loads(data)["statusCode"] == 400, f"malformed query: {data}")
    post(host, "/api/v3/create-resources-batch", {"list": [{"code": "a", "type": "DATA"}, {"code": "b", "type": "DATA"}]})
    for q in ("codeList%5B%5D=a&codeList%5B%5D=b", "codeList=a&codeList=b", "codeList=a,b"):
        env = json.loads(http(host, "GET", f"/api/v3/get-resources-batch?{q}", None, hdr)[1])
        expect(env["statusCode"] == 200 and [r["code"] for r in env["data"]] == ["a", "b"], f"{q}: {env}")
    for b in ("true", "false", "True", "False"):
        env = json.loads(http(host, "GET", f"/api/v3/get-authorized-resources?targetType=USER&targetIdentifier=u&withDenied={b}", None, hdr)[1])
        expect(env["statusCode"] == 200, f"withDenied={b}: {env}")
    env = json.loads(http(host, "GET", "/api/v3/get-role?code=ghost", None, dict(hdr, **{"x-authing-lang": "zh-CN"}))[1])
    expect(env["message"] == "角色不存在", f"zh-CN message: {env}")
    status, data = http(host, "GET", "/healthz")
    expect(status == 200 and data == b"ok\n", "healthz")
    status, data = http(host, "GET", "/metrics")
    expect(status == 200 and b"authz_requests_total" in data and b"authz_check_seconds_bucket" in data, "metrics")


def concurrent(host, hdr):
    post(host, "/api/v3/create-role", {"code": "busy"})
    post(host, "/api/v3/assign-role", {"code": "busy", "targets": [{"targetType": "USER", "targetIdentifier": "c1"}]})
    errors, answers = [], []
    grant = {"namespace": "default", "list": [{"targetType": "ROLE", "targetIdentifiers": ["busy"], "resources": [{"code": "door", "actions": ["open"], "resourceType": "DATA"}]}]}

    def reader():
        for _ in range(150):
            env = json.loads(http(host, "POST", "/api/v3/is-action-allowed",
                                  b'{"userId":"c1","resource":"door","action":"open"}', hdr)[1])
            if env["statusCode"] != 200: errors.append(env)
            else: answers.append(env["data"]["allowed"])

    def writer():
        for i in range(60):
            path = "/api/v3/authorize-resources" if i % 2 == 0 else "/api/v3/revoke-resources"
            env = json.loads(http(host, "POST", path, json.dumps(grant).encode(), hdr)[1])
            if env["statusCode"] != 200: errors.append(env)

    def malformed():
        # Bad and good queries interleaved: each answer must belong to its own request.
        for i in range(80):
            q = "page=%zz" if i % 2 else "page=1"
            env = json.loads(http(host, "GET", f"/api/v3/list-roles?{q}", None, hdr)[1])
            if env["statusCode"] != (400 if i % 2 else 200): errors.append((q, env))

    threads = [threading.Thread(target=reader) for _ in range(4)] + [threading.Thread(target=writer),
                                                                     threading.Thread(target=malformed)]
    for t in threads: t.start()
    for t in threads: t.join()
    expect(not errors and len(answers) == 600 and set(answers) <= {True, False}, f"concurrent: {errors[:3]}")


def main():
    p, host = start(sys.argv[1])
    try:
        hdr = token_flow(host)
        signatures(host)
        edges(host, hdr)
        concurrent(host, hdr)
        print(f"http: {checks} checks passed (token flow, signatures, 413, malformed query, arrays, concurrency)")
    finally:
        p.terminate()
        p.wait(timeout=10)


if __name__ == "__main__":
    main()

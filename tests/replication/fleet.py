"""fleet.py - what the replication tests share: a real redis-server (Debian's, on a unix socket in
a temp dir, AOF on, appendfsync always, started and stopped by pid), `authz serve` leaders and
followers as processes, HTTP calls, status, and random writes of every family and random checks.
Only the standard library."""
import json, os, random, re, shutil, signal, socket, subprocess, tempfile, time, urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Redis:
    def __init__(self, root):
        self.dir = os.path.join(root, "redis")
        os.makedirs(self.dir, exist_ok=True)
        self.sock = os.path.join(self.dir, "redis.sock")
        self.url = "unix://" + self.sock
        with open(os.path.join(self.dir, "redis.conf"), "w") as f:
            f.write(f"port 0\nunixsocket {self.sock}\nunixsocketperm 700\ndir {self.dir}\n"
                    "appendonly yes\nappendfsync always\nsave \"\"\ndaemonize no\n"
                    "logfile redis.log\n")
        self.p = None
        self.restarts = 0

    def start(self):
        self.p = subprocess.Popen(["redis-server", os.path.join(self.dir, "redis.conf")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(500):
            if os.path.exists(self.sock) and self.cli("PING") == "PONG":
                return
            time.sleep(0.01)
        raise RuntimeError("redis-server did not start")

    def stop(self, sig=signal.SIGTERM):
        if self.p and self.p.poll() is None:
            self.p.send_signal(sig)
            self.p.wait()
        self.p = None
        if os.path.exists(self.sock):
            os.unlink(self.sock)

    def restart(self, sig=signal.SIGTERM):
        self.stop(sig)
        self.start()
        self.restarts += 1

    def cli(self, *args):
        r = subprocess.run(["redis-cli", "-s", self.sock, *args], capture_output=True, encoding="utf-8", errors="replace")
        return r.stdout.strip()


class Node:
    """One `authz serve`: a leader (--data, --publish) or a follower (--follow)."""

    def __init__(self, binary, root, name, args, port=None):
        self.binary, self.name, self.args = binary, name, args
        self.port = port or free_port()
        self.log = os.path.join(root, name + ".log")
        self.p = None

    def start(self):
        with open(self.log, "ab") as err:
            self.p = subprocess.Popen([self.binary, "serve", "--no-auth", "--threads", "4", "--port",
                                       str(self.port), *self.args], stdout=subprocess.PIPE,
                                      stderr=err)
        line = self.p.stdout.readline().decode()
        m = re.search(r"listening on (http://\S+)", line)
        if not m:
            raise RuntimeError(f"{self.name} did not start: {open(self.log).read()[-2000:]}")
        self.url = m.group(1)

    def kill(self, sig=signal.SIGKILL):
        if self.p and self.p.poll() is None:
            self.p.send_signal(sig)
            self.p.wait()
        if self.p:
            self.p.stdout.close()
        self.p = None

    def restart(self):
        self.kill()
        self.start()

    def call(self, method, body, headers=None, timeout=30):
        h = {"content-type": "application/json"}
        h.update(headers or {})
        req = urllib.request.Request(f"{self.url}/api/v3/{method}", data=json.dumps(body).encode(),
                                     method="POST", headers=h)
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read()), r.headers

    def get(self, path):
        with urllib.request.urlopen(f"{self.url}{path}", timeout=30) as r:
            return r.read().decode(), r.headers

    def status(self):
        text, _ = self.get("/api/v3/admin/status")
        return json.loads(text)["data"]

    def compact(self):
        req = urllib.request.Request(f"{self.url}/api/v3/admin/compact", data=b"{}", method="POST")
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())


def wait_until(pred, what, limit=120.0):
    """Polls `pred` until it holds. The limit only turns a hang into a clear failure; nothing is
    judged by how long it took."""
    end = time.monotonic() + limit
    while True:
        try:
            v = pred()
            if v:
                return v
        except OSError:
            pass
        if time.monotonic() > end:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.02)


def caught_up(leader, followers):
    rev = leader.status()["revision"]
    return all(f.status()["revision"] >= rev for f in followers)


# ---- random writes of every family, and checks ----

NS = ["default", "n1", "n2"]
USERS = [f"u{i}" for i in range(12)]
ROLES = [f"r{i}" for i in range(6)]
GROUPS = [f"g{i}" for i in range(4)]
DEPTS = [f"d{i}" for i in range(4)]
RES = [f"doc{i}" for i in range(6)]
ACTIONS = ["read", "write", "*"]
ORGS = ["acme", "beta"]


def random_write(rng):
    ns = rng.choice(NS)
    k = rng.randrange(100)
    target = rng.choice([("USER", USERS), ("ROLE", ROLES), ("GROUP", GROUPS), ("DEPARTMENT", DEPTS)])
    if k < 30:
        item = {"targetType": target[0], "targetIdentifiers": rng.sample(target[1], 2),
                "resources": [{"code": rng.choice(RES + ["doc*", "doc1:*"]),
                               "actions": rng.sample(ACTIONS, rng.randint(1, 2)), "resourceType": "DATA"}]}
        return ("authorize-resources" if k < 20 else "revoke-resources"), {"namespace": ns, "list": [item]}
    table = [
        ("create-namespace", {"code": rng.choice(NS[1:]), "name": "N"}),
        ("update-namespace", {"code": rng.choice(NS[1:]), "name": f"name{k}"}),
        ("delete-namespace", {"code": rng.choice(NS[1:])}),
        ("create-resource", {"namespace": ns, "type": "DATA", "code": rng.choice(RES),
                             "actions": [{"name": "read", "description": ""}, {"name": "write", "description": ""}]}),
        ("update-resource", {"namespace": ns, "code": rng.choice(RES), "description": f"d{k}"}),
        ("delete-resource", {"namespace": ns, "code": rng.choice(RES)}),
        ("associate-tenant-resource", {"code": rng.choice(RES), "association": rng.random() < 0.7,
                                       "appId": ns, "tenantId": f"t{k % 3}"}),
        ("create-role", {"namespace": ns, "code": rng.choice(ROLES), "name": "R"}),
        ("update-role", {"namespace": ns, "code": rng.choice(ROLES), "name": f"R{k}"}),
        ("delete-roles-batch", {"namespace": ns, "codeList": [rng.choice(ROLES)]}),
        ("assign-role", {"namespace": ns, "code": rng.choice(ROLES),
                         "targets": [{"targetType": rng.choice(["USER", "DEPARTMENT"]),
                                      "targetIdentifier": rng.choice(USERS + DEPTS)}]}),
        ("revoke-role", {"namespace": ns, "code": rng.choice(ROLES),
                         "targets": [{"targetType": "USER", "targetIdentifier": rng.choice(USERS)}]}),
        ("create-group", {"code": rng.choice(GROUPS), "name": "G", "description": "", "type": "static"}),
        ("update-group", {"code": rng.choice(GROUPS), "name": f"G{k}"}),
        ("delete-groups-batch", {"codeList": [rng.choice(GROUPS)]}),
        ("add-group-members", {"code": rng.choice(GROUPS), "userIds": rng.sample(USERS, 2)}),
        ("remove-group-members", {"code": rng.choice(GROUPS), "userIds": [rng.choice(USERS)]}),
        ("add-department-members", {"organizationCode": "acme", "departmentId": rng.choice(DEPTS),
                                    "userIds": rng.sample(USERS, 2)}),
        ("remove-department-members", {"organizationCode": "acme", "departmentId": rng.choice(DEPTS),
                                       "userIds": [rng.choice(USERS)]}),
        ("set-user-departments", {"userId": rng.choice(USERS),
                                  "departments": [{"departmentId": d} for d in rng.sample(DEPTS, 2)]}),
        # The directory: records with generated IDs and creation times, which followers and a
        # restarted leader must reproduce from the journal (directory_of compares them).
        ("create-users-batch", {"list": [{"userId": rng.choice(USERS), "username": f"name{k}"}]}),
        ("delete-users-batch", {"userIds": [rng.choice(USERS)]}),
        ("create-organization", {"organizationCode": rng.choice(ORGS), "organizationName": f"O{k}"}),
        ("create-department", {"organizationCode": rng.choice(ORGS), "parentDepartmentId": "root",
                               "name": f"D{k}", "code": f"c{k}"}),
        ("delete-department", {"organizationCode": rng.choice(ORGS),
                               "departmentId": "d%023x" % rng.randrange(1, 12)}),
    ]
    return rng.choice(table)


def random_check(rng):
    return {"namespace": rng.choice(NS), "userId": rng.choice(USERS),
            "resource": rng.choice(RES + ["doc1:7"]), "action": rng.choice(["read", "write"])}


def directory_of(node):
    """The directory as a node lists it: users, organizations and each one's departments, with
    their IDs and creation times."""
    page = {"options": {"pagination": {"page": 1, "limit": 50}}}
    users, _ = node.call("list-users", page)
    orgs, _ = node.call("list-organizations", {"page": 1, "limit": 50})
    out = [users["data"], orgs["data"]]
    for o in orgs["data"]["list"]:
        kids, _ = node.call("list-children-departments",
                            {"organizationCode": o["organizationCode"], "departmentId": "root"})
        out.append(kids.get("data"))
    return json.dumps(out, sort_keys=True)


def answer(node, body):
    env, _ = node.call("is-action-allowed", body)
    return env["statusCode"], (env.get("data") or {}).get("allowed")


class Fleet:
    """A temp dir with Redis, a leader and n followers; cleans up by pid whatever happens."""

    def __init__(self, binary, followers=3, leader_args=(), follower_data=(0,), stream=None):
        self.root = tempfile.mkdtemp(prefix="authz_fleet_")
        self.binary = binary
        self.redis = Redis(self.root)
        extra = ["--stream", stream] if stream else []
        self.leader = Node(binary, self.root, "leader",
                           ["--data", os.path.join(self.root, "leader"), "--publish", self.redis.url,
                            *extra, *leader_args])
        self.followers = []
        for i in range(followers):
            args = ["--follow", self.redis.url, *extra]
            if i in follower_data:
                args += ["--data", os.path.join(self.root, f"f{i}")]
            self.followers.append(Node(binary, self.root, f"follower{i}", args))
        self.nodes = [self.leader] + self.followers

    def start(self):
        self.redis.start()
        self.leader.start()
        for f in self.followers:
            f.start()
        return self

    def close(self, keep=False):
        for n in self.nodes:
            try:
                n.kill(signal.SIGTERM)
            except Exception:
                pass
        self.redis.stop()
        if not keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def logs(self):
        out = []
        for n in self.nodes:
            try:
                out.append(f"--- {n.name}\n" + open(n.log).read()[-3000:])
            except OSError:
                pass
        return "\n".join(out)

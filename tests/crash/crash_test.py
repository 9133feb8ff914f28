"""crash_test.py - kill -9 durability test of `authz serve --data`.

Each round starts the server on the same data directory (with a small compaction threshold,
so snapshots and journal rotations happen under load), runs three writer threads
(authorize, revoke, create and delete roles - each thread on its own keys, so the order of
its acknowledgements is the order of its writes), kills the server with SIGKILL at a seeded
random moment, restarts it, and checks that every write whose response arrived is there and
every check answers as the model of acknowledged writes says. A write in flight at the kill
may or may not have happened; its key is not judged until a later write settles it.
Prints: "N rounds, M acknowledged writes, 0 lost".
usage: python3 crash_test.py /path/to/authz   (AUTHZ_SEED, AUTHZ_TEST_LONG=1)
"""
import json, os, random, re, shutil, signal, subprocess, sys, tempfile, threading, time, urllib.request

ROUNDS = 100 if os.environ.get("AUTHZ_TEST_LONG") else 20


def start(binary, data):
    p = subprocess.Popen([binary, "serve", "--no-auth", "--port", "0", "--threads", "4", "--data", data,
                          "--compact-bytes", "30000"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    m = re.search(r"listening on (http://\S+)", p.stdout.readline().decode())
    assert m, "server did not start"
    return p, m.group(1)


def call(host, method, body, timeout=5):
    req = urllib.request.Request(f"{host}/api/v3/{method}", data=json.dumps(body).encode(), method="POST",
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


class Writer(threading.Thread):
    """Writes on its own keys; `state` maps a key to its acknowledged value, `unsure` holds keys
    whose last write got no answer."""

    def __init__(self, host, tid, rng, state, unsure, stop):
        super().__init__()
        self.host, self.tid, self.rng, self.state, self.unsure, self.stop = host, tid, rng, state, unsure, stop
        self.acked = 0

    def one(self):
        k = self.rng.randrange(40)
        kind = self.rng.choice(["grant", "revoke", "role+", "role-"])
        if kind in ("grant", "revoke"):
            key = ("grant", f"u{self.tid}_{k}", f"res{k % 7}")
            item = {"targetType": "USER", "targetIdentifiers": [key[1]],
                    "resources": [{"code": key[2], "actions": ["a"], "resourceType": "DATA"}]}
            method, body, value = ("authorize-resources" if kind == "grant" else "revoke-resources"), {"namespace": "default", "list": [item]}, kind == "grant"
        else:
            key = ("role", f"r{self.tid}_{k}")
            method, body, value = ("create-role", {"code": key[1]}, True) if kind == "role+" else \
                                  ("delete-roles-batch", {"codeList": [key[1]]}, False)
        self.unsure.add(key)
        try:
            env = call(self.host, method, body)
        except Exception:
            return False  # the server died: this write may or may not have happened
        code = env["statusCode"]
        # A duplicate create or a delete of what is gone changes nothing: the value stands.
        if code == 200 or (code == 409 and value) or (code == 404 and not value):
            self.state[key] = value
            self.unsure.discard(key)
            self.acked += code == 200
        return True

    def run(self):
        while not self.stop.is_set() and self.one():
            pass


def verify(host, state, unsure):
    lost = 0
    for key, value in state.items():
        if key in unsure:
            continue
        if key[0] == "grant":
            got = call(host, "is-action-allowed", {"userId": key[1], "resource": key[2], "action": "a"})["data"]["allowed"]
        else:
            got = call(host, "get-role", {"code": key[1]})["statusCode"] == 200
        if got != value:
            lost += 1
            print(f"LOST: {key} should be {value}, is {got}")
    return lost


def main():
    binary = sys.argv[1]
    seed = int(os.environ.get("AUTHZ_SEED", "20261122"))
    rng = random.Random(seed)
    data = tempfile.mkdtemp(prefix="authz_crash_")
    state, unsure, acked, lost = {}, set(), 0, 0
    try:
        for rnd in range(ROUNDS):
            p, host = start(binary, data)
            lost += verify(host, state, unsure)
            stop = threading.Event()
            writers = [Writer(host, t, random.Random(rng.random()), state, unsure, stop) for t in range(3)]
            for w in writers: w.start()
            time.sleep(rng.uniform(0.05, 0.6))
            p.send_signal(signal.SIGKILL)
            p.wait()
            stop.set()
            for w in writers: w.join()
            acked += sum(w.acked for w in writers)
        p, host = start(binary, data)
        lost += verify(host, state, unsure)
        p.terminate()
        p.wait()
    finally:
        shutil.rmtree(data, ignore_errors=True)
    print(f"{ROUNDS} rounds, {acked} acknowledged writes, {lost} lost (seed {seed})")
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()

"""Python check() calls per second: Engine.check (every name resolved per call) and
Prepared.check (one per route), on a model of 1,000 users with roles and per-user grants.
Prints `python: check() N/s, prepared check() N/s` (run by ctest as a smoke test and by
bench/; the figure is what a service written in Python gets per core)."""
import sys
import time

import authz


def model(users=1000):
    e = authz.Engine()
    e.call("create_roles_batch", list=[{"code": "r%d" % i} for i in range(20)])
    for i in range(users):
        e.call("assign_role", code="r%d" % (i % 20),
               targets=[{"targetType": "USER", "targetIdentifier": "u%d" % i}])
    for i in range(20):
        e.call("authorize_resources", namespace="default", list=[
            {"targetType": "ROLE", "targetIdentifiers": ["r%d" % i],
             "resources": [{"code": "doc%d" % i, "actions": ["read", "write"]}]}])
    return e


def rate(fn, seconds):
    n, start = 0, time.perf_counter()
    while True:
        fn(1000)
        n += 1000
        t = time.perf_counter() - start
        if t >= seconds:
            return n / t


def main(seconds):
    e = model()
    users = ["u%d" % (i % 1000) for i in range(1000)]
    p = e.prepare("doc3:17", "read")
    check, pcheck = e.check, p.check

    def plain(n):
        for u in users[:n]:
            check(u, "doc3:17", "read")

    def prepared(n):
        for u in users[:n]:
            pcheck(u)

    assert sum(pcheck(u) for u in users) == 50
    print("python: check() %.0f/s, prepared check() %.0f/s (one thread, ctypes)" %
          (rate(plain, seconds), rate(prepared, seconds)))


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 2.0)

"""min_revision_test.py - read-your-writes through x-authz-min-revision: a write on the leader
(alternately a grant and a revoke of the same permission), then a check on a follower carrying
the revision the write answered with; the follower must see the write, every time. The
follower waits up to --max-wait-ms for the revision; it never answers from an older model.
Also: every response carries x-authz-revision, and a revision the follower cannot reach in time
is a 503 envelope naming both revisions.
Prints: "min-revision: 1000 rounds, 0 stale reads".
usage: python3 min_revision_test.py /path/to/authz
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fleet import Fleet, wait_until

ROUNDS = 1000


def main():
    binary = sys.argv[1]
    fleet = Fleet(binary, followers=2, follower_data=())
    for f in fleet.followers:
        f.args += ["--max-wait-ms", "20000"]
    ok = False
    try:
        fleet.start()
        item = {"targetType": "USER", "targetIdentifiers": ["alice"],
                "resources": [{"code": "doc", "actions": ["read"], "resourceType": "DATA"}]}
        check = {"userId": "alice", "resource": "doc", "action": "read"}
        stale = 0
        last = 0
        for i in range(ROUNDS):
            grant = i % 2 == 0
            env, h = fleet.leader.call("authorize-resources" if grant else "revoke-resources", {"namespace": "default", "list": [item]})
            assert env["statusCode"] == 200, env
            rev = int(h["x-authz-revision"])
            assert rev > last, (rev, last)
            last = rev
            f = fleet.followers[i % 2]
            env, h = f.call("is-action-allowed", check, {"x-authz-min-revision": str(rev)})
            assert env["statusCode"] == 200, env
            assert int(h["x-authz-revision"]) >= rev
            stale += env["data"]["allowed"] != grant
        # a revision far ahead: 503 with both revisions in the message
        f = fleet.followers[0]
        f.args[-1] = "200"
        f.restart()
        wait_until(lambda: f.status()["revision"] == last, "the restarted follower caught up")
        env, h = f.call("is-action-allowed", check, {"x-authz-min-revision": str(last + 1000)})
        assert env["statusCode"] == 503, env
        assert str(last + 1000) in env["message"] and str(last) in env["message"], env
        assert int(h["x-authz-revision"]) == last
        env, _ = f.call("is-action-allowed", check, {"x-authz-min-revision": "x1"})
        assert env["statusCode"] == 400, env
        # the leader's own reads and status carry it too
        _, h = fleet.leader.get("/healthz")
        assert int(h["x-authz-revision"]) == last
        if stale:
            print(f"min-revision: {ROUNDS} rounds, {stale} stale reads")
            return 1
        print(f"min-revision: {ROUNDS} rounds, 0 stale reads")
        ok = True
        return 0
    finally:
        if not ok:
            print(fleet.logs())
        fleet.close()


if __name__ == "__main__":
    sys.exit(main())

"""faults_test.py - each fault of a fleet (README "Running a fleet", the failure table), one
function each, against a real redis-server and `authz serve` processes:
  1. Redis down at the leader's start, and going away mid-load: writes go on; what was missed is
     published when Redis is back, in order, exactly once (stream IDs 1..N, no gap, no repeat).
  2. Redis restarted: followers answer from their last state and say so (status, /metrics), then
     reconnect and resume.
  3. A follower killed with SIGKILL: with --data it restarts and serves its last state while Redis
     is unreachable, then comes back to the leader's digest.
  4. The leader killed with SIGKILL mid-load and restarted: no acknowledged write lost, nothing
     beyond its journal in the stream.
  5. The stream trimmed past a stopped (slow) follower: a snapshot reload, the same digest.
  6. A stream entry and a snapshot chunk that do not verify: refused, named, nothing after them
     applied; the next snapshot heals.
  7. Two leaders on one stream: the second refuses to publish, with a clear message.
Prints: "replication faults: 7 of 7 survived".
usage: python3 faults_test.py /path/to/authz
"""
import os, signal, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fleet import Fleet, Node, answer, caught_up, wait_until


def grant(node, user, res="doc"):
    env, h = node.call("authorize-resources", {"namespace": "default", "list": [{"targetType": "USER", "targetIdentifiers": [user],
                                                          "resources": [{"code": res, "actions": ["read"],
                                                                         "resourceType": "DATA"}]}]})
    assert env["statusCode"] == 200, env
    return int(h["x-authz-revision"])


def allowed(node, user, res="doc"):
    return answer(node, {"userId": user, "resource": res, "action": "read"}) == (200, True)


def same_digest(fleet):
    wait_until(lambda: caught_up(fleet.leader, fleet.followers), "followers caught up")
    d = fleet.leader.status()["digest"]
    for f in fleet.followers:
        assert f.status()["digest"] == d, (f.name, f.status(), fleet.leader.status())


def stream_ids(fleet):
    out = fleet.redis.cli("XRANGE", "authz:log", "-", "+")
    return [int(l.split("-")[0]) for l in out.splitlines() if l.endswith("-1") and l[0].isdigit()]


def contiguous(ids):
    return ids == list(range(ids[0], ids[0] + len(ids))) if ids else True


def redis_down_at_start_and_mid_load(fleet):
    fleet.leader.start()  # Redis is not running
    for i in range(50):
        grant(fleet.leader, f"a{i}")
    st = fleet.leader.status()
    assert st["revision"] == 50 and not st["redisReachable"], st
    fleet.redis.start()
    wait_until(lambda: fleet.leader.status()["published"] == 50, "leader published what it missed")
    for f in fleet.followers:
        f.start()
    same_digest(fleet)
    # mid-load: Redis goes away while writes keep coming
    stop = threading.Event()
    n = [0]

    def load():
        while not stop.is_set():
            grant(fleet.leader, f"b{n[0]}")
            n[0] += 1

    t = threading.Thread(target=load)
    t.start()
    time.sleep(0.2)
    fleet.redis.stop(signal.SIGKILL)
    time.sleep(0.3)
    fleet.redis.start()
    time.sleep(0.2)
    stop.set()
    t.join()
    same_digest(fleet)
    rev = fleet.leader.status()["revision"]
    wait_until(lambda: fleet.leader.status()["published"] == rev, "all published")
    ids = stream_ids(fleet)
    assert ids[0] == 1 and ids[-1] == rev and contiguous(ids), ids[:5] + ids[-5:]
    assert all(allowed(f, f"b{n[0] - 1}") for f in fleet.nodes)


def redis_restarted(fleet):
    fleet.start()
    for i in range(20):
        grant(fleet.leader, f"a{i}")
    same_digest(fleet)
    fleet.redis.stop()
    for f in fleet.followers:
        wait_until(lambda: not f.status()["redisReachable"], "follower says Redis is away")
        metrics, _ = f.get("/metrics")
        assert "authz_replica_redis_reachable 0" in metrics
        assert allowed(f, "a3")  # still answering from its last state
    grant(fleet.leader, "during")  # the leader keeps accepting
    fleet.redis.start()
    for i in range(20):
        grant(fleet.leader, f"c{i}")
    same_digest(fleet)
    for f in fleet.followers:
        st = f.status()
        assert st["redisReachable"] and st["reconnects"] >= 1, st
        assert allowed(f, "during")


def follower_kill9(fleet):
    fleet.start()
    for i in range(30):
        grant(fleet.leader, f"a{i}")
    same_digest(fleet)
    f = fleet.followers[0]  # has --data
    before = f.status()
    f.kill(signal.SIGKILL)
    fleet.redis.stop()
    f.start()  # Redis unreachable: it serves what it kept
    st = f.status()
    assert st["revision"] == before["revision"] and st["digest"] == before["digest"], (st, before)
    assert allowed(f, "a29")
    fleet.redis.start()
    for i in range(10):
        grant(fleet.leader, f"b{i}")
    # the followers without --data are SIGKILLed and come back from the snapshot and stream
    for g in fleet.followers[1:]:
        g.kill(signal.SIGKILL)
        g.start()
    same_digest(fleet)


def leader_kill9(fleet):
    fleet.start()
    acked = []
    stop = threading.Event()

    def load(tid):
        i = 0
        while not stop.is_set():
            try:
                grant(fleet.leader, f"t{tid}_{i}")
                acked.append(f"t{tid}_{i}")
            except OSError:
                return
            i += 1

    threads = [threading.Thread(target=load, args=(t,)) for t in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    fleet.leader.kill(signal.SIGKILL)
    for t in threads:
        t.join()
    stop.set()
    fleet.leader.start()
    rev = fleet.leader.status()["revision"]
    ids = stream_ids(fleet)
    assert not ids or ids[-1] <= rev, (ids[-1], rev)  # nothing beyond the journal
    same_digest(fleet)
    for node in fleet.nodes:
        missing = [u for u in acked if not allowed(node, u)]
        assert not missing, (node.name, missing[:5])
    assert len(acked) > 0


def trimmed_past_slow_follower(fleet):
    fleet.start()
    for i in range(20):
        grant(fleet.leader, f"a{i}")
    same_digest(fleet)
    slow = fleet.followers[1]
    loads = slow.status()["snapshotLoads"]
    slow.p.send_signal(signal.SIGSTOP)
    for i in range(200):
        grant(fleet.leader, f"b{i}")
    fleet.redis.cli("XTRIM", "authz:log", "MAXLEN", "0")
    fleet.leader.compact()
    for i in range(5):
        grant(fleet.leader, f"c{i}")
    slow.p.send_signal(signal.SIGCONT)
    same_digest(fleet)
    assert slow.status()["snapshotLoads"] == loads + 1
    assert allowed(slow, "b150")


def bad_entry_and_chunk(fleet):
    fleet.start()
    for i in range(10):
        grant(fleet.leader, f"a{i}")
    same_digest(fleet)
    rev = fleet.leader.status()["revision"]
    bad = f"{rev + 1}-1"
    assert fleet.redis.cli("XADD", "authz:log", bad, "r", "not a record") == bad
    grant(fleet.leader, "x")  # its publish of rev+1 is refused by Redis: already there
    grant(fleet.leader, "y")
    for f in fleet.followers:
        st = wait_until(lambda: f.status() if f.status()["stalled"] else None, "follower refuses")
        assert bad in st["error"] and st["revision"] == rev, st
        assert not allowed(f, "y") and allowed(f, "a9")  # nothing after the bad entry
        metrics, _ = f.get("/metrics")
        assert "authz_replica_stalled 1" in metrics
    fleet.leader.compact()  # a snapshot past it heals every follower
    same_digest(fleet)
    assert all(allowed(f, "y") for f in fleet.followers)
    # a damaged chunk: a new follower refuses the snapshot and names the chunk
    srev = fleet.leader.status()["revision"]
    fleet.redis.cli("SET", f"authz:snap:{srev}:0", "garbage")
    late = Node(fleet.binary, fleet.root, "late", ["--follow", fleet.redis.url])
    fleet.nodes.append(late)
    late.start()
    st = wait_until(lambda: late.status() if late.status()["stalled"] else None, "new follower refuses")
    assert "chunk 0" in st["error"] and st["revision"] == 0, st
    grant(fleet.leader, "z")
    fleet.leader.compact()
    fleet.followers.append(late)
    same_digest(fleet)


def two_leaders(fleet):
    fleet.start()
    grant(fleet.leader, "a")
    same_digest(fleet)
    second = Node(fleet.binary, fleet.root, "second",
                  ["--data", os.path.join(fleet.root, "second"), "--publish", fleet.redis.url])
    fleet.nodes.append(second)
    second.start()
    st = wait_until(lambda: second.status() if second.status()["fenced"] else None, "second leader fenced")
    assert "another leader" in st["error"], st
    assert "refuses to publish" in open(second.log).read()
    before = fleet.redis.cli("XLEN", "authz:log")
    for i in range(5):
        grant(second, f"rogue{i}")
    time.sleep(0.3)
    assert fleet.redis.cli("XLEN", "authz:log") == before
    grant(fleet.leader, "b")  # the first leader still publishes
    same_digest(fleet)
    assert not any(allowed(f, "rogue0") for f in fleet.followers)


FAULTS = [redis_down_at_start_and_mid_load, redis_restarted, follower_kill9, leader_kill9,
          trimmed_past_slow_follower, bad_entry_and_chunk, two_leaders]


def main():
    binary = sys.argv[1]
    survived = 0
    for fault in FAULTS:
        fleet = Fleet(binary, followers=2)
        ok = False
        try:
            fault(fleet)
            ok = True
            survived += 1
        except Exception as e:
            print(f"{fault.__name__}: FAILED: {e!r}")
            print(fleet.logs())
            raise
        finally:
            fleet.close(keep=not ok)
        print(f"  {fault.__name__}: ok")
    print(f"replication faults: {survived} of {len(FAULTS)} survived")
    return 0 if survived == len(FAULTS) else 1


if __name__ == "__main__":
    sys.exit(main())

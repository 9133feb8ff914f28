"""replication_test.py - one leader, three followers and a real Redis under a random write load
of every family, while followers are killed with SIGKILL and restarted, Redis is restarted
(SIGTERM or SIGKILL; AOF with appendfsync always), the stream is trimmed past everyone and the
leader compacts, and the leader itself is killed with SIGKILL and restarted on its data directory.
At the end every follower's digest must equal the leader's, and 2,000 random checks must answer
the same on every node.
Prints: "replication: N writes, M follower restarts, K redis restarts, 0 divergent nodes".
usage: python3 replication_test.py /path/to/authz   (AUTHZ_SEED, AUTHZ_TEST_LONG=1)
"""
import os, random, signal, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fleet import Fleet, answer, caught_up, directory_of, random_check, random_write, wait_until

LONG = os.environ.get("AUTHZ_TEST_LONG") == "1"
WRITES = 6000 if LONG else 1500
CHAOS = 40 if LONG else 12


def main():
    binary = sys.argv[1]
    seed = int(os.environ.get("AUTHZ_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    fleet = Fleet(binary, followers=3, leader_args=("--compact-bytes", "40000", "--trim-margin", "50"))
    ok = False
    try:
        fleet.start()
        writes = [0]
        done = threading.Event()
        lock = threading.Lock()

        def writer(tid):
            wr = random.Random(seed * 7 + tid)
            while not done.is_set():
                with lock:
                    if writes[0] >= WRITES:
                        return
                method, body = random_write(wr)
                try:
                    env, _ = fleet.leader.call(method, body, timeout=10)
                except OSError:
                    time.sleep(0.01)  # the leader is restarting; this write may or may not exist
                    continue
                if env["statusCode"] == 200:
                    with lock:
                        writes[0] += 1

        threads = [threading.Thread(target=writer, args=(t,)) for t in range(3)]
        for t in threads:
            t.start()
        follower_restarts = leader_restarts = trims = 0
        for step in range(CHAOS):
            time.sleep(rng.uniform(0.05, 0.4))
            kind = rng.choice(["follower", "follower", "redis", "trim", "leader"])
            if kind == "follower":
                f = rng.choice(fleet.followers)
                f.kill(signal.SIGKILL)
                time.sleep(rng.uniform(0, 0.2))
                f.start()
                follower_restarts += 1
            elif kind == "redis":
                fleet.redis.restart(rng.choice([signal.SIGTERM, signal.SIGKILL]))
            elif kind == "trim":
                fleet.redis.cli("XTRIM", "authz:log", "MAXLEN", "0")
                fleet.leader.compact()
                trims += 1
            else:
                fleet.leader.kill(signal.SIGKILL)
                fleet.leader.start()
                leader_restarts += 1
        for t in threads:
            t.join()
        done.set()
        wait_until(lambda: caught_up(fleet.leader, fleet.followers), "followers caught up", 300)
        lead = fleet.leader.status()
        divergent = []
        for f in fleet.followers:
            st = f.status()
            if st["digest"] != lead["digest"] or st["revision"] != lead["revision"]:
                divergent.append((f.name, st, lead))
            elif directory_of(f) != directory_of(fleet.leader):
                divergent.append((f.name, "directory (IDs or creation times)"))
        mismatched = 0
        for _ in range(2000):
            body = random_check(rng)
            answers = {answer(n, body) for n in fleet.nodes}
            mismatched += len(answers) != 1
        if divergent or mismatched:
            print(f"seed {seed}: divergent {divergent}, {mismatched} checks differ")
            print(fleet.logs())
            return 1
        assert writes[0] >= WRITES
        print(f"replication: {writes[0]} writes, {follower_restarts} follower restarts, "
              f"{fleet.redis.restarts} redis restarts, 0 divergent nodes "
              f"({leader_restarts} leader restarts, {trims} trims, revision {lead['revision']}, "
              f"2000 checks agree, directories equal, seed {seed})")
        ok = True
        return 0
    finally:
        if not ok:
            print(f"seed {seed}")
            print(fleet.logs())
        fleet.close()


if __name__ == "__main__":
    sys.exit(main())

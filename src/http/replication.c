/*
 * replication.c - roles, revisions, the min-revision wait, status and metrics of a fleet
 * (replication.h).
 */
#include "replication.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "durable.h"
#include "replica/publish.h"

struct authz_http_repl {
    authz_engine *engine;
    struct authz_durable *durable;
    authz_replica *replica;
    struct authz__publisher *publisher;
    int max_wait_ms;
};

authz_http_repl *authz_http_repl_new(authz_engine *e, struct authz_durable *durable,
                                     authz_replica *replica, struct authz__publisher *publisher,
                                     int max_wait_ms) {
    authz_http_repl *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->engine = e;
    r->durable = durable;
    r->replica = replica;
    r->publisher = publisher;
    r->max_wait_ms = max_wait_ms > 0 ? max_wait_ms : 1000;
    return r;
}

void authz_http_repl_free(authz_http_repl *r) { free(r); }

uint64_t authz_http_repl_revision(const authz_http_repl *r) {
    if (!r) return 0;
    if (r->replica) return authz_replica_revision(r->replica);
    if (r->durable) return authz_durable_revision(r->durable);
    return 0;
}

bool authz_http_repl_read_only(const authz_http_repl *r) { return r && r->replica; }

static const char *role(const authz_http_repl *r) {
    return r->replica ? "follower" : r->publisher ? "leader" : "standalone";
}

int authz_http_repl_wait(const authz_http_repl *r, const char *min_revision, char *msg, size_t n) {
    if (!min_revision || !r) return 0;
    char *end;
    errno = 0;
    unsigned long long want = strtoull(min_revision, &end, 10);
    if (*min_revision < '0' || *min_revision > '9' || *end || errno) {
        snprintf(msg, n, "x-authz-min-revision must be a revision number, not \"%.40s\"",
                 min_revision);
        return 400;
    }
    if (r->replica) {
        if (authz_replica_wait(r->replica, want, r->max_wait_ms) == AUTHZ_OK) return 0;
    } else {
        /* A leader or a standalone server reaches a revision only by its own writes: it waits
         * for a write still in flight, in 1 ms steps. */
        for (int waited = 0; authz_http_repl_revision(r) < want; waited++) {
            if (waited >= r->max_wait_ms) break;
            struct timespec t = {0, 1000000};
            nanosleep(&t, NULL);
        }
        if (authz_http_repl_revision(r) >= want) return 0;
    }
    snprintf(msg, n, "revision %llu not reached: this %s is at revision %llu after waiting %d ms",
             want, role(r), (unsigned long long)authz_http_repl_revision(r), r->max_wait_ms);
    return 503;
}

json_t *authz_http_repl_status(const authz_http_repl *r) {
    char digest[17];
    snprintf(digest, sizeof digest, "%016" PRIx64, authz_digest(r->engine));
    json_t *o = json_pack("{s:s,s:I,s:s}", "role", role(r), "revision",
                          (json_int_t)authz_http_repl_revision(r), "digest", digest);
    if (!o) return NULL;
    if (r->replica) {
        authz_replica_status st;
        authz_replica_info(r->replica, &st);
        json_object_set_new(o, "leaderRevision", json_integer((json_int_t)st.leader_revision));
        json_object_set_new(o, "lag", json_integer((json_int_t)st.lag));
        json_object_set_new(o, "lagMs", json_integer((json_int_t)st.lag_ms));
        json_object_set_new(o, "redisReachable", json_boolean(st.redis_reachable));
        json_object_set_new(o, "stalled", json_boolean(st.stalled));
        json_object_set_new(o, "recordsApplied", json_integer((json_int_t)st.records_applied));
        json_object_set_new(o, "snapshotLoads", json_integer((json_int_t)st.snapshot_loads));
        json_object_set_new(o, "reconnects", json_integer((json_int_t)st.reconnects));
        json_object_set_new(o, "refused", json_integer((json_int_t)st.refused));
        json_object_set_new(o, "error", json_string(st.error));
    } else if (r->publisher) {
        authz__publisher_info pi;
        authz__publisher_info_get(r->publisher, &pi);
        json_object_set_new(o, "published", json_integer((json_int_t)pi.published));
        json_object_set_new(o, "snapshotRevision", json_integer((json_int_t)pi.snapshot_rev));
        json_object_set_new(o, "redisReachable", json_boolean(pi.reachable));
        json_object_set_new(o, "fenced", json_boolean(pi.fenced));
        json_object_set_new(o, "reconnects", json_integer((json_int_t)pi.reconnects));
        json_object_set_new(o, "error", json_string(pi.error));
    }
    return o;
}

void authz_http_repl_metrics(const authz_http_repl *r, FILE *f) {
    if (!r) return;
    fprintf(f,
            "# HELP authz_revision The model's revision (the leader's journal sequence number).\n"
            "# TYPE authz_revision gauge\nauthz_revision %llu\n",
            (unsigned long long)authz_http_repl_revision(r));
    if (r->replica) {
        authz_replica_status st;
        authz_replica_info(r->replica, &st);
        fprintf(f,
                "# HELP authz_replica_lag Revisions this follower is behind the leader.\n"
                "# TYPE authz_replica_lag gauge\nauthz_replica_lag %llu\n"
                "# HELP authz_replica_lag_seconds Time since this follower was last up to date.\n"
                "# TYPE authz_replica_lag_seconds gauge\nauthz_replica_lag_seconds %g\n"
                "# TYPE authz_replica_records_applied_total counter\n"
                "authz_replica_records_applied_total %llu\n"
                "# TYPE authz_replica_snapshot_loads_total counter\n"
                "authz_replica_snapshot_loads_total %llu\n"
                "# TYPE authz_replica_redis_reconnects_total counter\n"
                "authz_replica_redis_reconnects_total %llu\n"
                "# TYPE authz_replica_refused_total counter\nauthz_replica_refused_total %llu\n"
                "# TYPE authz_replica_redis_reachable gauge\nauthz_replica_redis_reachable %d\n"
                "# TYPE authz_replica_stalled gauge\nauthz_replica_stalled %d\n",
                (unsigned long long)st.lag, (double)st.lag_ms / 1000.0,
                (unsigned long long)st.records_applied, (unsigned long long)st.snapshot_loads,
                (unsigned long long)st.reconnects, (unsigned long long)st.refused,
                st.redis_reachable ? 1 : 0, st.stalled ? 1 : 0);
    } else if (r->publisher) {
        authz__publisher_info pi;
        authz__publisher_info_get(r->publisher, &pi);
        fprintf(f,
                "# HELP authz_publish_revision The newest revision in the Redis stream.\n"
                "# TYPE authz_publish_revision gauge\nauthz_publish_revision %llu\n"
                "# TYPE authz_publish_records_total counter\nauthz_publish_records_total %llu\n"
                "# TYPE authz_publish_snapshots_total counter\n"
                "authz_publish_snapshots_total %llu\n"
                "# TYPE authz_publish_redis_reconnects_total counter\n"
                "authz_publish_redis_reconnects_total %llu\n"
                "# TYPE authz_publish_redis_reachable gauge\nauthz_publish_redis_reachable %d\n"
                "# TYPE authz_publish_fenced gauge\nauthz_publish_fenced %d\n",
                (unsigned long long)pi.published, (unsigned long long)pi.records,
                (unsigned long long)pi.snapshots, (unsigned long long)pi.reconnects,
                pi.reachable ? 1 : 0, pi.fenced ? 1 : 0);
    }
}

/* authz/replica.h - keeping an engine in step with a leader through a Redis Stream (library
 * authz_replica: CMake target authz::authz_replica, pkg-config authz_replica). Include
 * <authz/replica.h> after <authz.h>; the conventions of <authz.h> apply.
 *
 * A leader (`authz serve --data DIR --publish URL`) publishes every durable write to a Redis
 * Stream as its journal record, under the entry ID "<revision>-1", where the revision is the
 * journal sequence number; and snapshots of the whole model, in chunks, with the revision they
 * cover. A replica loads the newest snapshot into the caller's engine, then applies each stream
 * record in order, with no gap and no duplicate. A gap, or a follower left behind by trimming,
 * makes it load the snapshot again; a record or chunk that does not verify is refused and
 * nothing after it is applied until a snapshot past it is published.
 *
 * Keys, for a stream named NAME (default "authz"): NAME:log (the stream), NAME:snap (the
 * newest snapshot's descriptor), NAME:snap:<revision>:<i> (its chunks), NAME:leader (the
 * publishing leader's identity: a second leader refuses to publish).
 */
#ifndef AUTHZ_API_REPLICA_H
#define AUTHZ_API_REPLICA_H

#include "authz/engine.h"
#include "authz/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct authz_replica authz_replica;

typedef struct authz_replica_options {
    /* redis://[user:password@]host:port[/db] or unix:///path/to/redis.sock. Required. */
    const char *url;
    /* The key prefix; NULL: "authz". Many models can share one Redis under different names. */
    const char *stream;
    /* NULL: the state lives in memory only. A directory: the last applied state is kept there
     * (a snapshot and a journal), so a restart serves it at once even while Redis is away. */
    const char *data_dir;
    /* The longest one XREAD BLOCK waits, in ms (0: 1000). Bounds how long stop takes. */
    int block_ms;
    /* Reconnect backoff bounds, in ms (0: 50 and 2000). */
    int backoff_min_ms, backoff_max_ms;
    /* Called (from the replication thread) with a line for each notable event: reconnects,
     * snapshot loads, refused records. NULL: the lines go to stderr. */
    void (*log)(void *ctx, const char *line);
    void *log_ctx;
} authz_replica_options;

/** Fills `opt` with the defaults (all zero / NULL). */
AUTHZ_API void authz_replica_options_init(authz_replica_options *opt);

/**
 * Starts a thread that keeps `engine` in step with the stream (it loads the newest snapshot
 * first; with data_dir, the state kept there before that). The engine stays the caller's and
 * must outlive the replica; checks on it never wait on the thread beyond the engine's ordinary
 * write lock. A snapshot load replaces the engine's whole contents at once under its write lock:
 * a check sees the old model or the new one, never a mix. Returns AUTHZ_EINVAL for a malformed
 * URL or options, AUTHZ_EIO / AUTHZ_ECORRUPT for an unreadable data_dir; an unreachable Redis is
 * not an error (the thread keeps trying, see authz_replica_info).
 */
AUTHZ_API authz_status authz_replica_start(authz_engine *engine, const authz_replica_options *opt,
                                           authz_replica **out, authz_error *err);

/** The revision applied to the engine: the leader's journal sequence number it reflects. */
AUTHZ_API uint64_t authz_replica_revision(const authz_replica *r);

/**
 * AUTHZ_OK once revision `rev` is applied (at once if it already is); AUTHZ_ETIMEDOUT after
 * `timeout_ms` (0: do not wait; negative: wait without limit), AUTHZ_EUNAVAILABLE if the
 * replica is stopping.
 */
AUTHZ_API authz_status authz_replica_wait(authz_replica *r, uint64_t rev, int timeout_ms);

typedef struct authz_replica_status {
    uint64_t revision;        /* applied */
    uint64_t leader_revision; /* the newest revision seen in the stream or a snapshot */
    uint64_t lag;             /* leader_revision - revision (0 when up to date) */
    int64_t lag_ms;           /* ms since the replica was last known up to date; 0 if it is */
    bool redis_reachable;     /* the last Redis command succeeded */
    bool stalled;             /* a record or chunk was refused; `error` says which */
    uint64_t records_applied, snapshot_loads, reconnects, refused;
    char error[256]; /* the last problem, "" if none */
} authz_replica_status;

/** A consistent copy of the replica's state. */
AUTHZ_API authz_status authz_replica_info(const authz_replica *r, authz_replica_status *out);

/** Stops and joins the thread, frees the replica; the engine stays as it was. NULL: no-op. */
AUTHZ_API void authz_replica_stop(authz_replica *r);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_REPLICA_H */

/*
 * publish.h - the leader's side of replication (`authz serve --data DIR --publish URL`): a
 * thread that publishes each durable journal record to the stream, in order and exactly once,
 * and the data directory's snapshot whenever there is a new one.
 *
 * The journal is the source of truth: records are handed over as they are journaled, and
 * whatever was missed (Redis away, a queue overflow, a restart) is read back from DIR/journal;
 * records compacted away are covered by publishing DIR/snapshot. Each record's stream entry ID
 * is "<revision>-1", so Redis itself refuses a repeated publish. A leader identity kept in
 * DIR/leader-id is written to NAME:leader; every publish checks it in the same Lua script, so a
 * second leader on the same stream refuses to publish, with a clear message.
 */
#ifndef AUTHZ_REPLICA_PUBLISH_H
#define AUTHZ_REPLICA_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "authz.h"

typedef struct authz__publisher authz__publisher;

typedef struct authz__publisher_info {
    bool reachable, fenced;
    uint64_t published;    /* the newest revision in the stream (or covered by the snapshot) */
    uint64_t snapshot_rev; /* the revision of the snapshot in Redis */
    uint64_t reconnects, records, snapshots;
    char error[256];
} authz__publisher_info;

/* `durable_rev`: the journal's last durable sequence number now. `trim_margin`: how many
 * revisions behind the newest snapshot stay in the stream (0: 1000). */
authz_status authz__publisher_start(const char *url, const char *stream, const char *data_dir,
                                    uint64_t durable_rev, uint64_t trim_margin,
                                    authz__publisher **out, authz_error *err);
/* A record just journaled (called in journal order, under the durable write lock). */
void authz__publisher_record(authz__publisher *p, uint64_t seq, const char *rec, size_t len);
/* Every record up to `seq` is on disk. */
void authz__publisher_durable(authz__publisher *p, uint64_t seq);
/* DIR/snapshot was replaced (compaction). */
void authz__publisher_snapshot(authz__publisher *p);
void authz__publisher_info_get(authz__publisher *p, authz__publisher_info *out);
void authz__publisher_stop(authz__publisher *p);

#endif

/*
 * replica_internal.h - the parts of authz_replica (include/authz/replica.h) that the leader's
 * publisher, the server, the tests and the fuzzer share: the wire forms in Redis, the transport
 * a follower reads through (Redis, or a fake in the tests), and the one function that applies a
 * journal record to an engine (journal replay and replication both call it).
 *
 * In Redis, for a stream named NAME:
 *   NAME:log              the stream; entry "<rev>-1" has field "r": the journal record of
 *                         revision rev, framed as in the journal (store/journal.h)
 *   NAME:snap             the descriptor of the newest snapshot (below)
 *   NAME:snap:<rev>:<i>   its chunks, i = 0 .. count-1
 *   NAME:leader           the identity of the leader allowed to publish
 *
 * Descriptor (48 bytes, little-endian): "AZSD" u32 version=1 | u64 rev | u64 total_bytes |
 *   u32 chunk_count | u32 chunk_size | u64 XXH3-64(snapshot bytes) | u64 XXH3-64(the 40 before)
 * Chunk: "AZSC" u32 index | u32 count | u32 len | u64 rev | len payload bytes |
 *   u64 XXH3-64(the 24 header bytes and the payload)
 */
#ifndef AUTHZ_REPLICA_INTERNAL_H
#define AUTHZ_REPLICA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "authz.h"
#include "authz/replica.h"

#define AUTHZ__SNAPDESC_SIZE 48u
#define AUTHZ__CHUNK_HEAD 24u
#define AUTHZ__CHUNK_TAIL 8u
#define AUTHZ__CHUNK_SIZE (4u << 20) /* no single Redis value beyond 4 MiB + 32 bytes */
#define AUTHZ__CHUNK_MAX_COUNT (1u << 20)

typedef struct authz__snapdesc {
    uint64_t rev, total, sum;
    uint32_t count, chunk_size;
} authz__snapdesc;

void authz__snapdesc_encode(unsigned char out[AUTHZ__SNAPDESC_SIZE], const authz__snapdesc *d);
/* 1 if `d` is a whole, verified descriptor; else 0 with the reason in *why. */
int authz__snapdesc_decode(const unsigned char *d, size_t n, authz__snapdesc *out,
                           const char **why);
/* Chunk i of a snapshot (`payload` is its slice); `out` needs HEAD + len + TAIL bytes. */
void authz__chunk_encode(unsigned char *out, uint64_t rev, uint32_t index, uint32_t count,
                         const unsigned char *payload, uint32_t len);
/* 1 if `d` is chunk `index` of the snapshot `desc` describes, verified; its payload then points
 * into `d`. Else 0 with the reason. */
int authz__chunk_decode(const unsigned char *d, size_t n, const authz__snapdesc *desc,
                        uint32_t index, const unsigned char **payload, size_t *len,
                        const char **why);
/* Checks assembled snapshot bytes against their descriptor (length and checksum). */
int authz__snapshot_verify(const unsigned char *d, size_t n, const authz__snapdesc *desc,
                           const char **why);
/* A stream entry ID "<rev>-1" (rev >= 1): 1 with the revision, else 0. */
int authz__entry_id_parse(const char *id, uint64_t *rev);
/* The journal sequence number a snapshot file's bytes say they cover (the META section);
 * 1 if found. Reads the directory only (no checksum: the loader verifies). */
int authz__snapshot_seq_of(const unsigned char *d, size_t n, uint64_t *seq);

/* Applies one journal record's payload (a JSON write request) to `e`: what journal replay does
 * with each record. AUTHZ_ENOMEM if the engine ran out of memory, AUTHZ_ECORRUPT if the record
 * is not a request or does not apply (its message names the sequence number). */
authz_status authz__replica_apply(authz_engine *e, uint64_t seq, const char *payload, size_t len,
                                  authz_error *err);

/* ---- what a follower reads through ---- */

typedef struct authz__rt_entry {
    char id[48];         /* the stream entry ID as Redis gave it */
    unsigned char *data; /* malloc'ed value of field "r"; NULL if the entry has none */
    size_t len;
} authz__rt_entry;

/* Each returns 0 on success, -1 when the transport failed (the follower reconnects), with a
 * reason in `why`. */
typedef struct authz__transport_ops {
    int (*connect)(void *ctx, char *why, size_t n);
    void (*close)(void *ctx);
    /* *val malloc'ed, or NULL when the key does not exist. */
    int (*get)(void *ctx, const char *key, unsigned char **val, size_t *len, char *why, size_t n);
    /* Up to `max` entries with IDs after "<after>-1", waiting up to block_ms for the first;
     * *count receives how many. */
    int (*read)(void *ctx, const char *key, uint64_t after, int block_ms, authz__rt_entry *out,
                int max, int *count, char *why, size_t n);
    /* The revisions of the stream's first and last entries (0 and 0 when it is empty or
     * missing; UINT64_MAX for an ID that is not "<rev>-1"). */
    int (*bounds)(void *ctx, const char *key, uint64_t *first, uint64_t *last, char *why, size_t n);
    void (*destroy)(void *ctx);
} authz__transport_ops;

/* authz_replica_start over a transport of the caller's (the tests' fake). The replica owns
 * `ctx` and calls ops->destroy on it when it stops. */
authz_status authz__replica_start_with(authz_engine *engine, const authz_replica_options *opt,
                                       const authz__transport_ops *ops, void *ctx,
                                       authz_replica **out, authz_error *err);

/* The Redis transport over `url` (see authz_replica_options.url); NULL with a reason for a
 * URL that does not parse. */
void *authz__redis_transport_new(const char *url, int timeout_ms, char *why, size_t n);
extern const authz__transport_ops authz__redis_transport_ops;

#endif

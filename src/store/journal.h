/*
 * journal.h - the write-ahead journal of `authz serve --data DIR` (internal to the project:
 * the server and the CLI use it; embedders persist with authz_save).
 *
 * A journal file is a header ("AUTHZJNL", u32 version, u32 zero, u64 base sequence) followed by
 * records, each `u32 magic "AZJR" | u32 length | u64 sequence | payload | u64 XXH3-64 of the
 * length, sequence and payload`. Sequence numbers run base+1, base+2, ... with no gap. The
 * payload is opaque here (the server stores the JSON request of each accepted write).
 *
 * Group commit: appends are serialized by the caller (in the order it applied the writes);
 * authz__journal_sync() then waits until its record is on disk, and one fsync serves every
 * thread waiting at that moment.
 */
#ifndef AUTHZ_JOURNAL_H
#define AUTHZ_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "authz.h"

typedef struct authz__journal authz__journal;

/* Called for each record to replay, in order; a non-OK status stops the replay with it. */
typedef authz_status (*authz__journal_apply_fn)(void *ctx, uint64_t seq, const char *payload,
                                                size_t len, authz_error *err);

/*
 * Replays the journal at `path`: records with sequence > after_seq are applied. A torn last
 * record (a crash mid-append: the record runs past the end of the file, or only zero bytes
 * follow) is cut off and described in `warning`; a damaged record with intact data after it,
 * a gap in the sequence, or a journal that starts after after_seq + 1 stops with
 * AUTHZ_ECORRUPT naming the byte offset, since acknowledged writes would otherwise be skipped.
 * A missing file is an empty journal. `*last_seq` receives the last sequence number seen (or
 * after_seq) and `*valid_bytes` the length of the intact prefix (0 if the file is missing).
 */
authz_status authz__journal_replay(const char *path, uint64_t after_seq,
                                   authz__journal_apply_fn apply, void *ctx, uint64_t *last_seq,
                                   uint64_t *valid_bytes, char *warning, size_t warning_size,
                                   authz_error *err);

/* The same over bytes in memory (`name` is used in messages); for the fuzzer. */
authz_status authz__journal_replay_buffer(const unsigned char *d, size_t len, const char *name,
                                          uint64_t after_seq, authz__journal_apply_fn apply,
                                          void *ctx, uint64_t *last_seq, uint64_t *valid_bytes,
                                          char *warning, size_t warning_size, authz_error *err);

/*
 * Opens `path` for appending after a replay: the file is cut to `valid_bytes` (dropping a torn
 * tail) and the next record gets last_seq + 1. A missing or empty file is created with base
 * sequence `last_seq`.
 */
authz_status authz__journal_open(const char *path, uint64_t valid_bytes, uint64_t last_seq,
                                 authz__journal **out, authz_error *err);
/* Appends one record and returns its sequence number; not yet durable. */
authz_status authz__journal_append(authz__journal *j, const void *payload, size_t len,
                                   uint64_t *seq, authz_error *err);
/* Waits until record `seq` is on disk. */
authz_status authz__journal_sync(authz__journal *j, uint64_t seq, authz_error *err);
/* Replaces the journal with an empty one whose base is the last appended sequence (call after
 * a snapshot holding every appended record is on disk). Crash-safe: a temporary file is
 * written, fsync'ed and renamed over the journal, and the directory fsync'ed. */
authz_status authz__journal_rotate(authz__journal *j, authz_error *err);
uint64_t authz__journal_last_seq(const authz__journal *j);

/* One record in the journal's own framing, outside a file (replication sends records as they
 * are journaled). The size of the framed record of a `len`-byte payload; writing it into `out`. */
size_t authz__journal_record_size(size_t len);
void authz__journal_record_encode(unsigned char *out, uint64_t seq, const void *payload,
                                  size_t len);
/* Verifies that `d` is exactly one whole record (magic, length, checksum): 1 with its sequence
 * number and payload (pointing into `d`), else 0 with the reason in *why. */
int authz__journal_record_decode(const unsigned char *d, size_t n, uint64_t *seq,
                                 const unsigned char **payload, size_t *len, const char **why);
uint64_t authz__journal_bytes(const authz__journal *j);
void authz__journal_close(authz__journal *j);

#endif

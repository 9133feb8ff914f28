/*
 * durable.h - what `authz serve --data DIR` keeps on disk: DIR/snapshot (the state up to a
 * journal sequence number) and DIR/journal (every accepted write after it, one record each).
 *
 * A write is applied and appended under one lock, so the journal's order is the order writes
 * were applied; its response waits until the record is on disk (group commit: one fsync serves
 * every writer waiting at that moment). Compaction writes a new snapshot holding everything
 * journaled, then starts a new journal; a crash at any step leaves a snapshot and a journal
 * that together hold every acknowledged write. Reads never touch the disk.
 */
#ifndef AUTHZ_HTTP_DURABLE_H
#define AUTHZ_HTTP_DURABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "authz.h"

typedef struct authz_durable authz_durable;

/*
 * Opens DIR: loads DIR/snapshot (or, when there is none, `initial` — a model file as the CLI
 * reads them — or an empty engine), replays DIR/journal, and opens it for appending. A torn
 * last record is cut off and reported in `warning`. `*engine` receives the engine.
 */
authz_status authz_durable_open(const char *dir, authz_engine *initial, uint64_t compact_bytes,
                                authz_engine **engine, authz_durable **out, char *warning,
                                size_t warning_size, authz_error *err);
void authz_durable_close(authz_durable *d);

/* Replays the journal at `path` into `e` (records after `after_seq`): what a start does. An
 * engine out of memory is AUTHZ_ENOMEM; a record that does not apply, AUTHZ_ECORRUPT. */
authz_status authz_durable_replay(const char *path, authz_engine *e, uint64_t after_seq,
                                  uint64_t *last_seq, uint64_t *valid_bytes, char *warning,
                                  size_t warning_size, authz_error *err);

/*
 * Runs one write request through the JSON front door and, if it succeeded, journals it; the
 * response is returned only once the record is on disk. Returns the front door's status;
 * `*status_code` is the envelope's statusCode (500 if journaling failed).
 */
authz_status authz_durable_write(authz_durable *d, const char *method, const char *body, size_t len,
                                 unsigned lang, char **response, int *status_code);
/* The same, giving the write's revision (its journal sequence number) when it succeeded. */
authz_status authz_durable_write_rev(authz_durable *d, const char *method, const char *body,
                                     size_t len, unsigned lang, char **response, int *status_code,
                                     uint64_t *revision);
/* The last journaled sequence number: the model's revision; 0 without --data (d NULL). */
uint64_t authz_durable_revision(const authz_durable *d);
/* --publish: durable records, and each new snapshot, are handed to `p` (set before serving). */
struct authz__publisher;
void authz_durable_set_publisher(authz_durable *d, struct authz__publisher *p);
/* A new snapshot and an empty journal. */
authz_status authz_durable_compact(authz_durable *d, authz_error *err);

#endif

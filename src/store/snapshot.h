/*
 * snapshot.h - internals shared by the snapshot writer and reader.
 */
#ifndef AUTHZ_SNAPSHOT_H
#define AUTHZ_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "authz.h"

/* Loads a snapshot from memory. With `verify_checksums` 0 the checksums are not compared (the
 * fuzzer uses this to reach the decoder); everything else is still verified. */
authz_status authz__load_buffer(const unsigned char *data, size_t len, int verify_checksums,
                                const authz_options *opt, authz_engine **out, authz_error *err);

/* Tests: set to 1, the loader decodes every string and every grant one at a time, the way the
 * batched and prefetching paths must match (same engine, same error, same message). 0, the
 * default, is the fast path. Not thread-safe; tests only. */
extern int authz__snap_one_by_one;

/* Verifies the snapshot bytes and builds a new engine from them (with e's allocator, clock and
 * strict option), then replaces e's whole contents with it under e's write lock: readers see the
 * old model or the new one, never a mix. On any failure (corrupt bytes, ENOMEM) `e` is
 * untouched. `*seq` receives the journal sequence number the snapshot covers. */
authz_status authz__load_into(authz_engine *e, const unsigned char *data, size_t len, uint64_t *seq,
                              authz_error *err);

/* authz_save / authz_load carrying the last journal sequence number the snapshot includes
 * (the server's journal replays only what comes after it). */
authz_status authz__save_seq(const authz_engine *e, const char *path, uint64_t seq,
                             authz_error *err);
authz_status authz__load_seq(const char *path, const authz_options *opt, authz_engine **out,
                             uint64_t *seq, authz_error *err);

/* A pointer -> index map for the writer (plain allocations, not the engine's). */
typedef struct authz__ptrmap {
    const authz_allocator *a;
    const void **keys;
    uint32_t *values;
    size_t mask;
} authz__ptrmap;

int authz__ptrmap_init(authz__ptrmap *m, const authz_allocator *a, size_t n);
void authz__ptrmap_put(authz__ptrmap *m, const void *k, uint32_t v);
uint32_t authz__ptrmap_get(const authz__ptrmap *m, const void *k);
void authz__ptrmap_free(authz__ptrmap *m);

#endif

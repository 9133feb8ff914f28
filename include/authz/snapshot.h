/* authz/snapshot.h - snapshots. Part of the public API; include <authz.h>, whose opening
 * comment states the conventions every function here follows. */
#ifndef AUTHZ_API_SNAPSHOT_H
#define AUTHZ_API_SNAPSHOT_H

#include "authz/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Snapshots                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/**
 * Writes the engine's whole state to `path`, atomically: a temporary file in the same directory
 * is written, fsync'ed and renamed over `path`, then the directory is fsync'ed. When this
 * returns AUTHZ_OK the snapshot is on disk; on failure `path` is as it was and no temporary file
 * is left. Checks proceed while it runs; writes wait. AUTHZ_EIO says which step failed.
 * The format is versioned, with an XXH3-64 checksum per section and over the whole file.
 */
AUTHZ_API authz_status authz_save(const authz_engine *e, const char *path, authz_error *err);

/**
 * Reads a snapshot into a NEW engine (options as for authz_engine_new). Everything is verified
 * before the engine is returned: a truncated, damaged, wrong-version or foreign file is
 * AUTHZ_ECORRUPT with a message saying where; a missing file AUTHZ_ENOTFOUND. On failure `*out`
 * is NULL and nothing else is touched.
 */
AUTHZ_API authz_status authz_load(const char *path, const authz_options *opt, authz_engine **out,
                                  authz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_SNAPSHOT_H */

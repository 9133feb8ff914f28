/*
 * authz_debug.h - always-compiled helpers for tests and fuzzers (not part of the public API):
 * a digest of the logical state and an invariant checker, in the manner of Redis' DEBUG DIGEST.
 * "The engine is unchanged" means: same digest, invariants hold, same live allocation count.
 */
#ifndef AUTHZ_DEBUG_H
#define AUTHZ_DEBUG_H

#include <stdint.h>
#include <stdio.h>

#include "authz.h"
#include "model/results.h"

/* A 64-bit digest of the whole logical state: every object with its fields, every membership,
 * assignment and grant, and every listing order. Independent of hash-table layout, interned
 * strings that nothing uses any more, and spare capacity. */
uint64_t authz__digest(const authz_engine *e);

/* Writes the canonical text form of the logical state (what the digest hashes) to `f`. */
void authz__dump(const authz_engine *e, FILE *f);

/* Checks every internal invariant (index consistency, back links, counts). Returns 1 if all
 * hold, else 0 with a reason written to `why` (if not NULL). */
int authz__check_invariants(const authz_engine *e, char *why, size_t why_size);

/* Engines created from now on file users in the user index under the low `bits` bits of their
 * ID's hash only (0: all 64), so that tests meet what a 64-bit collision would bring: a user
 * whose key another holds, found through the users map. */
void authz__debug_user_key_bits(unsigned bits);

/* Writes a Markdown table of the engine's bytes per structure (and per grant) to `f`. */
void authz__bytes_report(const authz_engine *e, FILE *f);

#endif

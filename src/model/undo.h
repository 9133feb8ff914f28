/*
 * undo.h - the undo log that makes every write all-or-nothing.
 *
 * A write runs in two phases under the write lock. Prepare validates, interns names, creates
 * what is missing and reserves every byte the commit will need; each step that changes the
 * engine logs how to take itself back. Commit links things in and cannot fail. If prepare fails
 * anywhere, authz__undo_rollback() replays the log backwards (never allocating) and the engine is
 * exactly as before, down to the live allocation count. The log's own array is grown before the
 * step it will record, so a failure to log is a failure before the change.
 */
#ifndef AUTHZ_UNDO_H
#define AUTHZ_UNDO_H

#include <stddef.h>
#include <stdint.h>

#include "base/map.h"
#include "base/vec.h"

struct authz_engine;

typedef void (*authz__undo_fn)(struct authz_engine *e, void *a, uintptr_t b);

typedef struct authz__undo_entry {
    authz__undo_fn fn;
    void *a;
    uintptr_t b;
} authz__undo_entry;

typedef struct authz__undo {
    authz__undo_entry *items;
    size_t count, cap;
    int active;
} authz__undo;

/* Allocates the log's first array at engine creation: a failed write that grows it then
 * reallocates one block and never leaves one more live block than it found. */
int authz__undo_init(struct authz_engine *e);
void authz__undo_begin(struct authz_engine *e);
/* Makes room for one more entry; 0 on allocation failure (nothing changed). */
int authz__undo_reserve(struct authz_engine *e);
/* Records an entry; authz__undo_reserve() must have succeeded first. */
void authz__undo_push(struct authz_engine *e, authz__undo_fn fn, void *a, uintptr_t b);
void authz__undo_rollback(struct authz_engine *e);
void authz__undo_commit(struct authz_engine *e);
void authz__undo_free(struct authz_engine *e);
/* Between writes: a log that one large write grew is cut back to its first size (a realloc,
 * so the live block count stays; skipped if the allocator refuses). */
void authz__undo_trim(struct authz_engine *e);

/* Container growth inside a write: like authz__map_grow()/authz__vec_grow(), and a container
 * that had no storage before gets it freed again on rollback. 0 on allocation failure. */
int authz__map_reserve(struct authz_engine *e, authz__map *m, size_t extra);
int authz__vec_reserve(struct authz_engine *e, authz__vec *v, size_t extra);

#endif

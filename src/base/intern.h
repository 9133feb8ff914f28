/*
 * intern.h - names to dense 32-bit ids: the boundary between strings and numbers.
 *
 * Every code and identifier the engine keeps (namespace, resource and role codes, resource
 * strings, action names, user and department IDs, group codes) is interned once; everything
 * past this file compares ids. Lookups never allocate and are safe under the read lock; adding
 * happens only in writes.
 *
 * Strings are reference-counted by what holds their id: an object that keeps an id calls
 * authz__intern_ref() and, when it lets go, authz__intern_unref(). Nothing is freed at once: a
 * string whose count reaches zero (or that was added and never referenced) waits in a queue
 * until authz__intern_sweep(), which the engine runs when a write ends (commit or rollback),
 * still under the write lock, so no reader ever sees a freed string and a write may drop a
 * name and take it again. Freed ids are reused by later adds.
 */
#ifndef AUTHZ_INTERN_H
#define AUTHZ_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include "base/mem.h"

struct authz__intern_entry;
struct authz__intern_slot;

typedef struct authz__intern {
    struct authz__intern_slot *slots;  /* open addressing by XXH3 of the bytes */
    size_t mask;                       /* slot count - 1 */
    struct authz__intern_entry **byid; /* id -> entry (a free id holds the next free id, odd) */
    uint32_t *zero;                    /* ids whose count went to zero, to sweep (a fixed array) */
    uint32_t live;                     /* live strings */
    uint32_t high;                     /* ids 1..high have been handed out */
    uint32_t cap;                      /* byid entries */
    uint32_t free_head;                /* first free id below high, 0 if none */
    uint32_t nzero;
    uint32_t freed;    /* strings freed since the ids were last trimmed */
    uint32_t overflow; /* the queue filled up: the next sweep scans every id */
} authz__intern;

/* The id of `s` (`len` bytes), or 0 if it is not interned. */
uint32_t authz__intern_find(const authz__intern *t, const char *s, size_t len);
/* The hash the table files `s` under (XXH3-64 of its bytes). A caller that keeps its own index
 * by the same hash (the engine's users) can look there while the table is looked up. */
uint64_t authz__intern_hash(const char *s, size_t len);

/* Up to AUTHZ__INTERN_BATCH lookups at once (the check's user, code, resource and action): each
 * string costs a slot and an entry read (the slot points at the entry, which holds the id),
 * each a memory miss in a large table, so the lookups go level by level, prefetching every
 * string's next read before making any, and the misses of one level overlap. ids[i] is what
 * authz__intern_find() would give. find_batch does the three steps; a caller with misses of its
 * own to overlap runs them itself: begin (hashes in b->h, slots prefetched), slots (slots read,
 * entries prefetched), end (entries read, ids out). */
#define AUTHZ__INTERN_BATCH 4
typedef struct authz__intern_batch {
    size_t n;
    const char *const *s;
    const size_t *len;
    uint64_t h[AUTHZ__INTERN_BATCH];
    size_t at[AUTHZ__INTERN_BATCH];
    const struct authz__intern_entry *cand[AUTHZ__INTERN_BATCH];
} authz__intern_batch;
void authz__intern_batch_begin(const authz__intern *t, authz__intern_batch *b, size_t n,
                               const char *const *s, const size_t *len);
void authz__intern_batch_slots(const authz__intern *t, authz__intern_batch *b);
void authz__intern_batch_end(const authz__intern *t, const authz__intern_batch *b, uint32_t *ids);
void authz__intern_find_batch(const authz__intern *t, size_t n, const char *const *s,
                              const size_t *len, uint32_t *ids);
/* The id of `s`, interning it if needed (a new string has no reference and is swept unless
 * something references it before the next sweep). 0 on allocation failure. */
uint32_t authz__intern_add(authz__intern *t, authz__mem *m, const char *s, size_t len);
/* Room for `n` more strings, made at once (the id array and a slot table that stays at most
 * half full, the sizes n adds one at a time would have grown them to), so that the next n adds
 * neither grow nor rehash anything. 0 on allocation failure, the table as it was. */
int authz__intern_reserve(authz__intern *t, authz__mem *m, size_t n);
/* authz__intern_add of up to AUTHZ__INTERN_MANY strings, in order (a bulk load): the strings are
 * hashed and their home slots prefetched together before any is probed. Returns how many were
 * interned (ids[0..] set): fewer than n only on allocation failure, at the string not interned. */
#define AUTHZ__INTERN_MANY 16
size_t authz__intern_add_many(authz__intern *t, authz__mem *m, size_t n, const char *const *s,
                              const size_t *len, uint32_t *ids);
void authz__intern_ref(authz__intern *t, uint32_t id);
void authz__intern_unref(authz__intern *t, uint32_t id);
/* Frees every queued string that nothing references. Never allocates; a table left mostly
 * empty is shrunk when `shrink` is set and the smaller table can be had. */
void authz__intern_sweep(authz__intern *t, authz__mem *m, int shrink);
/* Zeroes every count (and queues every string): a caller that re-references everything that
 * holds an id and then sweeps recounts the table (snapshot loading does). */
void authz__intern_clear_refs(authz__intern *t);
/* For bulk readers that prefetch (snapshot loading): the id's place in the id array, then, once
 * that has arrived, its entry (what authz__intern_str and authz__intern_len read). Always
 * inlined, as a call that only prefetches is deleted by gcc (see authz__grant_prefetch). */
static inline __attribute__((always_inline)) void authz__intern_prefetch_id(const authz__intern *t,
                                                                            uint32_t id) {
    __builtin_prefetch(&t->byid[id]);
}
static inline __attribute__((always_inline)) void authz__intern_prefetch_entry(
    const authz__intern *t, uint32_t id) {
    __builtin_prefetch(t->byid[id]);
}
const char *authz__intern_str(const authz__intern *t, uint32_t id);
size_t authz__intern_len(const authz__intern *t, uint32_t id);
uint32_t authz__intern_refs(const authz__intern *t, uint32_t id);
/* Live strings. */
uint32_t authz__intern_count(const authz__intern *t);
/* The highest id handed out; ids 1..high are live unless authz__intern_live() says not. */
uint32_t authz__intern_high(const authz__intern *t);
int authz__intern_live(const authz__intern *t, uint32_t id);
/* Bytes of the entries (returned) and of the index (slots, ids, queue) in *index. */
size_t authz__intern_bytes(const authz__intern *t, size_t *index);
void authz__intern_free(authz__intern *t, authz__mem *m);

#endif

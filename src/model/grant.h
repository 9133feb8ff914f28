/*
 * grant.h - the grant index: (namespace, target, resource string) -> action set.
 *
 * The hot path probes `slots`, a flat open-addressing table whose 24-byte slot holds the whole
 * key and the first 64 action bits, so most checks cost one cache line per probe. Action bits
 * are ordinals from the action table (authz__actab) of the resource *code* in that namespace;
 * ordinal 0 is "*" (every action). Ordinals of 64 and up (rare: a code with more than 63
 * distinct actions) live in a side map from the record number to a block of words, so that
 * the record itself stays 36 bytes.
 *
 * Records (`recs`, indexed from 1, 32 bytes) carry what the reads need: the resource code, the
 * recorded resource type, and two doubly linked lists in grant order, one per (namespace, target)
 * and one per (namespace, code) — so a target's grants, a code's cascade and a resource's targets
 * are walks, not scans.
 */
#ifndef AUTHZ_GRANT_H
#define AUTHZ_GRANT_H

#include <stddef.h>
#include <stdint.h>

#include "authz.h"
#include "base/map.h"

struct authz_engine;

#define AUTHZ__MAX_ACTIONS 4096 /* distinct action names per (namespace, code) */
/* Ordinal 0 is "*", which does not count against the limit. */
#define AUTHZ__MAX_ORDINALS (AUTHZ__MAX_ACTIONS + 1)
#define AUTHZ__MAX_WORDS ((AUTHZ__MAX_ORDINALS + 63) / 64)

typedef struct authz__actab {
    uint32_t code;
    /* How many grants of the namespace use `code`, `code:*` and `code:<id>`, so a check probes
     * only the keys some grant can have; star_res is the interned `code:*` while it is used. */
    uint32_t n_plain, n_star, n_inst, star_res;
    uint32_t count; /* ordinals 0..count-1 are in use; ordinal 0 is "*" */
    uint32_t cap;
    uint32_t *names; /* ordinal -> interned action name */
    uint32_t *slots; /* open addressing by action id: ordinal + 1, 0 empty */
    uint32_t slot_mask;
} authz__actab;

typedef struct authz__gslot {
    uint32_t ns; /* namespace oid; 0 marks an empty slot */
    uint32_t target;
    uint32_t res;
    uint32_t rec;
    uint64_t bits; /* ordinals 0..63 */
} authz__gslot;

/* Record numbers fit in 29 bits, so that the resource type shares a word with `cnext` and a
 * record is 32 bytes (two to a cache line) rather than 36. */
#define AUTHZ__GRANT_REC_MAX ((1u << 29) - 1)

typedef struct authz__grant_rec {
    uint32_t ns, target, res, code; /* ns 0: a free record */
    uint32_t tprev, tnext;          /* the (ns, target) list */
    uint32_t cprev;                 /* the (ns, code) list; also the free list through cnext */
    uint32_t cnext : 29;
    uint32_t type : 3; /* authz_resource_type */
} authz__grant_rec;

static inline int authz__grant_rec_live(const authz__grant_rec *r) { return r->ns != 0; }

typedef struct authz__grants {
    authz__gslot *slots;
    size_t mask, count;
    authz__grant_rec *recs;
    uint32_t rec_cap, rec_high, free_head, free_count;
    authz__map tlists; /* key2(ns, target) -> head | (uint64_t)tail << 32 */
    authz__map clists; /* key2(ns, code) -> head | tail << 32 */
    /* rec -> uint64_t block: [0] the word count n, [1..n] ordinals 64.. (word k holds
     * 64*(k+1) .. 64*(k+2)-1). Only grants holding such an ordinal have one. */
    authz__map ext;
} authz__grants;

/* ---- action tables (actab.c) ---- */
authz__actab *authz__actab_find(const struct authz_engine *e, uint32_t ns_oid, uint32_t code);
/* The table of `code` in the namespace, created if missing (undo-logged). */
authz__actab *authz__actab_ensure(struct authz_engine *e, uint32_t ns_oid, uint32_t code);
/* The ordinal of `action` (an interned id), or UINT32_MAX if the table has none. */
uint32_t authz__actab_ordinal(const authz__actab *t, uint32_t action);
/* The ordinal of `action`, added if missing (undo-logged). UINT32_MAX on allocation failure,
 * UINT32_MAX - 1 when the table is full (AUTHZ__MAX_ACTIONS). */
uint32_t authz__actab_add(struct authz_engine *e, authz__actab *t, uint32_t action);
void authz__actab_drop(struct authz_engine *e, uint32_t ns_oid, authz__actab *t);
void authz__actab_free(struct authz_engine *e, authz__actab *t);

/* Counts a grant on `res` (of code `code`) in or out of the table's counters. */
void authz__actab_count(const struct authz_engine *e, authz__actab *t, uint32_t res, int delta);

/* ---- the index (grant.c) ---- */
static inline uint64_t authz__grant_hash(uint32_t ns, uint32_t target, uint32_t res) {
    return authz__mix64(((uint64_t)ns << 40) ^ ((uint64_t)target << 20) ^ res ^
                        ((uint64_t)res << 52));
}
/* Starts loading the cache line a probe of (ns, target, res) begins at. Checks prefetch every
 * probe they will make before making the first, so the memory misses overlap. Always inlined:
 * gcc 12 finds a function whose only effect is a prefetch "pure", and a pure call whose result
 * is unused is deleted, so an out-of-line copy of this would prefetch nothing. */
static inline __attribute__((always_inline)) void authz__grant_prefetch(const authz__grants *g,
                                                                        uint32_t ns,
                                                                        uint32_t target,
                                                                        uint32_t res) {
    if (g->slots)
        __builtin_prefetch(&g->slots[(size_t)authz__grant_hash(ns, target, res) & g->mask]);
}
authz__gslot *authz__grant_find(const authz__grants *g, uint32_t ns, uint32_t target, uint32_t res);
/* Room for `n` new grants; 0 on allocation failure. */
int authz__grant_reserve(struct authz_engine *e, size_t n);
/* The two halves of it: room for `n` grants in the probe table and the records, and room for
 * `n` new target and code lists. A bulk load sizes the first once and the second per grant
 * (a load of n grants names far fewer than n lists). */
int authz__grant_reserve_index(struct authz_engine *e, size_t n);
int authz__grant_reserve_lists(struct authz_engine *e, size_t n);
/* Adds an empty grant (room reserved; `t` is the action table of `code`); returns its slot. */
authz__gslot *authz__grant_insert(struct authz_engine *e, authz__actab *t, uint32_t ns,
                                  uint32_t target, uint32_t res, uint32_t code,
                                  authz_resource_type type);
/* Bulk loading (a snapshot): the grant (ns, target, res) with action bits `bits` (ordinals
 * 0..63 only), appended to its lists like authz__grant_insert, but made for a loader that
 * prefetches: `p` is the target's principal (users and departments, else NULL), which the
 * caller already holds, so no principal map is read; and the strings are not referenced, since
 * a load counts every reference once at the end (authz__engine_settle). NULL, with nothing
 * changed, when the grant is already there or no room can be had. Not undo-logged. */
struct authz__principal;
authz__gslot *authz__grant_load(struct authz_engine *e, authz__actab *t, struct authz__principal *p,
                                uint32_t ns, uint32_t target, uint32_t res, uint32_t code,
                                authz_resource_type type, uint64_t bits);
/* Starts loading what appending a grant of (ns, target) and (ns, code) to its two lists will
 * write: the tail records. The list heads' map slots should have been prefetched a little
 * earlier (authz__grant_prefetch_heads). */
void authz__grant_prefetch_heads(const authz__grants *g, uint32_t ns, uint32_t target);
void authz__grant_prefetch_tails(const authz__grants *g, uint32_t ns, uint32_t target,
                                 uint32_t code);
void authz__grant_remove(struct authz_engine *e, uint32_t ns, uint32_t target, uint32_t res);
/* Removes a grant but leaves its code's action table alone (for rollbacks, which free tables
 * through their own undo entries). */
void authz__grant_remove_raw(struct authz_engine *e, uint32_t ns, uint32_t target, uint32_t res);
/* Removes every grant of the (ns, target) list / the (ns, code) list. */
void authz__grant_remove_target(struct authz_engine *e, uint32_t ns, uint32_t target);
void authz__grant_remove_code(struct authz_engine *e, uint32_t ns, uint32_t code);
/* First record of a list (0 if none). */
uint32_t authz__grant_tlist_head(const authz__grants *g, uint32_t ns, uint32_t target);
uint32_t authz__grant_clist_head(const authz__grants *g, uint32_t ns, uint32_t code);

/* The ext words of record `rec` (*n of them), or NULL with *n = 0. */
static inline uint64_t *authz__grant_ext(const authz__grants *g, uint32_t rec, uint32_t *n) {
    const uint64_t *v = g->ext.count ? authz__map_get(&g->ext, rec) : NULL;
    uint64_t *w = v ? (uint64_t *)(uintptr_t)*v : NULL;
    *n = w ? (uint32_t)w[0] : 0;
    return w ? w + 1 : NULL;
}
static inline int authz__bits_test(const authz__grants *g, const authz__gslot *s, uint32_t ord) {
    if (ord < 64) return (int)((s->bits >> ord) & 1u);
    uint32_t n, k = ord / 64 - 1;
    const uint64_t *w = authz__grant_ext(g, s->rec, &n);
    return k < n && ((w[k] >> (ord % 64)) & 1u);
}
/* Does the grant hold `ord` or "*"? UINT32_MAX (action unknown to the table) tests "*" only. */
static inline int authz__grant_allows(const authz__grants *g, const authz__gslot *s, uint32_t ord) {
    return (s->bits & 1u) || (ord != UINT32_MAX && authz__bits_test(g, s, ord));
}
/* Ext words a grant needs to hold ordinal `ord`. */
static inline uint32_t authz__ext_words_for(uint32_t ord) { return ord < 64 ? 0 : ord / 64; }
/* Makes the grant of record `rec` hold at least `words` ext words, the new ones zero
 * (undo-logged). 0 on allocation failure, nothing changed. */
int authz__grant_ext_grow(struct authz_engine *e, uint32_t rec, uint32_t words);
/* Sets / clears one ordinal; ext words for it must already be there. */
void authz__bits_set(authz__grants *g, authz__gslot *s, uint32_t ord);
void authz__bits_clear(authz__grants *g, authz__gslot *s, uint32_t ord);
int authz__bits_empty(const authz__grants *g, const authz__gslot *s);
void authz__grants_free(struct authz_engine *e);
/* After large deletes (at commit): a slot table at most an eighth full is rebuilt at the size
 * growth would have given it (at most half full), and a record array at most a quarter used is
 * renumbered densely and cut to the next power of two (slots, lists and list heads follow).
 * Skipped where the new arrays cannot be had. */
void authz__grants_compact(struct authz_engine *e);

#endif

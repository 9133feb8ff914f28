/*
 * intern.c - the string table (see intern.h).
 *
 * It sits on the check path (every name of a check is looked up here), so it is a flat,
 * at-most-half-full open-addressing table of 8-byte slots: a probe reads one slot, compares a
 * 32-bit hash tag, and only on a tag match touches the string itself. uthash's bucket chains
 * cost a pointer chase per entry and made this lookup a third of a check's time; they also can
 * fail an add halfway (a rolled-back bucket expansion), which this table avoids by growing
 * before it inserts.
 *
 * Each entry carries its reference count and the low half of its hash (a table never has more
 * than 2^32 slots, so that is enough to find a string's home slot; the high half is the slot's
 * tag). The sweep queue is a fixed array of QUEUE_CAP ids allocated with the table, and an id
 * is queued at most once (the QUEUED bit), so queueing never allocates: an unref can happen
 * anywhere, a rollback included. A write that drops more strings than the queue holds sets
 * `overflow`, and its sweep scans every id instead: work of the order of what it dropped.
 */
#include "base/intern.h"

#include <string.h>
#include <xxhash.h>

typedef struct authz__intern_entry {
    uint32_t home; /* the hash's low half */
    uint32_t len;
    uint32_t refs; /* the count, and QUEUED while the id waits in the sweep queue */
    char str[];
} authz__intern_entry;

typedef struct authz__intern_slot {
    uint32_t id;  /* 0: empty */
    uint32_t tag; /* the hash's high half */
} authz__intern_slot;

#define MIN_SLOTS 128
#define QUEUED 0x80000000u
#define QUEUE_CAP 256u

static uint64_t hash_of(const char *s, size_t len) { return XXH3_64bits(s, len); }

static size_t slot_count(const authz__intern *t) { return t->slots ? t->mask + 1 : 0; }

/* A free id's byid entry holds the next free id, shifted and tagged odd. */
static int is_free(const authz__intern_entry *e) { return ((uintptr_t)e & 1u) != 0; }

uint32_t authz__intern_find(const authz__intern *t, const char *s, size_t len) {
    if (!t->slots || len >= (1u << 31)) return 0;
    uint64_t h = hash_of(s, len);
    uint32_t tag = (uint32_t)(h >> 32);
    for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
        const authz__intern_slot *sl = &t->slots[i];
        if (sl->id == 0) return 0;
        if (sl->tag != tag) continue;
        const authz__intern_entry *e = t->byid[sl->id];
        if (e->len == len && memcmp(e->str, s, len) == 0) return sl->id;
    }
}

/* Where the probe for `s` continues after slot `from` (whose candidate did not match). */
static uint32_t find_from(const authz__intern *t, const char *s, size_t len, uint32_t tag,
                          size_t from) {
    for (size_t i = (from + 1) & t->mask;; i = (i + 1) & t->mask) {
        const authz__intern_slot *sl = &t->slots[i];
        if (sl->id == 0) return 0;
        if (sl->tag != tag) continue;
        const authz__intern_entry *e = t->byid[sl->id];
        if (e->len == len && memcmp(e->str, s, len) == 0) return sl->id;
    }
}

void authz__intern_find_batch(const authz__intern *t, size_t n, const char *const *s,
                              const size_t *len, uint32_t *ids) {
    uint64_t h[AUTHZ__INTERN_BATCH];
    size_t at[AUTHZ__INTERN_BATCH];
    uint32_t cand[AUTHZ__INTERN_BATCH];
    if (n > AUTHZ__INTERN_BATCH) n = AUTHZ__INTERN_BATCH;
    for (size_t i = 0; i < n; i++) {
        ids[i] = 0;
        cand[i] = 0;
        if (!t->slots || len[i] >= (1u << 31)) continue;
        h[i] = hash_of(s[i], len[i]);
        __builtin_prefetch(&t->slots[(size_t)h[i] & t->mask]);
    }
    if (!t->slots) return;
    /* The first slot whose tag matches: almost always the string's own. */
    for (size_t i = 0; i < n; i++) {
        if (len[i] >= (1u << 31)) continue;
        uint32_t tag = (uint32_t)(h[i] >> 32);
        size_t k = (size_t)h[i] & t->mask;
        while (t->slots[k].id != 0 && t->slots[k].tag != tag) k = (k + 1) & t->mask;
        at[i] = k;
        cand[i] = t->slots[k].id;
        if (cand[i]) __builtin_prefetch(&t->byid[cand[i]]);
    }
    for (size_t i = 0; i < n; i++)
        if (cand[i]) __builtin_prefetch(t->byid[cand[i]]);
    for (size_t i = 0; i < n; i++) {
        if (!cand[i]) continue;
        const authz__intern_entry *e = t->byid[cand[i]];
        if (e->len == len[i] && memcmp(e->str, s[i], len[i]) == 0)
            ids[i] = cand[i];
        else
            ids[i] = find_from(t, s[i], len[i], (uint32_t)(h[i] >> 32), at[i]);
    }
}

static void slot_put(authz__intern_slot *slots, size_t mask, uint64_t h, uint32_t id) {
    size_t i = (size_t)h & mask;
    while (slots[i].id != 0) i = (i + 1) & mask;
    slots[i] = (authz__intern_slot){id, (uint32_t)(h >> 32)};
}

/* A slot table of `ncap` slots holding every live string (moved from the old table, whose
 * slots carry the tags). 0 on allocation failure. */
static int rebuild_slots(authz__intern *t, authz__mem *m, size_t ncap) {
    authz__intern_slot *slots = authz__calloc(m, ncap, sizeof *slots);
    if (!slots) return 0;
    authz__advise_huge(slots, ncap * sizeof *slots);
    for (size_t i = 0; i < slot_count(t); i++) {
        authz__intern_slot sl = t->slots[i];
        if (sl.id == 0) continue;
        size_t j = t->byid[sl.id]->home & (ncap - 1);
        while (slots[j].id != 0) j = (j + 1) & (ncap - 1);
        slots[j] = sl;
    }
    authz__free(m, t->slots);
    t->slots = slots;
    t->mask = ncap - 1;
    return 1;
}

/* Room for one more string: an id (free or past `high`), the sweep queue, and a slot table at
 * most half full. */
static int grow(authz__intern *t, authz__mem *m) {
    if (!t->zero && !(t->zero = authz__alloc(m, QUEUE_CAP * sizeof *t->zero))) return 0;
    if (!t->free_head && t->high + 1 >= t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 64;
        authz__intern_entry **n = authz__realloc(m, t->byid, cap * sizeof *n);
        if (!n) return 0;
        t->byid = n;
        t->cap = cap;
    }
    size_t cap = slot_count(t);
    if ((size_t)(t->live + 1) * 2 <= cap) return 1;
    return rebuild_slots(t, m, cap ? cap * 2 : MIN_SLOTS);
}

static void enqueue(authz__intern *t, uint32_t id) {
    authz__intern_entry *e = t->byid[id];
    if (e->refs & QUEUED) return;
    if (t->nzero == QUEUE_CAP) {
        t->overflow = 1;
        return;
    }
    e->refs |= QUEUED;
    t->zero[t->nzero++] = id;
}

uint32_t authz__intern_add(authz__intern *t, authz__mem *m, const char *s, size_t len) {
    uint32_t id = authz__intern_find(t, s, len);
    if (id) return id;
    if (len >= (1u << 31) || t->high >= UINT32_MAX - 2 || !grow(t, m)) return 0;
    authz__intern_entry *e = authz__alloc(m, sizeof *e + len + 1);
    if (!e) return 0;
    uint64_t h = hash_of(s, len);
    e->home = (uint32_t)h;
    e->len = (uint32_t)len;
    e->refs = 0;
    memcpy(e->str, s, len);
    e->str[len] = '\0';
    if (t->free_head) {
        id = t->free_head;
        t->free_head = (uint32_t)((uintptr_t)t->byid[id] >> 1);
    } else {
        id = ++t->high;
    }
    t->byid[id] = e;
    t->live++;
    slot_put(t->slots, t->mask, h, id);
    enqueue(t, id);
    return id;
}

void authz__intern_ref(authz__intern *t, uint32_t id) { t->byid[id]->refs++; }

void authz__intern_unref(authz__intern *t, uint32_t id) {
    /* Id 0 is no string: an object freed before it got its name holds it. */
    if (id && (--t->byid[id]->refs & ~QUEUED) == 0) enqueue(t, id);
}

const char *authz__intern_str(const authz__intern *t, uint32_t id) { return t->byid[id]->str; }

size_t authz__intern_len(const authz__intern *t, uint32_t id) { return t->byid[id]->len; }

uint32_t authz__intern_refs(const authz__intern *t, uint32_t id) {
    return t->byid[id]->refs & ~QUEUED;
}

uint32_t authz__intern_count(const authz__intern *t) { return t->live; }

uint32_t authz__intern_high(const authz__intern *t) { return t->high; }

int authz__intern_live(const authz__intern *t, uint32_t id) {
    return id >= 1 && id <= t->high && !is_free(t->byid[id]);
}

/* Removes the slot of `id`, shifting later entries of its probe run back. */
static void slot_remove(authz__intern *t, uint32_t id) {
    size_t i = (size_t)t->byid[id]->home & t->mask;
    while (t->slots[i].id != id) i = (i + 1) & t->mask;
    size_t hole = i;
    for (size_t j = (i + 1) & t->mask; t->slots[j].id != 0; j = (j + 1) & t->mask) {
        size_t home = (size_t)t->byid[t->slots[j].id]->home & t->mask;
        if (((j - home) & t->mask) >= ((j - hole) & t->mask)) {
            t->slots[hole] = t->slots[j];
            hole = j;
        }
    }
    t->slots[hole] = (authz__intern_slot){0, 0};
}

/* After many frees: the free ids at the top are given up (high drops to the highest live id),
 * the free list is rebuilt lowest first so new strings fill the low holes, and the id arrays
 * shrink to the next power of two. The scan is paid for by the high/2 frees before it. */
static void trim_ids(authz__intern *t, authz__mem *m) {
    if (t->freed < t->high / 2 || t->freed < 64) return;
    t->freed = 0;
    while (t->high > 0 && is_free(t->byid[t->high])) t->high--;
    t->free_head = 0;
    for (uint32_t id = t->high; id >= 1; id--) {
        if (!is_free(t->byid[id])) continue;
        t->byid[id] = (authz__intern_entry *)(((uintptr_t)t->free_head << 1) | 1u);
        t->free_head = id;
    }
    uint32_t cap = 64;
    while (cap < t->high + 2) cap *= 2;
    if (cap * 4 > t->cap) return;
    authz__intern_entry **n = authz__realloc(m, t->byid, cap * sizeof *n);
    if (!n) return;
    t->byid = n;
    t->cap = cap;
}

static void drop(authz__intern *t, authz__mem *m, uint32_t id) {
    slot_remove(t, id);
    authz__free(m, t->byid[id]);
    t->byid[id] = (authz__intern_entry *)(((uintptr_t)t->free_head << 1) | 1u);
    t->free_head = id;
    t->live--;
    t->freed++;
}

void authz__intern_sweep(authz__intern *t, authz__mem *m, int shrink) {
    for (uint32_t k = 0; k < t->nzero; k++) {
        uint32_t id = t->zero[k];
        authz__intern_entry *e = t->byid[id];
        e->refs &= ~QUEUED;
        if (!e->refs) drop(t, m, id);
    }
    t->nzero = 0;
    for (uint32_t id = 1; t->overflow && id <= t->high; id++)
        if (!is_free(t->byid[id]) && t->byid[id]->refs == 0) drop(t, m, id);
    t->overflow = 0;
    if (shrink) trim_ids(t, m);
    /* Hysteresis: the table doubles past half full; at an eighth it goes back to the size growth
     * would have given it, which it takes halving the strings again to leave. */
    size_t cap = slot_count(t);
    if (!shrink || cap <= MIN_SLOTS || (size_t)(t->live + 1) * 8 > cap) return;
    size_t ncap = MIN_SLOTS;
    while ((size_t)(t->live + 1) * 2 > ncap) ncap *= 2;
    rebuild_slots(t, m, ncap);
}

void authz__intern_clear_refs(authz__intern *t) {
    for (uint32_t id = 1; id <= t->high; id++) {
        if (is_free(t->byid[id])) continue;
        t->byid[id]->refs &= QUEUED;
        enqueue(t, id);
    }
}

size_t authz__intern_bytes(const authz__intern *t, size_t *index) {
    size_t n = 0;
    for (uint32_t id = 1; id <= t->high; id++)
        if (!is_free(t->byid[id])) n += sizeof(authz__intern_entry) + t->byid[id]->len + 1;
    *index = slot_count(t) * sizeof(authz__intern_slot) + (size_t)t->cap * sizeof *t->byid +
             (t->zero ? QUEUE_CAP * sizeof *t->zero : 0);
    return n;
}

void authz__intern_free(authz__intern *t, authz__mem *m) {
    for (uint32_t id = 1; id <= t->high; id++)
        if (!is_free(t->byid[id])) authz__free(m, t->byid[id]);
    authz__free(m, t->byid);
    authz__free(m, t->zero);
    authz__free(m, t->slots);
    memset(t, 0, sizeof *t);
}

/*
 * intern.c - the string table (see intern.h).
 *
 * It sits on the check path (every name of a check is looked up here), so it is a flat,
 * at-most-half-full open-addressing table of 8-byte slots (wider only on the portable
 * fallback below): a probe reads one slot, compares a hash tag, and only on a tag match touches
 * the string itself. uthash's bucket chains
 * cost a pointer chase per entry and made this lookup a third of a check's time; they also can
 * fail an add halfway (a rolled-back bucket expansion), which this table avoids by growing
 * before it inserts.
 *
 * A slot leads to its entry directly, so a name costs two dependent reads (slot, entry) and not
 * three: on x86-64 and AArch64, where a user pointer has 48 significant bits, the slot is one
 * 64-bit word holding the entry's address with the top 16 bits of the hash as its tag; elsewhere
 * it is the pointer and a 32-bit tag side by side. The entry carries its id (what a lookup
 * returns), its length and its reference count; `byid` stays for id -> entry. A string's home
 * slot is recomputed from its bytes when it moves (a rebuild) or leaves (a sweep): both read the
 * entry anyway, and its hash is cheap next to that miss. The sweep queue is a fixed array of
 * QUEUE_CAP ids allocated with the table, and an id is queued at most once (the QUEUED bit), so
 * queueing never allocates: an unref can happen anywhere, a rollback included. A write that drops
 * more strings than the queue holds sets `overflow`, and its sweep scans every id instead: work of
 * the order of what it dropped.
 */
#include "base/intern.h"

#include <string.h>
#include <xxhash.h>

typedef struct authz__intern_entry {
    uint32_t id;
    uint32_t len;
    uint32_t refs; /* the count, and QUEUED while the id waits in the sweep queue */
    char str[];
} authz__intern_entry;

/* A slot: its entry (NULL: empty) and a tag from the hash's high bits, compared before the
 * entry is read. The home slot comes from the hash's low bits (a table never has more than
 * 2^32 slots), so the tag bits are independent of it. AUTHZ_INTERN_WIDE_SLOTS forces the
 * portable layout (so that it can be built and tested on x86-64 too). */
#if !defined(AUTHZ_INTERN_WIDE_SLOTS) && UINTPTR_MAX == UINT64_MAX && \
    (defined(__x86_64__) || defined(__aarch64__))
#define PTR_BITS 48
#define PTR_MASK ((UINT64_C(1) << PTR_BITS) - 1)
typedef struct authz__intern_slot {
    uint64_t w; /* tag << 48 | entry address; 0: empty */
} authz__intern_slot;
_Static_assert(sizeof(authz__intern_slot) == 8, "a packed slot is one word");

static authz__intern_entry *slot_entry(authz__intern_slot sl) {
    return (authz__intern_entry *)(uintptr_t)(sl.w & PTR_MASK);
}
static int slot_tag_is(authz__intern_slot sl, uint64_t h) {
    return (sl.w >> PTR_BITS) == (h >> PTR_BITS);
}
static authz__intern_slot slot_make(authz__intern_entry *e, uint64_t h) {
    return (authz__intern_slot){(h >> PTR_BITS) << PTR_BITS | (uint64_t)(uintptr_t)e};
}
/* Whether `e` can be packed: user addresses there have their top 16 bits clear (an address
 * above 2^48 comes only from an mmap that asks for one). */
static int slot_fits(const authz__intern_entry *e) { return ((uintptr_t)e >> PTR_BITS) == 0; }
#else
typedef struct authz__intern_slot {
    authz__intern_entry *e; /* NULL: empty */
    uint32_t tag;           /* the hash's high half */
} authz__intern_slot;

static authz__intern_entry *slot_entry(authz__intern_slot sl) { return sl.e; }
static int slot_tag_is(authz__intern_slot sl, uint64_t h) { return sl.tag == (uint32_t)(h >> 32); }
static authz__intern_slot slot_make(authz__intern_entry *e, uint64_t h) {
    return (authz__intern_slot){e, (uint32_t)(h >> 32)};
}
static int slot_fits(const authz__intern_entry *e) {
    (void)e;
    return 1;
}
#endif

#define MIN_SLOTS 128
#define QUEUED 0x80000000u
#define QUEUE_CAP 256u

static uint64_t hash_of(const char *s, size_t len) { return XXH3_64bits(s, len); }

static size_t slot_count(const authz__intern *t) { return t->slots ? t->mask + 1 : 0; }

/* A free id's byid entry holds the next free id, shifted and tagged odd. */
static int is_free(const authz__intern_entry *e) { return ((uintptr_t)e & 1u) != 0; }

static uint64_t entry_hash(const authz__intern_entry *e) { return hash_of(e->str, e->len); }

static int entry_is(const authz__intern_entry *e, const char *s, size_t len) {
    return e->len == len && memcmp(e->str, s, len) == 0;
}

/* The id of `s` (hash `h`), probing from slot `i` on. */
static uint32_t find_from(const authz__intern *t, const char *s, size_t len, uint64_t h, size_t i) {
    for (;; i = (i + 1) & t->mask) {
        authz__intern_slot sl = t->slots[i];
        const authz__intern_entry *e = slot_entry(sl);
        if (!e) return 0;
        if (slot_tag_is(sl, h) && entry_is(e, s, len)) return e->id;
    }
}

uint32_t authz__intern_find(const authz__intern *t, const char *s, size_t len) {
    if (!t->slots || len >= (1u << 31)) return 0;
    uint64_t h = hash_of(s, len);
    return find_from(t, s, len, h, (size_t)h & t->mask);
}

uint64_t authz__intern_hash(const char *s, size_t len) { return hash_of(s, len); }

void authz__intern_batch_begin(const authz__intern *t, authz__intern_batch *b, size_t n,
                               const char *const *s, const size_t *len) {
    b->n = n > AUTHZ__INTERN_BATCH ? AUTHZ__INTERN_BATCH : n;
    b->s = s;
    b->len = len;
    for (size_t i = 0; i < b->n; i++) {
        b->cand[i] = NULL;
        b->h[i] = hash_of(s[i], len[i]);
        if (t->slots && len[i] < (1u << 31))
            __builtin_prefetch(&t->slots[(size_t)b->h[i] & t->mask]);
    }
}

/* The first slot whose tag matches: almost always the string's own. Its entry is the only other
 * read, so the batch costs two rounds of misses. */
void authz__intern_batch_slots(const authz__intern *t, authz__intern_batch *b) {
    for (size_t i = 0; t->slots && i < b->n; i++) {
        if (b->len[i] >= (1u << 31)) continue;
        size_t k = (size_t)b->h[i] & t->mask;
        while (slot_entry(t->slots[k]) && !slot_tag_is(t->slots[k], b->h[i])) k = (k + 1) & t->mask;
        b->at[i] = k;
        b->cand[i] = slot_entry(t->slots[k]);
        if (b->cand[i]) __builtin_prefetch(b->cand[i]);
    }
}

void authz__intern_batch_end(const authz__intern *t, const authz__intern_batch *b, uint32_t *ids) {
    for (size_t i = 0; i < b->n; i++) {
        const authz__intern_entry *c = b->cand[i];
        if (!c)
            ids[i] = 0;
        else if (entry_is(c, b->s[i], b->len[i]))
            ids[i] = c->id;
        else
            ids[i] = find_from(t, b->s[i], b->len[i], b->h[i], (b->at[i] + 1) & t->mask);
    }
}

void authz__intern_find_batch(const authz__intern *t, size_t n, const char *const *s,
                              const size_t *len, uint32_t *ids) {
    authz__intern_batch b;
    authz__intern_batch_begin(t, &b, n, s, len);
    authz__intern_batch_slots(t, &b);
    authz__intern_batch_end(t, &b, ids);
}

static void slot_put(authz__intern_slot *slots, size_t mask, uint64_t h, authz__intern_entry *e) {
    size_t i = (size_t)h & mask;
    while (slot_entry(slots[i])) i = (i + 1) & mask;
    slots[i] = slot_make(e, h);
}

/* A slot table of `ncap` slots holding every live string (moved from the old table, each to
 * the home its hash gives). 0 on allocation failure. */
static int rebuild_slots(authz__intern *t, authz__mem *m, size_t ncap) {
    authz__intern_slot *slots = authz__calloc(m, ncap, sizeof *slots);
    if (!slots) return 0;
    authz__advise_huge(slots, ncap * sizeof *slots);
    for (size_t i = 0; i < slot_count(t); i++) {
        authz__intern_slot sl = t->slots[i];
        if (!slot_entry(sl)) continue;
        size_t j = (size_t)entry_hash(slot_entry(sl)) & (ncap - 1);
        while (slot_entry(slots[j])) j = (j + 1) & (ncap - 1);
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

/* Interns `s` (hash `h`), known not to be in the table. 0 on allocation failure. */
static uint32_t add_new(authz__intern *t, authz__mem *m, const char *s, size_t len, uint64_t h) {
    uint32_t id;
    if (len >= (1u << 31) || t->high >= UINT32_MAX - 2 || !grow(t, m)) return 0;
    authz__intern_entry *e = authz__alloc(m, sizeof *e + len + 1);
    if (!e) return 0;
    if (!slot_fits(e)) {
        authz__free(m, e);
        return 0;
    }
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
    e->id = id;
    t->byid[id] = e;
    t->live++;
    slot_put(t->slots, t->mask, h, e);
    enqueue(t, id);
    return id;
}

uint32_t authz__intern_add(authz__intern *t, authz__mem *m, const char *s, size_t len) {
    uint32_t id = authz__intern_find(t, s, len);
    return id ? id : add_new(t, m, s, len, hash_of(s, len));
}

int authz__intern_reserve(authz__intern *t, authz__mem *m, size_t n) {
    if (n > UINT32_MAX - 3 - (size_t)t->high) return 0;
    if (!t->zero && !(t->zero = authz__alloc(m, QUEUE_CAP * sizeof *t->zero))) return 0;
    /* What growing one add at a time would end with: an id array with room past high + n, and
     * a slot table at least twice the live strings. */
    size_t need = (size_t)t->high + n + 1;
    if (need > t->cap) {
        size_t cap = t->cap ? t->cap : 64;
        while (cap < need) cap *= 2;
        if (cap > UINT32_MAX) return 0;
        authz__intern_entry **ids = authz__realloc(m, t->byid, cap * sizeof *ids);
        if (!ids) return 0;
        t->byid = ids;
        t->cap = (uint32_t)cap;
    }
    size_t cap = slot_count(t), live = (size_t)t->live + n;
    if (live * 2 <= cap) return 1;
    size_t ncap = cap ? cap : MIN_SLOTS;
    while (live * 2 > ncap) ncap *= 2;
    return rebuild_slots(t, m, ncap);
}

size_t authz__intern_add_many(authz__intern *t, authz__mem *m, size_t n, const char *const *s,
                              const size_t *len, uint32_t *ids) {
    uint64_t h[AUTHZ__INTERN_MANY];
    if (n > AUTHZ__INTERN_MANY) n = AUTHZ__INTERN_MANY;
    if (!authz__intern_reserve(t, m, n)) return 0;
    for (size_t i = 0; i < n; i++) {
        h[i] = hash_of(s[i], len[i]);
        __builtin_prefetch(&t->slots[(size_t)h[i] & t->mask]);
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t id =
            len[i] < (1u << 31) ? find_from(t, s[i], len[i], h[i], (size_t)h[i] & t->mask) : 0;
        ids[i] = id ? id : add_new(t, m, s[i], len[i], h[i]);
        if (!ids[i]) return i;
    }
    return n;
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
    const authz__intern_entry *e = t->byid[id];
    size_t i = (size_t)entry_hash(e) & t->mask;
    while (slot_entry(t->slots[i]) != e) i = (i + 1) & t->mask;
    size_t hole = i;
    for (size_t j = (i + 1) & t->mask; slot_entry(t->slots[j]); j = (j + 1) & t->mask) {
        size_t home = (size_t)entry_hash(slot_entry(t->slots[j])) & t->mask;
        if (((j - home) & t->mask) >= ((j - hole) & t->mask)) {
            t->slots[hole] = t->slots[j];
            hole = j;
        }
    }
    t->slots[hole] = (authz__intern_slot){0};
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

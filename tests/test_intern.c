/*
 * test_intern.c - the string table against a model. A random history of adds, refs, unrefs,
 * sweeps (with and without shrink) and lookups runs over a pool of names large enough that the
 * slots' hash tags collide within probe runs, and after every step of a sample the table must
 * agree with the model: every pooled name found (or not) with the model's id, alone and in
 * batches, each id's string, length and count right, ids unique, freed ids reused before new
 * ones are handed out. Then allocation failures: an add that cannot get its memory leaves the
 * table as it was. Then a mass drop must give the slot room back.
 *
 * One line for CI: `intern: N operations, P strings at peak, M mismatches`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/intern.h"
#include "counting_alloc.h"

#define POOL 60000u

typedef struct model {
    char (*name)[24];
    size_t *len;
    uint32_t *id;   /* 0: not interned */
    uint32_t *refs; /* what the model holds */
    uint32_t live, peak;
    long mismatches;
} model;

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static void model_init(model *md) {
    md->name = calloc(POOL, sizeof *md->name);
    md->len = calloc(POOL, sizeof *md->len);
    md->id = calloc(POOL, sizeof *md->id);
    md->refs = calloc(POOL, sizeof *md->refs);
    assert_non_null(md->name);
    assert_non_null(md->len);
    assert_non_null(md->id);
    assert_non_null(md->refs);
    md->live = md->peak = 0;
    md->mismatches = 0;
    for (uint32_t i = 0; i < POOL; i++) {
        /* Distinct names (the id and a colon first) of many lengths, prefixes of one another
         * in their bytes, some holding a NUL, and the empty name. */
        int n = snprintf(md->name[i], sizeof md->name[i], "%u:%.*s", i, (int)(i % 16),
                         "abcdefghijklmnop");
        md->len[i] = (size_t)n;
        if (i % 7 == 0 && i % 16 > 2) md->name[i][n - 2] = '\0';
        if (i == 0) md->len[i] = 0;
    }
}

static void model_free(model *md) {
    free(md->name);
    free(md->len);
    free(md->id);
    free(md->refs);
}

static void expect(model *md, int ok) {
    if (!ok) md->mismatches++;
}

/* Everything the table says about the pool, against the model. */
static void compare(const authz__intern *t, model *md) {
    expect(md, authz__intern_count(t) == md->live);
    expect(md, authz__intern_high(t) <= md->peak);
    uint8_t *seen = calloc((size_t)authz__intern_high(t) + 1, 1);
    assert_non_null(seen);
    for (uint32_t i = 0; i < POOL; i++) {
        uint32_t id = authz__intern_find(t, md->name[i], md->len[i]);
        expect(md, id == md->id[i]);
        if (!md->id[i]) continue;
        expect(md, authz__intern_live(t, id));
        expect(md, authz__intern_len(t, id) == md->len[i]);
        expect(md, memcmp(authz__intern_str(t, id), md->name[i], md->len[i]) == 0);
        expect(md, authz__intern_str(t, id)[md->len[i]] == '\0');
        expect(md, authz__intern_refs(t, id) == md->refs[i]);
        if (id <= authz__intern_high(t)) {
            expect(md, !seen[id]);
            seen[id] = 1;
        }
    }
    /* Every name again in batches of one to four, in a random order. */
    for (uint32_t b = 0; b < POOL; b++) {
        const char *s[AUTHZ__INTERN_BATCH];
        size_t len[AUTHZ__INTERN_BATCH];
        uint32_t ids[AUTHZ__INTERN_BATCH], want[AUTHZ__INTERN_BATCH];
        size_t n = 1 + rnd(AUTHZ__INTERN_BATCH);
        for (size_t k = 0; k < n; k++) {
            uint32_t i = k == 0 ? b : rnd(POOL);
            s[k] = md->name[i];
            len[k] = md->len[i];
            want[k] = md->id[i];
        }
        authz__intern_find_batch(t, n, s, len, ids);
        for (size_t k = 0; k < n; k++) expect(md, ids[k] == want[k]);
    }
    free(seen);
}

static void add(authz__intern *t, authz__mem *m, model *md, uint32_t i) {
    uint32_t id = authz__intern_add(t, m, md->name[i], md->len[i]);
    assert_int_not_equal(id, 0);
    if (md->id[i]) {
        expect(md, id == md->id[i]);
        return;
    }
    md->id[i] = id;
    md->refs[i] = 0;
    if (++md->live > md->peak) md->peak = md->live;
}

/* The sweep drops every string nothing references. */
static void sweep(authz__intern *t, authz__mem *m, model *md, int shrink) {
    authz__intern_sweep(t, m, shrink);
    for (uint32_t i = 0; i < POOL; i++) {
        if (md->id[i] && md->refs[i] == 0) {
            md->id[i] = 0;
            md->live--;
        }
    }
}

static void random_history(void **state) {
    (void)state;
    authz__mem m;
    authz__mem_init(&m, NULL);
    authz__intern t;
    memset(&t, 0, sizeof t);
    model md;
    model_init(&md);
    long ops = 0;
    for (int round = 0; round < 12; round++) {
        /* Grow towards the whole pool in the even rounds, drop most of it in the odd ones. */
        uint32_t steps = round % 2 ? 60000 : 90000;
        for (uint32_t s = 0; s < steps; s++, ops++) {
            uint32_t i = rnd(POOL);
            uint32_t op = rnd(round % 2 ? 10 : 6);
            if (op <= 2) {
                add(&t, &m, &md, i);
                if (op <= 1) {
                    authz__intern_ref(&t, md.id[i]);
                    md.refs[i]++;
                }
            } else if (md.id[i] && md.refs[i]) {
                authz__intern_unref(&t, md.id[i]);
                md.refs[i]--;
            }
            if (rnd(5000) == 0) sweep(&t, &m, &md, (int)rnd(2));
        }
        sweep(&t, &m, &md, round % 2);
        compare(&t, &md);
    }
    /* Everything let go: the table empties and gives back its slots. */
    size_t index_full, index_empty;
    authz__intern_bytes(&t, &index_full);
    for (uint32_t i = 0; i < POOL; i++) {
        while (md.id[i] && md.refs[i]) {
            authz__intern_unref(&t, md.id[i]);
            md.refs[i]--;
            ops++;
        }
    }
    sweep(&t, &m, &md, 1);
    compare(&t, &md);
    size_t entries = authz__intern_bytes(&t, &index_empty);
    assert_int_equal(authz__intern_count(&t), 0);
    assert_int_equal(entries, 0);
    if (md.peak > 10000) assert_true(index_empty * 8 < index_full);
    printf("intern: %ld operations, %u strings at peak, %ld mismatches\n", ops, md.peak,
           md.mismatches);
    assert_int_equal(md.mismatches, 0);
    authz__intern_free(&t, &m);
    assert_int_equal(m.live_blocks, 0);
    model_free(&md);
}

/* An add whose allocation fails returns 0 and leaves the table's strings as they were, at every
 * point where an add allocates (the queue, the id array, the slot table, the entry); room it
 * got before the failure is kept for the next add, and nothing leaks. */
static void failed_adds_change_nothing(void **state) {
    (void)state;
    counting_alloc ca;
    counting_alloc_init(&ca);
    authz__mem m;
    authz__mem_init(&m, &ca.a);
    authz__intern t;
    memset(&t, 0, sizeof t);
    model md;
    model_init(&md);
    long refused = 0;
    for (uint32_t i = 0; i < 3000; i++) {
        for (long k = 0;; k++) {
            counting_alloc_arm(&ca, k, false);
            uint32_t id = authz__intern_add(&t, &m, md.name[i], md.len[i]);
            counting_alloc_disarm(&ca);
            if (id) break;
            refused++;
            assert_int_equal(authz__intern_count(&t), md.live);
            assert_int_equal(authz__intern_find(&t, md.name[i], md.len[i]), 0);
        }
        md.id[i] = authz__intern_find(&t, md.name[i], md.len[i]);
        assert_int_not_equal(md.id[i], 0);
        authz__intern_ref(&t, md.id[i]);
        md.refs[i] = 1;
        md.live++;
        md.peak = md.live;
    }
    compare(&t, &md);
    assert_int_equal(md.mismatches, 0);
    assert_true(refused >= 3000);
    authz__intern_free(&t, &m);
    assert_int_equal(m.live_blocks, 0);
    assert_int_equal(ca.live, 0);
    model_free(&md);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_history),
        cmocka_unit_test(failed_adds_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

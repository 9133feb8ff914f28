/*
 * test_diff.c - the differential test (Cedar's DRT): tests/support/diff_driver.c runs the
 * engine against the naive reference model on seeded random operations; statuses and results
 * must match exactly. AUTHZ_SEED picks the first seed (printed); AUTHZ_TEST_LONG=1 runs ten
 * times more. Strict mode on every third seed; every second seed starts in directory mode (and
 * every run toggles it now and then). Prints "differential: N ops, 0 mismatches" and
 * "differential directory: N ops with the mode on, …, 0 mismatches" (the mode: users and
 * departments that writes name must be listed / created).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "access/authz_debug.h"
#include "diff_driver.h"

static uint32_t xorshift(void *ctx, uint32_t n) {
    uint64_t *s = ctx;
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return (uint32_t)(*s % n);
}

static void test_differential(void **state) {
    (void)state;
    const char *env = getenv("AUTHZ_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
    long seeds = getenv("AUTHZ_TEST_LONG") ? 60 : 6, ops = 0, mismatches = 0;
    printf("differential: seed %llu\n", (unsigned long long)seed);
    for (long s = 0; s < seeds && mismatches == 0; s++) {
        uint64_t state64 = (seed + (uint64_t)s) * 2654435761u + 1;
        ops += diff_run(xorshift, &state64, 20000, s % 3 == 2, s % 2 == 1, &mismatches);
    }
    diff_report();
    printf("differential: %ld ops, %ld mismatches (seeds %llu..%llu)\n", ops, mismatches,
           (unsigned long long)seed, (unsigned long long)(seed + (uint64_t)seeds - 1));
    printf(
        "differential directory: %ld ops with the mode on, %ld directory ops, %ld writes "
        "refused for an unlisted user or unknown department, %ld mismatches\n",
        diff_directory_ops, diff_user_ops, diff_directory_refusals, mismatches);
    assert_int_equal(0, mismatches);
    assert_true(ops >= 100000);
    assert_true(diff_directory_ops >= ops / 4 && diff_directory_refusals > 0);
}

/* The same with the user index keyed by 3 bits of the ID's hash: most users then share a key
 * with another, as two IDs with the same 64-bit hash would, and are found through the users
 * map; filing, unfiling and the check's fallback must agree with the model all the same. */
static void test_user_index_collisions(void **state) {
    (void)state;
    const char *env = getenv("AUTHZ_SEED");
    uint64_t seed = (env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL)) + 1000;
    long ops = 0, mismatches = 0;
    authz__debug_user_key_bits(3);
    for (long s = 0; s < 2 && mismatches == 0; s++) {
        uint64_t state64 = (seed + (uint64_t)s) * 2654435761u + 1;
        ops += diff_run(xorshift, &state64, 20000, false, s == 1, &mismatches);
    }
    authz__debug_user_key_bits(0);
    printf("differential, user index keyed by 3 bits: %ld ops, %ld mismatches (seed %llu)\n", ops,
           mismatches, (unsigned long long)seed);
    assert_int_equal(0, mismatches);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_differential),
                                       cmocka_unit_test(test_user_index_collisions)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * diff_driver.h - the differential driver shared by test_diff (seeded) and fuzz_ops (bytes).
 */
#ifndef AUTHZ_DIFF_DRIVER_H
#define AUTHZ_DIFF_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

/* A number in [0, n). */
typedef uint32_t (*diff_rand_fn)(void *ctx, uint32_t n);

/* Set by a randomness source that has run dry; the run stops after the current operation. */
extern bool diff_exhausted;

/* Runs up to `n` operations on a fresh engine and model, strict or not, starting in directory
 * mode or not (the run toggles it now and then); returns how many ran and sets `*mismatches`
 * (each is described on stderr). */
long diff_run(diff_rand_fn r, void *ctx, long n, bool strict, bool user_directory,
              long *mismatches);
/* Over every run so far: operations compared while directory mode was on, directory
 * operations (users, organizations, department records), and writes the mode refused. */
extern long diff_directory_ops, diff_user_ops, diff_directory_refusals;
/* Prints the status mix of every run so far. */
void diff_report(void);

#endif

/*
 * fuzz_ops.c - the op-sequence harness: the input bytes choose a sequence of engine operations
 * (each byte one random choice of tests/support/diff_driver.c), and the engine is cross-checked
 * against the naive reference model on every answer. A mismatch is a crash; so is any memory
 * error the sanitizers see. The first byte picks strict mode (bit 0) and whether the run starts
 * in directory mode (bit 1).
 */
#include <stdint.h>
#include <stdlib.h>

#include "diff_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct bytes {
    const uint8_t *p;
    size_t left;
} bytes;

static uint32_t from_bytes(void *ctx, uint32_t n) {
    bytes *b = ctx;
    if (b->left == 0) {
        diff_exhausted = true;
        return 0;
    }
    b->left--;
    return (uint32_t)(*b->p++ % n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    bytes b = {data + 1, size - 1};
    diff_exhausted = false;
    long mismatches = 0;
    diff_run(from_bytes, &b, 1000, data[0] & 1, data[0] & 2, &mismatches);
    if (mismatches) abort();
    return 0;
}

/*
 * fuzz_snapshot.c - hostile bytes into the snapshot loader. Checksums are bypassed (a checksum
 * would hide the decoder from the fuzzer; test_snapshot's damage sweep proves they reject
 * damage), so every field decoder sees the mutations. Whatever loads must hold every invariant
 * and survive a save and a reload unchanged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "authz.h"
#include "access/authz_debug.h"
#include "store/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    authz_engine *e = NULL;
    if (authz__load_buffer(data, size, 0, NULL, &e, NULL) != AUTHZ_OK) return 0;
    char why[256];
    if (!authz__check_invariants(e, why, sizeof why)) {
        fprintf(stderr, "invariant broken after load: %s\n", why);
        abort();
    }
    char path[64];
    snprintf(path, sizeof path, "/tmp/authz_fuzz_snapshot.%d", (int)getpid());
    authz_engine *again = NULL;
    if (authz_save(e, path, NULL) != AUTHZ_OK || authz_load(path, NULL, &again, NULL) != AUTHZ_OK ||
        authz__digest(e) != authz__digest(again))
        abort();
    unlink(path);
    authz_engine_free(again);
    authz_engine_free(e);
    return 0;
}

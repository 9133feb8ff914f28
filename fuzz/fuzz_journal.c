/*
 * fuzz_journal.c - hostile bytes into journal replay. Every outcome must be an answer: OK with
 * records in sequence order (a torn tail cut), or AUTHZ_ECORRUPT naming an offset inside the
 * input. Record checksums stay on: they are what tells a torn tail from a damaged middle.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct count {
    uint64_t next;
    size_t bytes;
} count;

static authz_status apply(void *ctx, uint64_t seq, const char *p, size_t len, authz_error *err) {
    (void)err;
    count *c = ctx;
    if (c->next && seq != c->next) abort();
    c->next = seq + 1;
    for (size_t i = 0; i < len; i++) c->bytes += (unsigned char)p[i] != 0;
    return AUTHZ_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint64_t after = size ? data[0] % 4 : 0;
    count c = {0, 0};
    uint64_t last, valid;
    char warn[256];
    authz_error err;
    memset(&err, 0, sizeof err);
    authz_status st = authz__journal_replay_buffer(data, size, "fuzz", after, apply, &c, &last,
                                                   &valid, warn, sizeof warn, &err);
    if (st != AUTHZ_OK && st != AUTHZ_ECORRUPT) abort();
    if (st == AUTHZ_OK && valid > size) abort();
    return 0;
}

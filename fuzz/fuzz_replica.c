/*
 * fuzz_replica.c - hostile bytes into what a follower decodes (src/replica): the first byte picks
 * the surface. 0: a snapshot descriptor and its chunks (u32-length-prefixed), assembled,
 * verified and loaded into an engine as a follower does; 1: one stream record (journal framing),
 * applied to an engine when it verifies; 2: a record payload applied directly (past the
 * checksum, to reach the JSON apply path); 3: a stream entry ID. Every outcome must be an answer:
 * refused with a reason, or applied with the engine's invariants intact.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "access/authz_debug.h"
#include "replica/replica_internal.h"
#include "store/journal.h"
#include "store/snapshot.h"
#include "store/snapshot_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(authz_engine *e) {
    if (!authz__check_invariants(e, NULL, 0)) abort();
}

static void snapshot(const uint8_t *d, size_t n) {
    authz__snapdesc desc;
    const char *why = NULL;
    if (n < AUTHZ__SNAPDESC_SIZE) return;
    if (!authz__snapdesc_decode(d, AUTHZ__SNAPDESC_SIZE, &desc, &why)) {
        if (!why) abort();
        return;
    }
    if (desc.total > (1u << 20) || desc.count > 64) return;
    unsigned char *all = malloc(desc.total ? desc.total : 1);
    size_t off = 0, at = AUTHZ__SNAPDESC_SIZE;
    uint32_t i = 0;
    for (; i < desc.count && at + 4 <= n; i++) {
        uint32_t len = authz__get_u32(d + at);
        at += 4;
        if (len > n - at) break;
        const unsigned char *p;
        size_t plen;
        if (!authz__chunk_decode(d + at, len, &desc, i, &p, &plen, &why)) break;
        if (off + plen > desc.total) abort(); /* the layout check must have refused it */
        memcpy(all + off, p, plen);
        off += plen;
        at += len;
    }
    uint64_t seq;
    if (i == desc.count && authz__snapshot_verify(all, off, &desc, &why)) {
        authz_engine *e;
        if (authz_engine_new(NULL, &e) != AUTHZ_OK) abort();
        authz_error err;
        memset(&err, 0, sizeof err);
        (void)authz__snapshot_seq_of(all, off, &seq);
        authz_status st = authz__load_into(e, all, off, &seq, &err);
        if (st != AUTHZ_OK && st != AUTHZ_ECORRUPT && st != AUTHZ_ENOMEM) abort();
        check(e);
        authz_engine_free(e);
    }
    free(all);
}

static void apply(const uint8_t *payload, size_t len) {
    authz_engine *e;
    if (authz_engine_new(NULL, &e) != AUTHZ_OK) abort();
    authz_error err;
    memset(&err, 0, sizeof err);
    authz_status st = authz__replica_apply(e, 1, (const char *)payload, len, &err);
    if (st != AUTHZ_OK && st != AUTHZ_ECORRUPT && st != AUTHZ_ENOMEM) abort();
    if (st && !err.message[0]) abort();
    check(e);
    authz_engine_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    const uint8_t *d = data + 1;
    size_t n = size - 1;
    switch (data[0] % 4) {
        case 0:
            snapshot(d, n);
            break;
        case 1: {
            uint64_t seq;
            const unsigned char *p;
            size_t len;
            const char *why = NULL;
            if (authz__journal_record_decode(d, n, &seq, &p, &len, &why)) {
                if (len + 16 + 8 != n) abort();
                apply(p, len);
            } else if (!why) {
                abort();
            }
            break;
        }
        case 2:
            apply(d, n);
            break;
        default: {
            char id[64];
            size_t k = n < sizeof id - 1 ? n : sizeof id - 1;
            memcpy(id, d, k);
            id[k] = '\0';
            uint64_t rev;
            if (authz__entry_id_parse(id, &rev) && rev == 0) abort();
            break;
        }
    }
    return 0;
}

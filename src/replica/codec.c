/*
 * codec.c - the replica's wire forms in Redis (replica_internal.h): snapshot descriptors and
 * chunks, stream entry IDs. Every decoder takes untrusted bytes (the fuzzer feeds them).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "replica/replica_internal.h"
#include "store/snapshot_format.h"

#define DESC_MAGIC "AZSD"
#define CHUNK_MAGIC "AZSC"
#define DESC_VERSION 1u

void authz__snapdesc_encode(unsigned char out[AUTHZ__SNAPDESC_SIZE], const authz__snapdesc *d) {
    memcpy(out, DESC_MAGIC, 4);
    authz__put_u32(out + 4, DESC_VERSION);
    authz__put_u64(out + 8, d->rev);
    authz__put_u64(out + 16, d->total);
    authz__put_u32(out + 24, d->count);
    authz__put_u32(out + 28, d->chunk_size);
    authz__put_u64(out + 32, d->sum);
    authz__put_u64(out + 40, XXH3_64bits(out, 40));
}

int authz__snapdesc_decode(const unsigned char *d, size_t n, authz__snapdesc *out,
                           const char **why) {
    if (n != AUTHZ__SNAPDESC_SIZE) return *why = "snapshot descriptor has the wrong size", 0;
    if (memcmp(d, DESC_MAGIC, 4) != 0) return *why = "not a snapshot descriptor", 0;
    if (authz__get_u32(d + 4) != DESC_VERSION)
        return *why = "unsupported snapshot descriptor version", 0;
    if (XXH3_64bits(d, 40) != authz__get_u64(d + 40))
        return *why = "snapshot descriptor checksum mismatch", 0;
    authz__snapdesc s = {.rev = authz__get_u64(d + 8),
                         .total = authz__get_u64(d + 16),
                         .count = authz__get_u32(d + 24),
                         .chunk_size = authz__get_u32(d + 28),
                         .sum = authz__get_u64(d + 32)};
    if (s.chunk_size == 0 || s.chunk_size > AUTHZ__CHUNK_SIZE || s.count == 0 ||
        s.count > AUTHZ__CHUNK_MAX_COUNT)
        return *why = "snapshot descriptor has an impossible chunk layout", 0;
    /* count chunks of chunk_size, the last one possibly shorter but not empty */
    uint64_t full = (uint64_t)(s.count - 1) * s.chunk_size;
    if (s.total <= full || s.total > full + s.chunk_size)
        return *why = "snapshot descriptor's size does not match its chunks", 0;
    *out = s;
    return 1;
}

void authz__chunk_encode(unsigned char *out, uint64_t rev, uint32_t index, uint32_t count,
                         const unsigned char *payload, uint32_t len) {
    memcpy(out, CHUNK_MAGIC, 4);
    authz__put_u32(out + 4, index);
    authz__put_u32(out + 8, count);
    authz__put_u32(out + 12, len);
    authz__put_u64(out + 16, rev);
    if (len) memcpy(out + AUTHZ__CHUNK_HEAD, payload, len);
    authz__put_u64(out + AUTHZ__CHUNK_HEAD + len, XXH3_64bits(out, AUTHZ__CHUNK_HEAD + len));
}

int authz__chunk_decode(const unsigned char *d, size_t n, const authz__snapdesc *desc,
                        uint32_t index, const unsigned char **payload, size_t *len,
                        const char **why) {
    if (n < AUTHZ__CHUNK_HEAD + AUTHZ__CHUNK_TAIL) return *why = "chunk shorter than its header", 0;
    if (memcmp(d, CHUNK_MAGIC, 4) != 0) return *why = "not a snapshot chunk", 0;
    uint32_t plen = authz__get_u32(d + 12);
    if ((size_t)plen + AUTHZ__CHUNK_HEAD + AUTHZ__CHUNK_TAIL != n)
        return *why = "chunk length does not match its size", 0;
    if (XXH3_64bits(d, AUTHZ__CHUNK_HEAD + plen) != authz__get_u64(d + AUTHZ__CHUNK_HEAD + plen))
        return *why = "chunk checksum mismatch", 0;
    if (authz__get_u32(d + 4) != index || authz__get_u32(d + 8) != desc->count)
        return *why = "chunk is not the one its key names", 0;
    if (authz__get_u64(d + 16) != desc->rev)
        return *why = "chunk belongs to another snapshot revision", 0;
    uint64_t expect = index + 1 < desc->count
                          ? desc->chunk_size
                          : desc->total - (uint64_t)(desc->count - 1) * desc->chunk_size;
    if (plen != expect) return *why = "chunk size differs from the descriptor's layout", 0;
    *payload = d + AUTHZ__CHUNK_HEAD;
    *len = plen;
    return 1;
}

int authz__snapshot_verify(const unsigned char *d, size_t n, const authz__snapdesc *desc,
                           const char **why) {
    if (n != desc->total) return *why = "assembled snapshot has the wrong length", 0;
    if (XXH3_64bits(d, n) != desc->sum) return *why = "assembled snapshot checksum mismatch", 0;
    return 1;
}

int authz__entry_id_parse(const char *id, uint64_t *rev) {
    uint64_t v = 0;
    const char *p = id;
    if (*p < '1' || *p > '9') return 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        uint64_t digit = (uint64_t)(*p - '0');
        if (v > (UINT64_MAX - digit) / 10) return 0;
        v = v * 10 + digit;
    }
    if (strcmp(p, "-1") != 0) return 0;
    *rev = v;
    return 1;
}

int authz__snapshot_seq_of(const unsigned char *d, size_t n, uint64_t *seq) {
    if (n < AUTHZ__SNAP_HEADER + AUTHZ__SNAP_TRAILER) return 0;
    const unsigned char *t = d + n - AUTHZ__SNAP_TRAILER;
    if (memcmp(t + 16, AUTHZ__SNAP_END, 8) != 0) return 0;
    uint32_t count = authz__get_u32(t);
    if (count > 64 ||
        (size_t)count * AUTHZ__SNAP_DIR_ENTRY > n - AUTHZ__SNAP_TRAILER - AUTHZ__SNAP_HEADER)
        return 0;
    const unsigned char *dir = t - (size_t)count * AUTHZ__SNAP_DIR_ENTRY;
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *e = dir + (size_t)i * AUTHZ__SNAP_DIR_ENTRY;
        if (authz__get_u32(e) != AUTHZ__SNAP_META) continue;
        uint64_t off = authz__get_u64(e + 8), len = authz__get_u64(e + 16);
        if (len < 8 || off > n || n - off < 8) return 0;
        *seq = authz__get_u64(d + off);
        return 1;
    }
    return 0;
}

/*
 * snapshot_format.h - the snapshot file format, version 3 (version 1 files, without the
 * DIRECTORY section, and version 2 files, without ORGANIZATIONS, still load). All integers
 * little-endian.
 *
 *   header     "AUTHZSNP"  u32 version  u32 zero                                  16 bytes
 *   payloads   the sections' payloads, back to back
 *   directory  per section: u32 kind  u32 zero  u64 offset  u64 length  u64 XXH3-64(payload)
 *   trailer    u32 section_count  u32 zero  u64 XXH3-64(header || directory)  "AUTHZEND"
 *
 * The directory at the end lets the writer stream (a payload's length and checksum are known
 * only once it is written). The trailer's checksum covers the header and the directory, and the
 * directory holds every payload's checksum, so a flipped bit anywhere is caught. Payloads name
 * strings by their index in STRINGS (1-based) and objects by their index in earlier sections.
 * A text field is u32 length + bytes, length 0xFFFFFFFF meaning "never set".
 */
#ifndef AUTHZ_SNAPSHOT_FORMAT_H
#define AUTHZ_SNAPSHOT_FORMAT_H

#include <stdint.h>
#include <string.h>

#define AUTHZ__SNAP_MAGIC "AUTHZSNP"
#define AUTHZ__SNAP_END "AUTHZEND"
#define AUTHZ__SNAP_VERSION 3u
#define AUTHZ__SNAP_VERSION_1_SECTIONS 7u /* version 1: STRINGS..META */
#define AUTHZ__SNAP_VERSION_2_SECTIONS 8u /* version 2: STRINGS..DIRECTORY */
#define AUTHZ__SNAP_HEADER 16u
#define AUTHZ__SNAP_DIR_ENTRY 32u
#define AUTHZ__SNAP_TRAILER 24u
#define AUTHZ__SNAP_NULL_TEXT 0xffffffffu

enum authz__snap_section {
    AUTHZ__SNAP_STRINGS = 1,       /* u32 n; n x (u32 len, bytes): the interned strings */
    AUTHZ__SNAP_NAMESPACES = 2,    /* namespaces with their resources and roles */
    AUTHZ__SNAP_GROUPS = 3,        /* groups */
    AUTHZ__SNAP_PRINCIPALS = 4,    /* departments, users, memberships in both orders */
    AUTHZ__SNAP_ASSIGNS = 5,       /* role assignments in both orders */
    AUTHZ__SNAP_GRANTS = 6,        /* action tables and grants, in an order that rebuilds lists */
    AUTHZ__SNAP_META = 7,          /* u64: the last journal sequence number the snapshot holds */
    AUTHZ__SNAP_DIRECTORY = 8,     /* u64 next generated user ID; u32 n; n x (u32 user index in
                                      PRINCIPALS, u64 created_at, text username, email, phone, name) */
    AUTHZ__SNAP_ORGANIZATIONS = 9, /* u64 next generated department ID; u32 n; n x (text code,
                                      name, description, root, u64 created_at) by creation; u32 m;
                                      m x (u32 department index in PRINCIPALS, text organization,
                                      parent, name, code, description, u64 created_at) */
    AUTHZ__SNAP_SECTIONS = 9
};

static inline void authz__put_u32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static inline void authz__put_u64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static inline uint32_t authz__get_u32(const unsigned char *p) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
static inline uint64_t authz__get_u64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

#endif

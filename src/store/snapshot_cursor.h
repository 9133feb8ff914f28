/*
 * snapshot_cursor.h - reading untrusted snapshot bytes: a bounds-checked cursor and the state
 * of one load. Every getter checks the bytes left; the first problem marks the cursor bad,
 * records AUTHZ_ECORRUPT with the section and byte offset, and later getters return zeros, so
 * decoders can read straight through and check `bad` where it matters.
 */
#ifndef AUTHZ_SNAPSHOT_CURSOR_H
#define AUTHZ_SNAPSHOT_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "model/engine.h"

typedef struct authz__cursor {
    const unsigned char *base; /* the whole file, for offsets in messages */
    const unsigned char *p, *end;
    const char *section;
    authz_error *err;
    int bad;
    authz_status status; /* AUTHZ_ECORRUPT or AUTHZ_ENOMEM once bad */
} authz__cursor;

typedef struct authz__loader {
    authz_engine *e;
    authz__cursor c;
    uint32_t *sid; /* file string index (1-based) -> engine id */
    uint32_t nstrings;
    authz__ns **ns;
    uint32_t nns;
    authz__group **groups;
    uint32_t ngroups;
    authz__principal **users, **depts;
    uint32_t nusers, ndepts;
    authz__assign **assigns;
    unsigned char *owned; /* owned[i]: assigns[i] is in its assignee's list */
    uint32_t nassigns;
    uint64_t seq; /* META: the journal sequence number the snapshot includes */
} authz__loader;

authz_status authz__snap_corrupt(authz__cursor *c, const char *fmt, ...) AUTHZ__PRINTF(2, 3);
authz_status authz__snap_nomem(authz__loader *l);
uint32_t authz__snap_u8(authz__cursor *c);
uint32_t authz__snap_u32(authz__cursor *c);
uint64_t authz__snap_u64(authz__cursor *c);
/* A count of items of at least `item_size` bytes each, bounded by the bytes left. */
uint32_t authz__snap_count(authz__cursor *c, size_t item_size);
/* An index below `limit`. */
uint32_t authz__snap_index(authz__cursor *c, uint32_t limit, const char *what);
/* A string reference, as an engine id. */
uint32_t authz__snap_sid(authz__loader *l);
/* A code reference that must satisfy the code syntax (resource codes allow '.'). */
uint32_t authz__snap_code(authz__loader *l, int resource, authz_object obj);
/* A text field as a new engine-owned string; NULL with *ok = 1 means "never set". */
char *authz__snap_text(authz__loader *l, size_t max, int *ok);
/* Temporary arrays of the load (engine-owned, freed when the load ends). */
void *authz__snap_array(authz__loader *l, size_t n, size_t size);

/* The decoders of the sections, in file order. */
authz_status authz__snap_load_strings(authz__loader *l);
authz_status authz__snap_load_namespaces(authz__loader *l);
authz_status authz__snap_load_groups(authz__loader *l);
authz_status authz__snap_load_principals(authz__loader *l);
authz_status authz__snap_load_assigns(authz__loader *l);
authz_status authz__snap_load_grants(authz__loader *l);
authz_status authz__snap_load_meta(authz__loader *l);
authz_status authz__snap_load_directory(authz__loader *l);
authz_status authz__snap_load_organizations(authz__loader *l);

#endif

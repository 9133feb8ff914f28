/*
 * directory.h - the user directory's tables (include/authz/directory.h). A listed user is a
 * user principal with `listed` set and a profile here, keyed by its interned ID; the principal
 * record stays the one grants, groups, departments and assignments point at.
 */
#ifndef AUTHZ_MODEL_DIRECTORY_H
#define AUTHZ_MODEL_DIRECTORY_H

#include <stdint.h>

#include "base/map.h"
#include "base/vec.h"

struct authz__principal;

typedef struct authz__profile {
    struct authz__principal *p;
    char *username, *email, *phone, *name; /* NULL when never set */
    int64_t created_at;
} authz__profile;

typedef struct authz__directory {
    authz__map by_id; /* interned user ID -> authz__profile* */
    authz__vec order; /* authz__profile*, oldest first */
    uint64_t next_id; /* generated IDs so far: the next is next_id + 1, in hex */
} authz__directory;

#endif

/*
 * directory.h - the user directory's tables (include/authz/directory.h). A listed user is a
 * user principal with `listed` set and a profile here, keyed by its interned ID; the principal
 * record stays the one grants, groups, departments and assignments point at. Organizations and
 * created departments (include/authz/organization.h) live here too.
 */
#ifndef AUTHZ_MODEL_DIRECTORY_H
#define AUTHZ_MODEL_DIRECTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/map.h"
#include "base/vec.h"

struct authz__principal;

typedef struct authz__profile {
    struct authz__principal *p;
    char *username, *email, *phone, *name; /* NULL when never set */
    int64_t created_at;
} authz__profile;

/* An organization (include/authz/organization.h). The default one is not stored: it is the same
 * constant in every engine (organization.c). */
typedef struct authz__org {
    char *code, *name, *description; /* description NULL when never set */
    char *root;                      /* its root department's ID */
    int64_t created_at;
} authz__org;

/* A created department: a department principal with `listed` set, and its record here, keyed by
 * its interned ID. Parents are created before children, so `depts` in creation order lists
 * every parent before its children. */
typedef struct authz__dept {
    struct authz__principal *p;
    char *org;                       /* its organization's code */
    char *parent;                    /* its parent's department ID (the root or another record) */
    char *name, *code, *description; /* code, description NULL when never set */
    int64_t created_at;
    bool doomed; /* marked by a delete of an ancestor; false outside a delete */
} authz__dept;

typedef struct authz__directory {
    authz__map by_id;      /* interned user ID -> authz__profile* */
    authz__vec order;      /* authz__profile*, oldest first */
    uint64_t next_id;      /* generated IDs so far: the next is next_id + 1, in hex */
    authz__vec orgs;       /* authz__org*, by creation (the default is not among them) */
    authz__map dept_by_id; /* interned department ID -> authz__dept* */
    authz__vec depts;      /* authz__dept*, by creation */
    uint64_t next_dept;    /* generated department IDs so far ("d" + 23 hex digits) */
} authz__directory;

#endif

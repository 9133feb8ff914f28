/*
 * authz.h - the whole public contract of authz, an embeddable in-memory authorization engine
 * that implements the Resource and Permission Management model of GenAuth's V3 management API:
 * permission namespaces, resources with named actions, roles, groups, departments, grants
 * ("authorize_resources") and the permission check ("is_action_allowed").
 *
 * Include this header only. It gathers one header per concept under authz/, in reading order:
 * status codes and errors, options and the engine, value types, then one per object kind
 * (namespaces, resources, roles, groups, departments), grants, the check, reads, snapshots.
 *
 * CONVENTIONS (they hold for every function below unless its comment says otherwise)
 *
 *  - Every function returns an authz_status. AUTHZ_OK is success. A denied check is an answer
 *    (`*allowed == false`), never an error.
 *  - `authz_error *err` is optional (NULL ignores details). On failure it receives the status,
 *    the offending request field ("code", "list", "targets"), the index of the offending batch
 *    item (-1 when not a batch item) and an English message. On success it is left untouched.
 *    Nothing is kept per engine, so concurrent callers never see each other's errors.
 *  - Strings in are NUL-terminated UTF-8. The engine copies what it keeps; the caller may free
 *    its strings as soon as the call returns. Optional strings may be NULL.
 *  - `namespace_code` NULL or "" means the namespace `default`, which always exists.
 *  - Results come back through `**out` parameters as ONE library-allocated block (the struct,
 *    its arrays and its strings together). Free it with authz_free(); never with free(). A result
 *    does not borrow from the engine: it stays valid after later writes and after the engine is
 *    freed, as long as the allocator given in authz_options (if any) stays usable.
 *  - Out parameters named `*out` that are documented as optional may be NULL.
 *  - Writes are all-or-nothing: when a write returns anything but AUTHZ_OK the engine is exactly
 *    as it was (same logical state, same live allocations). A batch with one bad item changes
 *    nothing and names the item. AUTHZ_ENOMEM is an ordinary status: the engine stays usable.
 *  - Paging: `const authz_page *page`; NULL means page 1, limit 10. Otherwise page must be >= 1
 *    and limit 1..50 (AUTHZ_EINVAL, field "page" or "limit"). Listing order is stable: creation
 *    order for objects, first-grant order for grants, join order for members. `total_count` is
 *    the exact number of matches before paging.
 *
 * CONCURRENCY
 *  One engine may be shared by any number of threads. Reads (the check and every function that
 *  takes `const authz_engine *`) run concurrently with each other; writes are serialized and
 *  exclusive, through one writer-preferring read-write lock per engine. A reader therefore sees
 *  each write whole or not at all, and waits at most for the one write in progress. The check
 *  allocates nothing. authz_engine_free() must not race with any other call on that engine.
 *
 * IDENTIFIERS (semantics.md §1)
 *  namespace, role and group codes: [A-Za-z0-9_-]{1,64}; resource codes: [A-Za-z0-9_.-]{1,64}.
 *  A resource *string* (in grants and checks) is `code`, `code:id`, `code:*` or `*`, where id is
 *  1..128 bytes of printable ASCII without spaces (it may contain ':').
 *  User and department IDs: 1..128 bytes of printable UTF-8, no control characters.
 *  Names: valid UTF-8, at most 256 bytes; descriptions at most 1024 bytes.
 */
#ifndef AUTHZ_H
#define AUTHZ_H

#include "authz/check.h"
#include "authz/department.h"
#include "authz/directory.h"
#include "authz/engine.h"
#include "authz/grant.h"
#include "authz/group.h"
#include "authz/namespace.h"
#include "authz/organization.h"
#include "authz/read.h"
#include "authz/resource.h"
#include "authz/role.h"
#include "authz/route.h"
#include "authz/snapshot.h"
#include "authz/status.h"
#include "authz/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AUTHZ_VERSION_MAJOR 0
#define AUTHZ_VERSION_MINOR 1
#define AUTHZ_VERSION_PATCH 0
#define AUTHZ_VERSION_STRING "0.1.0"

/** The library's version string, e.g. "0.1.0". Static; never NULL. */
AUTHZ_API const char *authz_version(void);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_H */

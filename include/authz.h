/*
 * authz.h - the whole public contract of authz, an embeddable in-memory authorization engine
 * that implements the Resource and Permission Management model of GenAuth's V3 management API:
 * permission namespaces, resources with named actions, roles, groups, departments, grants
 * ("authorize_resources") and the permission check ("is_action_allowed").
 *
 * Reading order: status codes and errors, options and the engine, value types, then one section
 * per object kind (namespaces, resources, roles, groups, departments), grants, the check, reads.
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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(AUTHZ_BUILDING) && defined(__GNUC__)
#define AUTHZ_API __attribute__((visibility("default")))
#else
#define AUTHZ_API
#endif

#define AUTHZ_VERSION_MAJOR 0
#define AUTHZ_VERSION_MINOR 1
#define AUTHZ_VERSION_PATCH 0
#define AUTHZ_VERSION_STRING "0.1.0"

/** The library's version string, e.g. "0.1.0". Static; never NULL. */
AUTHZ_API const char *authz_version(void);

/* ------------------------------------------------------------------------------------------ */
/* Status codes                                                                                */
/* ------------------------------------------------------------------------------------------ */

/*
 * X(NAME, value, statusCode, text): statusCode is the GenAuth envelope class the JSON front door
 * answers with. apiCode, on failures only, is statusCode * 100 + the authz_object the failure is
 * about (see authz_api_code()), e.g. 40402 = resource not found, 40903 = role already exists,
 * 40000 = invalid argument not tied to an object kind.
 */
#define AUTHZ_STATUS_MAP(X)                       \
    X(OK, 0, 200, "success")                      \
    X(EINVAL, 1, 400, "invalid argument")         \
    X(ELIMIT, 2, 400, "limit exceeded")           \
    X(ENOTFOUND, 3, 404, "not found")             \
    X(EEXIST, 4, 409, "already exists")           \
    X(ERULE, 5, 422, "operation violates a rule") \
    X(ENOMEM, 6, 500, "out of memory")            \
    X(ECORRUPT, 7, 500, "data is corrupt")        \
    X(EIO, 8, 500, "input/output error")          \
    X(EINTERNAL, 9, 500, "internal error")

typedef enum authz_status {
#define AUTHZ__STATUS_ENUM(name, value, http, text) AUTHZ_##name = value,
    AUTHZ_STATUS_MAP(AUTHZ__STATUS_ENUM)
#undef AUTHZ__STATUS_ENUM
} authz_status;

/** A static English description of `s`, e.g. "not found". Never NULL. */
AUTHZ_API const char *authz_strerror(authz_status s);
/** The enum name of `s` without prefix, e.g. "ENOTFOUND". Never NULL ("UNKNOWN" if invalid). */
AUTHZ_API const char *authz_status_name(authz_status s);
/** The GenAuth statusCode class of `s`: 200, 400, 404, 409, 422 or 500. */
AUTHZ_API int authz_status_code(authz_status s);

/** What a failure is about: the kind of object missing, duplicated or malformed. */
typedef enum authz_object {
    AUTHZ_OBJ_NONE = 0,
    AUTHZ_OBJ_NAMESPACE = 1,
    AUTHZ_OBJ_RESOURCE = 2,
    AUTHZ_OBJ_ROLE = 3,
    AUTHZ_OBJ_GROUP = 4,
    AUTHZ_OBJ_USER = 5,
    AUTHZ_OBJ_DEPARTMENT = 6,
    AUTHZ_OBJ_GRANT = 7
} authz_object;

/** Error details of one failed call. Fill is best-effort; `status` is always set. */
typedef struct authz_error {
    authz_status status;
    authz_object object; /* what the failure is about, AUTHZ_OBJ_NONE if nothing specific */
    int32_t item;        /* index of the offending batch item, -1 if none */
    char field[64];      /* the request field at fault ("code", "list", "limit"), "" if none */
    char message[256];   /* English, e.g. "invalid role code: a b" or "role not found: admin" */
} authz_error;

/** The apiCode for an error: authz_status_code(status) * 100 + object; 0 for AUTHZ_OK. */
AUTHZ_API int authz_api_code(const authz_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Options and the engine                                                                      */
/* ------------------------------------------------------------------------------------------ */

/**
 * A replaceable allocator. Every allocation the engine makes (its own, its hash tables', its
 * results') goes through it. malloc_fn and realloc_fn return NULL on failure, which the engine
 * turns into AUTHZ_ENOMEM with the engine unchanged. realloc_fn(ctx, NULL, n) must act like
 * malloc; free_fn(ctx, NULL) must be a no-op. The functions may be called from any thread that
 * calls into the engine, so they must be thread-safe if the engine is shared.
 */
typedef struct authz_allocator {
    void *(*malloc_fn)(void *ctx, size_t size);
    void *(*realloc_fn)(void *ctx, void *ptr, size_t size);
    void (*free_fn)(void *ctx, void *ptr);
    void *ctx;
} authz_allocator;

/** The clock used for role windows and disableTime, in milliseconds since the Unix epoch. */
typedef int64_t (*authz_clock_fn)(void *ctx);

typedef struct authz_options {
    const authz_allocator *allocator; /* NULL: the C library's malloc/realloc/free. Copied. */
    authz_clock_fn clock;             /* NULL: CLOCK_REALTIME */
    void *clock_ctx;
    /*
     * strict: authorize/revoke reject resource strings whose code is not a created resource,
     * and actions the resource does not declare (AUTHZ_ERULE); update_resource drops granted
     * actions the new action list no longer declares. Off by default (GenAuth is lenient).
     */
    bool strict;
} authz_options;

/** Fills `opt` with the defaults (all zero / NULL / false). */
AUTHZ_API void authz_options_init(authz_options *opt);

typedef struct authz_engine authz_engine;

/**
 * Creates an engine holding only the namespace `default`. `opt` may be NULL for defaults.
 * On success `*out` owns the engine (free with authz_engine_free()); on failure `*out` is NULL.
 */
AUTHZ_API authz_status authz_engine_new(const authz_options *opt, authz_engine **out);
/** Frees the engine and everything it holds. NULL is a no-op. Results stay valid. */
AUTHZ_API void authz_engine_free(authz_engine *e);

/** Frees any result block the library returned through an `**out` parameter. NULL is a no-op. */
AUTHZ_API void authz_free(void *result);

/** Counts of what an engine holds, for metrics and benchmarks. */
typedef struct authz_stats {
    size_t namespaces, resources, roles, groups, users, departments;
    size_t grants;           /* (namespace, target, resource string) entries */
    size_t role_assignments; /* (role, user-or-department) entries */
    size_t memberships;      /* group and department memberships */
    size_t strings;          /* interned identifiers */
    size_t bytes;            /* bytes currently allocated through the allocator */
} authz_stats;

AUTHZ_API authz_status authz_get_stats(const authz_engine *e, authz_stats *out);

/* ------------------------------------------------------------------------------------------ */
/* Enumerations of the wire model                                                              */
/* ------------------------------------------------------------------------------------------ */

typedef enum authz_target_type {
    AUTHZ_TARGET_USER = 0,
    AUTHZ_TARGET_ROLE = 1,
    AUTHZ_TARGET_GROUP = 2,
    AUTHZ_TARGET_DEPARTMENT = 3
} authz_target_type;

typedef enum authz_resource_type {
    AUTHZ_RESOURCE_DATA = 0,
    AUTHZ_RESOURCE_API = 1,
    AUTHZ_RESOURCE_MENU = 2,
    AUTHZ_RESOURCE_BUTTON = 3,
    AUTHZ_RESOURCE_UI = 4
} authz_resource_type;

typedef enum authz_role_status { AUTHZ_ROLE_ENABLE = 0, AUTHZ_ROLE_DISABLE = 1 } authz_role_status;

/** Wire names: "USER", "ROLE", "GROUP", "DEPARTMENT"; NULL if out of range. Static. */
AUTHZ_API const char *authz_target_type_name(authz_target_type t);
/** Parses a wire name (exact, upper case). AUTHZ_EINVAL if unknown. */
AUTHZ_API authz_status authz_target_type_parse(const char *s, authz_target_type *out);
/** Wire names: "DATA", "API", "MENU", "BUTTON", "UI"; NULL if out of range. Static. */
AUTHZ_API const char *authz_resource_type_name(authz_resource_type t);
AUTHZ_API authz_status authz_resource_type_parse(const char *s, authz_resource_type *out);
/** Wire names: "ENABLE", "DISABLE". */
AUTHZ_API const char *authz_role_status_name(authz_role_status s);
AUTHZ_API authz_status authz_role_status_parse(const char *s, authz_role_status *out);

/** Paging of list reads; see CONVENTIONS. */
typedef struct authz_page {
    uint32_t page;  /* 1-based */
    uint32_t limit; /* 1..50 */
} authz_page;

/** A list of identifiers (user IDs, department IDs). */
typedef struct authz_id_list {
    size_t total_count;
    size_t count;
    const char **items;
} authz_id_list;

/* ------------------------------------------------------------------------------------------ */
/* Namespaces (GenAuth: permission namespace / 权限分组). `default` always exists.               */
/* ------------------------------------------------------------------------------------------ */

typedef struct authz_namespace_spec {
    const char *code;        /* required */
    const char *name;        /* optional */
    const char *description; /* optional */
} authz_namespace_spec;

typedef struct authz_namespace {
    const char *code;
    const char *name;        /* "" when never set */
    const char *description; /* "" when never set */
} authz_namespace;

typedef struct authz_namespace_list {
    size_t total_count;
    size_t count;
    authz_namespace *items;
} authz_namespace_list;

/** AUTHZ_EEXIST if the code exists. `out` optional: the created namespace. */
AUTHZ_API authz_status authz_namespace_create(authz_engine *e, const authz_namespace_spec *spec,
                                              authz_namespace **out, authz_error *err);
/** 1..50 specs; a code twice in the batch or already present is AUTHZ_EEXIST (item named). */
AUTHZ_API authz_status authz_namespace_create_batch(authz_engine *e,
                                                    const authz_namespace_spec *specs, size_t n,
                                                    authz_error *err);
/** AUTHZ_ENOTFOUND (object NAMESPACE) if unknown. */
AUTHZ_API authz_status authz_namespace_get(const authz_engine *e, const char *code,
                                           authz_namespace **out, authz_error *err);
/** 1..50 codes; unknown or malformed codes are skipped. Items in the order asked. */
AUTHZ_API authz_status authz_namespace_get_batch(const authz_engine *e, const char *const *codes,
                                                 size_t n, authz_namespace_list **out,
                                                 authz_error *err);

/** Fields left NULL are unchanged; `new_code` NULL or "" keeps the code (GenAuth ignores ""). */
typedef struct authz_namespace_patch {
    const char *code;
    const char *new_code;
    const char *name;
    const char *description;
} authz_namespace_patch;

/**
 * Renames carry every resource, role, grant and assignment along. Renaming `default` is
 * AUTHZ_ERULE; renaming onto an existing code is AUTHZ_EEXIST. `out` optional: the namespace
 * after the update.
 */
AUTHZ_API authz_status authz_namespace_update(authz_engine *e, const authz_namespace_patch *upd,
                                              authz_namespace **out, authz_error *err);
/** Deletes with every resource, role, grant and assignment in it. Unknown: AUTHZ_ENOTFOUND;
 *  `default`: AUTHZ_ERULE. */
AUTHZ_API authz_status authz_namespace_delete(authz_engine *e, const char *code, authz_error *err);
/** 1..10 codes; unknown or malformed codes are skipped; `default` among them is AUTHZ_ERULE. */
AUTHZ_API authz_status authz_namespace_delete_batch(authz_engine *e, const char *const *codes,
                                                    size_t n, authz_error *err);
/** `keywords` (optional): only namespaces whose code contains it. */
AUTHZ_API authz_status authz_list_namespaces(const authz_engine *e, const authz_page *page,
                                             const char *keywords, authz_namespace_list **out,
                                             authz_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Resources (scoped by namespace)                                                             */
/* ------------------------------------------------------------------------------------------ */

typedef struct authz_action_spec {
    const char *name;        /* required, 1..128 bytes of printable UTF-8, no spaces */
    const char *description; /* optional */
} authz_action_spec;

typedef struct authz_resource_spec {
    const char *code; /* required, [A-Za-z0-9_.-]{1,64} */
    authz_resource_type type;
    const char *name;           /* optional */
    const char *description;    /* optional */
    const char *api_identifier; /* optional */
    const authz_action_spec *actions;
    size_t action_count; /* 0..100; duplicate action names are AUTHZ_EINVAL */
} authz_resource_spec;

typedef struct authz_action {
    const char *name;
    const char *description;
} authz_action;

typedef struct authz_resource {
    const char *namespace_code;
    const char *code;
    authz_resource_type type;
    const char *name;           /* "" when never set */
    const char *description;    /* "" when never set */
    const char *api_identifier; /* "" when never set */
    size_t action_count;
    authz_action *actions; /* declared actions, in declaration order */
    bool linked_to_tenant; /* true while some tenant is associated */
} authz_resource;

typedef struct authz_resource_list {
    size_t total_count;
    size_t count;
    authz_resource *items;
} authz_resource_list;

/** AUTHZ_ENOTFOUND if the namespace is unknown; AUTHZ_EEXIST if the code exists in it. */
AUTHZ_API authz_status authz_resource_create(authz_engine *e, const char *namespace_code,
                                             const authz_resource_spec *spec, authz_resource **out,
                                             authz_error *err);
/** 1..50 specs, all in one namespace. */
AUTHZ_API authz_status authz_resource_create_batch(authz_engine *e, const char *namespace_code,
                                                   const authz_resource_spec *specs, size_t n,
                                                   authz_error *err);
AUTHZ_API authz_status authz_resource_get(const authz_engine *e, const char *namespace_code,
                                          const char *code, authz_resource **out, authz_error *err);
/** 1..50 codes; unknown or malformed codes are skipped. */
AUTHZ_API authz_status authz_resource_get_batch(const authz_engine *e, const char *namespace_code,
                                                const char *const *codes, size_t n,
                                                authz_resource_list **out, authz_error *err);
/** `type` optional filter. */
AUTHZ_API authz_status authz_list_resources(const authz_engine *e, const char *namespace_code,
                                            const authz_resource_type *type, const authz_page *page,
                                            authz_resource_list **out, authz_error *err);

/** NULL fields are unchanged. `set_actions` replaces the declared actions with `actions`. */
typedef struct authz_resource_patch {
    const char *code;
    const char *name;
    const char *description;
    const char *api_identifier;
    const authz_resource_type *type;
    bool set_actions;
    const authz_action_spec *actions;
    size_t action_count; /* 0..100 */
} authz_resource_patch;

/** Grants keep their actions, except in strict mode where undeclared ones are dropped.
 *  `out` optional. */
AUTHZ_API authz_status authz_resource_update(authz_engine *e, const char *namespace_code,
                                             const authz_resource_patch *upd, authz_resource **out,
                                             authz_error *err);
/**
 * Removes the resource and every grant in its namespace on `code`, `code:*` and `code:<id>`
 * (grants are removed even when `code` was never created: grants may name uncreated codes).
 * Idempotent: an unknown (even malformed) code is AUTHZ_OK, but an unknown namespace is
 * AUTHZ_ENOTFOUND.
 */
AUTHZ_API authz_status authz_resource_delete(authz_engine *e, const char *namespace_code,
                                             const char *code, authz_error *err);
/** 1..50 codes, idempotent like authz_resource_delete. */
AUTHZ_API authz_status authz_resource_delete_batch(authz_engine *e, const char *namespace_code,
                                                   const char *const *codes, size_t n,
                                                   authz_error *err);
/**
 * Associates (true) or disassociates (false) tenant `tenant_id` (NULL or "": the user pool
 * itself) with resource `code` of the application `app_id`. An application's resources live
 * in the namespace whose code is its app ID, so `app_id` names the namespace (AUTHZ_ENOTFOUND
 * if it or the resource is unknown). Idempotent.
 */
AUTHZ_API authz_status authz_resource_associate_tenant(authz_engine *e, const char *app_id,
                                                       const char *code, bool association,
                                                       const char *tenant_id, authz_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Roles (scoped by namespace), assigned to users and departments                             */
/* ------------------------------------------------------------------------------------------ */

typedef struct authz_role_spec {
    const char *namespace_code; /* NULL or "": default */
    const char *code;           /* required */
    const char *name;           /* optional */
    const char *description;    /* optional */
    int64_t disable_time;       /* ms since epoch after which the role grants nothing; 0: never */
} authz_role_spec;

typedef struct authz_role {
    const char *namespace_code;
    const char *code;
    const char *name;
    const char *description;
    authz_role_status status;
    int64_t disable_time; /* 0: never */
} authz_role;

typedef struct authz_role_list {
    size_t total_count;
    size_t count;
    authz_role *items;
} authz_role_list;

AUTHZ_API authz_status authz_role_create(authz_engine *e, const authz_role_spec *spec,
                                         authz_role **out, authz_error *err);
/** 1..50 specs, each with its own namespace. */
AUTHZ_API authz_status authz_role_create_batch(authz_engine *e, const authz_role_spec *specs,
                                               size_t n, authz_error *err);
AUTHZ_API authz_status authz_role_get(const authz_engine *e, const char *namespace_code,
                                      const char *code, authz_role **out, authz_error *err);
/** `keywords` optional: roles whose code or name contains it. */
AUTHZ_API authz_status authz_list_roles(const authz_engine *e, const char *namespace_code,
                                        const char *keywords, const authz_page *page,
                                        authz_role_list **out, authz_error *err);

/** NULL fields are unchanged; `new_code` NULL or "" keeps the code. */
typedef struct authz_role_patch {
    const char *namespace_code;
    const char *code;
    const char *new_code;
    const char *name;
    const char *description;
    const authz_role_status *status;
    const int64_t *disable_time; /* 0: never */
} authz_role_patch;

/** Renames carry grants and assignments along; onto an existing code: AUTHZ_EEXIST. */
AUTHZ_API authz_status authz_role_update(authz_engine *e, const authz_role_patch *upd,
                                         authz_error *err);
/** 1..50 codes; any unknown code is AUTHZ_ENOTFOUND and nothing is deleted. Deleting a role
 *  removes its grants and assignments. */
AUTHZ_API authz_status authz_role_delete_batch(authz_engine *e, const char *namespace_code,
                                               const char *const *codes, size_t n,
                                               authz_error *err);

/** A role assignee: USER or DEPARTMENT (ROLE and GROUP are AUTHZ_EINVAL). */
typedef struct authz_target {
    authz_target_type type;
    const char *identifier;
} authz_target;

/** The validity window of an assignment: enable_time <= now < end_time; 0 means unbounded. */
typedef struct authz_role_window {
    int64_t enable_time;
    int64_t end_time;
} authz_role_window;

typedef struct authz_role_ref {
    const char *namespace_code;
    const char *code;
} authz_role_ref;

/**
 * Assigns role `code` to 1..50 targets; `window` NULL means unbounded. Users and departments
 * come into being when first named. Assigning again replaces the window (the assignment keeps
 * its place in listing order).
 */
AUTHZ_API authz_status authz_role_assign(authz_engine *e, const char *namespace_code,
                                         const char *code, const authz_target *targets, size_t n,
                                         const authz_role_window *window, authz_error *err);
/** 1..10 roles x 1..10 targets. */
AUTHZ_API authz_status authz_role_assign_batch(authz_engine *e, const authz_role_ref *roles,
                                               size_t nroles, const authz_target *targets,
                                               size_t ntargets, const authz_role_window *window,
                                               authz_error *err);
/** 1..50 targets; revoking what is not assigned is a no-op. */
AUTHZ_API authz_status authz_role_revoke(authz_engine *e, const char *namespace_code,
                                         const char *code, const authz_target *targets, size_t n,
                                         authz_error *err);
/** 1..10 roles x 1..50 targets. */
AUTHZ_API authz_status authz_role_revoke_batch(authz_engine *e, const authz_role_ref *roles,
                                               size_t nroles, const authz_target *targets,
                                               size_t ntargets, authz_error *err);

/** One assignment of a role. */
typedef struct authz_assignment {
    const char *identifier; /* user ID or department ID */
    int64_t enable_time;    /* 0: unbounded */
    int64_t end_time;       /* 0: unbounded */
} authz_assignment;

typedef struct authz_assignment_list {
    size_t total_count;
    size_t count;
    authz_assignment *items;
} authz_assignment_list;

/** Users assigned the role directly (not through a department), in assignment order. */
AUTHZ_API authz_status authz_role_list_members(const authz_engine *e, const char *namespace_code,
                                               const char *code, const authz_page *page,
                                               authz_assignment_list **out, authz_error *err);
/** Departments assigned the role, in assignment order. */
AUTHZ_API authz_status authz_role_list_departments(const authz_engine *e,
                                                   const char *namespace_code, const char *code,
                                                   const authz_page *page,
                                                   authz_assignment_list **out, authz_error *err);
/**
 * The roles of `namespace_code` assigned to the user directly, then those it holds through its
 * departments (each role once), whatever their window or status. Unknown user: AUTHZ_ENOTFOUND
 * (object USER). total_count == count (no paging).
 */
AUTHZ_API authz_status authz_user_roles(const authz_engine *e, const char *user_id,
                                        const char *namespace_code, authz_role_list **out,
                                        authz_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Groups (not namespaced)                                                                     */
/* ------------------------------------------------------------------------------------------ */

typedef struct authz_group_spec {
    const char *code;        /* required */
    const char *name;        /* optional */
    const char *description; /* optional */
    const char *type;        /* optional, free text such as "static"; "" when NULL */
} authz_group_spec;

typedef struct authz_group {
    const char *code;
    const char *name;
    const char *description;
    const char *type;
} authz_group;

typedef struct authz_group_list {
    size_t total_count;
    size_t count;
    authz_group *items;
} authz_group_list;

AUTHZ_API authz_status authz_group_create(authz_engine *e, const authz_group_spec *spec,
                                          authz_group **out, authz_error *err);
/** 1..50 specs. `out` optional: the created groups in request order. */
AUTHZ_API authz_status authz_group_create_batch(authz_engine *e, const authz_group_spec *specs,
                                                size_t n, authz_group_list **out, authz_error *err);
AUTHZ_API authz_status authz_group_get(const authz_engine *e, const char *code, authz_group **out,
                                       authz_error *err);
/** `keywords` optional: groups whose code or name contains it. */
AUTHZ_API authz_status authz_list_groups(const authz_engine *e, const char *keywords,
                                         const authz_page *page, authz_group_list **out,
                                         authz_error *err);

typedef struct authz_group_patch {
    const char *code;
    const char *new_code; /* NULL or "": keep */
    const char *name;
    const char *description;
} authz_group_patch;

/** Renames carry grants and memberships along. `out` optional: the group after the update. */
AUTHZ_API authz_status authz_group_update(authz_engine *e, const authz_group_patch *upd,
                                          authz_group **out, authz_error *err);
/** 1..50 codes; unknown or malformed codes are skipped. Removes grants and memberships. */
AUTHZ_API authz_status authz_group_delete_batch(authz_engine *e, const char *const *codes, size_t n,
                                                authz_error *err);
/** 1..50 user IDs; members already present are kept in place. */
AUTHZ_API authz_status authz_group_add_members(authz_engine *e, const char *code,
                                               const char *const *user_ids, size_t n,
                                               authz_error *err);
/** 1..50 user IDs; non-members are ignored. */
AUTHZ_API authz_status authz_group_remove_members(authz_engine *e, const char *code,
                                                  const char *const *user_ids, size_t n,
                                                  authz_error *err);
AUTHZ_API authz_status authz_group_list_members(const authz_engine *e, const char *code,
                                                const authz_page *page, authz_id_list **out,
                                                authz_error *err);
/** The user's groups in join order. Unknown user: AUTHZ_ENOTFOUND (object USER). */
AUTHZ_API authz_status authz_user_groups(const authz_engine *e, const char *user_id,
                                         authz_group_list **out, authz_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Departments: identified by department ID, created when first named                         */
/* ------------------------------------------------------------------------------------------ */

/** 1..50 user IDs join department `department_id`; members already present keep their place. */
AUTHZ_API authz_status authz_department_add_members(authz_engine *e, const char *department_id,
                                                    const char *const *user_ids, size_t n,
                                                    authz_error *err);
/** 1..50 user IDs; non-members are ignored. Unknown department: AUTHZ_ENOTFOUND. */
AUTHZ_API authz_status authz_department_remove_members(authz_engine *e, const char *department_id,
                                                       const char *const *user_ids, size_t n,
                                                       authz_error *err);
/** Replaces the user's departments with 0..50 department IDs (duplicates collapse). */
AUTHZ_API authz_status authz_user_set_departments(authz_engine *e, const char *user_id,
                                                  const char *const *department_ids, size_t n,
                                                  authz_error *err);
/** The user's departments in join order. Unknown user: AUTHZ_ENOTFOUND (object USER). */
AUTHZ_API authz_status authz_user_departments(const authz_engine *e, const char *user_id,
                                              authz_id_list **out, authz_error *err);
/** Members in join order. Unknown department: AUTHZ_ENOTFOUND (object DEPARTMENT). */
AUTHZ_API authz_status authz_department_list_members(const authz_engine *e,
                                                     const char *department_id,
                                                     const authz_page *page, authz_id_list **out,
                                                     authz_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Grants: authorize_resources and revoke_resources                                            */
/* ------------------------------------------------------------------------------------------ */

typedef struct authz_grant_resource {
    const char *resource;       /* `code`, `code:id`, `code:*` or `*` */
    const char *const *actions; /* action names; "*" is every action */
    size_t action_count;        /* authorize: 1..50; revoke: 0 (= all) .. 50 */
    authz_resource_type type;   /* recorded with the grant (GenAuth's resourceType) */
} authz_grant_resource;

typedef struct authz_grant_item {
    authz_target_type target_type;
    const char *const *identifiers; /* 1..100 user IDs / role codes / group codes / dept IDs */
    size_t identifier_count;
    const authz_grant_resource *resources; /* 1.. */
    size_t resource_count;
} authz_grant_item;

/**
 * Adds the listed actions to what each target holds on each resource string (1..10 items).
 * Granting what is held changes nothing. ROLE targets must exist in the namespace and GROUP
 * targets must exist (AUTHZ_ENOTFOUND); USER and DEPARTMENT identifiers are taken as they come.
 * A resource code may hold at most 4096 distinct action names in one namespace (AUTHZ_ELIMIT).
 */
AUTHZ_API authz_status authz_authorize(authz_engine *e, const char *namespace_code,
                                       const authz_grant_item *items, size_t n, authz_error *err);
/**
 * Removes the listed actions (action_count 0, or an action "*", removes the whole grant). A
 * grant left with no action disappears. Revoking what is not held is a no-op.
 */
AUTHZ_API authz_status authz_revoke(authz_engine *e, const char *namespace_code,
                                    const authz_grant_item *items, size_t n, authz_error *err);

/* ------------------------------------------------------------------------------------------ */
/* The check                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/**
 * May `user_id` do `action` on `resource` in the namespace? The user's principals in that
 * namespace are: the user; its roles of the namespace assigned directly or through a department
 * it is a direct member of (only inside the assignment window, only while the role is ENABLE and
 * its disable_time has not passed); its groups; its departments. `*allowed` is true iff some
 * principal holds a grant on `resource`, `code:*`, `code` or `*` (code = resource up to its
 * first ':') whose actions contain `action` or "*".
 * An unknown user is not allowed (AUTHZ_OK). Unknown namespace: AUTHZ_ENOTFOUND. A malformed
 * resource string or action name: AUTHZ_EINVAL. Allocates nothing.
 */
AUTHZ_API authz_status authz_check(const authz_engine *e, const char *namespace_code,
                                   const char *user_id, const char *resource, const char *action,
                                   bool *allowed, authz_error *err);

/** Why a check was allowed. For a denial only `allowed` is meaningful. */
typedef struct authz_explanation {
    bool allowed;
    authz_target_type principal_type; /* who held the grant */
    const char *principal_id;         /* user ID, role code, group code or department ID */
    const char *resource;             /* the resource string of the grant that matched */
    size_t action_count;
    const char **actions; /* every action of that grant */
} authz_explanation;

/** Like authz_check, and says which principal and which grant allowed it (the first found in
 *  the order user, roles, groups, departments). `*out` is always set on AUTHZ_OK. */
AUTHZ_API authz_status authz_explain(const authz_engine *e, const char *namespace_code,
                                     const char *user_id, const char *resource, const char *action,
                                     authz_explanation **out, authz_error *err);

/**
 * A prepared check: the namespace, resource string and action resolved once (a gateway keeps one
 * per route), so that authz_check_prepared() skips every name lookup but the user's.
 * A handle stays valid across every write: it holds the names, not engine pointers, and is
 * re-resolved cheaply (one generation compare) when a write changed the engine since it was last
 * resolved. Free with authz_free(). One handle may be used by several threads at once.
 */
typedef struct authz_prepared authz_prepared;

/** Resolves (namespace, resource, action). Unknown namespace: AUTHZ_ENOTFOUND; malformed resource
 *  or action: AUTHZ_EINVAL. */
AUTHZ_API authz_status authz_prepare(const authz_engine *e, const char *namespace_code,
                                     const char *resource, const char *action, authz_prepared **out,
                                     authz_error *err);
/** authz_check with the prepared names. If the namespace was deleted since: AUTHZ_ENOTFOUND. */
AUTHZ_API authz_status authz_check_prepared(const authz_engine *e, authz_prepared *p,
                                            const char *user_id, bool *allowed, authz_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Reads of grants                                                                             */
/* ------------------------------------------------------------------------------------------ */

/** One grant as listed: a resource string and its actions (in the order first granted). */
typedef struct authz_grant {
    const char *resource;
    authz_resource_type type;
    const char *description;    /* of the created resource `code`, "" otherwise */
    const char *api_identifier; /* of the created resource `code`, "" otherwise */
    size_t action_count;
    const char **actions;
} authz_grant;

typedef struct authz_grant_list {
    size_t total_count;
    size_t count;
    authz_grant *items;
} authz_grant_list;

/** Optional filters of grant reads. */
typedef struct authz_grant_filter {
    const authz_resource_type *type; /* NULL: any type */
    /* NULL/0: any resource. Otherwise 1..50 prefixes: a grant is kept if its resource string
     * starts with one of them (one trailing '*' is ignored, so "books:*" keeps "books:1"). */
    const char *const *resources;
    size_t resource_count;
} authz_grant_filter;

/**
 * The direct grants of one target, in grant order. ROLE/GROUP targets must exist
 * (AUTHZ_ENOTFOUND); an unknown user or department has no grants (AUTHZ_OK, empty list).
 * total_count == count (no paging).
 */
AUTHZ_API authz_status authz_target_grants(const authz_engine *e, const char *namespace_code,
                                           authz_target_type type, const char *identifier,
                                           const authz_grant_filter *filter, authz_grant_list **out,
                                           authz_error *err);
/**
 * The union of the grants of every principal of the user (as in authz_check, windows and role
 * status applied), actions merged per resource string, in the order first met (user, roles,
 * groups, departments). Unknown user: AUTHZ_ENOTFOUND (object USER).
 */
AUTHZ_API authz_status authz_user_grants(const authz_engine *e, const char *namespace_code,
                                         const char *user_id, const authz_grant_filter *filter,
                                         authz_grant_list **out, authz_error *err);

/** A target holding a grant, with its actions on the resource string asked about. */
typedef struct authz_target_grant {
    authz_target_type type;
    const char *identifier;
    size_t action_count;
    const char **actions;
} authz_target_grant;

typedef struct authz_target_grant_list {
    size_t total_count;
    size_t count;
    authz_target_grant *items;
} authz_target_grant_list;

/** Every target holding a grant on exactly the resource string `resource`, in grant order. */
AUTHZ_API authz_status authz_resource_targets(const authz_engine *e, const char *namespace_code,
                                              const char *resource, const authz_target_type *type,
                                              const authz_page *page, authz_target_grant_list **out,
                                              authz_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Snapshots                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/**
 * Writes the engine's whole state to `path`, atomically: a temporary file in the same directory
 * is written, fsync'ed and renamed over `path`, then the directory is fsync'ed. When this
 * returns AUTHZ_OK the snapshot is on disk; on failure `path` is as it was and no temporary file
 * is left. Checks proceed while it runs; writes wait. AUTHZ_EIO says which step failed.
 * The format is versioned, with an XXH3-64 checksum per section and over the whole file.
 */
AUTHZ_API authz_status authz_save(const authz_engine *e, const char *path, authz_error *err);

/**
 * Reads a snapshot into a NEW engine (options as for authz_engine_new). Everything is verified
 * before the engine is returned: a truncated, damaged, wrong-version or foreign file is
 * AUTHZ_ECORRUPT with a message saying where; a missing file AUTHZ_ENOTFOUND. On failure `*out`
 * is NULL and nothing else is touched.
 */
AUTHZ_API authz_status authz_load(const char *path, const authz_options *opt, authz_engine **out,
                                  authz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_H */

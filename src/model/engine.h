/*
 * engine.h - the engine's internal model, shared by the object modules.
 *
 * Names are interned (intern.h); objects are found through id maps (map.h) and listed through
 * ordered vectors (vec.h). Roles and groups get a stable object id (oid) at creation, and
 * namespaces too, so a rename changes one map entry and no grant. A grant target is packed in
 * 32 bits: the target type in the top two bits, and below it the interned ID (users,
 * departments) or the oid (roles, groups).
 *
 * Locking: every public entry point takes `lock` (read or write) and the functions declared
 * here assume it is held.
 */
#ifndef AUTHZ_ENGINE_H
#define AUTHZ_ENGINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "authz.h"
#include "base/intern.h"
#include "base/map.h"
#include "base/mem.h"
#include "base/vec.h"
#include "model/directory.h"
#include "model/grant.h"
#include "model/route.h"
#include "model/undo.h"

#define AUTHZ__TARGET_SHIFT 30
#define AUTHZ__TARGET_ID_MAX ((1u << AUTHZ__TARGET_SHIFT) - 1)

static inline uint32_t authz__target(authz_target_type t, uint32_t id) {
    return ((uint32_t)t << AUTHZ__TARGET_SHIFT) | id;
}
static inline authz_target_type authz__target_type(uint32_t target) {
    return (authz_target_type)(target >> AUTHZ__TARGET_SHIFT);
}
static inline uint32_t authz__target_id(uint32_t target) { return target & AUTHZ__TARGET_ID_MAX; }

typedef struct authz__ns {
    uint32_t oid;
    uint32_t code; /* interned */
    char *name, *description;
    authz__map resources; /* code id -> authz__resource* */
    authz__vec resource_order;
    authz__map roles; /* code id -> authz__role* */
    authz__vec role_order;
    authz__map actabs; /* code id -> authz__actab*: the action ordinals of each granted code */
} authz__ns;

typedef struct authz__decl_action {
    uint32_t name; /* interned */
    char *description;
} authz__decl_action;

typedef struct authz__resource {
    uint32_t code;
    authz_resource_type type;
    char *name, *description, *api_identifier;
    size_t action_count;
    authz__decl_action *actions;
    authz__vec tenants; /* char* tenant IDs ("" for the user pool) */
} authz__resource;

typedef struct authz__role {
    uint32_t oid;
    uint32_t code;
    uint32_t ns_oid; /* ns->oid, kept here so the check reads one object less */
    authz__ns *ns;
    char *name, *description;
    authz_role_status status;
    int64_t disable_time;
    authz__vec assigns; /* authz__assign*, in assignment order */
} authz__role;

typedef struct authz__principal authz__principal;
typedef struct authz__view authz__view;

typedef struct authz__assign {
    authz__role *role;
    authz__principal *who; /* a user or a department */
    int64_t enable_time, end_time;
} authz__assign;

/* One role a user holds (directly or through a department), folded for the check's view
 * (model/view.h): the role's namespace and oid, and the interval [from, to) in which it is
 * live. A disabled role's entry is never live (from
 * INT64_MAX, to INT64_MIN); an assignment without window or disable time is always live
 * (INT64_MIN, INT64_MAX), so the check reads the clock only for the others. A pure function of
 * the assignment and its role (authz__role_entry_of). */
typedef struct authz__role_entry {
    uint32_t ns_oid, role_oid;
    int64_t from, to;
} authz__role_entry;

typedef struct authz__group {
    uint32_t oid;
    uint32_t code;
    char *name, *description, *type;
    authz__vec members; /* authz__principal* users, in join order */
} authz__group;

/* A user or a department, created when first named and dropped, when a write ends, once
 * nothing links it: no role assignment, no group or department membership, no grant naming it,
 * and no directory entry (`listed`). */
struct authz__principal {
    uint32_t id; /* interned ID */
    /* Users: the check's flat view of the user's principals (model/view.h), never NULL;
     * departments: NULL. */
    authz__view *view;
    uint32_t grants; /* grants whose target is this principal, in every namespace */
    authz_target_type kind;
    bool listed;  /* in the directory (model/directory.h): a user with a profile, or a
                     created department with its record */
    bool pending; /* queued in engine->pending for the end-of-write check */
    bool stale;   /* a user whose view the write may have changed (model/view.h) */
    authz__principal *pend_next;
    authz__vec groups;  /* user: authz__group* in join order */
    authz__vec depts;   /* user: department principals in join order */
    authz__vec members; /* department: user principals in join order */
    authz__vec assigns; /* authz__assign* of roles held, in assignment order */
};

struct authz_engine {
    authz__mem mem;
    pthread_rwlock_t lock;
    authz_clock_fn clock;
    void *clock_ctx;
    /* The time a journaled write happened (authz__pin_write_time), 0 when none is pinned. */
    int64_t write_at;
    bool strict;
    bool user_directory; /* authz_options.user_directory */
    authz__intern strings;
    authz__undo undo;
    uint64_t generation; /* bumped by every committed write; prepared checks compare it */
    uint32_t next_oid;
    uint32_t star;         /* the interned "*" */
    uint32_t default_code; /* the interned "default" */
    authz__map ns_by_code; /* code id -> authz__ns* */
    authz__map ns_by_oid;
    authz__vec ns_order;
    authz__map groups; /* code id -> authz__group* */
    authz__map group_by_oid;
    authz__vec group_order;
    authz__map role_by_oid;
    authz__map users; /* ID -> authz__principal* */
    /* Users' views (model/view.h) by the hash of the user's ID string (authz__user_key): the
     * check finds what it reads of a user while it looks the ID up, not after, and never reads
     * the user record. Two IDs with the same 64-bit hash cannot both be here: the later one is
     * found through `users` (authz__user_index_put). */
    authz__map user_index;
    uint64_t user_key_mask; /* all ones, but for tests (authz__debug_user_key_bits) */
    authz__map depts;
    authz__principal *pending; /* principals a write touched: dropped at commit if unlinked */
    size_t role_count, assign_count, membership_count;
    authz__grants grants;
    authz__routes routes; /* API resources as HTTP routes (model/route.h) */
    authz__directory dir;
};

/*
 * Gives `e` the whole contents of `fresh` (every field but the lock) and `fresh` those of `e`;
 * `e` keeps its own clock and strict option, and its generation moves past both (prepared checks
 * re-resolve). The caller holds e's write lock and owns `fresh`, which it then frees. Allocates
 * nothing, so it cannot fail: build `fresh` fully first, and an ENOMEM leaves `e` untouched.
 */
void authz__engine_swap(authz_engine *e, authz_engine *fresh);

/* Locking of the public entry points. */
void authz__rdlock(const authz_engine *e);
void authz__wrlock(authz_engine *e);
void authz__unlock(const authz_engine *e);
int64_t authz__now(const authz_engine *e);
/* The time a write records as an object's creation: the pinned time while a journaled write is
 * applied or replayed, so a restart or a follower gives the records the leader's times; the
 * clock otherwise. */
int64_t authz__write_now(const authz_engine *e);
/* Pins (ms > 0) or unpins (0) the write time. The caller serializes its writes (the durable
 * layer's lock, the follower's one thread), and only writes read the pinned time. */
void authz__pin_write_time(authz_engine *e, int64_t ms);

/* Object ids. 0 on exhaustion. */
uint32_t authz__new_oid(authz_engine *e);

/* Lookups by name (no allocation, NULL if unknown). */
authz__ns *authz__ns_find(const authz_engine *e, const char *code);
authz__group *authz__group_find(const authz_engine *e, const char *code);
authz__role *authz__role_find(const authz_engine *e, const authz__ns *ns, const char *code);
authz__principal *authz__principal_find(const authz_engine *e, authz_target_type kind,
                                        const char *id);
/* The user or department `id`, created (undo-logged) if missing. NULL on allocation failure. */
authz__principal *authz__principal_ensure(authz_engine *e, authz_target_type kind, const char *id);
/* The user index (user_index above): the key of an ID string from its interned hash, the key of
 * an interned user ID; put files the view of `u` unless another user holds its key, del takes it
 * out if it is the one filed, refile points the key at the view's new block after it moved from
 * `old` (none can fail: principal_ensure and the loader reserve first). */
static inline uint64_t authz__user_key_of_hash(const authz_engine *e, uint64_t h) {
    h &= e->user_key_mask;
    return h ? h : 1;
}
extern uint64_t authz__user_key_mask_default; /* what new engines take */
uint64_t authz__user_key(const authz_engine *e, uint32_t sid);
void authz__user_index_put(authz_engine *e, authz__principal *u);
void authz__user_index_del(authz_engine *e, const authz__principal *u);
void authz__user_index_refile(authz_engine *e, const authz__principal *u, const authz__view *old);
/* The principal a grant target names (users and departments), or NULL. */
authz__principal *authz__principal_of_target(const authz_engine *e, uint32_t target);
/* Is anything linking `p` (assignment, membership, grant, directory entry)? */
bool authz__principal_linked(const authz__principal *p);
/* Something that linked `p` let go of it: inside a write, `p` is checked when the write
 * commits; outside one, at once. Never allocates. The user directory calls this after it
 * clears `listed`. */
void authz__principal_release(authz_engine *e, authz__principal *p);
/* Queues `p` for the end-of-write check (inside a write; allocates nothing). */
void authz__principal_queue(authz_engine *e, authz__principal *p);
/* The end-of-write check: on commit, every released principal that nothing links is dropped
 * (taken out of its map and freed); on rollback the queue is only emptied. */
void authz__principals_settle(authz_engine *e, int commit);
const char *authz__str(const authz_engine *e, uint32_t id);
/* String references held by objects (see base/intern.h). */
static inline void authz__sref(authz_engine *e, uint32_t id) { authz__intern_ref(&e->strings, id); }
static inline void authz__sunref(authz_engine *e, uint32_t id) {
    authz__intern_unref(&e->strings, id);
}

/* The namespace for a request, reporting AUTHZ_ENOTFOUND through err. NULL/"" = default. */
authz_status authz__ns_resolve(const authz_engine *e, const char *code, authz__ns **out,
                               authz_error *err);
/* The namespace `code` object; oid lookups. */
authz__ns *authz__ns_by_oid(const authz_engine *e, uint32_t oid);
authz__role *authz__role_by_oid(const authz_engine *e, uint32_t oid);
authz__group *authz__group_by_oid(const authz_engine *e, uint32_t oid);

/* The `keywords` filter of role and group listings: no keywords, or in the code or the name. */
bool authz__keywords_match(const authz_engine *e, uint32_t code, const char *name,
                           const char *keywords);

/* Is the role assignment in force at `now` (window, status, disable_time)? */
bool authz__assign_active(const authz__assign *a, int64_t now);

/* The role entry (authz__role_entry) of one assignment. */
authz__role_entry authz__role_entry_of(const authz__assign *a);
static inline bool authz__role_entry_always(const authz__role_entry *r) {
    return r->from == INT64_MIN && r->to == INT64_MAX;
}
static inline bool authz__role_entry_live(const authz__role_entry *r, int64_t now) {
    return r->from <= now && now < r->to;
}

/* Cascades used across modules (writes; cannot fail). */
void authz__role_destroy(authz_engine *e, authz__role *r);
void authz__assign_destroy(authz_engine *e, authz__assign *a);
void authz__principal_free(authz_engine *e, authz__principal *p);

/* A write: takes the write lock and opens the undo log; finish commits (AUTHZ_OK) or rolls
 * back (anything else), brings the views of the users it touched in step with the model
 * (model/view.h), releases the lock and returns `st`. */
void authz__write_begin(authz_engine *e);
authz_status authz__write_finish(authz_engine *e, authz_status st);

/* Each namespace, group and role is listed in its catalogs (by code, by oid, in creation
 * order). reserve_link makes room for one more (0 on allocation failure, nothing changed);
 * link then cannot fail; unlink takes the object out of every catalog. */
int authz__ns_reserve_link(authz_engine *e);
void authz__ns_link(authz_engine *e, authz__ns *ns);
void authz__ns_unlink(authz_engine *e, authz__ns *ns);
int authz__group_reserve_link(authz_engine *e);
void authz__group_link(authz_engine *e, authz__group *g);
void authz__group_unlink(authz_engine *e, authz__group *g);
int authz__role_reserve_link(authz_engine *e, authz__ns *ns);
void authz__role_link(authz_engine *e, authz__role *r);
void authz__role_unlink(authz_engine *e, authz__role *r);

/* Freeing objects (the caller has unlinked them). */
void authz__ns_free(authz_engine *e, authz__ns *ns);
void authz__resource_free(authz_engine *e, authz__resource *r);
void authz__role_free(authz_engine *e, authz__role *r);
void authz__group_free(authz_engine *e, authz__group *g);
/* Recounts every string reference and drops every unlinked principal: snapshot loading
 * builds objects without counting and calls this once at the end (lifecycle.c). */
void authz__engine_settle(authz_engine *e);
/* Calls `fn` once for every string reference an object holds (the invariant checker counts
 * them against the table's counts; settle recounts from them). */
typedef void (*authz__ref_fn)(void *ctx, uint32_t id);
void authz__string_refs(const authz_engine *e, authz__ref_fn fn, void *ctx);
/* Gives spare capacity of the big tables back after large deletes (hysteresis: a table shrinks
 * only when at most an eighth full, to the size growth would have given it). Runs when a write
 * commits; a shrink that cannot get its smaller table is skipped. */
void authz__engine_compact(authz_engine *e);
/* Removes every grant whose target is (type, id) in every namespace. */
void authz__grant_remove_everywhere(authz_engine *e, uint32_t target);
/* The directory's tables (directory.c), freed at teardown. */
void authz__directory_free(authz_engine *e);
/* In directory mode, a user a write names must be listed and a department must be a root or a
 * created department: AUTHZ_ENOTFOUND (object USER / DEPARTMENT) naming `field` and `item`
 * otherwise. Without the mode everything passes. */
authz_status authz__dir_require(const authz_engine *e, authz_target_type kind, const char *id,
                                const char *field, int32_t item, authz_error *err);

/* Organizations and department records (organization.c): is `id` a root or created department;
 * teardown of their tables. */
bool authz__dept_known(const authz_engine *e, const char *id);
/* Snapshot loading's checks: an organization (already in dir.orgs or about to be) whose code
 * and root no other organization has; a loaded record `d` whose organization exists and whose
 * parent is that organization's root or an earlier record of it. */
bool authz__org_place_ok(const authz_engine *e, const char *code, const char *root);
bool authz__dept_place_ok(const authz_engine *e, const authz__dept *d);
void authz__organizations_free(authz_engine *e);

/* Sets *field to a copy of `s` (nothing if s is NULL), keeping the old value in *old_out for
 * the caller to free after commit; a rollback restores the old value. */
authz_status authz__replace_string(authz_engine *e, char **field, const char *s, char **old_out,
                                   authz_error *err);

/* Undo helpers: free `a` with the engine's allocator / replace a string field on rollback. */
void authz__undo_free_block(authz_engine *e, void *a, uintptr_t b);

#endif

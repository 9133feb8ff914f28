/*
 * view.h - each user's principals, flat, for the check.
 *
 * A check asks which of the user's principals holds a grant: the user, its roles (its own and
 * its departments'), its groups and its departments. Reached through the model that is a
 * chain of dependent reads (the user's lists, each department, its assignments, each role),
 * each a memory miss in a large model. The view folds all of it into one block per user
 * (authz__view): the user's interned ID, then `nroles` role entries (authz__role_entry:
 * namespace, role, live interval) — the user's own in assignment order, then each
 * department's in join order — and `nplain` packed grant targets, its groups in join order and
 * then its departments. The engine's user index (engine.h) files the block by the hash of the
 * user's ID, so the check reads this block and never the user record.
 *
 * Writes keep it in step without an allocation that could fail after their point of no return.
 * A write that can make a view longer reserves the room first, in its prepare step, where a
 * failure still rolls back cleanly: a new assignment of a user (authz__view_reserve) or of a
 * department (authz__view_reserve_members, every member), a user joining a group or a
 * department. Every change marks the users whose view it may change (authz__view_touch, which
 * reserving also does). When the write ends, every marked view is recomputed from the model
 * (authz__views_settle): after a commit into the reserved room, after a rollback into the room
 * it had before the write, since a view never shrinks before its write commits.
 */
#ifndef AUTHZ_VIEW_H
#define AUTHZ_VIEW_H

#include "model/engine.h"

struct authz__view {
    uint32_t uid;            /* the user's interned ID (the check confirms an index match) */
    uint32_t nroles, nplain; /* role entries, then packed targets */
    uint32_t cap;            /* bytes of room after this header */
    authz__role_entry roles[];
};

/* The view's group and department targets (after its role entries). */
static inline const uint32_t *authz__view_plain(const authz__view *v) {
    return (const uint32_t *)(const void *)(v->roles + v->nroles);
}

/* An empty view for the user `uid` (every user has one). NULL on allocation failure. */
authz__view *authz__view_new(authz_engine *e, uint32_t uid);

/* Marks the view of `p` (a user) or of every member of `p` (a department) for recomputation
 * when the write ends. Allocates nothing; outside a write (a snapshot being loaded) it does
 * nothing, and the loader builds every view at the end (authz__views_build_all). */
void authz__view_touch(authz_engine *e, authz__principal *p);
/* Room in the view of user `u` for what it holds now plus `roles` role entries and `plain`
 * targets, and marks it. 0 on allocation failure (the view is unchanged, maybe roomier). */
int authz__view_reserve(authz_engine *e, authz__principal *u, size_t roles, size_t plain);
/* authz__view_reserve(member, roles, 0) for every member of department `d`. */
int authz__view_reserve_members(authz_engine *e, authz__principal *d, size_t roles);
/* When a write ends (after its commit or rollback): recomputes every marked view and clears
 * the marks; after a commit a view with much spare room is cut back. Cannot fail. */
void authz__views_settle(authz_engine *e, int commit);
/* Every user's view from scratch (a loaded snapshot). 0 on allocation failure. */
int authz__views_build_all(authz_engine *e);
/* Is the view of `u` what the model says? (the invariant checker) */
bool authz__view_matches(const authz__principal *u);
/* Bytes a view of `u`'s current model takes. */
size_t authz__view_need(const authz__principal *u);

#endif

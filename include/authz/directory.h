/* authz/directory.h - the user directory: GenAuth's users as far as the permission model
 * stands on them. Part of the public API; include <authz.h>, whose opening comment states the
 * conventions every function here follows.
 *
 * A listed user has a profile (username, email, phone, name, created time) and an ID, given or
 * generated (24 lower-case hex digits, from a counter the engine keeps, snapshots and replays,
 * so a journal replays to the same IDs). Deleting a user removes it from every group and
 * department, every role assignment and every grant that names it. */
#ifndef AUTHZ_API_DIRECTORY_H
#define AUTHZ_API_DIRECTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "authz/engine.h"
#include "authz/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct authz_user_spec {
    const char *user_id;  /* optional: NULL or "" generates one */
    const char *username; /* optional, like every profile field */
    const char *email;
    const char *phone;
    const char *name;
} authz_user_spec;

typedef struct authz_user {
    const char *user_id;
    const char *username; /* "" when never set */
    const char *email;
    const char *phone;
    const char *name;
    int64_t created_at; /* the engine clock's milliseconds at creation */
} authz_user;

typedef struct authz_user_list {
    size_t total_count;
    size_t count;
    authz_user *items;
} authz_user_list;

/** Turns the options' user_directory on or off for an engine made without it (a snapshot or
 * journal loaded first, say); it changes only what later writes accept. */
AUTHZ_API void authz_set_user_directory(authz_engine *e, bool on);
/** 1..50 specs. A given ID that is already listed is AUTHZ_EEXIST, naming the item. `out`
 * optional: the created users in request order, with their IDs. */
AUTHZ_API authz_status authz_user_create_batch(authz_engine *e, const authz_user_spec *specs,
                                               size_t n, authz_user_list **out, authz_error *err);
/** A user that is not listed is AUTHZ_ENOTFOUND (even one that grants or groups name). */
AUTHZ_API authz_status authz_user_get(const authz_engine *e, const char *user_id, authz_user **out,
                                      authz_error *err);
/** The listed users, oldest first. */
AUTHZ_API authz_status authz_list_users(const authz_engine *e, const authz_page *page,
                                        authz_user_list **out, authz_error *err);
/** 1..50 IDs; IDs that are not listed are skipped. Cascades as the header comment says. */
AUTHZ_API authz_status authz_user_delete_batch(authz_engine *e, const char *const *user_ids,
                                               size_t n, authz_error *err);

#ifdef __cplusplus
}
#endif

#endif

/*
 * member.h - memberships of users in groups and departments, kept as two ordered lists that
 * mirror each other (the owner's members, the user's groups or departments).
 */
#ifndef AUTHZ_MEMBER_H
#define AUTHZ_MEMBER_H

#include "model/engine.h"

typedef enum authz__link { AUTHZ__LINK_GROUP, AUTHZ__LINK_DEPT } authz__link;

/* 1..max user IDs, each valid. */
authz_status authz__check_ids(authz_error *err, const char *field, const char *const *ids, size_t n,
                              size_t max);
/* Adds user `user_id` to `members` of `owner` (a group or a department principal) and the owner
 * to the user's list; already a member is a no-op. Undo-logged. `item` is the user's index in
 * the request, which a directory-mode refusal names. */
authz_status authz__member_join(authz_engine *e, authz__vec *members, void *owner, authz__link link,
                                const char *user_id, int32_t item, authz_error *err);
/* Removes the membership if it exists (cannot fail). */
void authz__member_leave(authz_engine *e, authz__vec *members, void *owner, authz__link link,
                         const char *user_id);
/* A page of the IDs of `principals`. */
authz_status authz__build_id_page(const authz_engine *e, const authz__vec *principals, size_t page,
                                  size_t limit, authz_id_list **out, authz_error *err);
/* All the IDs of `principals`, unpaged. */
authz_status authz__build_id_all(const authz_engine *e, const authz__vec *principals,
                                 authz_id_list **out, authz_error *err);

#endif

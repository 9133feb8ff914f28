/*
 * role_view.h - roles as results, shared by role.c and assign.c (user_roles lists roles too).
 */
#ifndef AUTHZ_ROLE_VIEW_H
#define AUTHZ_ROLE_VIEW_H

#include "base/result.h"
#include "model/engine.h"

authz_role authz__role_view(const authz_engine *e, const authz__role *r);
void authz__emit_role(authz__out *o, authz_role *dst, const authz_role *v);
/* The role `code` of the namespace, with errors naming `field` and `item`. */
authz_status authz__role_resolve(const authz_engine *e, const char *namespace_code,
                                 const char *code, const char *field, int32_t item,
                                 authz__role **out, authz_error *err);

#endif

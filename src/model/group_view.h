/*
 * group_view.h - groups as results and lookups by code, shared by group.c and the grant code.
 */
#ifndef AUTHZ_GROUP_VIEW_H
#define AUTHZ_GROUP_VIEW_H

#include "base/result.h"
#include "model/engine.h"

authz_group authz__group_view(const authz_engine *e, const authz__group *g);
void authz__emit_group(authz__out *o, authz_group *dst, const authz_group *v);
/* The group `code`, with errors naming `field`. */
authz_status authz__group_resolve(const authz_engine *e, const char *code, const char *field,
                                  authz__group **out, authz_error *err);

#endif

/*
 * read.h - helpers shared by the grant reads and explain.
 */
#ifndef AUTHZ_READ_H
#define AUTHZ_READ_H

#include "base/result.h"
#include "model/engine.h"

/* How many actions a grant holds, and their names in ordinal order (copied into the result;
 * stored in `names` when it is not NULL, i.e. in the filling pass). */
size_t authz__grant_count_actions(const authz_engine *e, const authz__gslot *s);
void authz__grant_emit_actions(const authz_engine *e, const authz__gslot *s, authz__out *o,
                               const char **names);
/* The code or ID a packed target stands for. */
const char *authz__target_name(const authz_engine *e, uint32_t target);

#endif

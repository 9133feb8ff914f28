/*
 * query.h - a check with its names already turned into numbers: the namespace oid, and the up
 * to four grant keys a resource string can match (`resource`, `code:*`, `code`, `*`), each with
 * the action's ordinal in that code's action table. Codes without any grant are left out, so
 * a check on a resource nobody holds probes nothing.
 */
#ifndef AUTHZ_QUERY_H
#define AUTHZ_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "model/engine.h"

typedef struct authz__query {
    uint32_t ns;
    uint32_t n;
    uint32_t res[4];
    uint32_t ord[4]; /* UINT32_MAX: the action is unknown there, only "*" can match */
} authz__query;

/* Validates and resolves (namespace, resource, action). */
authz_status authz__query_resolve(const authz_engine *e, const char *namespace_code,
                                  const char *resource, const char *action, authz__query *q,
                                  authz_error *err);

/* A principal and the grant of it that allowed a check. */
typedef struct authz__match {
    uint32_t target;
    const authz__gslot *slot;
} authz__match;

/* Runs the check for user `user_id`. `m` (optional) receives the first match. */
bool authz__query_run(const authz_engine *e, const authz__query *q, const char *user_id,
                      authz__match *m);

#endif

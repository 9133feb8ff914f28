/*
 * route.h - the route index: every API resource whose apiIdentifier is a path template, in one
 * trie of path segments per namespace (include/authz/route.h states the matching rules).
 *
 * The index is a field of the engine and changes only inside resource and namespace writes:
 * authz__route_add() runs in a write's prepare phase and logs its own undo; authz__route_remove()
 * and authz__route_drop_ns() run where the write can no longer fail. A node owns its segment,
 * its exact children (an open-addressing table keyed by the segment's bytes), its `{param}` and
 * `*` children and the resources whose template ends there, in creation order. Everything is
 * allocated through the engine's allocator; emptied nodes and tables are freed at once, so a
 * rolled-back write leaves the same live blocks it found.
 */
#ifndef AUTHZ_MODEL_ROUTE_H
#define AUTHZ_MODEL_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "authz.h"
#include "base/map.h"

struct authz_engine;
struct authz__ns;

#define AUTHZ__PATH_MAX 4096
#define AUTHZ__PATH_SEGS 64

/* A request path cut into decoded segments (pointers into buf). */
typedef struct authz__path {
    char buf[AUTHZ__PATH_MAX];
    const char *seg[AUTHZ__PATH_SEGS];
    size_t len[AUTHZ__PATH_SEGS];
    size_t n;
} authz__path;

/* Parses a request path (up to '?' or '#'; see authz/route.h for what is refused). NULL when
 * accepted, else a short English reason. */
const char *authz__path_parse(const char *path, size_t len, authz__path *out);

typedef struct authz__routes {
    authz__map roots; /* namespace oid -> trie root */
} authz__routes;

/* Indexes resource `code` of `ns` if (type, tmpl) makes it a route; AUTHZ_OK when it does not.
 * Inside a write the addition is undo-logged; outside (snapshot loading) a failure is the
 * caller's to clean up by freeing the engine. */
authz_status authz__route_add(struct authz_engine *e, const struct authz__ns *ns, const char *code,
                              authz_resource_type type, const char *tmpl, authz_error *err);
/* Takes the route (type, tmpl) of resource `code` out again; cannot fail. */
void authz__route_remove(struct authz_engine *e, const struct authz__ns *ns, const char *code,
                         authz_resource_type type, const char *tmpl);
/* Frees the whole trie of a namespace (its deletion); cannot fail. */
void authz__route_drop_ns(struct authz_engine *e, uint32_t ns_oid);
void authz__routes_free(struct authz_engine *e);

/* The match (read lock held): the winning resource code and, when the template binds an
 * instance, the index of the bound segment in `p` (SIZE_MAX: none). NULL when nothing matches. */
const char *authz__route_find(const struct authz_engine *e, uint32_t ns_oid, const authz__path *p,
                              size_t *bound);

/* Checks the trie of every namespace against its resources (the invariant checker's part):
 * each route resource appears once where its template leads, nothing else does. 0 when sound. */
int authz__routes_verify(const struct authz_engine *e);

#endif

/* authz/route.h - HTTP routes from API resources. Part of the public API; include <authz.h>, whose
 * opening comment states the conventions every function here follows. */
#ifndef AUTHZ_API_ROUTE_H
#define AUTHZ_API_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include "authz/engine.h"
#include "authz/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Routes                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/**
 * Every resource of type API whose apiIdentifier is a path template is a route of its namespace:
 *   `/orders`            exact: the request path is checked as resource `orders` (its code);
 *   `/orders/{id}`       `{name}` matches one segment, bound as the instance: `orders:42`;
 *   `/orders/` + `*`     a last segment `*` matches any rest, including none (`/orders` too).
 * With several `{param}`s the last one matched is the instance. A template that does not start
 * with '/', has an empty segment, or a `*` that is not its last segment is not a route.
 *
 * Which route wins (the most specific): templates are compared segment by segment from the left;
 * at each segment an exact segment beats `{param}`, which beats `*`; where the path ends, a
 * template that ends there beats one that goes on with a last `*`. Two templates that are the
 * same up to parameter names go to the resource created first. Matching walks a trie of segments,
 * so it costs one step per path segment (plus a step back wherever an exact segment led nowhere).
 *
 * The path is taken as a gateway sends it and refused (AUTHZ_EINVAL), never normalized, when it
 * does not start with '/', has an empty segment (`//`), a `.` or `..` segment after decoding,
 * an encoded slash or backslash (`%2F`, `%5C`), a bad or double-encoded escape that would decode
 * to '/', '\\', '.' or '%', or a control character. The query string (from '?') is ignored, one
 * trailing slash is ignored, and each segment is percent-decoded exactly once.
 */
#define AUTHZ_ROUTE_RESOURCE_MAX 200 /* a resource string fits: code(64) ':' instance(128) */

typedef struct authz_route_answer {
    bool matched;                            /* false: no route of the namespace matches */
    char resource[AUTHZ_ROUTE_RESOURCE_MAX]; /* "orders" or "orders:42" */
    char action[33];                         /* the method in upper case, e.g. "GET" */
} authz_route_answer;

/**
 * The resource and action a request (method, path) is checked as in the namespace, exactly as
 * `authz serve`'s /authz/forward decides it. `method` is an HTTP token of 1..32 letters.
 * Refused path or method, or an instance that is no valid resource id: AUTHZ_EINVAL. Unknown
 * namespace: AUTHZ_ENOTFOUND. No route: AUTHZ_OK with `out->matched` false. Allocates nothing.
 */
AUTHZ_API authz_status authz_route_match(const authz_engine *e, const char *namespace_code,
                                         const char *method, const char *path,
                                         authz_route_answer *out, authz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_ROUTE_H */

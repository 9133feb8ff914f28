/*
 * jctx.h - one JSON request in flight: its parsed object, the engine, the error being built,
 * and a small arena for the C arrays a handler hands to the engine (freed with the request).
 *
 * Field readers turn GenAuth request fields into C values. Each one fails with AUTHZ_EINVAL
 * (or AUTHZ_ELIMIT for a list over its hard cap) naming the field path, e.g. "list[3].code";
 * a missing optional field leaves the default. In query mode (GET), scalars arrive as strings
 * and are coerced: numbers from decimal strings, booleans from true/false/True/False, and a
 * list given as one string is split on commas.
 */
#ifndef AUTHZ_JSON_JCTX_H
#define AUTHZ_JSON_JCTX_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "authz.h"
#include "authz_json.h"

#define AUTHZ__JSON_MAX_LIST 1000 /* no GenAuth list is longer; refuse absurd sizes early */

typedef struct jblock jblock;

typedef struct jctx {
    authz_engine *e;
    json_t *req; /* the request object */
    bool query;  /* values came from a URL query string */
    authz_error err;
    jblock *arena;
} jctx;

/* Memory that lives until the request ends; NULL sets AUTHZ_ENOMEM in the error. */
void *jctx_alloc(jctx *c, size_t size);
/* Frees the arena. */
void jctx_release(jctx *c);
/* Records a request error (status, field) and returns the status. */
authz_status jctx_fail(jctx *c, authz_status st, const char *field, int32_t item, const char *fmt,
                       ...) __attribute__((format(printf, 5, 6)));

/* Places the error just recorded inside item `i` of list `list` ("list[2].code"). */
void jctx_in_item(jctx *c, const char *list, size_t i);

/* The member `key` of `obj` (NULL when absent or JSON null). */
json_t *jfield(json_t *obj, const char *key);

/* Readers. `obj` is the request object or a list item; `path` the field's name in messages. */
authz_status jstr(jctx *c, json_t *obj, const char *key, const char *path, bool required,
                  const char **out);
authz_status jint(jctx *c, json_t *obj, const char *key, const char *path, bool required,
                  int64_t *out, bool *present);
authz_status jbool(jctx *c, json_t *obj, const char *key, const char *path, bool *out,
                   bool *present);
/* A list of strings. `*n` receives its length; required lists must be present (may be empty:
 * the engine decides whether empty is allowed). */
authz_status jstrs(jctx *c, json_t *obj, const char *key, const char *path, bool required,
                   const char ***out, size_t *n);
/* A list of objects (never coerced from strings). */
authz_status jobjs(jctx *c, json_t *obj, const char *key, const char *path, bool required,
                   json_t **out, size_t *n);
/* Enumerations by wire name. */
authz_status jtarget_type(jctx *c, json_t *obj, const char *key, const char *path, bool required,
                          authz_target_type *out, bool *present);
authz_status jresource_type(jctx *c, json_t *obj, const char *key, const char *path, bool required,
                            authz_resource_type *out, bool *present);
/* page and limit as GenAuth sends them (defaults 1 and 10). */
authz_status jpage(jctx *c, authz_page *out);

/* Builders of response data (NULL-safe: a failed allocation becomes NULL, caught by the
 * dispatcher as AUTHZ_ENOMEM). */
json_t *jstring(const char *s);
json_t *jsuccess(void);
json_t *jpaged(size_t total, json_t *list);

#endif

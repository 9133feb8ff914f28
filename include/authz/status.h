/* authz/status.h - status codes, the error record and their strings. Part of the public API;
 * include <authz.h>, whose opening comment states the conventions every function here follows. */
#ifndef AUTHZ_API_STATUS_H
#define AUTHZ_API_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(AUTHZ_BUILDING) && defined(__GNUC__)
#define AUTHZ_API __attribute__((visibility("default")))
#else
#define AUTHZ_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Status codes                                                                                */
/* ------------------------------------------------------------------------------------------ */

/*
 * X(NAME, value, statusCode, text): statusCode is the GenAuth envelope class the JSON front door
 * answers with. apiCode, on failures only, is statusCode * 100 + the authz_object the failure is
 * about (see authz_api_code()), e.g. 40402 = resource not found, 40903 = role already exists,
 * 40000 = invalid argument not tied to an object kind.
 */
#define AUTHZ_STATUS_MAP(X)                       \
    X(OK, 0, 200, "success")                      \
    X(EINVAL, 1, 400, "invalid argument")         \
    X(ELIMIT, 2, 400, "limit exceeded")           \
    X(ENOTFOUND, 3, 404, "not found")             \
    X(EEXIST, 4, 409, "already exists")           \
    X(ERULE, 5, 422, "operation violates a rule") \
    X(ENOMEM, 6, 500, "out of memory")            \
    X(ECORRUPT, 7, 500, "data is corrupt")        \
    X(EIO, 8, 500, "input/output error")          \
    X(EINTERNAL, 9, 500, "internal error")        \
    X(ETIMEDOUT, 10, 503, "timed out")            \
    X(EUNAVAILABLE, 11, 503, "service unavailable")

typedef enum authz_status {
#define AUTHZ__STATUS_ENUM(name, value, http, text) AUTHZ_##name = value,
    AUTHZ_STATUS_MAP(AUTHZ__STATUS_ENUM)
#undef AUTHZ__STATUS_ENUM
} authz_status;

/** A static English description of `s`, e.g. "not found". Never NULL. */
AUTHZ_API const char *authz_strerror(authz_status s);
/** The enum name of `s` without prefix, e.g. "ENOTFOUND". Never NULL ("UNKNOWN" if invalid). */
AUTHZ_API const char *authz_status_name(authz_status s);
/** The GenAuth statusCode class of `s`: 200, 400, 404, 409, 422, 500 or 503. */
AUTHZ_API int authz_status_code(authz_status s);

/** What a failure is about: the kind of object missing, duplicated or malformed. */
typedef enum authz_object {
    AUTHZ_OBJ_NONE = 0,
    AUTHZ_OBJ_NAMESPACE = 1,
    AUTHZ_OBJ_RESOURCE = 2,
    AUTHZ_OBJ_ROLE = 3,
    AUTHZ_OBJ_GROUP = 4,
    AUTHZ_OBJ_USER = 5,
    AUTHZ_OBJ_DEPARTMENT = 6,
    AUTHZ_OBJ_GRANT = 7
} authz_object;

/** Error details of one failed call. Fill is best-effort; `status` is always set. */
typedef struct authz_error {
    authz_status status;
    authz_object object; /* what the failure is about, AUTHZ_OBJ_NONE if nothing specific */
    int32_t item;        /* index of the offending batch item, -1 if none */
    char field[64];      /* the request field at fault ("code", "list", "limit"), "" if none */
    char message[256];   /* English, e.g. "invalid role code: a b" or "role not found: admin" */
} authz_error;

/** The apiCode for an error: authz_status_code(status) * 100 + object; 0 for AUTHZ_OK. */
AUTHZ_API int authz_api_code(const authz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_STATUS_H */

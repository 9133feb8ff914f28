/* authz/types.h - enumerations and small value types of the wire model. Part of the public API;
 * include <authz.h>, whose opening comment states the conventions every function here follows. */
#ifndef AUTHZ_API_TYPES_H
#define AUTHZ_API_TYPES_H

#include "authz/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Enumerations of the wire model                                                              */
/* ------------------------------------------------------------------------------------------ */

typedef enum authz_target_type {
    AUTHZ_TARGET_USER = 0,
    AUTHZ_TARGET_ROLE = 1,
    AUTHZ_TARGET_GROUP = 2,
    AUTHZ_TARGET_DEPARTMENT = 3
} authz_target_type;

typedef enum authz_resource_type {
    AUTHZ_RESOURCE_DATA = 0,
    AUTHZ_RESOURCE_API = 1,
    AUTHZ_RESOURCE_MENU = 2,
    AUTHZ_RESOURCE_BUTTON = 3,
    AUTHZ_RESOURCE_UI = 4
} authz_resource_type;

typedef enum authz_role_status { AUTHZ_ROLE_ENABLE = 0, AUTHZ_ROLE_DISABLE = 1 } authz_role_status;

/** Wire names: "USER", "ROLE", "GROUP", "DEPARTMENT"; NULL if out of range. Static. */
AUTHZ_API const char *authz_target_type_name(authz_target_type t);
/** Parses a wire name (exact, upper case). AUTHZ_EINVAL if unknown. */
AUTHZ_API authz_status authz_target_type_parse(const char *s, authz_target_type *out);
/** Wire names: "DATA", "API", "MENU", "BUTTON", "UI"; NULL if out of range. Static. */
AUTHZ_API const char *authz_resource_type_name(authz_resource_type t);
AUTHZ_API authz_status authz_resource_type_parse(const char *s, authz_resource_type *out);
/** Wire names: "ENABLE", "DISABLE". */
AUTHZ_API const char *authz_role_status_name(authz_role_status s);
AUTHZ_API authz_status authz_role_status_parse(const char *s, authz_role_status *out);

/** Paging of list reads; see CONVENTIONS. */
typedef struct authz_page {
    uint32_t page;  /* 1-based */
    uint32_t limit; /* 1..50 */
} authz_page;

/** A list of identifiers (user IDs, department IDs). */
typedef struct authz_id_list {
    size_t total_count;
    size_t count;
    const char **items;
} authz_id_list;

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_TYPES_H */

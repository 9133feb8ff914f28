/*
 * validate.h - the syntax rules of identifiers (authz.h, IDENTIFIERS), checked at the API
 * boundary before anything is looked up or changed. Each checker fills `err` naming the field
 * and batch item, and returns AUTHZ_OK or AUTHZ_EINVAL.
 */
#ifndef AUTHZ_VALIDATE_H
#define AUTHZ_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "authz.h"

#define AUTHZ__CODE_MAX 64
#define AUTHZ__ID_MAX 128
#define AUTHZ__NAME_MAX 256
#define AUTHZ__DESC_MAX 1024

/* A namespace, role or group code ([A-Za-z0-9_-]{1,64}); `obj` says which, for the message. */
authz_status authz__check_code(authz_error *err, authz_object obj, const char *field, int32_t item,
                               const char *code);
/* A created resource's code ([A-Za-z0-9_.-]{1,64}). */
authz_status authz__check_resource_code(authz_error *err, const char *field, int32_t item,
                                        const char *code);
/* A user or department ID. */
authz_status authz__check_ident(authz_error *err, authz_object obj, const char *field, int32_t item,
                                const char *id);
/* An optional name/description: NULL passes; else valid UTF-8 of at most `max` bytes. */
authz_status authz__check_text(authz_error *err, const char *field, int32_t item, const char *s,
                               size_t max);
/* An action name. */
authz_status authz__check_action(authz_error *err, const char *field, int32_t item,
                                 const char *action);
/* A resource string: `*`, `code`, `code:*` or `code:id`. `*code_len` receives the length of
 * the code part (1 for `*`). */
authz_status authz__check_resource_string(authz_error *err, const char *field, int32_t item,
                                          const char *s, size_t *code_len);
/* The rest of a resource string whose first `code_len` bytes are a code already known valid
 * (one a grant holds): nothing, or `:` and an instance. Accepts and refuses exactly what
 * authz__check_resource_string() does for such a string, with its error. */
authz_status authz__check_resource_rest(authz_error *err, const char *field, int32_t item,
                                        const char *s, size_t code_len);
/* An array length in [min, max]: below min (or a NULL array with n > 0) is AUTHZ_EINVAL, above
 * max AUTHZ_ELIMIT. */
authz_status authz__check_count(authz_error *err, const char *field, const void *items, size_t n,
                                size_t min, size_t max);
/* A page (NULL = defaults) into `*page_out`/`*limit_out`. */
authz_status authz__check_page(authz_error *err, const authz_page *p, size_t *page_out,
                               size_t *limit_out);
bool authz__utf8_valid(const char *s, size_t n);

#endif

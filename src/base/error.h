/*
 * error.h - filling the caller's authz_error. Every failure goes through authz__fail so the
 * status, object kind, field, item and message stay consistent.
 */
#ifndef AUTHZ_ERROR_H
#define AUTHZ_ERROR_H

#include "authz.h"

#if defined(__GNUC__)
#define AUTHZ__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define AUTHZ__PRINTF(a, b)
#endif

/* Records the failure in `err` (if not NULL) and returns `st`. `item` -1 when not a batch item. */
authz_status authz__fail(authz_error *err, authz_status st, authz_object obj, const char *field,
                         int32_t item, const char *fmt, ...) AUTHZ__PRINTF(6, 7);
/* The common "out of memory" failure. */
authz_status authz__nomem(authz_error *err);

#endif

/*
 * error.c - error details for the caller (see error.h).
 */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

authz_status authz__fail(authz_error *err, authz_status st, authz_object obj, const char *field,
                         int32_t item, const char *fmt, ...) {
    if (!err) return st;
    err->status = st;
    err->object = obj;
    err->item = item;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return st;
}

authz_status authz__nomem(authz_error *err) {
    return authz__fail(err, AUTHZ_ENOMEM, AUTHZ_OBJ_NONE, "", -1, "out of memory");
}

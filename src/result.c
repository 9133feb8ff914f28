/*
 * result.c - the two-pass result writer (see result.h).
 */
#include "result.h"

#include <string.h>

void *authz__out_take(authz__out *o, size_t size) {
    size_t at = (o->used + 15) & ~(size_t)15;
    o->used = at + size;
    return o->base ? o->base + at : NULL;
}

const char *authz__out_str(authz__out *o, const char *s) {
    if (!s) s = "";
    size_t n = strlen(s) + 1;
    size_t at = o->used;
    o->used += n;
    if (!o->base) return NULL;
    memcpy(o->base + at, s, n);
    return o->base + at;
}

authz_status authz__result_build(const authz_engine *e, authz__emit_fn emit, const void *ctx,
                                 void **out) {
    authz__out o = {NULL, 0};
    emit(&o, ctx);
    size_t size = o.used;
    o.base = authz__result_alloc(e, size ? size : 1);
    if (!o.base) return AUTHZ_ENOMEM;
    o.used = 0;
    emit(&o, ctx);
    *out = o.base;
    return AUTHZ_OK;
}

/*
 * result.c - the two-pass result writer (see result.h).
 */
#include "base/result.h"

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

authz_status authz__result_build(const authz__mem *m, authz__emit_fn emit, const void *ctx,
                                 void **out) {
    authz__out o = {NULL, 0};
    emit(&o, ctx);
    size_t size = o.used;
    o.base = authz__result_alloc_mem(m, size ? size : 1);
    if (!o.base) return AUTHZ_ENOMEM;
    o.used = 0;
    emit(&o, ctx);
    *out = o.base;
    return AUTHZ_OK;
}

/* The list header is written by offset, the layout every *_list type of authz.h shares. */
#define AUTHZ__LIST_LAYOUT(T)                                                               \
    _Static_assert(offsetof(T, total_count) == 0 && offsetof(T, count) == sizeof(size_t) && \
                       offsetof(T, items) == 2 * sizeof(size_t),                            \
                   #T " must be {total_count, count, items}")
AUTHZ__LIST_LAYOUT(authz_namespace_list);
AUTHZ__LIST_LAYOUT(authz_resource_list);
AUTHZ__LIST_LAYOUT(authz_role_list);
AUTHZ__LIST_LAYOUT(authz_group_list);
AUTHZ__LIST_LAYOUT(authz_id_list);
AUTHZ__LIST_LAYOUT(authz_assignment_list);
AUTHZ__LIST_LAYOUT(authz_grant_list);
AUTHZ__LIST_LAYOUT(authz_target_grant_list);

void authz__emit_list(authz__out *o, const void *ctx, const authz__list_emit *s) {
    size_t total = 0;
    for (size_t i = 0; i < s->n; i++) total += s->pick(ctx, i) != NULL;
    size_t count = s->start >= total ? 0 : total - s->start;
    if (count > s->limit) count = s->limit;
    char *head = authz__out_take(o, 2 * sizeof(size_t) + sizeof(void *));
    char *items = authz__out_take(o, count * s->item_size);
    if (head) {
        memcpy(head, &total, sizeof total);
        memcpy(head + sizeof(size_t), &count, sizeof count);
        memcpy(head + 2 * sizeof(size_t), &items, sizeof items);
    }
    for (size_t i = 0, seen = 0, k = 0; i < s->n && k < count; i++) {
        const void *obj = s->pick(ctx, i);
        if (!obj || seen++ < s->start) continue;
        s->item(o, items ? items + k * s->item_size : NULL, ctx, obj);
        k++;
    }
}

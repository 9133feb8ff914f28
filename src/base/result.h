/*
 * result.h - result blocks: one allocation per result, freed with authz_free().
 *
 * A block carries a hidden header with the allocator that made it, so authz_free() needs no
 * engine and a result outlives its engine. Results are built in two passes over the same emit
 * code: a measuring pass that only adds up sizes, then a filling pass into the one block.
 */
#ifndef AUTHZ_RESULT_H
#define AUTHZ_RESULT_H

#include <stddef.h>

#include "authz.h"
#include "base/mem.h"

/* Allocates `size` bytes (zeroed) as a result block through the engine's allocator; NULL when
 * the allocation fails. The JSON front door uses it for response strings. */
void *authz__result_alloc_mem(const authz__mem *m, size_t size);

/*
 * The two-pass writer. In the measuring pass `base` is NULL, every take returns NULL and only
 * `used` grows; in the filling pass the same calls hand out parts of the one block. Emit code
 * therefore writes through pointers only when they are not NULL (AUTHZ__SET).
 */
typedef struct authz__out {
    char *base;
    size_t used;
} authz__out;

typedef void (*authz__emit_fn)(authz__out *o, const void *ctx);

void *authz__out_take(authz__out *o, size_t size);
const char *authz__out_str(authz__out *o, const char *s);
/* Runs `emit` twice and returns the filled block in `*out`; AUTHZ_ENOMEM if it cannot. */
authz_status authz__result_build(const authz__mem *m, authz__emit_fn emit, const void *ctx,
                                 void **out);

/*
 * A list result: every *_list type of authz.h is {size_t total_count; size_t count; T *items;}.
 * `pick` returns candidate i, or NULL when the filter drops it; `item` emits one object. The
 * page window is [start, start + limit) of the kept candidates; total_count counts them all.
 */
typedef struct authz__list_emit {
    size_t n;
    const void *(*pick)(const void *ctx, size_t i);
    void (*item)(authz__out *o, void *dst, const void *ctx, const void *obj);
    size_t item_size;
    size_t start, limit;
} authz__list_emit;

void authz__emit_list(authz__out *o, const void *ctx, const authz__list_emit *spec);

#define AUTHZ__SET(p, field, value)  \
    do {                             \
        if (p) (p)->field = (value); \
    } while (0)
#endif

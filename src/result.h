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

/* Allocates `size` bytes (zeroed) as a result block through the engine's allocator; NULL when
 * the allocation fails. The JSON front door uses it for response strings. */
void *authz__result_alloc(const authz_engine *e, size_t size);

#endif

/*
 * results.h - what the layers above the engine use of its allocator: result blocks (the JSON
 * front door hands its responses out as such blocks, freed with authz_free()) and the live
 * allocation counts that tests and statistics read.
 */
#ifndef AUTHZ_RESULTS_H
#define AUTHZ_RESULTS_H

#include <stddef.h>

#include "authz.h"
#include "base/result.h"

/* Allocates `size` zeroed bytes as a result block; NULL on allocation failure. */
void *authz__result_alloc(const authz_engine *e, size_t size);

/* Bytes currently allocated through the engine's allocator, and the number of live blocks. */
size_t authz__live_bytes(const authz_engine *e);
size_t authz__live_blocks(const authz_engine *e);

#endif

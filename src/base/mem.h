/*
 * mem.h - every byte the engine holds goes through here: the embedder's allocator (or the C
 * library's), with live block and byte counts so tests can prove a failed write leaves nothing
 * behind. Each block carries a small header with its size.
 */
#ifndef AUTHZ_MEM_H
#define AUTHZ_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "authz.h"

typedef struct authz__mem {
    authz_allocator a;
    size_t live_blocks;
    size_t live_bytes;
} authz__mem;

void authz__mem_init(authz__mem *m, const authz_allocator *a);
void *authz__alloc(authz__mem *m, size_t size);
void *authz__calloc(authz__mem *m, size_t n, size_t size);
/* Like realloc; on failure the old block is untouched and NULL is returned. */
void *authz__realloc(authz__mem *m, void *p, size_t size);
void authz__free(authz__mem *m, void *p);
/* A copy of `s` (NULL stays NULL, on success `*out` set). Returns 0 on allocation failure. */
int authz__strdup(authz__mem *m, const char *s, char **out);
/* Asks the kernel to back a large table with huge pages (advisory; a no-op for small blocks or
 * where unsupported). Random probes into tables of hundreds of megabytes otherwise pay a page
 * walk on top of each cache miss. */
void authz__advise_huge(void *p, size_t size);

#endif

/*
 * mem.c - the allocator hook and the result blocks.
 *
 * Engine blocks carry a size header so live bytes can be counted without asking the allocator.
 * Result blocks (what authz_free() takes) carry a copy of the allocator instead, so a result can
 * be freed without its engine and even after the engine is gone.
 */
/* madvise(MADV_HUGEPAGE) is a Linux extension beyond POSIX. */
#define _DEFAULT_SOURCE
#include "base/mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/result.h"

typedef union authz__block_head {
    size_t size;
    max_align_t align;
} authz__block_head;

typedef union authz__result_head {
    authz_allocator a;
    max_align_t align;
} authz__result_head;

static void *std_malloc(void *ctx, size_t size) {
    (void)ctx;
    return malloc(size);
}

static void *std_realloc(void *ctx, void *p, size_t size) {
    (void)ctx;
    return realloc(p, size);
}

static void std_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

void authz__mem_init(authz__mem *m, const authz_allocator *a) {
    static const authz_allocator std = {std_malloc, std_realloc, std_free, NULL};
    m->a = a ? *a : std;
    m->live_blocks = 0;
    m->live_bytes = 0;
}

void *authz__alloc(authz__mem *m, size_t size) {
    if (size > SIZE_MAX - sizeof(authz__block_head)) return NULL;
    authz__block_head *h = m->a.malloc_fn(m->a.ctx, sizeof *h + size);
    if (!h) return NULL;
    h->size = size;
    m->live_blocks++;
    m->live_bytes += size;
    return h + 1;
}

void *authz__calloc(authz__mem *m, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = authz__alloc(m, n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

void *authz__realloc(authz__mem *m, void *p, size_t size) {
    if (!p) return authz__alloc(m, size);
    if (size > SIZE_MAX - sizeof(authz__block_head)) return NULL;
    authz__block_head *old = (authz__block_head *)p - 1;
    size_t old_size = old->size;
    authz__block_head *h = m->a.realloc_fn(m->a.ctx, old, sizeof *h + size);
    if (!h) return NULL;
    h->size = size;
    m->live_bytes = m->live_bytes - old_size + size;
    return h + 1;
}

void authz__free(authz__mem *m, void *p) {
    if (!p) return;
    authz__block_head *h = (authz__block_head *)p - 1;
    m->live_blocks--;
    m->live_bytes -= h->size;
    m->a.free_fn(m->a.ctx, h);
}

int authz__strdup(authz__mem *m, const char *s, char **out) {
    if (!s) {
        *out = NULL;
        return 1;
    }
    size_t n = strlen(s) + 1;
    char *c = authz__alloc(m, n);
    if (!c) return 0;
    memcpy(c, s, n);
    *out = c;
    return 1;
}

void authz__advise_huge(void *p, size_t size) {
#if defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (size < 2 * huge) return;
    uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)p + size) & ~(huge - 1);
    if (end > start) madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)size;
#endif
}

void *authz__result_alloc_mem(const authz__mem *m, size_t size) {
    const authz_allocator *a = &m->a;
    if (size > SIZE_MAX - sizeof(authz__result_head)) return NULL;
    authz__result_head *h = a->malloc_fn(a->ctx, sizeof *h + size);
    if (!h) return NULL;
    h->a = *a;
    memset(h + 1, 0, size);
    return h + 1;
}

void authz_free(void *result) {
    if (!result) return;
    authz__result_head *h = (authz__result_head *)result - 1;
    authz_allocator a = h->a;
    a.free_fn(a.ctx, h);
}

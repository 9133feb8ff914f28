/*
 * counting_alloc.c - the failing, counting allocator (see the header).
 */
#include "counting_alloc.h"

#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static bool should_fail(counting_alloc *ca) {
    long n = ca->calls++;
    bool fail = ca->fail_at >= 0 && (n == ca->fail_at || (ca->persistent && n > ca->fail_at));
    if (fail) ca->failures++;
    return fail;
}

static void *ca_malloc(void *ctx, size_t size) {
    counting_alloc *ca = ctx;
    pthread_mutex_lock(&lock);
    void *p = should_fail(ca) ? NULL : malloc(size);
    if (p) ca->live++;
    pthread_mutex_unlock(&lock);
    return p;
}

static void *ca_realloc(void *ctx, void *old, size_t size) {
    counting_alloc *ca = ctx;
    pthread_mutex_lock(&lock);
    void *p = should_fail(ca) ? NULL : realloc(old, size);
    if (p && !old) ca->live++;
    pthread_mutex_unlock(&lock);
    return p;
}

static void ca_free(void *ctx, void *p) {
    counting_alloc *ca = ctx;
    if (!p) return;
    pthread_mutex_lock(&lock);
    ca->live--;
    pthread_mutex_unlock(&lock);
    free(p);
}

void counting_alloc_init(counting_alloc *ca) {
    ca->a = (authz_allocator){ca_malloc, ca_realloc, ca_free, ca};
    ca->live = 0;
    counting_alloc_disarm(ca);
}

void counting_alloc_arm(counting_alloc *ca, long k, bool persistent) {
    pthread_mutex_lock(&lock);
    ca->calls = 0;
    ca->failures = 0;
    ca->fail_at = k;
    ca->persistent = persistent;
    pthread_mutex_unlock(&lock);
}

void counting_alloc_disarm(counting_alloc *ca) { counting_alloc_arm(ca, -1, false); }

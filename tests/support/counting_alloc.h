/*
 * counting_alloc.h - an authz_allocator for tests: counts live blocks and can fail the k-th
 * allocation from the moment it is armed, once (transient) or from then on (persistent).
 * Thread-safe, so the threaded tests can use it too.
 */
#ifndef AUTHZ_COUNTING_ALLOC_H
#define AUTHZ_COUNTING_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

#include "authz.h"

typedef struct counting_alloc {
    authz_allocator a; /* pass &ca.a in authz_options */
    long live;         /* blocks allocated and not yet freed */
    long calls;        /* allocations since arming */
    long fail_at;      /* -1: never */
    bool persistent;
    long failures; /* allocations refused since arming */
} counting_alloc;

void counting_alloc_init(counting_alloc *ca);
/* Fails allocation number k (0-based) counted from now; persistent: and every one after. */
void counting_alloc_arm(counting_alloc *ca, long k, bool persistent);
void counting_alloc_disarm(counting_alloc *ca);

#endif

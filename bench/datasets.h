/*
 * datasets.h - the deterministic benchmark datasets and query streams (issue 5):
 *   A: 10,000 users, 1,000 roles, 1,000 resources with 3 actions; each role holds 2 actions on
 *      one resource, each user has one role (12,000 rules in Casbin's counting).
 *   M: ~1,000,000 grants; L: ~10,000,000 grants. Users have 1 role, 1 group and 1 department;
 *      grants go to all four target types; half are instance grants (code:id), 1% wildcards.
 * Grants are a function of (principal, index), so a query stream can ask about grants that
 * exist: about one third of the queries are allowed. AUTHZ_BENCH_SMOKE=1 shrinks M and L so
 * that CI can run every benchmark once in seconds.
 */
#ifndef AUTHZ_BENCH_DATASETS_H
#define AUTHZ_BENCH_DATASETS_H

#include <stddef.h>
#include <stdint.h>

#include "authz.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bench_shape {
    char name;                                      /* 'A', 'M' or 'L' */
    size_t users, roles, groups, depts;             /* principals */
    size_t per_user, per_role, per_group, per_dept; /* grants held by each */
    size_t codes, instances;                        /* resource codes and instance ids per code */
} bench_shape;

typedef struct bench_query {
    char user[48];
    char resource[48];
    char action[8];
} bench_query;

/* The shape of dataset 'A', 'M' or 'L' (smoke-sized when AUTHZ_BENCH_SMOKE is set). */
bench_shape bench_shape_of(char name);
/* Builds the dataset into a new engine. 0 on success. */
int bench_build(const bench_shape *s, authz_engine **out);
/* `n` queries, seeded; about a third allowed. `filter` keeps queries by the engine's answer
 * (1 = allowed only, -1 = denied only, 0 = mixed), or BENCH_ZIPF: the mixed stream with users,
 * and the codes and instances of random resources, drawn Zipf (s = 1.0) instead of uniformly,
 * the skew real gateways see (user 0 and res0 the most asked-about). */
#define BENCH_ZIPF 2
bench_query *bench_queries(const bench_shape *s, authz_engine *e, uint64_t seed, size_t n,
                           int filter);
/* Resident memory of the process in bytes (from /proc/self/statm). */
size_t bench_rss(void);

#ifdef __cplusplus
}
#endif

#endif

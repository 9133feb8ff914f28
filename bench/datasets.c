/*
 * datasets.c - building the benchmark datasets through the public C API, and their query
 * streams (see datasets.h).
 */
#include "datasets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const ACTIONS[] = {"read", "write", "delete"};

static uint64_t mix(uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

bench_shape bench_shape_of(char name) {
    int smoke = getenv("AUTHZ_BENCH_SMOKE") != NULL;
    if (name == 'A') return (bench_shape){'A', 10000, 1000, 0, 0, 0, 1, 0, 0, 1000, 0};
    /* B: A's shape at 100k rules (80k users in 10k roles, 2 actions each on 10k resources). */
    if (name == 'B') return (bench_shape){'B', 80000, 10000, 0, 0, 0, 1, 0, 0, 10000, 0};
    size_t k = name == 'L' ? 10 : 1;
    if (smoke) k = 0;
    /* M: 200k users x1, 20k roles x20, 2k groups x100, 2k departments x100 = 1.0M grants. */
    if (k == 0) return (bench_shape){name, 4000, 400, 40, 40, 1, 20, 100, 100, 100, 100};
    return (bench_shape){name, 200000 * k, 20000 * k, 2000 * k, 2000 * k, 1,
                         20,   100,        100,       1000,     1000};
}

/* The resource string of grant `i` of principal (type, index). */
static void grant_of(const bench_shape *s, int type, size_t who, size_t i, char *res,
                     const char **action) {
    uint64_t h = mix(((uint64_t)type << 56) ^ ((uint64_t)who << 20) ^ i);
    size_t code = (size_t)(h % s->codes);
    unsigned kind = (unsigned)((h >> 20) % 100);
    if (s->name == 'A' || s->name == 'B') {
        snprintf(res, 48, "res%zu", who);
        *action = ACTIONS[i];
        return;
    }
    if (kind < 50)
        snprintf(res, 48, "res%zu:%llu", code, (unsigned long long)((h >> 32) % s->instances));
    else if (kind == 50) /* a wildcard; "*" (every resource) is rare, or random asks mostly pass */
        snprintf(res, 48, (h >> 40) % 64 ? "res%zu:*" : "*", code);
    else
        snprintf(res, 48, "res%zu", code);
    *action = ACTIONS[(h >> 50) % 3];
}

static size_t role_of(const bench_shape *s, size_t u) {
    return (size_t)(mix(u * 3 + 1) % s->roles);
}
static size_t group_of(const bench_shape *s, size_t u) {
    return (size_t)(mix(u * 3 + 2) % s->groups);
}
static size_t dept_of(const bench_shape *s, size_t u) {
    return (size_t)(mix(u * 3 + 3) % s->depts);
}

static const char *const TYPE_PREFIX[] = {"user", "role", "group", "dept"};

static int grant_all(authz_engine *e, const bench_shape *s, authz_target_type t, size_t count,
                     size_t per) {
    char name[48], res[10][48];
    const char *acts[10], *who[1] = {name};
    authz_grant_resource r[10];
    for (size_t p = 0; p < count; p++) {
        snprintf(name, sizeof name, "%s%zu", TYPE_PREFIX[t], p);
        for (size_t i = 0; i < per; i += 10) {
            size_t n = per - i < 10 ? per - i : 10;
            for (size_t k = 0; k < n; k++) {
                grant_of(s, (int)t, p, i + k, res[k], &acts[k]);
                r[k] = (authz_grant_resource){res[k], &acts[k], 1, AUTHZ_RESOURCE_DATA};
            }
            authz_grant_item it = {t, who, 1, r, n};
            if (authz_authorize(e, NULL, &it, 1, NULL) != AUTHZ_OK) return -1;
        }
    }
    return 0;
}

static int create_principals(authz_engine *e, const bench_shape *s) {
    char name[48];
    for (size_t r = 0; r < s->roles; r++) {
        snprintf(name, sizeof name, "role%zu", r);
        authz_role_spec rs = {NULL, name, NULL, NULL, 0};
        if (authz_role_create(e, &rs, NULL, NULL)) return -1;
    }
    for (size_t g = 0; g < s->groups; g++) {
        snprintf(name, sizeof name, "group%zu", g);
        authz_group_spec gs = {name, NULL, NULL, NULL};
        if (authz_group_create(e, &gs, NULL, NULL)) return -1;
    }
    return 0;
}

static int link_users(authz_engine *e, const bench_shape *s) {
    char user[48], other[48];
    const char *u[1] = {user};
    for (size_t i = 0; i < s->users; i++) {
        snprintf(user, sizeof user, "user%zu", i);
        snprintf(other, sizeof other, "role%zu", s->groups ? role_of(s, i) : i % s->roles);
        authz_target t = {AUTHZ_TARGET_USER, user};
        if (authz_role_assign(e, NULL, other, &t, 1, NULL, NULL)) return -1;
        if (!s->groups) continue;
        snprintf(other, sizeof other, "group%zu", group_of(s, i));
        if (authz_group_add_members(e, other, u, 1, NULL)) return -1;
        snprintf(other, sizeof other, "dept%zu", dept_of(s, i));
        if (authz_department_add_members(e, other, u, 1, NULL)) return -1;
    }
    return 0;
}

int bench_build(const bench_shape *s, authz_engine **out) {
    authz_engine *e;
    if (authz_engine_new(NULL, &e)) return -1;
    int rc = create_principals(e, s);
    bool rbac = s->name == 'A' || s->name == 'B';
    if (!rc && rbac) rc = grant_all(e, s, AUTHZ_TARGET_ROLE, s->roles, 2);
    if (!rc && !rbac) {
        rc = grant_all(e, s, AUTHZ_TARGET_USER, s->users, s->per_user);
        if (!rc) rc = grant_all(e, s, AUTHZ_TARGET_ROLE, s->roles, s->per_role);
        if (!rc) rc = grant_all(e, s, AUTHZ_TARGET_GROUP, s->groups, s->per_group);
        if (!rc) rc = grant_all(e, s, AUTHZ_TARGET_DEPARTMENT, s->depts, s->per_dept);
    }
    if (!rc) rc = link_users(e, s);
    if (rc) {
        authz_engine_free(e);
        return -1;
    }
    *out = e;
    return 0;
}

/* A rank in [0, n) of a Zipf distribution with s = 1: P(k) ~ 1/(k+1). (n+1)^U for a uniform
 * U is log-uniform, whose floor has exactly that shape; rank 0 is the most asked-about. */
static size_t zipf(uint64_t h, size_t n) {
    double u = (double)(mix(h) >> 11) * 0x1.0p-53;
    size_t k = (size_t)exp(u * log((double)n + 1.0));
    return k == 0 ? 0 : k - 1 < n ? k - 1 : n - 1;
}

/* A query about a grant user `u` holds through one of its principals. */
static void held_query(const bench_shape *s, uint64_t h, size_t u, bench_query *q) {
    snprintf(q->user, sizeof q->user, "user%zu", u);
    const char *act;
    char res[48];
    if (!s->groups) {
        grant_of(s, AUTHZ_TARGET_ROLE, u % s->roles, (h >> 30) % 2, res, &act);
    } else {
        unsigned which = (unsigned)((h >> 40) % 4);
        size_t who = which == 0   ? u
                     : which == 1 ? role_of(s, u)
                     : which == 2 ? group_of(s, u)
                                  : dept_of(s, u);
        size_t per = which == 0   ? s->per_user
                     : which == 1 ? s->per_role
                     : which == 2 ? s->per_group
                                  : s->per_dept;
        grant_of(s, (int)which, who, (size_t)((h >> 20) % per), res, &act);
    }
    /* A grant on a whole code is asked about through one of its instances. */
    char *star = strstr(res, ":*");
    if (star) *star = '\0';
    if (!strcmp(res, "*"))
        snprintf(res, sizeof res, "res%llu", (unsigned long long)((h >> 8) % s->codes));
    if (!strchr(res, ':'))
        snprintf(q->resource, sizeof q->resource, "%.40s:%u", res, (unsigned)((h >> 12) % 1000));
    else
        snprintf(q->resource, sizeof q->resource, "%s", res);
    snprintf(q->action, sizeof q->action, "%s", act);
}

static void random_query(const bench_shape *s, uint64_t h, size_t u, bool skew, bench_query *q) {
    size_t code = skew ? zipf(h ^ 0x5bd1e995, s->codes) : (size_t)((h >> 20) % s->codes);
    size_t inst = skew ? zipf(h ^ 0x1b873593, 1000) : (size_t)((h >> 36) % 1000);
    snprintf(q->user, sizeof q->user, "user%zu", u);
    snprintf(q->resource, sizeof q->resource, "res%zu:%zu", code, inst);
    snprintf(q->action, sizeof q->action, "%s", ACTIONS[(h >> 50) % 3]);
}

bench_query *bench_queries(const bench_shape *s, authz_engine *e, uint64_t seed, size_t n,
                           int filter) {
    bench_query *q = calloc(n, sizeof *q);
    if (!q) return NULL;
    bool skew = filter == BENCH_ZIPF;
    if (skew) filter = 0;
    for (size_t i = 0, tries = 0; i < n; tries++) {
        uint64_t h = mix(seed ^ (tries * 0x9e3779b97f4a7c15ULL));
        size_t u = skew ? zipf(h ^ 0xcc9e2d51, s->users) : (size_t)(h % s->users);
        if (filter > 0 || (filter == 0 && h % 3 == 0))
            held_query(s, h, u, &q[i]);
        else
            random_query(s, h, u, skew, &q[i]);
        bool allowed = false;
        authz_check(e, NULL, q[i].user, q[i].resource, q[i].action, &allowed, NULL);
        if (filter == 0 || (filter > 0) == allowed) i++;
        if (tries > n * 100) break; /* a filter that cannot be met: keep what we have */
    }
    return q;
}

size_t bench_rss(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%lu %lu", &size, &resident) != 2) resident = 0;
        fclose(f);
    }
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

/*
 * test_snapshot.c - snapshots: a varied engine survives save + load exactly (same digest, same
 * answers); every truncation and many bit flips are refused with AUTHZ_ECORRUPT; a failing
 * system call at any step of a save leaves the old snapshot (or, after the rename, the new one)
 * whole and no temporary file behind; an allocation failure anywhere in a load is AUTHZ_ENOMEM
 * with nothing leaked; the loader's batched paths decode damaged bytes exactly as its
 * one-by-one decoder does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "access/authz_debug.h"
#include "authz.h"
#include "store/io.h"
#include "store/snapshot.h"

static char dir[] = "/tmp/authz_snapXXXXXX";
static char path[256];

#define OK(x) assert_int_equal(AUTHZ_OK, (x))

/* ---- a varied engine ---- */

static void add_grant(authz_engine *e, const char *ns, authz_target_type tt, const char *who,
                      const char *res, const char *const *acts, size_t n) {
    authz_grant_resource r = {res, acts, n, AUTHZ_RESOURCE_DATA};
    authz_grant_item it = {tt, &who, 1, &r, 1};
    OK(authz_authorize(e, ns, &it, 1, NULL));
}

static authz_engine *build_engine(void) {
    authz_engine *e;
    OK(authz_engine_new(NULL, &e));
    char code[32], id[32];
    for (int n = 0; n < 3; n++) {
        snprintf(code, sizeof code, "ns%d", n);
        authz_namespace_spec ns = {code, "Namespace", n ? "desc" : NULL};
        OK(authz_namespace_create(e, &ns, NULL, NULL));
        authz_action_spec acts[] = {{"read", "r"}, {"write", NULL}};
        for (int r = 0; r < 4; r++) {
            char rc[16];
            snprintf(rc, sizeof rc, "res%d", r);
            authz_resource_spec rs = {rc, (authz_resource_type)(r % 5), "R", NULL, "/api", acts, 2};
            OK(authz_resource_create(e, code, &rs, NULL, NULL));
        }
        for (int r = 0; r < 3; r++) {
            char role[16];
            snprintf(role, sizeof role, "role%d", r);
            authz_role_spec rs = {code, role, "Role", NULL, r == 2 ? 1000 : 0};
            OK(authz_role_create(e, &rs, NULL, NULL));
        }
    }
    for (int g = 0; g < 3; g++) {
        snprintf(code, sizeof code, "group%d", g);
        authz_group_spec gs = {code, "G", NULL, "static"};
        OK(authz_group_create(e, &gs, NULL, NULL));
    }
    /* the directory: listed users, one of them also in groups below, one generated ID */
    authz_user_spec us[] = {{"user-3", "three", "3@example.com", NULL, "Three"},
                            {NULL, "generated", NULL, "+86 1", NULL}};
    OK(authz_user_create_batch(e, us, 2, NULL, NULL));
    /* organizations and department records: a second organization, a department under its
     * root and one under that, one under the default root; members and a role below */
    authz_organization_spec os = {"acme", "Acme", "makers"};
    OK(authz_organization_create(e, &os, NULL, NULL));
    authz_department_info *top = NULL, *sub = NULL, *dft = NULL;
    authz_department_spec top_s = {"acme", "root", "Top", "top", "the top"};
    OK(authz_department_create(e, &top_s, &top, NULL));
    authz_department_spec sub_s = {"acme", top->department_id, "Sub", NULL, NULL};
    OK(authz_department_create(e, &sub_s, &sub, NULL));
    authz_department_spec dft_s = {"root", "root", "Default child", NULL, NULL};
    OK(authz_department_create(e, &dft_s, &dft, NULL));
    const char *member = "user-3";
    OK(authz_department_add_members(e, sub->department_id, &member, 1, NULL));
    authz_target sub_t = {AUTHZ_TARGET_DEPARTMENT, sub->department_id};
    OK(authz_role_assign(e, "ns1", "role0", &sub_t, 1, NULL, NULL));
    authz_free(top), authz_free(sub), authz_free(dft);
    for (int u = 0; u < 20; u++) {
        snprintf(id, sizeof id, "user-%d", u);
        const char *uid = id;
        snprintf(code, sizeof code, "group%d", (u * 7) % 3);
        OK(authz_group_add_members(e, code, &uid, 1, NULL));
        char d1[16], d2[16];
        snprintf(d1, sizeof d1, "dept-%d", u % 4);
        snprintf(d2, sizeof d2, "dept-%d", (u + 1) % 4);
        const char *ds[] = {d2, d1};
        OK(authz_user_set_departments(e, uid, ds, 2, NULL));
        authz_target t = {AUTHZ_TARGET_USER, uid};
        authz_role_window w = {(int64_t)u, u % 2 ? 0 : 5000};
        OK(authz_role_assign(e, "ns1", u % 2 ? "role0" : "role1", &t, 1, &w, NULL));
        const char *read[] = {"read"}, *all[] = {"read", "write", "*"};
        snprintf(code, sizeof code, "res%d:%d", u % 4, u);
        add_grant(e, "ns0", AUTHZ_TARGET_USER, uid, code, u % 3 ? read : all, u % 3 ? 1 : 3);
    }
    authz_target dept = {AUTHZ_TARGET_DEPARTMENT, "dept-1"};
    OK(authz_role_assign(e, "ns1", "role2", &dept, 1, NULL, NULL));
    const char *rw[] = {"read", "write"};
    add_grant(e, "ns1", AUTHZ_TARGET_ROLE, "role0", "res1", rw, 2);
    add_grant(e, "ns1", AUTHZ_TARGET_GROUP, "group2", "*", rw, 1);
    add_grant(e, "ns1", AUTHZ_TARGET_DEPARTMENT, "dept-3", "res2:*", rw + 1, 1);
    /* More than 64 actions on one code exercises the extended action words. */
    char names[130][12];
    const char *many[130];
    for (int i = 0; i < 130; i++) {
        snprintf(names[i], sizeof names[i], "act%d", i);
        many[i] = names[i];
    }
    for (int k = 0; k < 3; k++)
        add_grant(e, "ns2", AUTHZ_TARGET_USER, "user-1", "res0", many + k * 40, 40);
    OK(authz_resource_associate_tenant(e, "ns0", "res1", true, "tenant-a", NULL));
    return e;
}

static void save_ok(authz_engine *e) { OK(authz_save(e, path, NULL)); }

static unsigned char *slurp(size_t *n) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    unsigned char *buf = malloc((size_t)len);
    assert_int_equal((size_t)len, fread(buf, 1, (size_t)len, f));
    fclose(f);
    *n = (size_t)len;
    return buf;
}

/* ---- round trip ---- */

static void answers_match(const authz_engine *a, const authz_engine *b) {
    const char *res[] = {"res0", "res1:3", "res2:9", "res3:3", "other", "res0:1"};
    const char *act[] = {"read", "write", "act100", "nope"};
    for (int u = 0; u < 22; u++) {
        char uid[16];
        snprintf(uid, sizeof uid, "user-%d", u);
        for (int n = 0; n < 3; n++) {
            char ns[8];
            snprintf(ns, sizeof ns, "ns%d", n);
            for (size_t r = 0; r < 6; r++)
                for (size_t k = 0; k < 4; k++) {
                    bool x, y;
                    OK(authz_check(a, ns, uid, res[r], act[k], &x, NULL));
                    OK(authz_check(b, ns, uid, res[r], act[k], &y, NULL));
                    assert_int_equal(x, y);
                }
        }
    }
}

static void test_round_trip(void **state) {
    (void)state;
    authz_engine *e = build_engine(), *l;
    save_ok(e);
    authz_error err = {0};
    OK(authz_load(path, NULL, &l, &err));
    assert_true(authz__digest(e) == authz__digest(l));
    char why[200];
    assert_true(authz__check_invariants(l, why, sizeof why));
    answers_match(e, l);
    /* A loaded engine takes writes like any other, and saves to the same bytes. */
    size_t n1, n2;
    unsigned char *b1 = slurp(&n1);
    save_ok(l);
    unsigned char *b2 = slurp(&n2);
    assert_int_equal(n1, n2);
    free(b1);
    free(b2);
    const char *rw[] = {"write"};
    add_grant(l, "ns0", AUTHZ_TARGET_USER, "user-5", "res3", rw, 1);
    assert_true(authz__check_invariants(l, why, sizeof why));
    authz_engine_free(e);
    authz_engine_free(l);
}

static void test_empty_engine(void **state) {
    (void)state;
    authz_engine *e, *l;
    OK(authz_engine_new(NULL, &e));
    save_ok(e);
    OK(authz_load(path, NULL, &l, NULL));
    assert_true(authz__digest(e) == authz__digest(l));
    authz_engine_free(e);
    authz_engine_free(l);
}

/* ---- damage ---- */

static int refused(const unsigned char *buf, size_t n) {
    authz_engine *x = NULL;
    authz_error err = {0};
    authz_status st = authz__load_buffer(buf, n, 1, NULL, &x, &err);
    if (st == AUTHZ_OK) {
        authz_engine_free(x);
        return 0;
    }
    assert_int_equal(AUTHZ_ECORRUPT, st);
    assert_null(x);
    assert_true(strstr(err.message, "snapshot") != NULL);
    return 1;
}

static void test_damage_sweep(void **state) {
    (void)state;
    authz_engine *e = build_engine();
    save_ok(e);
    size_t n;
    unsigned char *buf = slurp(&n);
    size_t truncs = 0, flips = 0, accepted = 0;
    for (size_t cut = 0; cut < n; cut++, truncs++) accepted += !refused(buf, cut);
    size_t step = getenv("AUTHZ_TEST_LONG") ? 1 : 5;
    for (size_t bit = 0; bit < n * 8; bit += step, flips++) {
        buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        accepted += !refused(buf, n);
        buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
    }
    printf("snapshot: %zu truncations + %zu flips rejected, %zu accepted\n", truncs - accepted,
           flips, accepted);
    assert_int_equal(0, accepted);
    free(buf);
    authz_engine_free(e);
}

/* The loader's batched and prefetching paths (strings, grants) against the one-by-one decoder
 * they stand for: with the checksums bypassed, so that every damaged byte reaches the decoders,
 * each truncation and bit flip gives the same status, the same message (section and byte) and,
 * when it loads, the same engine. */
static authz_status load_as(const unsigned char *buf, size_t n, int one_by_one, char *msg,
                            uint64_t *digest) {
    authz_engine *x = NULL;
    authz_error err = {0};
    authz__snap_one_by_one = one_by_one;
    authz_status st = authz__load_buffer(buf, n, 0, NULL, &x, &err);
    authz__snap_one_by_one = 0;
    snprintf(msg, 256, "%s", st ? err.message : "");
    *digest = x ? authz__digest(x) : 0;
    authz_engine_free(x);
    return st;
}

static void test_batched_decoding_matches_one_by_one(void **state) {
    (void)state;
    authz_engine *e = build_engine();
    save_ok(e);
    size_t n;
    unsigned char *buf = slurp(&n);
    size_t cases = 0, loaded = 0;
    char m1[256], m2[256];
    uint64_t d1, d2;
    size_t step = getenv("AUTHZ_TEST_LONG") ? 1 : 3;
    for (size_t k = 0; k < n * 8 + n; k += step, cases++) {
        size_t len = n, bit = k;
        if (k >= n * 8) {
            len = k - n * 8; /* a truncation */
        } else {
            buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        }
        authz_status s1 = load_as(buf, len, 0, m1, &d1), s2 = load_as(buf, len, 1, m2, &d2);
        if (k < n * 8) buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        assert_int_equal(s2, s1);
        assert_string_equal(m2, m1);
        assert_true(d1 == d2);
        loaded += s1 == AUTHZ_OK;
    }
    printf("snapshot: %zu damaged copies decode alike batched and one by one (%zu load)\n", cases,
           loaded);
    free(buf);
    authz_engine_free(e);
}

static void test_wrong_version_and_magic(void **state) {
    (void)state;
    authz_engine *e = build_engine();
    /* Its listed users stay in: cut to version 1 they are linked by nothing, and the loader
     * must count their names before it drops them (it once crashed in the sweep here). */
    save_ok(e);
    size_t n;
    unsigned char *buf = slurp(&n);
    authz_engine *x;
    authz_error err = {0};
    buf[8] = 4;
    assert_int_equal(AUTHZ_ECORRUPT, authz__load_buffer(buf, n, 1, NULL, &x, &err));
    assert_non_null(strstr(err.message, "version 4"));
    /* A version 1 file has no DIRECTORY section: the same bytes with the last two directory
     * entries cut (checksums unchecked: the cut changes the file's) load, with an empty
     * directory; a version 2 file has no ORGANIZATIONS: one entry cut, the users stay. */
    for (int version = 1; version <= 2; version++) {
        size_t cut = (size_t)(3 - version) * 32;
        unsigned char *old = malloc(n);
        assert_non_null(old);
        memcpy(old, buf, n - 24 - cut);
        memcpy(old + n - 24 - cut, buf + n - 24, 24);
        old[8] = (unsigned char)version;
        old[n - cut - 24] = (unsigned char)(6 + version);
        assert_int_equal(AUTHZ_OK, authz__load_buffer(old, n - cut, 0, NULL, &x, &err));
        authz_user_list *users = NULL;
        assert_int_equal(AUTHZ_OK, authz_list_users(x, NULL, &users, NULL));
        if (version == 1) assert_int_equal(0, users->total_count);
        if (version == 2) assert_true(users->total_count > 0);
        authz_free(users);
        authz_organization_list *orgs = NULL;
        assert_int_equal(AUTHZ_OK, authz_list_organizations(x, NULL, NULL, &orgs, NULL));
        assert_int_equal(1, orgs->total_count); /* the default only */
        authz_free(orgs);
        authz_engine_free(x);
        free(old);
    }
    /* ...and version 1 with version 3's nine sections is corrupt */
    buf[8] = 1;
    assert_int_equal(AUTHZ_ECORRUPT, authz__load_buffer(buf, n, 0, NULL, &x, &err));
    buf[0] = 'X';
    assert_int_equal(AUTHZ_ECORRUPT, authz__load_buffer(buf, n, 1, NULL, &x, &err));
    assert_non_null(strstr(err.message, "not an authz snapshot"));
    assert_int_equal(AUTHZ_ENOTFOUND, authz_load("/nonexistent/authz.snap", NULL, &x, &err));
    free(buf);
    authz_engine_free(e);
}

/* ---- I/O errors ---- */

static int fail_at, calls;

static int fails(void) { return calls++ == fail_at; }
static int f_open(const char *p, int fl, int m) {
    if (fails()) return errno = EACCES, -1;
    return open(p, fl, (mode_t)m);
}
static ssize_t f_write(int fd, const void *b, size_t n) {
    if (fails()) return errno = ENOSPC, -1;
    return write(fd, b, n);
}
static int f_fsync(int fd) { return fails() ? (errno = EIO, -1) : fsync(fd); }
static int f_close(int fd) {
    int rc = close(fd);
    return fails() ? (errno = EIO, -1) : rc;
}
static int f_rename(const char *a, const char *b) {
    return fails() ? (errno = EXDEV, -1) : rename(a, b);
}

static int leftover_temp_files(void) {
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) n += strstr(ent->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

static void test_io_errors(void **state) {
    (void)state;
    authz_engine *old_e, *new_e = build_engine();
    OK(authz_engine_new(NULL, &old_e));
    save_ok(old_e);
    uint64_t old_d = authz__digest(old_e), new_d = authz__digest(new_e);
    const authz__io faulty = {f_open, f_write, read, f_fsync, f_close, f_rename, unlink, ftruncate};
    int points = 0, intact = 0;
    for (fail_at = 0;; fail_at++) {
        calls = 0;
        authz__io_set(&faulty);
        authz_error err = {0};
        authz_status st = authz_save(new_e, path, &err);
        authz__io_set(NULL);
        if (st == AUTHZ_OK) break;
        points++;
        assert_int_equal(AUTHZ_EIO, st);
        authz_engine *l;
        OK(authz_load(path, NULL, &l, NULL));
        uint64_t d = authz__digest(l);
        /* Before the rename the old file stands; after it (directory fsync) the new one. */
        intact += (d == old_d || d == new_d) && leftover_temp_files() == 0;
        authz_engine_free(l);
        if (d == new_d) save_ok(old_e);
    }
    printf("ioerr: %d points, old snapshot intact %d/%d\n", points, intact, points);
    assert_true(points >= 6);
    assert_int_equal(points, intact);
    authz_engine_free(old_e);
    authz_engine_free(new_e);
}

/* ---- allocation failures in load ---- */

typedef struct counting {
    long live, fail_at, calls;
} counting;

static void *c_malloc(void *ctx, size_t n) {
    counting *c = ctx;
    if (c->calls++ == c->fail_at) return NULL;
    c->live++;
    return malloc(n);
}
static void *c_realloc(void *ctx, void *p, size_t n) {
    counting *c = ctx;
    if (c->calls++ == c->fail_at) return NULL;
    if (!p) c->live++;
    return realloc(p, n);
}
static void c_free(void *ctx, void *p) {
    counting *c = ctx;
    if (p) c->live--;
    free(p);
}

static void test_load_allocation_failures(void **state) {
    (void)state;
    authz_engine *e = build_engine();
    save_ok(e);
    counting c = {0, -1, 0};
    authz_allocator a = {c_malloc, c_realloc, c_free, &c};
    authz_options opt;
    authz_options_init(&opt);
    opt.allocator = &a;
    long points = 0;
    for (c.fail_at = 0;; c.fail_at++) {
        c.calls = 0;
        authz_engine *l = NULL;
        authz_status st = authz_load(path, &opt, &l, NULL);
        if (st == AUTHZ_OK) {
            assert_true(authz__digest(l) == authz__digest(e));
            authz_engine_free(l);
            assert_int_equal(0, c.live);
            break;
        }
        points++;
        assert_int_equal(AUTHZ_ENOMEM, st);
        assert_null(l);
        assert_int_equal(0, c.live);
    }
    printf("load: %ld allocation failure points, 0 leaks\n", points);
    authz_engine_free(e);
}

static int setup(void **state) {
    (void)state;
    if (!mkdtemp(dir)) return -1;
    snprintf(path, sizeof path, "%s/authz.snap", dir);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    unlink(path);
    return rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_empty_engine),
        cmocka_unit_test(test_damage_sweep),
        cmocka_unit_test(test_wrong_version_and_magic),
        cmocka_unit_test(test_io_errors),
        cmocka_unit_test(test_load_allocation_failures),
        cmocka_unit_test(test_batched_decoding_matches_one_by_one),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

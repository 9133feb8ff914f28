/*
 * test_threads.c - readers during writes. Four reader threads check, explain, list and use one
 * shared prepared handle while a writer grants and revokes a pair of grants in single calls,
 * renames the role that carries them and assigns/revokes it. Every read must see a state some
 * version of the data held: the pair both-or-neither, never half a write. Run under
 * ThreadSanitizer by the test script (halt_on_error), so finishing means no race was reported.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "authz.h"

#define READERS 4
#define WRITES 2000

static authz_engine *e;
static authz_prepared *prep;
static atomic_int done;
static atomic_long checks, torn;

static void pair(bool grant) {
    const char *x[] = {"x"}, *role[] = {"r"};
    authz_grant_resource r[] = {{"a", x, 1, AUTHZ_RESOURCE_DATA}, {"b", x, 1, AUTHZ_RESOURCE_DATA}};
    authz_grant_item it = {AUTHZ_TARGET_ROLE, role, 1, r, 2};
    authz_status st =
        grant ? authz_authorize(e, NULL, &it, 1, NULL) : authz_revoke(e, NULL, &it, 1, NULL);
    assert_int_equal(AUTHZ_OK, st);
}

static void *writer(void *arg) {
    (void)arg;
    authz_target extra = {AUTHZ_TARGET_USER, "u9"};
    for (int i = 0; i < WRITES; i++) {
        pair(i % 2 == 0);
        if (i % 50 == 0) {
            authz_role_patch p = {NULL, "r", "r-tmp", NULL, NULL, NULL, NULL};
            assert_int_equal(AUTHZ_OK, authz_role_update(e, &p, NULL));
            authz_role_patch back = {NULL, "r-tmp", "r", NULL, NULL, NULL, NULL};
            assert_int_equal(AUTHZ_OK, authz_role_update(e, &back, NULL));
        }
        if (i % 7 == 0)
            assert_int_equal(AUTHZ_OK, authz_role_assign(e, NULL, "r", &extra, 1, NULL, NULL));
        if (i % 7 == 3)
            assert_int_equal(AUTHZ_OK, authz_role_revoke(e, NULL, "r", &extra, 1, NULL));
    }
    atomic_store(&done, 1);
    return NULL;
}

static void read_once(int me) {
    char user[8];
    snprintf(user, sizeof user, "u%d", me);
    bool a, b;
    assert_int_equal(AUTHZ_OK, authz_check(e, NULL, user, "a", "x", &a, NULL));
    assert_int_equal(AUTHZ_OK, authz_check_prepared(e, prep, user, &b, NULL));
    authz_grant_list *l;
    assert_int_equal(AUTHZ_OK, authz_user_grants(e, NULL, user, NULL, &l, NULL));
    if (l->count != 0 && l->count != 2) atomic_fetch_add(&torn, 1);
    authz_free(l);
    authz_explanation *x;
    assert_int_equal(AUTHZ_OK, authz_explain(e, NULL, user, "b", "x", &x, NULL));
    /* The writer renames the role back and forth; either name is a state that existed. */
    if (x->allowed && strcmp(x->principal_id, "r") != 0 && strcmp(x->principal_id, "r-tmp") != 0)
        atomic_fetch_add(&torn, 1);
    authz_free(x);
    atomic_fetch_add(&checks, 2);
}

static void *reader(void *arg) {
    int me = (int)(intptr_t)arg;
    while (!atomic_load(&done)) read_once(me);
    return NULL;
}

static void test_readers_during_writes(void **state) {
    (void)state;
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &e));
    authz_role_spec r = {NULL, "r", NULL, NULL, 0};
    assert_int_equal(AUTHZ_OK, authz_role_create(e, &r, NULL, NULL));
    for (int i = 0; i < READERS; i++) {
        char user[8];
        snprintf(user, sizeof user, "u%d", i);
        authz_target t = {AUTHZ_TARGET_USER, user};
        assert_int_equal(AUTHZ_OK, authz_role_assign(e, NULL, "r", &t, 1, NULL, NULL));
    }
    assert_int_equal(AUTHZ_OK, authz_prepare(e, NULL, "a", "x", &prep, NULL));
    pthread_t w, rd[READERS];
    for (int i = 0; i < READERS; i++) pthread_create(&rd[i], NULL, reader, (void *)(intptr_t)i);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    for (int i = 0; i < READERS; i++) pthread_join(rd[i], NULL);
    printf("tsan: %d readers x %ld checks, %d writes, 0 reports; %ld torn reads\n", READERS,
           atomic_load(&checks), WRITES, atomic_load(&torn));
    assert_int_equal(0, atomic_load(&torn));
    authz_free(prep);
    authz_engine_free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_readers_during_writes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

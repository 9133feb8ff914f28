/*
 * test_http_replay.c - journal replay under allocation failure: a journal of GenAuth writes is
 * replayed into an engine whose k-th allocation fails (k = 0, 1, ...), until it succeeds. Each
 * failure must be AUTHZ_ENOMEM (not a corrupt journal), leak nothing, and the successful replay
 * must give the state that applying the requests directly gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "authz.h"
#include "access/authz_debug.h"
#include "authz_json.h"
#include "counting_alloc.h"
#include "durable.h"
#include "store/journal.h"

static const char *const requests[][2] = {
    {"create_namespace", "{\"code\":\"app\"}"},
    {"create_role", "{\"namespace\":\"app\",\"code\":\"reader\"}"},
    {"assign_role",
     "{\"namespace\":\"app\",\"code\":\"reader\",\"targets\":[{\"targetType\":\"USER\","
     "\"targetIdentifier\":\"u1\"}]}"},
    {"create_group", "{\"code\":\"staff\"}"},
    {"add_group_members", "{\"code\":\"staff\",\"userIds\":[\"u1\",\"u2\"]}"},
    {"authorize_resources",
     "{\"namespace\":\"app\",\"list\":[{\"targetType\":\"ROLE\",\"targetIdentifiers\":[\"reader\"],"
     "\"resources\":[{\"code\":\"books\",\"actions\":[\"read\",\"write\"],\"resourceType\":"
     "\"DATA\"}]}]}"},
    {"set_user_departments", "{\"userId\":\"u2\",\"departments\":[{\"departmentId\":\"d1\"}]}"},
};
#define NREQ (sizeof requests / sizeof requests[0])

static void test_replay_allocation_failures(void **state) {
    (void)state;
    char path[] = "/tmp/authz_replayXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    authz__journal *j;
    assert_int_equal(AUTHZ_OK, authz__journal_open(path, 0, 0, &j, NULL));
    authz_engine *want;
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &want));
    for (size_t i = 0; i < NREQ; i++) {
        char rec[1024], *resp;
        int code;
        snprintf(rec, sizeof rec, "{\"method\":\"%s\",\"params\":%s}", requests[i][0],
                 requests[i][1]);
        uint64_t seq;
        assert_int_equal(AUTHZ_OK, authz__journal_append(j, rec, strlen(rec), &seq, NULL));
        assert_int_equal(
            AUTHZ_OK, authz_call_json_ex(want, requests[i][0], requests[i][1],
                                         strlen(requests[i][1]), AUTHZ_LANG_EN, 0, &resp, &code));
        assert_int_equal(200, code);
        authz_free(resp);
    }
    assert_int_equal(AUTHZ_OK, authz__journal_sync(j, NREQ, NULL));
    authz__journal_close(j);

    counting_alloc ca;
    counting_alloc_init(&ca);
    authz_options opt;
    authz_options_init(&opt);
    opt.allocator = &ca.a;
    long points = 0;
    for (long k = 0;; k++) {
        authz_engine *e;
        assert_int_equal(AUTHZ_OK, authz_engine_new(&opt, &e));
        counting_alloc_arm(&ca, k, false);
        uint64_t last, valid;
        authz_status st = authz_durable_replay(path, e, 0, &last, &valid, NULL, 0, NULL);
        long refused = ca.failures;
        counting_alloc_disarm(&ca);
        if (!refused) {
            assert_int_equal(AUTHZ_OK, st);
            assert_int_equal(NREQ, last);
            assert_true(authz__digest(e) == authz__digest(want));
            authz_engine_free(e);
            break;
        }
        points++;
        assert_int_equal(AUTHZ_ENOMEM, st);
        authz_engine_free(e);
        assert_int_equal(0, ca.live);
    }
    printf("replay: %ld allocation failure points, 0 leaks, all ENOMEM\n", points);
    assert_true(points > 10);
    authz_engine_free(want);
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_replay_allocation_failures)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

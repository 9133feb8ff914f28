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

static int64_t fixed_clock(void *ctx) { return *(const int64_t *)ctx; }

static int64_t created_at_of(authz_engine *e, const char *method, const char *params) {
    char *resp;
    int code;
    assert_int_equal(AUTHZ_OK, authz_call_json_ex(e, method, params, strlen(params),
                                                  AUTHZ_LANG_EN, 0, &resp, &code));
    assert_int_equal(200, code);
    /* The DTO's createdAt is an ISO time; compare it as text. */
    const char *at = strstr(resp, "\"createdAt\":\"");
    assert_non_null(at);
    int64_t key = 0;
    for (const char *c = at + 13; *c && *c != '"'; c++)
        if (*c >= '0' && *c <= '9') key = key * 10 + (*c - '0');
    authz_free(resp);
    return key;
}

/* A journaled write keeps the time it happened: a restart an hour later replays the users,
 * organizations and departments it created with their creation times, not the replay's. */
static void test_replay_keeps_creation_times(void **state) {
    (void)state;
    char dir[] = "/tmp/authz_timesXXXXXX";
    assert_non_null(mkdtemp(dir));
    int64_t now = 1764460800000; /* 2025-11-30T00:00:00Z */
    authz_options opt;
    authz_options_init(&opt);
    opt.clock = fixed_clock;
    opt.clock_ctx = &now;
    static const char *const writes[][2] = {
        {"create_users_batch", "{\"list\":[{\"userId\":\"u1\",\"username\":\"alice\"}]}"},
        {"create_organization", "{\"organizationCode\":\"acme\",\"organizationName\":\"Acme\"}"},
        {"create_department",
         "{\"organizationCode\":\"acme\",\"parentDepartmentId\":\"root\",\"name\":\"Eng\","
         "\"code\":\"eng\"}"},
    };
    static const char *const reads[][2] = {
        {"get_user", "{\"userId\":\"u1\"}"},
        {"list_organizations", "{}"},
        {"get_department", "{\"organizationCode\":\"acme\",\"departmentId\":\"d00000000000000000000002\"}"},
    };
    int64_t before[3];
    for (int round = 0; round < 2; round++) {
        authz_engine *initial, *e;
        authz_durable *d;
        assert_int_equal(AUTHZ_OK, authz_engine_new(&opt, &initial));
        assert_int_equal(AUTHZ_OK, authz_durable_open(dir, initial, 0, &e, &d, NULL, 0, NULL));
        for (int i = 0; round == 0 && i < 3; i++) {
            char *resp;
            int code;
            assert_int_equal(AUTHZ_OK, authz_durable_write(d, writes[i][0], writes[i][1],
                                                           strlen(writes[i][1]), 0, &resp, &code));
            assert_int_equal(200, code);
            authz_free(resp);
            now += 1000;
        }
        for (int i = 0; i < 3; i++) {
            int64_t at = created_at_of(e, reads[i][0], reads[i][1]);
            if (round == 0) before[i] = at;
            else assert_true(at == before[i]);
        }
        authz_durable_close(d);
        authz_engine_free(e);
        now += 3600 * 1000; /* the restart comes an hour later */
    }
    assert_true(before[0] != before[2]);
    printf("replay: creation times of 3 journaled records kept across a restart\n");
    char path[64];
    snprintf(path, sizeof path, "%s/journal", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/snapshot", dir);
    unlink(path);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_replay_allocation_failures),
                                       cmocka_unit_test(test_replay_keeps_creation_times)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

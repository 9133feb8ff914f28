/*
 * test_journal.c - the write-ahead journal: records come back in order; a torn last record
 * (every cut inside it, or trailing zeros) is cut off with a warning; a damaged record in the
 * middle stops the replay naming its offset; concurrent writers share fsyncs (group commit);
 * rotation starts an empty journal that continues the sequence.
 */
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/io.h"
#include "store/journal.h"

static char dir[] = "/tmp/authz_jnlXXXXXX";
static char path[256];

typedef struct seen {
    uint64_t seqs[4096];
    char payloads[4096][32];
    size_t n;
} seen;

static authz_status collect(void *ctx, uint64_t seq, const char *p, size_t len, authz_error *err) {
    (void)err;
    seen *s = ctx;
    s->seqs[s->n] = seq;
    snprintf(s->payloads[s->n], sizeof s->payloads[0], "%.*s", (int)len, p);
    s->n++;
    return AUTHZ_OK;
}

static void write_records(int n) {
    unlink(path);
    authz__journal *j;
    assert_int_equal(AUTHZ_OK, authz__journal_open(path, 0, 0, &j, NULL));
    for (int i = 1; i <= n; i++) {
        char p[32];
        int len = snprintf(p, sizeof p, "record-%d", i);
        uint64_t seq;
        assert_int_equal(AUTHZ_OK, authz__journal_append(j, p, (size_t)len, &seq, NULL));
        assert_int_equal(i, seq);
        assert_int_equal(AUTHZ_OK, authz__journal_sync(j, seq, NULL));
    }
    authz__journal_close(j);
}

static authz_status replay(uint64_t after, seen *s, uint64_t *last, uint64_t *valid, char *warn) {
    memset(s, 0, sizeof *s);
    return authz__journal_replay(path, after, collect, s, last, valid, warn, 256, NULL);
}

static long file_size(void) {
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void test_order_and_skip(void **state) {
    (void)state;
    write_records(10);
    seen s;
    uint64_t last, valid;
    char warn[256];
    assert_int_equal(AUTHZ_OK, replay(0, &s, &last, &valid, warn));
    assert_int_equal(10, s.n);
    assert_int_equal(10, last);
    assert_string_equal("record-7", s.payloads[6]);
    assert_int_equal(file_size(), valid);
    assert_string_equal("", warn);
    assert_int_equal(AUTHZ_OK, replay(4, &s, &last, &valid, warn));
    assert_int_equal(6, s.n);
    assert_int_equal(5, s.seqs[0]);
}

static void test_torn_tail_every_cut(void **state) {
    (void)state;
    write_records(5);
    long full = file_size();
    write_records(4);
    long four = file_size();
    int cuts = 0;
    for (long cut = four + 1; cut < full; cut++) {
        write_records(5);
        assert_int_equal(0, truncate(path, cut));
        seen s;
        uint64_t last, valid;
        char warn[256];
        assert_int_equal(AUTHZ_OK, replay(0, &s, &last, &valid, warn));
        assert_int_equal(4, s.n);
        assert_int_equal(four, valid);
        assert_non_null(strstr(warn, "torn"));
        /* Appending after the cut continues the sequence where the intact prefix ends. */
        authz__journal *j;
        assert_int_equal(AUTHZ_OK, authz__journal_open(path, valid, last, &j, NULL));
        uint64_t seq;
        assert_int_equal(AUTHZ_OK, authz__journal_append(j, "again", 5, &seq, NULL));
        assert_int_equal(5, seq);
        authz__journal_close(j);
        assert_int_equal(AUTHZ_OK, replay(0, &s, &last, &valid, warn));
        assert_int_equal(5, s.n);
        assert_string_equal("again", s.payloads[4]);
        cuts++;
    }
    printf("journal: %d torn tails cut, 0 acknowledged records lost\n", cuts);
}

static void test_trailing_zeros_are_torn(void **state) {
    (void)state;
    write_records(3);
    FILE *f = fopen(path, "ab");
    static const char zeros[4096];
    fwrite(zeros, 1, sizeof zeros, f);
    fclose(f);
    seen s;
    uint64_t last, valid;
    char warn[256];
    assert_int_equal(AUTHZ_OK, replay(0, &s, &last, &valid, warn));
    assert_int_equal(3, s.n);
    assert_non_null(strstr(warn, "torn"));
}

static void test_damaged_middle_is_an_error(void **state) {
    (void)state;
    write_records(5);
    FILE *f = fopen(path, "r+b");
    fseek(f, 24 + 16 + 3, SEEK_SET); /* inside the first record's payload */
    fputc('X', f);
    fclose(f);
    seen s;
    uint64_t last, valid;
    authz_error err = {0};
    memset(&s, 0, sizeof s);
    assert_int_equal(AUTHZ_ECORRUPT,
                     authz__journal_replay(path, 0, collect, &s, &last, &valid, NULL, 0, &err));
    assert_non_null(strstr(err.message, "at byte 24"));
    assert_int_equal(0, s.n);
}

static void test_starts_after_snapshot(void **state) {
    (void)state;
    unlink(path);
    authz__journal *j;
    assert_int_equal(AUTHZ_OK, authz__journal_open(path, 0, 7, &j, NULL));
    authz__journal_close(j);
    seen s;
    uint64_t last, valid;
    authz_error err = {0};
    memset(&s, 0, sizeof s);
    assert_int_equal(AUTHZ_ECORRUPT,
                     authz__journal_replay(path, 3, collect, &s, &last, &valid, NULL, 0, &err));
    assert_int_equal(AUTHZ_OK,
                     authz__journal_replay(path, 7, collect, &s, &last, &valid, NULL, 0, NULL));
    assert_int_equal(7, last);
}

/* ---- group commit ---- */

static int fsyncs;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static int counting_fsync(int fd) {
    pthread_mutex_lock(&count_lock);
    fsyncs++;
    pthread_mutex_unlock(&count_lock);
    return fsync(fd);
}

typedef struct writer_arg {
    authz__journal *j;
    pthread_mutex_t *order; /* the server applies and appends under one lock */
    int n;
} writer_arg;

static void *writer(void *p) {
    writer_arg *a = p;
    for (int i = 0; i < a->n; i++) {
        uint64_t seq;
        pthread_mutex_lock(a->order);
        authz_status st = authz__journal_append(a->j, "payload", 7, &seq, NULL);
        pthread_mutex_unlock(a->order);
        if (st || authz__journal_sync(a->j, seq, NULL)) abort();
    }
    return NULL;
}

static void test_group_commit(void **state) {
    (void)state;
    unlink(path);
    authz__io io = *authz__io_get();
    io.fsync = counting_fsync;
    authz__io_set(&io);
    authz__journal *j;
    assert_int_equal(AUTHZ_OK, authz__journal_open(path, 0, 0, &j, NULL));
    fsyncs = 0;
    pthread_mutex_t order = PTHREAD_MUTEX_INITIALIZER;
    pthread_t t[8];
    writer_arg a = {j, &order, 100};
    for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, writer, &a);
    for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
    authz__io_set(NULL);
    assert_int_equal(800, authz__journal_last_seq(j));
    authz__journal_close(j);
    printf("group commit: 800 records, %d fsyncs\n", fsyncs);
    assert_true(fsyncs <= 800);
    seen s;
    uint64_t last, valid;
    assert_int_equal(AUTHZ_OK, replay(0, &s, &last, &valid, NULL));
    assert_int_equal(800, s.n);
}

static void test_rotate(void **state) {
    (void)state;
    write_records(3);
    seen s;
    uint64_t last, valid;
    assert_int_equal(AUTHZ_OK, replay(0, &s, &last, &valid, NULL));
    authz__journal *j;
    assert_int_equal(AUTHZ_OK, authz__journal_open(path, valid, last, &j, NULL));
    assert_int_equal(AUTHZ_OK, authz__journal_rotate(j, NULL));
    uint64_t seq;
    assert_int_equal(AUTHZ_OK, authz__journal_append(j, "after", 5, &seq, NULL));
    assert_int_equal(4, seq);
    assert_int_equal(AUTHZ_OK, authz__journal_sync(j, seq, NULL));
    authz__journal_close(j);
    assert_int_equal(AUTHZ_OK, replay(3, &s, &last, &valid, NULL));
    assert_int_equal(1, s.n);
    assert_string_equal("after", s.payloads[0]);
}

static int setup(void **state) {
    (void)state;
    if (!mkdtemp(dir)) return -1;
    snprintf(path, sizeof path, "%s/journal", dir);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    unlink(path);
    return rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_skip),
        cmocka_unit_test(test_torn_tail_every_cut),
        cmocka_unit_test(test_trailing_zeros_are_torn),
        cmocka_unit_test(test_damaged_middle_is_an_error),
        cmocka_unit_test(test_starts_after_snapshot),
        cmocka_unit_test(test_group_commit),
        cmocka_unit_test(test_rotate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

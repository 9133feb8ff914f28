/*
 * durable.c - the data directory of `authz serve --data` (see durable.h).
 */
#include "durable.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "authz_json.h"
#include "base/error.h"
#include "model/engine.h"
#include "replica/publish.h"
#include "replica/replica_internal.h"
#include "store/journal.h"
#include "store/snapshot.h"

struct authz_durable {
    authz_engine *engine;
    authz__journal *journal;
    pthread_mutex_t write_lock; /* apply + append, so the journal order is the apply order */
    char snapshot[4096], journal_path[4096];
    uint64_t compact_bytes;
    authz__publisher *publisher; /* --publish: each durable record goes to the stream */
};

/* The same step a follower takes for each stream record (replica/apply.c). */
static authz_status replay_one(void *ctx, uint64_t seq, const char *payload, size_t len,
                               authz_error *err) {
    return authz__replica_apply(ctx, seq, payload, len, err);
}

authz_status authz_durable_replay(const char *path, authz_engine *e, uint64_t after_seq,
                                  uint64_t *last_seq, uint64_t *valid_bytes, char *warning,
                                  size_t warning_size, authz_error *err) {
    return authz__journal_replay(path, after_seq, replay_one, e, last_seq, valid_bytes, warning,
                                 warning_size, err);
}

static authz_status load_snapshot(authz_durable *d, authz_engine *initial, uint64_t *seq,
                                  authz_error *err) {
    struct stat sb;
    *seq = 0;
    if (stat(d->snapshot, &sb) == 0) {
        authz_engine_free(initial);
        return authz__load_seq(d->snapshot, NULL, &d->engine, seq, err);
    }
    if (initial) {
        d->engine = initial;
        return AUTHZ_OK;
    }
    return authz_engine_new(NULL, &d->engine);
}

authz_status authz_durable_open(const char *dir, authz_engine *initial, uint64_t compact_bytes,
                                authz_engine **engine, authz_durable **out, char *warning,
                                size_t warning_size, authz_error *err) {
    *out = NULL;
    *engine = NULL;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        authz_engine_free(initial);
        return authz__fail(err, AUTHZ_EIO, AUTHZ_OBJ_NONE, "data", -1, "cannot create %s: %s", dir,
                           strerror(errno));
    }
    authz_durable *d = calloc(1, sizeof *d);
    if (!d) {
        authz_engine_free(initial);
        return authz__nomem(err);
    }
    snprintf(d->snapshot, sizeof d->snapshot, "%s/snapshot", dir);
    snprintf(d->journal_path, sizeof d->journal_path, "%s/journal", dir);
    d->compact_bytes = compact_bytes;
    uint64_t seq, last, valid;
    authz_status st = load_snapshot(d, initial, &seq, err);
    if (!st)
        st = authz_durable_replay(d->journal_path, d->engine, seq, &last, &valid, warning,
                                  warning_size, err);
    if (!st) st = authz__journal_open(d->journal_path, valid, last, &d->journal, err);
    if (st) {
        authz_engine_free(d->engine);
        free(d);
        return st;
    }
    pthread_mutex_init(&d->write_lock, NULL);
    *engine = d->engine;
    *out = d;
    return AUTHZ_OK;
}

void authz_durable_close(authz_durable *d) {
    if (!d) return;
    authz__journal_close(d->journal);
    pthread_mutex_destroy(&d->write_lock);
    free(d);
}

/* Caller holds write_lock. */
static authz_status compact_locked(authz_durable *d, authz_error *err) {
    uint64_t last = authz__journal_last_seq(d->journal);
    authz_status st = authz__journal_sync(d->journal, last, err);
    if (!st) st = authz__save_seq(d->engine, d->snapshot, last, err);
    if (!st) st = authz__journal_rotate(d->journal, err);
    if (!st) authz__publisher_snapshot(d->publisher);
    return st;
}

authz_status authz_durable_compact(authz_durable *d, authz_error *err) {
    pthread_mutex_lock(&d->write_lock);
    authz_status st = compact_locked(d, err);
    pthread_mutex_unlock(&d->write_lock);
    return st;
}

/* The record carries the write's time ("at", ms): records the write creates (users,
 * organizations, departments) keep their creation time through a replay and on followers. */
static char *record_of(const char *method, const char *body, size_t len, int64_t at) {
    json_t *params = json_loadb(len ? body : "{}", len ? len : 2, 0, NULL);
    json_t *rec = params ? json_pack("{s:s,s:o,s:I}", "method", method, "params", params, "at",
                                     (json_int_t)at)
                         : NULL;
    char *text = rec ? json_dumps(rec, JSON_COMPACT) : NULL;
    json_decref(rec);
    return text;
}

static void fail_response(authz_durable *d, char **response, int *status_code, const char *why) {
    authz_free(*response);
    *response = NULL;
    *status_code = 500;
    authz_json_error_envelope(d->engine, 500, 50000, why, response);
}

void authz_durable_set_publisher(authz_durable *d, struct authz__publisher *p) { d->publisher = p; }

uint64_t authz_durable_revision(const authz_durable *d) {
    return d ? authz__journal_last_seq(d->journal) : 0;
}

authz_status authz_durable_write(authz_durable *d, const char *method, const char *body, size_t len,
                                 unsigned lang, char **response, int *status_code) {
    return authz_durable_write_rev(d, method, body, len, lang, response, status_code, NULL);
}

authz_status authz_durable_write_rev(authz_durable *d, const char *method, const char *body,
                                     size_t len, unsigned lang, char **response, int *status_code,
                                     uint64_t *revision) {
    pthread_mutex_lock(&d->write_lock);
    int64_t at = authz__now(d->engine);
    authz__pin_write_time(d->engine, at);
    authz_status st = authz_call_json_ex(d->engine, method, body, len, (authz_lang)lang, 0,
                                         response, status_code);
    authz__pin_write_time(d->engine, 0);
    uint64_t seq = 0;
    authz_error err = {0};
    bool journaled = false;
    if (!st && *status_code == 200) {
        char *rec = record_of(method, body, len, at);
        journaled = rec && !authz__journal_append(d->journal, rec, strlen(rec), &seq, &err);
        if (journaled) authz__publisher_record(d->publisher, seq, rec, strlen(rec));
        free(rec);
        if (journaled && d->compact_bytes && authz__journal_bytes(d->journal) > d->compact_bytes &&
            compact_locked(d, &err) != AUTHZ_OK)
            fprintf(stderr, "authz serve: compaction failed: %s\n", err.message);
    }
    pthread_mutex_unlock(&d->write_lock);
    if (st || *status_code != 200) return st;
    if (!journaled || authz__journal_sync(d->journal, seq, &err) != AUTHZ_OK) {
        fprintf(stderr, "authz serve: write not durable: %s\n",
                err.message[0] ? err.message : "out of memory");
        fail_response(d, response, status_code, "the write could not be made durable");
        return AUTHZ_OK;
    }
    authz__publisher_durable(d->publisher, seq);
    if (revision) *revision = seq;
    return AUTHZ_OK;
}

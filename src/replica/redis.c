/*
 * redis.c - the hiredis connection (redis.h) and the follower's transport over it.
 */
#include "replica/redis.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "replica/replica_internal.h"

static int fail(char *why, size_t n, const char *msg) {
    snprintf(why, n, "%s", msg);
    return -1;
}

int authz__redis_parse(const char *url, authz__redis *r, char *why, size_t n) {
    memset(r, 0, sizeof *r);
    r->timeout_ms = 2000;
    if (!url) return fail(why, n, "no Redis URL");
    if (!strncmp(url, "unix://", 7)) {
        const char *p = url + 7;
        if (*p != '/' || strlen(p) >= sizeof r->path)
            return fail(why, n, "a unix URL needs an absolute path: unix:///path/to/redis.sock");
        strcpy(r->path, p);
        return 0;
    }
    if (strncmp(url, "redis://", 8) != 0)
        return fail(why, n,
                    "the URL must be redis://[user:password@]host:port[/db] or unix:///path");
    const char *p = url + 8, *at = strrchr(p, '@');
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        size_t ul = colon ? (size_t)(colon - p) : 0;
        size_t pl = colon ? (size_t)(at - colon - 1) : (size_t)(at - p);
        const char *pw = colon ? colon + 1 : p;
        if (ul >= sizeof r->user || pl >= sizeof r->pass)
            return fail(why, n, "credentials too long");
        memcpy(r->user, p, ul);
        memcpy(r->pass, pw, pl);
        p = at + 1;
    }
    const char *colon = strrchr(p, ':'), *slash = strchr(p, '/');
    if (slash && colon > slash) colon = NULL;
    size_t hl = colon ? (size_t)(colon - p) : slash ? (size_t)(slash - p) : strlen(p);
    if (hl == 0 || hl >= sizeof r->host) return fail(why, n, "the Redis URL has no host");
    memcpy(r->host, p, hl);
    r->port = 6379;
    if (colon) {
        char *end;
        long port = strtol(colon + 1, &end, 10);
        if (end == colon + 1 || port < 1 || port > 65535 || (*end && *end != '/'))
            return fail(why, n, "the Redis URL has a bad port");
        r->port = (int)port;
    }
    if (slash && slash[1]) {
        char *end;
        long db = strtol(slash + 1, &end, 10);
        if (*end || db < 0 || db > 1000000)
            return fail(why, n, "the Redis URL has a bad db number");
        r->db = (int)db;
    }
    return 0;
}

void authz__redis_close(authz__redis *r) {
    if (r->c) redisFree(r->c);
    r->c = NULL;
}

static redisReply *command(authz__redis *r, char *why, size_t n, const char *fmt, va_list ap) {
    if (!r->c) {
        fail(why, n, "not connected to Redis");
        return NULL;
    }
    redisReply *rep = redisvCommand(r->c, fmt, ap);
    if (!rep) {
        snprintf(why, n, "Redis: %s", r->c->errstr[0] ? r->c->errstr : "connection lost");
        authz__redis_close(r);
        return NULL;
    }
    if (rep->type == REDIS_REPLY_ERROR) {
        snprintf(why, n, "Redis: %.200s", rep->str ? rep->str : "error");
        freeReplyObject(rep);
        return NULL;
    }
    return rep;
}

redisReply *authz__redis_cmd(authz__redis *r, char *why, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *rep = command(r, why, n, fmt, ap);
    va_end(ap);
    return rep;
}

redisReply *authz__redis_reply(authz__redis *r, char *why, size_t n) {
    void *rep = NULL;
    if (!r->c) {
        fail(why, n, "not connected to Redis");
        return NULL;
    }
    if (redisGetReply(r->c, &rep) != REDIS_OK || !rep) {
        snprintf(why, n, "Redis: %s", r->c->errstr[0] ? r->c->errstr : "connection lost");
        authz__redis_close(r);
        return NULL;
    }
    return rep;
}

int authz__redis_open(authz__redis *r, char *why, size_t n) {
    authz__redis_close(r);
    struct timeval tv = {r->timeout_ms / 1000, (r->timeout_ms % 1000) * 1000};
    r->c = r->path[0] ? redisConnectUnixWithTimeout(r->path, tv)
                      : redisConnectWithTimeout(r->host, r->port, tv);
    if (!r->c || r->c->err) {
        if (r->path[0])
            snprintf(why, n, "cannot connect to Redis at %s: %s", r->path,
                     r->c ? r->c->errstr : "out of memory");
        else
            snprintf(why, n, "cannot connect to Redis at %s:%d: %s", r->host, r->port,
                     r->c ? r->c->errstr : "out of memory");
        authz__redis_close(r);
        return -1;
    }
    redisSetTimeout(r->c, tv);
    redisReply *rep = NULL;
    if (r->pass[0]) {
        rep = r->user[0] ? authz__redis_cmd(r, why, n, "AUTH %s %s", r->user, r->pass)
                         : authz__redis_cmd(r, why, n, "AUTH %s", r->pass);
        if (!rep) return authz__redis_close(r), -1;
        freeReplyObject(rep);
    }
    if (r->db) {
        rep = authz__redis_cmd(r, why, n, "SELECT %d", r->db);
        if (!rep) return authz__redis_close(r), -1;
        freeReplyObject(rep);
    }
    return 0;
}

/* ---- the follower's transport ---- */

typedef struct redis_transport {
    authz__redis r;
} redis_transport;

void *authz__redis_transport_new(const char *url, int timeout_ms, char *why, size_t n) {
    redis_transport *t = calloc(1, sizeof *t);
    if (!t) {
        fail(why, n, "out of memory");
        return NULL;
    }
    if (authz__redis_parse(url, &t->r, why, n) != 0) {
        free(t);
        return NULL;
    }
    t->r.timeout_ms = timeout_ms;
    return t;
}

static int rt_connect(void *ctx, char *why, size_t n) {
    return authz__redis_open(&((redis_transport *)ctx)->r, why, n);
}

static void rt_close(void *ctx) { authz__redis_close(&((redis_transport *)ctx)->r); }

static void rt_destroy(void *ctx) {
    if (!ctx) return;
    rt_close(ctx);
    free(ctx);
}

static int rt_get(void *ctx, const char *key, unsigned char **val, size_t *len, char *why,
                  size_t n) {
    redis_transport *t = ctx;
    *val = NULL;
    *len = 0;
    redisReply *rep = authz__redis_cmd(&t->r, why, n, "GET %s", key);
    if (!rep) return -1;
    int rc = 0;
    if (rep->type == REDIS_REPLY_STRING) {
        *val = malloc(rep->len ? rep->len : 1);
        if (*val) {
            memcpy(*val, rep->str, rep->len);
            *len = rep->len;
        } else {
            rc = fail(why, n, "out of memory");
        }
    } else if (rep->type != REDIS_REPLY_NIL) {
        rc = fail(why, n, "Redis: GET answered something other than a string");
    }
    freeReplyObject(rep);
    return rc;
}

/* One stream entry reply: [id, [field, value, ...]]. */
static int take_entry(const redisReply *e, authz__rt_entry *out) {
    memset(out, 0, sizeof *out);
    if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
        e->element[0]->type != REDIS_REPLY_STRING)
        return 0;
    snprintf(out->id, sizeof out->id, "%s", e->element[0]->str);
    const redisReply *f = e->element[1];
    if (f->type != REDIS_REPLY_ARRAY) return 1;
    for (size_t i = 0; i + 1 < f->elements; i += 2) {
        const redisReply *k = f->element[i], *v = f->element[i + 1];
        if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING || k->len != 1 ||
            k->str[0] != 'r')
            continue;
        out->data = malloc(v->len ? v->len : 1);
        if (!out->data) return -1;
        memcpy(out->data, v->str, v->len);
        out->len = v->len;
        break;
    }
    return 1;
}

static int rt_read(void *ctx, const char *key, uint64_t after, int block_ms, authz__rt_entry *out,
                   int max, int *count, char *why, size_t n) {
    redis_transport *t = ctx;
    *count = 0;
    char id[32];
    snprintf(id, sizeof id, "%llu-1", (unsigned long long)after);
    redisReply *rep = authz__redis_cmd(&t->r, why, n, "XREAD COUNT %d BLOCK %d STREAMS %s %s", max,
                                       block_ms, key, id);
    if (!rep) return -1;
    int rc = 0;
    if (rep->type == REDIS_REPLY_ARRAY && rep->elements >= 1 &&
        rep->element[0]->type == REDIS_REPLY_ARRAY && rep->element[0]->elements == 2) {
        const redisReply *list = rep->element[0]->element[1];
        for (size_t i = 0; list->type == REDIS_REPLY_ARRAY && i < list->elements && *count < max;
             i++) {
            int k = take_entry(list->element[i], &out[*count]);
            if (k < 0) {
                rc = fail(why, n, "out of memory");
                break;
            }
            if (k > 0) (*count)++;
        }
    } else if (rep->type != REDIS_REPLY_NIL) {
        rc = fail(why, n, "Redis: XREAD answered something unexpected");
    }
    freeReplyObject(rep);
    if (rc) {
        for (int i = 0; i < *count; i++) free(out[i].data);
        *count = 0;
    }
    return rc;
}

static int one_end(redis_transport *t, const char *cmd, const char *key, uint64_t *rev, char *why,
                   size_t n) {
    *rev = 0;
    redisReply *rep = authz__redis_cmd(&t->r, why, n, cmd, key);
    if (!rep) return -1;
    if (rep->type == REDIS_REPLY_ARRAY && rep->elements == 1 &&
        rep->element[0]->type == REDIS_REPLY_ARRAY && rep->element[0]->elements >= 1 &&
        rep->element[0]->element[0]->type == REDIS_REPLY_STRING &&
        !authz__entry_id_parse(rep->element[0]->element[0]->str, rev))
        *rev = UINT64_MAX;
    freeReplyObject(rep);
    return 0;
}

static int rt_bounds(void *ctx, const char *key, uint64_t *first, uint64_t *last, char *why,
                     size_t n) {
    redis_transport *t = ctx;
    if (one_end(t, "XRANGE %s - + COUNT 1", key, first, why, n)) return -1;
    return one_end(t, "XREVRANGE %s + - COUNT 1", key, last, why, n);
}

const authz__transport_ops authz__redis_transport_ops = {
    rt_connect, rt_close, rt_get, rt_read, rt_bounds, rt_destroy,
};

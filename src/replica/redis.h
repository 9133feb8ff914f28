/*
 * redis.h - one hiredis connection from a replica URL: redis://[user:password@]host:port[/db]
 * or unix:///path/to/redis.sock (the publisher and the follower's transport both use it).
 */
#ifndef AUTHZ_REPLICA_REDIS_H
#define AUTHZ_REPLICA_REDIS_H

#include <hiredis/hiredis.h>
#include <stddef.h>

typedef struct authz__redis {
    char host[256], path[1024], user[128], pass[256];
    int port, db, timeout_ms;
    redisContext *c;
} authz__redis;

/* 0 if `url` parses, else -1 with a reason. */
int authz__redis_parse(const char *url, authz__redis *r, char *why, size_t n);
/* Connects (closing any old connection), authenticates, selects the db. 0 or -1 with a reason. */
int authz__redis_open(authz__redis *r, char *why, size_t n);
void authz__redis_close(authz__redis *r);
/* Runs one command. NULL on a transport failure (the connection is closed) or an error reply
 * (which is freed), with the reason in `why`; else the reply, which the caller frees. */
redisReply *authz__redis_cmd(authz__redis *r, char *why, size_t n, const char *fmt, ...);
/* Reads one pipelined reply (after redisAppendCommand): as authz__redis_cmd, except that an
 * error reply is returned (type REDIS_REPLY_ERROR) for the caller to judge. */
redisReply *authz__redis_reply(authz__redis *r, char *why, size_t n);

#endif

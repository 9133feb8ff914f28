/*
 * server.h - `authz serve`: GenAuth's V3 HTTP API on loopback over the JSON front door.
 * Every business outcome is HTTP 200 with the GenAuth envelope (the SDKs throw on anything
 * else); only a body over 1 MiB (413) or a request that is not HTTP get another status.
 */
#ifndef AUTHZ_HTTP_SERVER_H
#define AUTHZ_HTTP_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "authz.h"

typedef struct authz_server authz_server;
struct authz_durable;
struct authz_forward_config;

typedef struct authz_server_config {
    const char *host;          /* "127.0.0.1" */
    uint16_t port;             /* 0: any free port */
    unsigned threads;          /* worker threads (MHD thread pool) */
    const char *access_key_id; /* NULL with no_auth */
    const char *access_key_secret;
    bool no_auth;
    int64_t max_skew_ms;           /* allowed distance of a signed request's date, default 15 min */
    struct authz_durable *durable; /* --data: writes are journaled before they are answered */
    struct authz_replica *replica; /* --follow: a read-only follower kept in step by it */
    struct authz__publisher *publisher;         /* --publish: the leader's publisher (for status) */
    int max_wait_ms;                            /* x-authz-min-revision wait, default 1000 */
    const struct authz_forward_config *forward; /* /authz/forward (src/forward); NULL: none */
} authz_server_config;

/* Query decoding (query.c), exposed for the fuzzer: percent-decoding in place (`*bad` set on
 * a malformed escape), and adding one decoded key=value to the query object (k[] and repeats make
 * arrays). */
#include <jansson.h>
#include <stddef.h>
size_t authz__http_unescape(char *s, bool *bad);
bool authz__http_malformed(const char *raw); /* a '%' not followed by two hex digits */
int authz__http_query_add(json_t *obj, const char *key, const char *value);

/* Starts serving `e` (which must outlive the server). */
authz_status authz_server_start(const authz_server_config *cfg, authz_engine *e, authz_server **out,
                                authz_error *err);
uint16_t authz_server_port(const authz_server *s);
/* The revision of the model the server answers from (replication.h): the leader's journal
 * sequence number; 0 for a server without --data, --publish or --follow. */
uint64_t authz_server_revision(const authz_server *s);
void authz_server_stop(authz_server *s);

#endif

/*
 * replication.h - what `authz serve` adds for a fleet (README "Running a fleet"): its role
 * (standalone, leader with --publish, follower with --follow), its revision (the leader's journal
 * sequence number the model reflects) for the x-authz-revision header of every response, the
 * x-authz-min-revision wait, GET /api/v3/admin/status, and the replication lines of /metrics.
 */
#ifndef AUTHZ_HTTP_REPLICATION_H
#define AUTHZ_HTTP_REPLICATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "authz.h"
#include "authz/replica.h"

struct authz_durable;
struct authz__publisher;

typedef struct authz_http_repl authz_http_repl;

/* Any of durable, replica, publisher may be NULL; max_wait_ms <= 0 means 1000. */
authz_http_repl *authz_http_repl_new(authz_engine *e, struct authz_durable *durable,
                                     authz_replica *replica, struct authz__publisher *publisher,
                                     int max_wait_ms);
void authz_http_repl_free(authz_http_repl *r);
uint64_t authz_http_repl_revision(const authz_http_repl *r);
/* A follower: writes are refused (403). */
bool authz_http_repl_read_only(const authz_http_repl *r);
/* The x-authz-min-revision header (NULL: none). 0 when the request may go on; else the envelope
 * statusCode (400 for a malformed value, 503 when the revision was not reached in time) with the
 * message in `msg`. */
int authz_http_repl_wait(const authz_http_repl *r, const char *min_revision, char *msg, size_t n);
/* The data of GET /api/v3/admin/status (a new object). */
json_t *authz_http_repl_status(const authz_http_repl *r);
/* Appends the replication lines to the /metrics text. */
void authz_http_repl_metrics(const authz_http_repl *r, FILE *f);

#endif

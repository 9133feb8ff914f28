/*
 * declog.h - the decision log: one JSON line per forward-auth decision, written by a thread of
 * its own from a bounded queue, so a request never waits on the disk. When the queue is full a
 * line is dropped and counted (never blocking, never silent). Sampling keeps one decision in N;
 * denials are always kept.
 */
#ifndef AUTHZ_FORWARD_DECLOG_H
#define AUTHZ_FORWARD_DECLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct authz_declog authz_declog;

/* Writes to `fd` (not closed by the log unless close_fd), at most `capacity` lines queued,
 * keeping one allowed decision in `sample` (1: all). NULL on failure. */
authz_declog *authz_declog_new(int fd, bool close_fd, size_t capacity, unsigned sample);
/* Opens PATH for appending ("-": stdout). NULL with errno set on failure. */
authz_declog *authz_declog_open(const char *path, size_t capacity, unsigned sample);
/* Whether a decision should be logged (advances the sampling counter for allowed ones). */
bool authz_declog_wants(authz_declog *l, bool allowed);
/* Queues one line (the log takes a copy and adds the newline). Never blocks on I/O. */
void authz_declog_push(authz_declog *l, const char *line, size_t len);
uint64_t authz_declog_written(const authz_declog *l);
uint64_t authz_declog_dropped(const authz_declog *l);
/* Writes what is queued (waiting for the writer) and stops the thread. */
void authz_declog_free(authz_declog *l);

#endif

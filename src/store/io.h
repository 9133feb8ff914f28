/*
 * io.h - the few system calls durability uses, behind a table so tests can make any of them
 * fail (TESTING.md: I/O-error injection) and prove nothing is lost or left behind.
 */
#ifndef AUTHZ_IO_H
#define AUTHZ_IO_H

#include <stddef.h>
#include <sys/types.h>

typedef struct authz__io {
    int (*open)(const char *path, int flags, int mode);
    ssize_t (*write)(int fd, const void *buf, size_t n);
    ssize_t (*read)(int fd, void *buf, size_t n);
    int (*fsync)(int fd);
    int (*close)(int fd);
    int (*rename)(const char *from, const char *to);
    int (*unlink)(const char *path);
    int (*ftruncate)(int fd, off_t length);
} authz__io;

/* The table in force (POSIX by default). */
const authz__io *authz__io_get(void);
/* Replaces the table (tests only); NULL restores POSIX. Not thread-safe. */
void authz__io_set(const authz__io *io);

/* Writes all of buf, retrying short writes and EINTR. 0 on success, -1 with errno. */
int authz__io_write_all(int fd, const void *buf, size_t n);
/* fsyncs the directory holding `path`. 0 on success. */
int authz__io_sync_dir(const char *path);

#endif

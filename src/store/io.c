/*
 * io.c - the system call table (see io.h).
 */
#include "store/io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int posix_open(const char *path, int flags, int mode) {
    return open(path, flags, (mode_t)mode);
}

static const authz__io posix_io = {posix_open, write,  read,   fsync,
                                   close,      rename, unlink, ftruncate};
static const authz__io *current = &posix_io;

const authz__io *authz__io_get(void) { return current; }

void authz__io_set(const authz__io *io) { current = io ? io : &posix_io; }

int authz__io_write_all(int fd, const void *buf, size_t n) {
    const char *p = buf;
    while (n > 0) {
        ssize_t w = current->write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int authz__io_sync_dir(const char *path) {
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int fd = current->open(dir, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) return -1;
    int rc = current->fsync(fd);
    int saved = errno;
    current->close(fd);
    errno = saved;
    return rc;
}
